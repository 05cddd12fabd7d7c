// Makes this process (and what it requires) load Node-RED from another install:
// SMPP_GW_NODE_RED=<dir> where <dir>/node_modules/node-red is that version (test/matrix/fetch.js
// makes these under .matrix/). Every require or require.resolve of 'node-red', 'node-red/...'
// or '@node-red/...' made from outside that install resolves inside it, so
// node-red-node-test-helper, the tests that reach into the runtime and the tests that spawn
// red.js all use the same Node-RED. Loaded by test/run.js before any test file.
'use strict';
const Module = require('module');
const path = require('path');
const fs = require('fs');

function install(dir) {
  const prefix = path.resolve(dir);
  const modules = path.join(prefix, 'node_modules');
  const pkgFile = path.join(modules, 'node-red', 'package.json');
  if (!fs.existsSync(pkgFile)) throw new Error(`SMPP_GW_NODE_RED=${dir}: no node_modules/node-red there`);
  const original = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, isMain, options) {
    const ours = request === 'node-red' || request.startsWith('node-red/') || request.startsWith('@node-red/');
    const from = parent && parent.filename ? parent.filename : '';
    if (ours && !from.startsWith(prefix + path.sep)) return original.call(this, request, parent, isMain, { ...options, paths: [modules] });
    return original.call(this, request, parent, isMain, options);
  };
  return JSON.parse(fs.readFileSync(pkgFile, 'utf8')).version;
}

/** The Node-RED version this process loads: the override's, or the project's devDependency. */
function nodeRedVersion() {
  return require(require.resolve('node-red/package.json')).version;
}

module.exports = { install, nodeRedVersion };
