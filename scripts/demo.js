#!/usr/bin/env node
// `npm start`: our SMSC simulator on 127.0.0.1:$SMSC_PORT (2775) in its open-account
// mode (any login binds, as the examples expect) and Node-RED on 127.0.0.1:$PORT (1880)
// with this package loaded. The example flow is deployed only when there is no flow
// yet: what the user built is kept. A simulator that dies is restarted (and said so);
// Node-RED keeps running. A busy port: a clear message and exit status 1.
// The private Node-RED user directory is .demo/ (ignored by git; SMPP_DEMO_DIR moves it).
'use strict';
const fs = require('fs');
const net = require('net');
const path = require('path');
const { spawn } = require('child_process');

const root = path.join(__dirname, '..');
const userDir = path.resolve(process.env.SMPP_DEMO_DIR || path.join(root, '.demo'));
const HOST = '127.0.0.1';
const EXAMPLE = path.join(root, 'examples', 'Send and receive with delivery reports.json');
const RESTART_LIMIT = 5; // quick simulator deaths in a row before giving up on it

function port(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    console.error(`demo: ${name}=${raw} is not a port number (1-65535)`);
    process.exit(1);
  }
  return n;
}
const smscPort = port('SMSC_PORT', 2775);
const uiPort = port('PORT', 1880);

if (!fs.existsSync(path.join(root, 'dist', 'nodes', 'smpp-gateway.js'))) {
  console.error('demo: dist/ is missing; run `npm install` (it builds) or `npm run build` first');
  process.exit(1);
}

/** resolves when HOST:p can be listened on; rejects with a message naming the variable otherwise */
function checkFree(p, variable, what) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', (e) => reject(new Error(e.code === 'EADDRINUSE'
      ? `port ${p} on ${HOST} (${what}) is already in use; stop what uses it or choose another with ${variable}=...`
      : `cannot listen on ${HOST}:${p} (${what}): ${e.code || e.message}`)));
    srv.listen(p, HOST, () => srv.close(resolve));
  });
}

function prepare() {
  fs.mkdirSync(path.join(userDir, 'node_modules'), { recursive: true });
  const link = path.join(userDir, 'node_modules', 'node-red-contrib-smpp-gateway');
  try { fs.rmSync(link, { recursive: true, force: true }); } catch (_) { /* not there */ }
  fs.symlinkSync(root, link, 'dir');
  fs.writeFileSync(path.join(userDir, 'settings.js'), `module.exports = {
  uiHost: '${HOST}',
  uiPort: ${uiPort},
  flowFile: 'flows.json',
  diagnostics: { enabled: false },
  telemetry: { enabled: false },
  editorTheme: { tours: false },
  logging: { console: { level: 'info' } },
};
`);
  const flows = path.join(userDir, 'flows.json');
  let existing = null;
  try { existing = JSON.parse(fs.readFileSync(flows, 'utf8')); } catch (_) { /* none yet, or unreadable: Node-RED says so */ }
  if (fs.existsSync(flows) && !(Array.isArray(existing) && existing.length === 0)) {
    console.log(`demo: keeping the flows in ${flows} (delete the file to get the example again)`);
    return;
  }
  // the example flow, pointed at the simulator; no credentials: the simulator accepts any login
  const flow = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
  for (const gw of flow.filter((n) => n.type === 'smpp-gateway')) gw.port = String(smscPort);
  fs.writeFileSync(flows, JSON.stringify(flow, null, 2));
  console.log(`demo: deployed the example "${path.basename(EXAMPLE, '.json')}" into ${flows}`);
}

const children = new Set();
let stopping = false;
function spawnChild(args) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

let quickDeaths = 0;
function startSimulator() {
  const started = Date.now();
  const child = spawnChild([path.join(root, 'dist', 'src', 'simulator', 'cli.js'), '--host', HOST, '--port', String(smscPort), '--accept-any',
    '--receipts', 'requested', '--receipt-delay', '1500', '--mo-every', '30000']);
  console.log(`demo: SMSC simulator started (pid ${child.pid})`);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    quickDeaths = Date.now() - started < 5000 ? quickDeaths + 1 : 0;
    if (quickDeaths >= RESTART_LIMIT) {
      console.error(`demo: the SMSC simulator exited (${signal || code}) ${RESTART_LIMIT} times in a row; not restarting it. Node-RED keeps running.`);
      return;
    }
    console.log(`demo: the SMSC simulator exited (${signal || code}); restarting it in 1 s. Node-RED keeps running and rebinds.`);
    setTimeout(() => { if (!stopping) startSimulator(); }, 1000);
  });
}

function startNodeRed() {
  const child = spawnChild([require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')]);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`demo: Node-RED exited (${signal || code}); stopping the simulator`);
    shutdown(code === 0 ? 0 : 1);
  });
}

function shutdown(status) {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  const done = () => process.exit(status);
  if (children.size === 0) return done();
  for (const c of children) c.on('exit', () => { if (children.size === 0) done(); });
  setTimeout(done, 5000).unref();
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

Promise.all([checkFree(uiPort, 'PORT', 'Node-RED'), checkFree(smscPort, 'SMSC_PORT', 'the SMSC simulator')]).then(() => {
  prepare();
  startSimulator();
  startNodeRed();
  console.log(`demo: Node-RED on http://${HOST}:${uiPort}/ , SMSC simulator on ${HOST}:${smscPort} (Ctrl-C stops both)`);
}, (e) => {
  console.error(`demo: ${e.message}`);
  process.exit(1);
});
