#!/usr/bin/env node
// Copies the screenshots the browser test wrote (test-artifacts/screenshots/, git-ignored, so
// `npm test` leaves the tree clean) into docs/screenshots/, which the README shows.
// Usage: npm run screenshots   (after a run of the browser test: node test/run.js test/editor)
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const from = path.join(root, 'test-artifacts', 'screenshots');
const to = path.join(root, 'docs', 'screenshots');

const shots = fs.existsSync(from) ? fs.readdirSync(from).filter((f) => f.endsWith('.png')).sort() : [];
if (!shots.length) {
  console.error(`update-screenshots: no screenshots in ${path.relative(root, from)}; run the browser test first (node test/run.js test/editor)`);
  process.exit(1);
}
fs.mkdirSync(to, { recursive: true });
for (const f of shots) fs.copyFileSync(path.join(from, f), path.join(to, f));
console.log(`update-screenshots: ${shots.length} copied to ${path.relative(root, to)}: ${shots.join(', ')}`);
