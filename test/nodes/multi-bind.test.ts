/**
 * Several binds per smpp-gateway (links, bindSplit) in a real Node-RED
 * runtime (in-process harness) against our simulator: the binds the SMSC
 * sees, a burst spread over the links, one link dropped in the middle of a
 * burst (each msg leaves smpp-send once; the gateway stays bound), and
 * separate transmitter and receiver binds with MOs and receipts still in.
 */
import assert from 'node:assert/strict';
import { SmscSimulator } from '../../src/simulator';
import { helper, startSimulator, flow, load, until, collect } from './node-harness';

interface LinkRow {
  index: number;
  mode: string;
  state: string;
  accepted: number;
}

function gw(): any {
  return helper.getNode('gw1');
}

function links(): LinkRow[] {
  return gw().engine.snapshot().links as LinkRow[];
}

// The harness's 500 ms transaction timeout is for tests about timeouts; here a burst of 1,000 on a loaded
// machine may see a submit_sm_resp later than that (a failed send, not what these tests are about).
// Patient timers, in the dialog's order (transaction < heartbeat < receiving).
const PATIENT = { transactionTimeout: 10000, heartbeatInterval: 15000, receiveTimeout: 30000 };
// How long the dropped link stays down: the burst must be all out before it binds again, with room to spare.
const HELD_DOWN_MS = 8000;

describe('smpp-gateway: several links (binds)', function () {
  this.timeout(30000);
  let sim: SmscSimulator | null = null;
  afterEach(async () => {
    await helper.unload();
    await sim?.stop();
    sim = null;
  });

  for (const n of [2, 4]) {
    it(`links ${n}: binds ${n} transceivers to the same account, the SMSC sees ${n} sessions`, async () => {
      sim = await startSimulator({ receipts: 'never' });
      const binds: string[] = [];
      sim.on('bind', (systemId: string, mode: string) => binds.push(`${systemId}/${mode}`));
      await load(flow(sim.port, { ...PATIENT, links: n }));
      await until(() => links().every((l) => l.state === 'bound'), `${n} links bound`);
      assert.equal(gw().engine.state, 'bound');
      assert.equal(links().length, n);
      assert.deepEqual(binds, new Array(n).fill('esme/transceiver'));
      assert.equal(sim.stats().sessions, n);
      assert.deepEqual(gw().engine.snapshot().linksBound, { transceiver: n, transmitter: 0, receiver: 0 });
    });
  }

  it('sends a burst of 1,000 over both links, every msg out once', async () => {
    sim = await startSimulator({ receipts: 'never' });
    await load(flow(sim.port, { ...PATIENT, links: 2, windowSize: 16, sendQueueLength: 2000 }));
    const ok = collect('ok');
    const bad = collect('bad');
    await until(() => links().every((l) => l.state === 'bound'), 'both links bound');
    const s1 = helper.getNode('s1');
    const N = 1000;
    for (let i = 0; i < N; i++) s1.receive({ payload: `burst ${i}`, to: '4670000001', seq: i });
    await until(() => ok.length + bad.length === N, `all ${N} out (now ${ok.length} sent + ${bad.length} failed)`, 20000);
    assert.equal(bad.length, 0, bad[0] && JSON.stringify(bad[0].error));
    assert.equal(new Set(ok.map((m) => m.seq)).size, N);
    assert.equal(sim.stats().submits, N);
    const perLink = links().map((l) => l.accepted);
    assert.equal(perLink[0] + perLink[1], N);
    assert.ok(perLink.every((x) => x > 0), `both links carried messages: ${perLink}`);
    assert.equal(new Set(ok.map((m) => m.smpp.messageId)).size, N, 'each with its own SMSC message id');
  });

  for (const inflightOnDrop of ['fail', 'resend']) {
    it(`one link dropped mid-burst: its work moves to the other, each msg leaves once, the gateway stays bound (inflightOnDrop=${inflightOnDrop})`, async function () {
      this.timeout(60000);
      sim = await startSimulator({ receipts: 'never' });
      // the dropped link stays down HELD_DOWN_MS: the burst can only finish on the other one
      await load(flow(sim.port, { ...PATIENT, links: 2, windowSize: 32, sendQueueLength: 2000, inflightOnDrop, reconnectMin: HELD_DOWN_MS, reconnectMax: HELD_DOWN_MS }));
      const ok = collect('ok');
      const bad = collect('bad');
      const ctl = collect('ctl');
      await until(() => links().every((l) => l.state === 'bound'), 'both links bound');
      const s1 = helper.getNode('s1');
      const N = 1000;
      let dropped: string | null = null;
      sim.on('submit', () => {
        if (!dropped && sim!.stats().submits >= 300) dropped = sim!.dropOneConnection();
      });
      for (let i = 0; i < N; i++) s1.receive({ payload: `burst ${i}`, to: '4670000001', seq: i });
      await until(() => ok.length + bad.length === N, `all ${N} out (now ${ok.length} sent + ${bad.length} failed)`, 20000);
      assert.equal(dropped, 'transceiver', 'one link was dropped mid-burst');
      assert.equal(links().filter((l) => l.state === 'bound').length, 1, 'all out while the dropped link is still down');
      const seen = new Set([...ok, ...bad].map((m) => m.seq));
      assert.equal(seen.size, N, 'each msg left exactly once');
      if (inflightOnDrop === 'resend') assert.equal(bad.length, 0, 'outstanding ones were resent on the other link');
      else assert.ok(bad.every((m) => m.error.status === 'LINK_DOWN'), 'only the outstanding ones failed, as link down');
      assert.ok(bad.length <= 32, `at most one window failed: ${bad.length}`);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(ok.length + bad.length, N, 'and nothing came out twice later');
      assert.equal(gw().engine.inflight, 0);
      assert.equal(gw().engine.queueLength, 0);
      const events = ctl.filter((m) => m.topic === 'state').map((m) => m.payload.event);
      assert.ok(!events.includes('unbound'), `the gateway never went unbound: ${events}`);
      await until(() => links().every((l) => l.state === 'bound'), 'the dropped link bound again', HELD_DOWN_MS + 10000);
      assert.ok(gw().engine.counters.reconnects >= 1);
    });
  }

  it('bindSplit: one bind_transmitter and one bind_receiver; sends, MOs and receipts still flow', async () => {
    sim = await startSimulator({ receipts: 'always' });
    const binds: string[] = [];
    sim.on('bind', (_systemId: string, mode: string) => binds.push(mode));
    await load(flow(sim.port, { ...PATIENT, bindSplit: true }));
    const ok = collect('ok');
    const bad = collect('bad');
    const mo = collect('mo');
    const dlr = collect('dlr');
    await until(() => links().every((l) => l.state === 'bound'), 'both binds up');
    assert.deepEqual(binds.sort(), ['receiver', 'transmitter']);
    assert.deepEqual(links().map((l) => l.mode), ['transmitter', 'receiver']);
    assert.equal(sim.stats().sessions, 2);
    const s1 = helper.getNode('s1');
    for (let i = 0; i < 5; i++) s1.receive({ payload: `split ${i}`, to: '4670000001', correlationId: `c${i}` });
    await until(() => ok.length + bad.length === 5, 'five sent');
    assert.equal(bad.length, 0);
    await until(() => dlr.length === 5, 'five receipts in');
    assert.ok(dlr.every((d) => d.payload.unmatched === false), 'each receipt matched its message');
    assert.deepEqual(dlr.map((d) => d.correlationId).sort(), ['c0', 'c1', 'c2', 'c3', 'c4']);
    assert.equal(await sim.injectMo({ from: '+46701234567', to: '7777', text: 'hello split' }), 0);
    await until(() => mo.length === 1, 'the MO in the flow');
    assert.equal(mo[0].payload, 'hello split');
    const l = links();
    assert.equal(l[0].accepted, 5, 'sent on the transmitter');
    assert.equal(l[1].accepted, 0, 'nothing sent on the receiver');
    const c = gw().engine.counters;
    assert.equal(c.receipts, 5);
    assert.equal(c.mos, 1);
  });
});
