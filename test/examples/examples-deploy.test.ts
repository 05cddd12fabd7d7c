/**
 * Every examples/*.json in a real Node-RED 4.1 (child process, this package
 * in its user dir) against our simulator: each deploys without errors, its
 * gateway binds, and each recipe's main path works once.
 *
 * The examples point at the built-in simulator's settings (127.0.0.1:2775,
 * no credentials in the file); the test moves the port to its own simulator,
 * which runs in the open-account mode `npm start` uses (--accept-any): the
 * examples bind as imported, nobody types a credential.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { PDU } from 'smpp';
import { SmscSimulator } from '../../src/simulator';
import { RedProcess, ROOT, until } from '../package/red-process';

type FlowNode = Record<string, any>;

const EXAMPLES = path.join(ROOT, 'examples');
const FILES = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')).sort();
/** the examples, by their titles */
export const EX = {
  first: 'Send and receive with delivery reports.json',
  ivr: 'IVR SMS step.json',
  otp: 'One-time password with send and wait.json',
  keyword: 'Keyword auto-reply to incoming SMS.json',
  monitoring: 'Gateway monitoring.json',
};
const SMPP_CLIENTS = ['smpp-send', 'smpp-receive', 'smpp-dlr', 'smpp-control'];

function read(file: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
}

/** The text of a submit_sm as the smpp package decodes it. */
function textOf(pdu: PDU): string {
  const sm = (pdu as any).short_message;
  if (typeof sm === 'string') return sm;
  if (sm && typeof sm.message === 'string') return sm.message;
  if (Buffer.isBuffer(sm?.message)) return sm.message.toString('latin1');
  return '';
}

describe('examples: each deploys in Node-RED, binds to the simulator and its main path works', function () {
  this.timeout(240000);
  let red: RedProcess;
  let sim: SmscSimulator;
  let generation = 0;
  const submits: PDU[] = [];

  before(async () => {
    sim = new SmscSimulator({ port: 0, accounts: [], receiptDelayMs: 50 });
    sim.on('submit', (pdu: PDU) => submits.push(pdu));
    await sim.start();
    red = new RedProcess();
    await red.start([]);
  });

  after(async () => {
    await red?.stop();
    await sim?.stop();
  });

  /**
   * Deploys one example with the simulator's port, the credentials, and probes
   * on its tab: a status node and a catch node (scope: the whole tab) that
   * record into global context, read back at GET /test-probe-<generation>.
   */
  async function deploy(file: string, tweak?: (nodes: FlowNode[]) => void): Promise<{ nodes: FlowNode[]; probe: () => Promise<any>; logFrom: number }> {
    const nodes = read(file);
    const tab = nodes.find((n) => n.type === 'tab');
    assert.ok(tab, `${file} has a tab`);
    for (const g of nodes.filter((n) => n.type === 'smpp-gateway')) {
      assert.equal(g.host, '127.0.0.1', `${file}: the simulator's host`);
      assert.equal(String(g.port), '2775', `${file}: the simulator's port`);
      g.port = String(sim.port);
    }
    const gen = ++generation;
    const key = `probe${gen}`;
    const z = tab.id;
    const record = (what: string) =>
      `const p = global.get('${key}') || { statuses: {}, errors: [], alarms: [] }; ${what}; global.set('${key}', p); return null;`;
    nodes.push(
      { id: `pst${gen}`, type: 'status', z, scope: null, wires: [[`pfs${gen}`]] },
      { id: `pfs${gen}`, type: 'function', z, func: record('p.statuses[msg.status.source.id] = msg.status.text'), outputs: 1, wires: [[]] },
      { id: `pca${gen}`, type: 'catch', z, scope: null, uncaught: false, wires: [[`pfc${gen}`]] },
      { id: `pfc${gen}`, type: 'function', z, func: record('p.errors.push(msg.error)'), outputs: 1, wires: [[]] },
      { id: `pfa${gen}`, type: 'function', z, func: record('p.alarms.push(msg.payload)'), outputs: 1, wires: [[]] },
      { id: `phi${gen}`, type: 'http in', z, url: `/test-probe-${gen}`, method: 'get', wires: [[`pfr${gen}`]] },
      { id: `pfr${gen}`, type: 'function', z, func: `msg.payload = global.get('${key}') || { statuses: {}, errors: [], alarms: [] }; return msg;`, outputs: 1, wires: [[`pho${gen}`]] },
      { id: `pho${gen}`, type: 'http response', z, wires: [] },
    );
    tweak?.(nodes);
    const logFrom = red.log.length;
    await red.deploy(nodes);
    const probe = async () => JSON.parse((await red.get(`/test-probe-${gen}`)).text);
    return { nodes, probe, logFrom };
  }

  /** Waits until every smpp client node of the example shows "bound". */
  async function bound(nodes: FlowNode[], probe: () => Promise<any>): Promise<void> {
    const clients = nodes.filter((n) => SMPP_CLIENTS.includes(n.type)).map((n) => n.id);
    assert.ok(clients.length > 0);
    await until(async () => {
      const p = await probe();
      return clients.every((id) => /:smpp-gateway\.canvas\.bound$/.test(p.statuses[id] ?? '')) ? true : undefined;
    }, 'every smpp node to show "bound as trx"', 20000);
  }

  function errorsInLog(from: number): string[] {
    return red.log.slice(from).split('\n').filter((l) => /\[error\]/.test(l));
  }

  async function httpJson(method: string, p: string, body?: unknown): Promise<{ status: number; json: any }> {
    const res = await fetch(`${red.url}${p}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30000),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  }

  it('ships the first example and the four recipes, named as titles, without credentials, sharing one gateway', () => {
    assert.deepEqual(FILES, [EX.monitoring, EX.ivr, EX.keyword, EX.otp, EX.first]);
    for (const f of FILES) {
      const tab = read(f).find((n) => n.type === 'tab');
      assert.equal(`${tab?.label}.json`, f, `${f}: the tab label is the title`);
      assert.match(f, /^[A-Z][A-Za-z-]*( [A-Za-z-]+)*\.json$/, `${f}: reads as a title`);
    }
    // one gateway config node, the same id and settings in every example: importing several gives one link
    const gateways = FILES.map((f) => read(f).filter((n) => n.type === 'smpp-gateway'));
    for (const g of gateways) assert.equal(g.length, 1);
    for (const g of gateways) assert.deepEqual(g[0], gateways[0][0]);
    for (const f of FILES) {
      const text = fs.readFileSync(path.join(EXAMPLES, f), 'utf8');
      const nodes = JSON.parse(text) as FlowNode[];
      assert.ok(!nodes.some((n) => 'credentials' in n), `${f}: no credentials`);
      assert.ok(!/"(systemId|password)"\s*:/.test(text), `${f}: no system id or password`);
      assert.ok(!/test \/ test|test:test/.test(text), `${f}: no word of the simulator's old test / test account`);
      const ids = nodes.map((n) => n.id);
      assert.equal(new Set(ids).size, ids.length, `${f}: unique ids`);
      assert.ok(nodes.some((n) => n.type === 'comment' && /no login needed/.test(n.name) && /--accept-any/.test(n.info) && /Login Name/.test(n.info)), `${f}: a comment says it runs as imported, and where a real SMSC's credentials go`);
    }
    // together the examples use every node (the Flow Library asks for that)
    const types = new Set(FILES.flatMap((f) => read(f).map((n) => n.type)));
    for (const t of ['smpp-gateway', ...SMPP_CLIENTS]) assert.ok(types.has(t), `an example uses ${t}`);
    // no two examples share an id but the gateway's, nor an HTTP endpoint (they can be imported side by side)
    const all = FILES.flatMap((f) => read(f).filter((n) => n.type !== 'smpp-gateway').map((n) => n.id));
    assert.equal(new Set(all).size, all.length);
    const urls = FILES.flatMap((f) => read(f).filter((n) => n.type === 'http in').map((n) => `${n.method} ${n.url}`));
    assert.equal(new Set(urls).size, urls.length);
  });

  for (const file of FILES) {
    it(`${file}: deploys without errors and binds`, async () => {
      const binds = sim.stats().binds;
      const { nodes, probe, logFrom } = await deploy(file);
      await bound(nodes, probe);
      assert.ok(sim.stats().binds > binds, 'a new bind at the simulator');
      // let the flow run a moment (injects with onceDelay, timers) before looking for errors
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepEqual(errorsInLog(logFrom), [], red.log.slice(logFrom));
      assert.deepEqual((await probe()).errors, []);
    });
  }

  it('02 IVR SMS step: the IVR gets a message id, then its delivery state', async () => {
    const { nodes, probe, logFrom } = await deploy(EX.ivr);
    await bound(nodes, probe);
    const before = submits.length;
    const sent = await httpJson('GET', '/ivr/sms?caller=%2B46700000001&template=hours&callId=call-1');
    assert.equal(sent.status, 200, JSON.stringify(sent.json));
    assert.equal(typeof sent.json.messageId, 'string');
    assert.ok(sent.json.messageId.length > 0);
    assert.equal(sent.json.parts, 1);
    const pdu = submits.slice(before).find((p) => (p as any).destination_addr === '46700000001');
    assert.ok(pdu, 'the SMSC got the SMS for the caller');
    assert.match(textOf(pdu), /open Monday to Friday/);
    const state = await until(async () => {
      const r = await httpJson('GET', `/ivr/sms/${encodeURIComponent(sent.json.messageId)}`);
      return r.status === 200 && r.json.final ? r.json : undefined;
    }, 'the delivery state', 15000);
    assert.equal(state.state, 'DELIVERED');
    assert.equal(state.delivered, true);
    assert.equal((await httpJson('GET', '/ivr/sms?caller=%2B46700000001&template=nope')).status, 400);
    assert.equal((await httpJson('GET', '/ivr/sms?caller=abc&template=hours')).status, 400);
    assert.equal((await httpJson('GET', '/ivr/sms/no-such-id')).status, 404);
    assert.deepEqual(errorsInLog(logFrom), []);
  });

  it('03 OTP: the code is delivered (send-and-wait), verifies once; a refused SMS takes the fallback branch', async () => {
    const { nodes, probe } = await deploy(EX.otp);
    await bound(nodes, probe);
    const before = submits.length;
    const r = await httpJson('POST', '/otp', { to: '+46700000002' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.status, 'delivered');
    assert.equal(typeof r.json.messageId, 'string');
    const pdu = submits.slice(before).find((p) => (p as any).destination_addr === '46700000002');
    assert.ok(pdu);
    assert.equal((pdu as any).registered_delivery & 0x03, 1, 'send-and-wait asked for a delivery report');
    const code = /code is (\d{6})/.exec(textOf(pdu))?.[1];
    assert.ok(code, textOf(pdu));
    assert.deepEqual((await httpJson('POST', '/otp/verify', { to: '+46700000002', code: '000000' === code ? '111111' : '000000' })).json, { valid: false });
    assert.deepEqual((await httpJson('POST', '/otp/verify', { to: '+46700000002', code })).json, { valid: true });
    assert.deepEqual((await httpJson('POST', '/otp/verify', { to: '+46700000002', code })).json, { valid: false }, 'once only');

    sim.setFailure({ kind: 'reject', status: 0x0b });
    try {
      const f = await httpJson('POST', '/otp', { to: '+46700000003' });
      assert.equal(f.status, 200);
      assert.equal(f.json.status, 'fallback');
      assert.equal(f.json.reason, 'ESME_RINVDSTADR');
    } finally {
      sim.setFailure({ kind: 'none' });
    }
  });

  it('04 MO keyword auto-reply: an MO starting with the keyword gets a reply to its sender; others do not', async () => {
    const { nodes, probe, logFrom } = await deploy(EX.keyword);
    await bound(nodes, probe);
    const before = submits.length;
    const status = await sim.injectMo({ from: '46700000004', to: '12345', text: 'hello there' });
    assert.equal(status, 0, 'the gateway took the MO');
    const reply = await until(async () => submits.slice(before).find((p) => (p as any).destination_addr === '46700000004'), 'the reply submit_sm', 10000);
    assert.equal((reply as any).source_addr, '12345', 'sent from the number the MO was sent to');
    assert.match(textOf(reply), /Hello from ACME/);

    const other = await sim.injectMo({ from: '46700000005', to: '12345', text: 'something else' });
    assert.notEqual(other, 0, 'no node took an MO without the keyword');
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!submits.slice(before).some((p) => (p as any).destination_addr === '46700000005'), 'no reply to it');
    assert.deepEqual(errorsInLog(logFrom), []);
  });

  it('05 gateway monitoring: the alarm fires when the link stays down (trigger time shortened to 1 s)', async () => {
    const { nodes, probe } = await deploy(EX.monitoring, (ns) => {
      const trigger = ns.find((n) => n.type === 'trigger');
      assert.ok(trigger);
      trigger.duration = '1';
      const alarm = ns.find((n) => n.type === 'function' && n.name === 'ALARM');
      assert.ok(alarm, 'the ALARM node');
      alarm.wires[0].push(`pfa${generation}`);
    });
    await bound(nodes, probe);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual((await probe()).alarms, [], 'no alarm while bound');
    await sim.stop();
    const alarms = await until(async () => {
      const p = await probe();
      return p.alarms.length > 0 ? p.alarms : undefined;
    }, 'the alarm', 20000);
    assert.match(alarms[0].alarm, /SMPP link down/);
    assert.match(alarms[0].lastEvent, /^(unbound|error|reconnecting)$/);
  });
});
