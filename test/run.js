#!/usr/bin/env node
// Runs the compiled mocha suites and ends with a plain 'N passed, N failed' line.
// Usage: node test/run.js [--profile full|matrix] [--node-red <install dir>] [substring ...]
//   --profile   the files and the minimum product-test count of test/guards/expected.json
//               (a run with fewer passing product tests fails: tests that vanish are caught)
//   --node-red  load Node-RED from <dir>/node_modules/node-red instead of the devDependency
//               (test/matrix/node-red-override.js; also read from SMPP_GW_NODE_RED)
//   SMPP_GW_RED_NODE=<node binary>  runs the Node-RED that tests spawn (test/package/red-process.ts)
//   substrings  only the dist/test files whose path contains one (no minimum count then)
// Refuses `.only` and skipped tests. The whole-run time limit is the parent's job
// (test/matrix/run-all.js kills a run that exceeds it): a busy loop here would stop any timer.
'use strict';
const path = require('path');
const fs = require('fs');

const root = path.join(__dirname, '..');
const expected = require('./guards/expected.json');
const args = process.argv.slice(2);
let profileName = null;
const filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--profile') profileName = args[++i];
  else if (args[i] === '--node-red') process.env.SMPP_GW_NODE_RED = path.resolve(args[++i]);
  else filters.push(args[i]);
}
if (!filters.length && !profileName) profileName = 'full';
const profile = profileName ? expected.profiles[profileName] : null;
if (profileName && !profile) {
  console.error(`test/run.js: no profile '${profileName}' in test/guards/expected.json`);
  process.exit(2);
}

const override = require('./matrix/node-red-override.js');
if (process.env.SMPP_GW_NODE_RED) override.install(process.env.SMPP_GW_NODE_RED);
const Mocha = require('mocha');
const redNode = process.env.SMPP_GW_RED_NODE
  ? `, the Node-RED it spawns on Node.js ${require('child_process').execFileSync(process.env.SMPP_GW_RED_NODE, ['--version']).toString().trim()}`
  : '';
const versions = `Node-RED ${override.nodeRedVersion()} on Node.js ${process.version}${redNode}`;
console.log(`test/run.js: ${versions}${profileName ? `, profile ${profileName}` : ''}`);

function walk(dir, out) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}
const rel = (f) => path.relative(root, f).split(path.sep).join('/');
let files = walk(path.join(root, 'dist', 'test'), []).sort();
if (profile) files = files.filter((f) => profile.files.some((p) => rel(f).startsWith(p)));
if (filters.length) files = files.filter((f) => filters.some((a) => f.includes(a)));
if (!files.length) {
  console.error('test/run.js: no test files found (did the build run?)');
  process.exit(1);
}
const selfChecks = new Set(expected.selfChecks);
const mocha = new Mocha({ timeout: 20000, reporter: 'spec', forbidOnly: true, forbidPending: true });
files.forEach((f) => mocha.addFile(f));
let product = 0;
let own = 0;
let runner;
try {
  runner = mocha.run(finished);
} catch (e) {
  // `.only` (forbidOnly) is thrown while the files load
  console.error(`test/run.js: ${e.message}: a test file uses .only, which would silently skip every other test`);
  process.exit(1);
}
function finished(failures) {
  const s = runner.stats || {};
  console.log(`\ntests: ${s.passes || 0} passed, ${s.failures || 0} failed, ${s.pending || 0} skipped (${versions})`);
  console.log(`product tests passed: ${product}; the suite's own self-checks passed: ${own} (not counted as product tests)`);
  let bad = failures || s.pending ? 1 : 0;
  if (s.pending) console.error('skipped tests are treated as failures here');
  if (profile && product < profile.minProductTests) {
    console.error(`test/run.js: only ${product} product tests passed, profile '${profileName}' expects at least ${profile.minProductTests} (test/guards/expected.json): tests went missing`);
    bad = 1;
  }
  process.exitCode = bad;
  // servers left open by a faulty test must not hold CI forever
  setTimeout(() => process.exit(process.exitCode), 2000).unref();
}
runner.on('pass', (t) => {
  if (t.file && selfChecks.has(rel(t.file))) own++;
  else product++;
});
