#!/usr/bin/env node
// `npm start`: our SMSC simulator on 127.0.0.1:2775 and Node-RED on 127.0.0.1:1880
// with this package loaded and the example flow deployed. Everything stays on
// loopback; the private Node-RED user directory is .demo/ (ignored by git).
'use strict';
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const root = path.join(__dirname, '..');
const userDir = path.join(root, '.demo');
const smscPort = Number(process.env.SMSC_PORT || 2775);
const uiPort = Number(process.env.PORT || 1880);

if (!fs.existsSync(path.join(root, 'dist', 'nodes', 'smpp-gateway.js'))) {
  console.error('demo: dist/ is missing; run `npm install` (it builds) or `npm run build` first');
  process.exit(1);
}

// a private user directory with this package linked into its node_modules
fs.mkdirSync(path.join(userDir, 'node_modules'), { recursive: true });
const link = path.join(userDir, 'node_modules', 'node-red-contrib-smpp-gateway');
try { fs.rmSync(link, { recursive: true, force: true }); } catch (_) { /* not there */ }
fs.symlinkSync(root, link, 'dir');

fs.writeFileSync(path.join(userDir, 'settings.js'), `module.exports = {
  uiHost: '127.0.0.1',
  uiPort: ${uiPort},
  flowFile: 'flows.json',
  credentialSecret: false, // demo only: the simulator's test account, stored unencrypted
  diagnostics: { enabled: false },
  telemetry: { enabled: false },
  editorTheme: { tours: false },
  logging: { console: { level: 'info' } },
};
`);

// the example flow, pointed at the simulator, with the simulator's account in credentials
const flow = JSON.parse(fs.readFileSync(path.join(root, 'examples', '01-send-receive-dlr.json'), 'utf8'));
const gw = flow.find((n) => n.type === 'smpp-gateway');
gw.port = String(smscPort);
fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow, null, 2));
fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify({ [gw.id]: { systemId: 'test', password: 'test' } }, null, 2));

const children = [];
function run(name, args) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    console.log(`demo: ${name} exited (${signal || code})`);
    shutdown();
  });
  children.push(child);
}

let stopping = false;
function shutdown() {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

run('SMSC simulator', [path.join(root, 'dist', 'src', 'simulator', 'cli.js'), '--host', '127.0.0.1', '--port', String(smscPort), '--account', 'test:test', '--receipts', 'requested', '--receipt-delay', '1500', '--mo-every', '30000']);
run('Node-RED', [require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')]);
console.log(`demo: Node-RED on http://127.0.0.1:${uiPort}/ , SMSC simulator on 127.0.0.1:${smscPort} (Ctrl-C stops both)`);
