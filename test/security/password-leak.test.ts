/**
 * The gateway password leaks nowhere. A real Node-RED process (trace-level
 * logging to stdout and to a file, audit on, debug nodes with the complete
 * msg to the sidebar and the console, catch and status nodes) runs two
 * gateways with a password unique to this run through: binds, binds refused
 * (the other simulator knows another password), a dropped link and its
 * rebind, a rebuild, sent and failed messages, a receipt, MOs, an outbind
 * refused and one accepted, smpp-control status snapshots, an export of the
 * flows, and a stop. Then every line of output, every editor message (debug
 * sidebar, status, notifications), the exported flows and the files on disk
 * are scanned for the password in plain, escaped, hex and base64 forms.
 *
 * The test proves it can fail: a canary string sent through the same
 * channels (log, debug sidebar, status, error) must be found by the same
 * scanner, the stored credentials must decrypt to the password, and the
 * password planted in the collected log must be found.
 */
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OutbindClient, SmscSimulator } from '../../src/simulator';
import { freePort } from '../interop/ports';
import { findSecret, Source } from './secret-scanner';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const WebSocket = require('ws');

const root = path.join(__dirname, '..', '..', '..');
/** 8 characters: the most an SMPP password field holds; new each run */
const PASSWORD = crypto.randomBytes(6).toString('base64url');
const CANARY = `canary-${crypto.randomBytes(6).toString('hex')}`;
const CREDENTIAL_SECRET = 'leak-test-credential-secret';
const TAB = 'leak-tab';

async function http(port: number, method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${p}`, {
    method,
    headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function inject(id: string, wire: string, props: Record<string, string>): Record<string, unknown> {
  const { payload, ...rest } = props;
  return {
    id, type: 'inject', z: TAB, name: `trigger ${id.slice(3)}`, repeat: '', crontab: '', once: false, topic: '',
    payload, payloadType: 'str',
    props: [{ p: 'payload' }, ...Object.entries(rest).map(([p, v]) => ({ p, v, vt: 'str' }))],
    wires: [[wire]],
  };
}

function buildFlow(okPort: number, badPort: number, upstreamPort: number): Record<string, unknown>[] {
  const fast = { heartbeatInterval: '1000', transactionTimeout: '500', receiveTimeout: '5000', connectTimeout: '2000', bindTimeout: '2000' };
  return [
    { id: TAB, type: 'tab', label: 'password leak test' },
    { id: 'gwOk', type: 'smpp-gateway', name: 'accepting SMSC', host: '127.0.0.1', port: String(okPort), upstreamPort: String(upstreamPort),
      registeredDelivery: '1', reconnectMin: '100', reconnectMax: '500', ...fast },
    { id: 'gwBad', type: 'smpp-gateway', name: 'refusing SMSC', host: '127.0.0.1', port: String(badPort), reconnectMin: '200', reconnectMax: '400', ...fast },
    { id: 'sendOk', type: 'smpp-send', z: TAB, gateway: 'gwOk', wires: [['dbg'], ['dbg']] },
    { id: 'sendBad', type: 'smpp-send', z: TAB, gateway: 'gwBad', wires: [['dbg'], ['dbg']] },
    { id: 'recv', type: 'smpp-receive', z: TAB, gateway: 'gwOk', wires: [['dbg']] },
    { id: 'dlr', type: 'smpp-dlr', z: TAB, gateway: 'gwOk', wires: [['dbg']] },
    { id: 'ctlOk', type: 'smpp-control', z: TAB, gateway: 'gwOk', wires: [['dbg']] },
    { id: 'ctlBad', type: 'smpp-control', z: TAB, gateway: 'gwBad', wires: [['dbg']] },
    inject('injSend', 'sendOk', { payload: 'leak test message', to: '+46700000001' }),
    inject('injSendBad', 'sendBad', { payload: 'to a refusing SMSC', to: '+46700000002' }),
    inject('injNoTo', 'sendOk', { payload: 'no destination' }),
    inject('injStatusOk', 'ctlOk', { payload: 'status' }),
    inject('injStatusBad', 'ctlBad', { payload: 'status' }),
    inject('injRebuild', 'ctlOk', { payload: 'rebuild' }),
    inject('injCanary', 'fnCanary', { payload: 'go' }),
    { id: 'fnCanary', type: 'function', z: TAB, name: 'canary', outputs: 1, wires: [['dbg']],
      func: `node.warn('${CANARY} warn'); node.status({ text: '${CANARY} status' }); node.error('${CANARY} error', msg); msg.payload = '${CANARY} payload'; return msg;` },
    { id: 'catchAll', type: 'catch', z: TAB, scope: null, uncaught: false, wires: [['dbg']] },
    { id: 'statusAll', type: 'status', z: TAB, scope: null, wires: [['dbg']] },
    { id: 'dbg', type: 'debug', z: TAB, name: 'everything', active: true, tosidebar: true, console: true, tostatus: false, complete: 'true', targetType: 'full' },
  ];
}

function decryptCredentials(file: string, secret: string): Record<string, Record<string, string>> {
  const enc = JSON.parse(fs.readFileSync(file, 'utf8')).$ as string;
  const key = crypto.createHash('sha256').update(secret).digest();
  const decipher = crypto.createDecipheriv('aes-256-ctr', key, Buffer.from(enc.substring(0, 32), 'hex'));
  return JSON.parse(decipher.update(enc.substring(32), 'base64', 'utf8') + decipher.final('utf8'));
}

describe('security: the gateway password leaks nowhere (real Node-RED, trace logging)', function () {
  this.timeout(120000);
  let dir: string;
  let red: ChildProcess | null = null;
  let simOk: SmscSimulator;
  let simBad: SmscSimulator;
  let uiPort = 0;
  let upstreamPort = 0;
  let stdout = '';
  let ws: any = null;
  const frames: string[] = [];
  const sources: Source[] = [];
  let logFile = '';

  const debugMessages = () => frames.filter((f) => f.includes('"topic":"debug"'));
  const post = (id: string) => http(uiPort, 'POST', `/inject/${id}`);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-leak-'));
    logFile = path.join(dir, 'node-red-trace.log');
    simOk = new SmscSimulator({ port: 0, accounts: [{ systemId: 'esme', password: PASSWORD }], receiptDelayMs: 50 });
    simBad = new SmscSimulator({ port: 0, accounts: [{ systemId: 'esme', password: 'other-pw' }] });
    await simOk.start();
    await simBad.start();
    uiPort = await freePort();
    upstreamPort = await freePort();
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'leak-test', private: true }));
    fs.writeFileSync(path.join(dir, 'flows.json'), JSON.stringify(buildFlow(simOk.port, simBad.port, upstreamPort)));
    fs.writeFileSync(path.join(dir, 'settings.js'), `
const fs = require('fs');
const util = require('util');
module.exports = {
  uiHost: '127.0.0.1', uiPort: ${uiPort}, flowFile: 'flows.json', credentialSecret: ${JSON.stringify(CREDENTIAL_SECRET)},
  nodesDir: [${JSON.stringify(root)}],
  diagnostics: { enabled: false }, telemetry: { enabled: false }, debugMaxLength: 100000,
  logging: {
    console: { level: 'trace', metrics: false, audit: true },
    file: { level: 'trace', metrics: false, audit: true, handler: function () {
      return function (msg) { fs.appendFileSync(${JSON.stringify(logFile)}, util.inspect(msg, { depth: 10, breakLength: Infinity }) + '\\n'); };
    } },
  },
};`);
    red = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', dir, '--settings', path.join(dir, 'settings.js')], { stdio: ['ignore', 'pipe', 'pipe'] });
    red.stdout?.on('data', (d) => (stdout += d));
    red.stderr?.on('data', (d) => (stdout += d));
    await until(async () => (await http(uiPort, 'GET', '/settings')).status === 200, 'Node-RED to start', 60000);

    // the editor's channel: debug sidebar, status, notifications
    ws = new WebSocket(`ws://127.0.0.1:${uiPort}/comms`);
    ws.on('message', (data: Buffer) => frames.push(data.toString('utf8')));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ subscribe: 'debug' }));
    ws.send(JSON.stringify({ subscribe: 'status/#' }));
    ws.send(JSON.stringify({ subscribe: 'notification/#' }));

    // credentials as the editor deploys them
    const flows = JSON.parse((await http(uiPort, 'GET', '/flows')).text);
    for (const n of flows) if (n.type === 'smpp-gateway') n.credentials = { systemId: 'esme', password: PASSWORD };
    const deployed = await http(uiPort, 'POST', '/flows', flows, { 'Node-RED-Deployment-Type': 'full' });
    assert.equal(deployed.status, 204, deployed.text);

    // binds, and binds refused
    await until(() => simOk.stats().binds >= 1, 'the gateway to bind with the password');
    await until(() => simBad.stats().bindFailures >= 2, 'two binds refused by the other SMSC');

    // a message sent and its receipt; a message to the refusing gateway (queued); one without a destination (error)
    const sent = await post('injSend');
    assert.equal(sent.status, 200, `${sent.text}\n${stdout.slice(-3000)}`);
    await until(() => simOk.stats().receiptsSent >= 1, 'a receipt');
    await post('injSendBad');
    await post('injNoTo');
    // an MO on the main link
    await simOk.injectMo({ from: '+46701234567', to: '7777', text: 'MO on the main link' });
    // the link dropped and rebound; then a rebuild by smpp-control
    simOk.dropConnections();
    await until(() => simOk.stats().binds >= 2, 'a rebind after the drop');
    await post('injRebuild');
    await until(() => simOk.stats().binds >= 3, 'a rebind after the rebuild');
    // a send refused by the SMSC
    simOk.setFailure({ kind: 'reject', status: 0x45 });
    await post('injSend');
    await until(() => debugMessages().some((f) => f.includes('ESME_RSUBMITFAIL')), 'the failed send in the debug sidebar');
    simOk.setFailure({ kind: 'none' });
    // outbind: one with a wrong password (refused), one with the right one and an MO through it
    await assert.rejects(OutbindClient.connect({ port: upstreamPort, systemId: 'esme', password: 'wrongpw1' }));
    const smsc = await OutbindClient.connect({ port: upstreamPort, systemId: 'esme', password: PASSWORD });
    assert.equal(await smsc.deliverMo({ from: '+46709999999', to: '7777', text: 'MO by outbind' }), 0);
    smsc.close();
    // status snapshots of both gateways
    await post('injStatusOk');
    await post('injStatusBad');
    await until(() => (debugMessages().join('\n').match(/outbindRefused/g) ?? []).length >= 2, 'both status snapshots in the debug sidebar');
    // the positive control
    await post('injCanary');
    await until(() => debugMessages().some((f) => f.includes(`${CANARY} payload`)), 'the canary in the debug sidebar');

    // what an export gives, and what the editor gets for the credentials
    sources.push({ name: 'GET /flows', text: (await http(uiPort, 'GET', '/flows')).text });
    sources.push({ name: 'GET /flows v2', text: (await http(uiPort, 'GET', '/flows', undefined, { 'Node-RED-API-Version': 'v2' })).text });
    for (const id of ['gwOk', 'gwBad']) sources.push({ name: `GET /credentials/smpp-gateway/${id}`, text: (await http(uiPort, 'GET', `/credentials/smpp-gateway/${id}`)).text });

    // stop: the close path logs too
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        red?.kill('SIGKILL');
        resolve();
      }, 15000);
      red!.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      red!.kill('SIGTERM');
    });
    ws.close();
    sources.push(
      { name: 'stdout+stderr', text: stdout },
      { name: 'trace log file', text: fs.readFileSync(logFile, 'utf8') },
      { name: 'editor messages (debug, status, notifications)', text: frames.join('\n') },
      { name: 'flows.json', text: fs.readFileSync(path.join(dir, 'flows.json'), 'utf8') },
      { name: 'flows_cred.json', text: fs.readFileSync(path.join(dir, 'flows_cred.json'), 'utf8') },
    );
  });

  after(async () => {
    if (red && red.exitCode === null && red.signalCode === null) red.kill('SIGKILL');
    ws?.terminate?.();
    await simOk?.stop();
    await simBad?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ran what it claims: binds with the password, refusals, reconnects, receipts, MOs, failures, snapshots, trace logging', () => {
    assert.ok(simOk.stats().binds >= 3, 'bind, rebind after the drop, rebind after the rebuild');
    assert.ok(simBad.stats().bindFailures >= 2);
    assert.ok(simOk.stats().receiptsSent >= 1);
    const log = sources.find((s) => s.name === 'stdout+stderr')!.text;
    assert.match(log, /\[trace\]/, 'trace-level lines were written');
    assert.match(log, /\[debug\]/);
    assert.match(log, /ESME_RINVPASWD/, 'the refused bind is in the log');
    assert.match(log, /outbind from 127\.0\.0\.1:\d+ refused: outbind for system_id "esme" with a wrong password/);
    assert.match(log, /outbind from 127\.0\.0\.1:\d+ accepted/);
    const editor = sources.find((s) => s.name.startsWith('editor messages'))!.text;
    for (const needle of ['MO on the main link', 'MO by outbind', 'leak test message', 'ESME_RSUBMITFAIL', '"topic":"status/', 'outbindRefused']) {
      assert.ok(editor.includes(needle), `the editor got ${needle}`);
    }
  });

  it('the scanner finds the canary in every channel the password is searched in', () => {
    for (const name of ['stdout+stderr', 'trace log file', 'editor messages (debug, status, notifications)']) {
      const hits = findSecret(CANARY, sources.filter((s) => s.name === name));
      assert.ok(hits.length > 0, `canary found in ${name}`);
    }
    const editor = sources.find((s) => s.name.startsWith('editor messages'))!.text;
    assert.ok(frames.some((f) => f.includes('"topic":"status/fnCanary"') && f.includes(CANARY)), 'the canary status reached the editor');
    assert.ok(editor.includes(`${CANARY} error`), 'the canary error reached the editor');
  });

  it('the scanner finds the password when it is planted in a log line', () => {
    const log = sources.find((s) => s.name === 'stdout+stderr')!;
    const planted = { name: 'planted', text: `${log.text}\n12 Nov 10:00:00 - [debug] [smpp-gateway:gwOk] bind_transceiver password=${PASSWORD}\n` };
    const before = findSecret(PASSWORD, [log]).length;
    const hits = findSecret(PASSWORD, [planted]);
    assert.equal(hits.length, before + 1, JSON.stringify(hits));
    assert.ok(hits.some((h) => h.form === 'plain' && h.excerpt.includes('password=«SECRET»')));
  });

  it('the credentials on disk hold the password, encrypted with credentialSecret', () => {
    const creds = decryptCredentials(path.join(dir, 'flows_cred.json'), CREDENTIAL_SECRET);
    assert.equal(creds.gwOk.password, PASSWORD);
    assert.equal(creds.gwBad.password, PASSWORD);
    const raw = JSON.parse(fs.readFileSync(path.join(dir, 'flows_cred.json'), 'utf8'));
    assert.deepEqual(Object.keys(raw), ['$'], 'only the encrypted blob');
  });

  it('the editor is told only that a password is set', () => {
    const c = JSON.parse(sources.find((s) => s.name === 'GET /credentials/smpp-gateway/gwOk')!.text);
    assert.equal(c.has_password, true);
    assert.equal(c.password, undefined);
    assert.equal(c.systemId, 'esme');
  });

  it('the password is in no log line, status, debug message, error, exported flow or file', () => {
    assert.ok(sources.length >= 9, sources.map((s) => s.name).join(', '));
    const hits = findSecret(PASSWORD, sources);
    assert.deepEqual(hits, [], `the password was found:\n${hits.map((h) => `${h.source} (${h.form}): ${h.excerpt}`).join('\n')}`);
  });
});
