#!/usr/bin/env node
// Copies the editor files (.html, locales) next to the compiled node .js files,
// and injects the gateway's parameter table into the smpp-gateway dialog so the
// editor validates with exactly the rules the runtime uses.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const src = path.join(root, 'nodes');
const dst = path.join(root, 'dist', 'nodes');
const PLACEHOLDER = '/*@@PARAMETERS@@*/[]';

function copyDir(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const a = path.join(from, entry.name);
    const b = path.join(to, entry.name);
    if (entry.isDirectory()) copyDir(a, b);
    else if (!entry.name.endsWith('.ts')) fs.copyFileSync(a, b);
  }
}

copyDir(src, dst);
// Node-RED serves a node's icons from the icons/ folder beside its .js file
copyDir(path.join(root, 'icons'), path.join(dst, 'icons'));

const { PARAMETERS } = require(path.join(root, 'dist', 'src', 'config', 'parameters.js'));
const html = path.join(dst, 'smpp-gateway.html');
if (fs.existsSync(html)) {
  const text = fs.readFileSync(html, 'utf8');
  if (!text.includes(PLACEHOLDER)) {
    console.error(`copy-assets: ${html} lacks the placeholder ${PLACEHOLDER}`);
    process.exit(1);
  }
  fs.writeFileSync(html, text.split(PLACEHOLDER).join(JSON.stringify(PARAMETERS)));
}
