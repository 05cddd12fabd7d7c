#!/usr/bin/env node
// Runs the compiled mocha suites and ends with a plain 'N passed, N failed' line.
// Usage: node test/run.js [glob-or-file ...]   (default: every dist/test/**/*.test.js)
'use strict';
const path = require('path');
const fs = require('fs');
const Mocha = require('mocha');

const root = path.join(__dirname, '..');
function walk(dir, out) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
let files = walk(path.join(root, 'dist', 'test'), []).sort();
if (args.length) files = files.filter((f) => args.some((a) => f.includes(a)));
if (!files.length) {
  console.error('test/run.js: no test files found (did the build run?)');
  process.exit(1);
}
const mocha = new Mocha({ timeout: 20000, reporter: 'spec' });
files.forEach((f) => mocha.addFile(f));
const runner = mocha.run((failures) => {
  const s = runner.stats || {};
  console.log(`\ntests: ${s.passes || 0} passed, ${s.failures || 0} failed, ${s.pending || 0} skipped`);
  process.exitCode = failures || (s.pending ? 1 : 0) ? 1 : 0;
  if (s.pending) console.error('skipped tests are treated as failures here');
  // servers left open by a faulty test must not hold CI forever
  setTimeout(() => process.exit(process.exitCode), 2000).unref();
});
