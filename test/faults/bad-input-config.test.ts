/**
 * Bad configuration tables, in a real Node-RED runtime with the en-US
 * catalogs (flows can arrive by import or the Admin API without passing the
 * editor's checks):
 * - smpp-gateway: each wrong setting gives a logged error and a red status
 *   naming the parameter, no connection attempt, smpp-send fails each msg on
 *   its failure output and to a Catch node; a second, good gateway in the
 *   same runtime keeps working.
 * - smpp-receive / smpp-dlr: a filter the node cannot read, or a gateway
 *   reference to something that is not an smpp-gateway, gives a logged error
 *   and a red status naming the setting; the other nodes keep working.
 * (The pure parsing is table-tested in test/unit/config-gateway.test.ts; the
 * transactionTimeout >= heartbeatInterval case is in test/nodes.)
 */
import assert from 'node:assert/strict';
import { SmscSimulator } from '../../src/simulator';
import { helper, startSimulator, flow, until, collect } from '../nodes/node-harness';
import { loadEnglish } from './english-nodes';
import { detailOf } from '../../nodes/gateway-status';

/** What was logged at error level for a node (a node's constructor runs before a test can spy on it). */
function loggedErrors(id: string): string[] {
  const spy = helper.log();
  return spy.args.filter((a: any[]) => a[0]?.level === spy.ERROR && a[0]?.id === id).map((a: any[]) => String(a[0].msg));
}

/** gw1 (bad) with s1 -> ok/bad and a Catch; gw2 (good) with s2 -> ok2. */
function twoGateways(port: number, bad: Record<string, unknown>) {
  const f = flow(port, bad) as any[];
  f.push(
    { id: 'gw2', type: 'smpp-gateway', name: 'good gw', host: '127.0.0.1', port, heartbeatInterval: 1000, transactionTimeout: 500, receiveTimeout: 5000, reconnectMin: 50, reconnectMax: 400 },
    { id: 's2', type: 'smpp-send', gateway: 'gw2', wires: [['ok2'], ['bad2']] },
    { id: 'ok2', type: 'helper' },
    { id: 'bad2', type: 'helper' },
    // s1 reports failures on its wired output 2; s1c, output 2 unwired, to the Catch node (one report each)
    { id: 's1c', type: 'smpp-send', gateway: 'gw1', wires: [['ok'], []] },
    { id: 'catch1', type: 'catch', scope: ['s1', 's1c'], uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  );
  return f;
}

const CREDS2 = { gw1: { systemId: 'esme', password: 'secret1' }, gw2: { systemId: 'esme', password: 'secret1' } };

const GATEWAY_ROWS: { name: string; set: Record<string, unknown>; error: RegExp }[] = [
  { name: 'host with a space', set: { host: 'smsc host' }, error: /^host \(SMG Address\) must be a host name or an IP address; got "smsc host"$/ },
  { name: 'host with a NUL', set: { host: 'smsc\u0000.example' }, error: /^host \(SMG Address\) must be a host name or an IP address/ },
  { name: 'port with letters', set: { port: '2775abc' }, error: /^port \(SMG Port\) must be a whole number from 1 to 65535; got "2775abc"$/ },
  { name: 'port -1', set: { port: -1 }, error: /^port \(SMG Port\) must be a whole number from 1 to 65535; got -1$/ },
  { name: 'windowSize a fraction', set: { windowSize: '16.5' }, error: /^windowSize \(Sliding Window Size\) must be a whole number from 10 to 99999; got "16\.5"$/ },
  { name: 'heartbeatInterval an object', set: { heartbeatInterval: { ms: 1000 } }, error: /^heartbeatInterval \(Heartbeat Interval\(ms\)\) must be a whole number/ },
  { name: 'transactionTimeout NaN', set: { transactionTimeout: 'NaN' }, error: /^transactionTimeout \(Transaction Timeout Interval\(ms\)\) must be a whole number/ },
  { name: 'bindMode in capitals', set: { bindMode: 'TRANSCEIVER' }, error: /^bindMode \(Receiving And Sending Mode\) must be one of transceiver, receiver, transmitter; got "TRANSCEIVER"$/ },
  { name: 'tls "yes"', set: { tls: 'yes' }, error: /^tls must be true or false; got "yes"$/ },
  { name: 'maxMessageLength 15', set: { maxMessageLength: 15 }, error: /^maxMessageLength \(Max Message Length \(bytes\)\) must be a whole number from 16/ },
  { name: 'registeredDelivery 3', set: { registeredDelivery: '3' }, error: /^registeredDelivery \(Return Status Confirmation Report\) must be one of 0, 1, 2; got "3"$/ },
  { name: 'defaultSenderId of 21 characters', set: { defaultSenderId: 'S'.repeat(21) }, error: /^defaultSenderId \(Default sender ID\) is 21 characters; at most 20 are allowed$/ },
  { name: 'reconnectMin above reconnectMax', set: { reconnectMin: 5000, reconnectMax: 1000 }, error: /^reconnectMin must not exceed reconnectMax$/ },
  { name: 'interfaceVersion 256', set: { interfaceVersion: 256 }, error: /^interfaceVersion must be a whole number from 0 to 255; got 256$/ },
];

describe('bad input: smpp-gateway configuration', function () {
  this.timeout(30_000);
  let sim: SmscSimulator;
  before(async () => {
    sim = await startSimulator({ receipts: 'never' });
  });
  afterEach(async () => {
    await helper.unload();
  });
  after(async () => {
    await sim.stop();
  });

  for (const row of GATEWAY_ROWS) {
    it(row.name, async () => {
      const before = sim.stats();
      await loadEnglish(twoGateways(sim.port, row.set), CREDS2);
      const [ok, bad, caught, ok2] = [collect('ok'), collect('bad'), collect('caught'), collect('ok2')];
      const gw1 = helper.getNode('gw1');
      assert.equal(gw1.engine, null, 'no engine for a bad configuration');
      assert.ok(gw1.configErrors.some((e: string) => row.error.test(e)), gw1.configErrors.join(' | '));
      const st = gw1.currentStatus();
      assert.equal(st.fill, 'red');
      assert.match(st.text, /:smpp-gateway\.canvas\.badconfig$/);
      // inside a longer text (several errors are joined with '; ')
      const within = new RegExp(row.error.source.replace(/^\^/, '').replace(/\$$/, ''));
      assert.ok(loggedErrors('gw1').some((e) => e.startsWith('smpp-gateway test gw: ') && within.test(e)), `logged: ${loggedErrors('gw1').join(' | ')}`);

      // smpp-send on the bad gateway: the failure output (wired) or else the Catch node, naming the parameter
      const msg: Record<string, unknown> = { payload: 'hi', to: '4670000001' };
      helper.getNode('s1').receive(msg);
      const msgC: Record<string, unknown> = { payload: 'hi', to: '4670000001' };
      helper.getNode('s1c').receive(msgC);
      await until(() => bad.length === 1 && caught.length === 1, 'the failure output and the Catch node', 3000);
      assert.match(bad[0].error.message, /^the smpp-gateway configuration is invalid: /);
      assert.match(bad[0].error.message, within);
      assert.equal(caught[0]._msgid, msgC._msgid, 'the Catch node got the msg of the node whose failure output is unwired, not the other');
      assert.equal(ok.length, 0);

      // the good gateway in the same runtime keeps working
      await until(() => helper.getNode('gw2').engine.state === 'bound', 'the good gateway bound');
      helper.getNode('s2').receive({ payload: 'hi', to: '4670000001' });
      await until(() => ok2.length === 1, 'the good gateway sends');
      const after = sim.stats();
      assert.equal(after.binds - before.binds, 1, 'only the good gateway connected');
      assert.equal(after.bindFailures, before.bindFailures);
    });
  }

  it('no System ID in the credentials: the SMSC refuses the bind and the status says ESME_RINVSYSID', async () => {
    await loadEnglish(twoGateways(sim.port, {}), { gw1: { password: 'secret1' }, gw2: { systemId: 'esme', password: 'secret1' } });
    const gw1 = helper.getNode('gw1');
    await until(() => gw1.engine.state === 'retrying', 'refused');
    assert.equal(gw1.engine.stateEvent.status, 'ESME_RINVSYSID');
    assert.match(gw1.currentStatus().text, /:smpp-gateway\.canvas\.refusedLogin$/);
    assert.match(detailOf(gw1.engine.stateEvent), /^retry in \d+ s: ESME_RINVSYSID$/);
    await until(() => helper.getNode('gw2').engine.state === 'bound', 'the good gateway bound');
  });
});

describe('bad input: smpp-receive and smpp-dlr configuration', function () {
  this.timeout(20_000);
  let sim: SmscSimulator;
  before(async () => {
    sim = await startSimulator({ receipts: 'never' });
  });
  afterEach(async () => {
    await helper.unload();
  });
  after(async () => {
    await sim.stop();
  });

  const RECEIVE_ROWS: { name: string; node: Record<string, unknown>; error: RegExp; status: RegExp }[] = [
    { name: 'receive: To prefix with letters', node: { type: 'smpp-receive', filterTo: 'abc' }, error: /^smpp-receive: filterTo "abc": Digits only, several prefixes separated by ;$/, status: /^To prefix: Digits only, several prefixes separated by ;$/ },
    { name: 'receive: To prefix with spaces inside', node: { type: 'smpp-receive', filterTo: '123 456' }, error: /^smpp-receive: filterTo "123 456": Digits only/, status: /^To prefix: Digits only/ },
    { name: 'receive: To prefix with an empty entry', node: { type: 'smpp-receive', filterTo: '123;;456' }, error: /^smpp-receive: filterTo "123;;456": Digits only/, status: /^To prefix: Digits only/ },
    { name: 'receive: keyword of two words', node: { type: 'smpp-receive', filterKeyword: 'two words' }, error: /^smpp-receive: filterKeyword "two words": One word, without spaces$/, status: /^Keyword: One word, without spaces$/ },
    { name: 'receive: gateway is an smpp-send node', node: { type: 'smpp-receive', gateway: 's1' }, error: /^smpp-receive: gateway "s1" is not an smpp-gateway \(it is a smpp-send node\)$/, status: /^node-red-contrib-smpp-gateway\/smpp-receive:smpp-receive\.errors\.nogateway$/ },
    { name: 'dlr: gateway is a helper node', node: { type: 'smpp-dlr', gateway: 'ok' }, error: /^smpp-dlr: gateway "ok" is not an smpp-gateway \(it is a helper node\)$/, status: /^node-red-contrib-smpp-gateway\/smpp-dlr:smpp-dlr\.errors\.nogateway$/ },
    { name: 'control: gateway is an smpp-receive node', node: { type: 'smpp-control', gateway: 'r1' }, error: /^smpp-control: gateway "r1" is not an smpp-gateway \(it is a smpp-receive node\)$/, status: /^node-red-contrib-smpp-gateway\/smpp-control:smpp-control\.errors\.nogateway$/ },
  ];

  for (const row of RECEIVE_ROWS) {
    it(row.name, async () => {
      const f = flow(sim.port) as any[];
      f.push({ id: 'x1', gateway: 'gw1', wires: [['xout']], ...row.node }, { id: 'xout', type: 'helper' });
      await loadEnglish(f);
      const mo = collect('mo');
      const xout = collect('xout');
      const x1 = helper.getNode('x1');
      assert.ok(x1, 'the node exists (its constructor did not throw)');
      assert.ok(loggedErrors('x1').some((e) => row.error.test(e)), `logged: ${loggedErrors('x1').join(' | ')}`);
      await until(() => helper.getNode('gw1').engine.state === 'bound', 'bound');
      // its red status names the setting, and the gateway's status changes do not paint over it
      // (the helper's status spy is shared by every node: take this node's own calls)
      const st = await new Promise<any>((resolve) => setTimeout(() => resolve(x1.status.getCalls().filter((c: any) => c.thisValue === x1).pop()?.args[0]), 50));
      assert.equal(st?.fill, 'red', JSON.stringify(st));
      assert.match(st.text, row.status);
      // the rest keeps working: the good smpp-receive r1 gets an MO, a send goes through
      assert.equal(await sim.injectMo({ from: '+4670000002', to: '12345', text: 'still here' }), 0);
      assert.equal(mo.length, 1);
      assert.equal(xout.length, 0, 'the misconfigured node takes nothing');
      const ok = collect('ok');
      helper.getNode('s1').receive({ payload: 'hi', to: '4670000001' });
      await until(() => ok.length === 1, 'a send through the same gateway');
    });
  }

  it('receive: the only receive node is misconfigured: MOs get ESME_RTHROTTLED (the SMSC keeps them), not a permanent refusal', async () => {
    const f = (flow(sim.port) as any[]).filter((n) => n.id !== 'r1');
    f.push({ id: 'x1', type: 'smpp-receive', gateway: 'gw1', filterTo: 'abc', wires: [['xout']] }, { id: 'xout', type: 'helper' });
    await loadEnglish(f);
    await until(() => helper.getNode('gw1').engine.state === 'bound', 'bound');
    assert.equal(await sim.injectMo({ from: '+4670000002', to: '12345', text: 'kept' }), 0x58);
  });
});
