/* smpp-control against the simulator: the state events it emits and the fields of its status snapshot. */
import assert from 'node:assert/strict';
import { helper, startSimulator, flow, load, until, collect, gw, simulatorEachTest } from './node-harness';
import { SmscSimulator } from '../../src/simulator';

const events = (ctl: any[]) => ctl.filter((m) => m.topic === 'state').map((m) => m.payload.event as string);

async function snapshot(ctl: any[]): Promise<any> {
  const before = ctl.filter((m) => m.topic === 'status').length;
  helper.getNode('c1').receive({ payload: 'status' });
  await until(() => ctl.filter((m) => m.topic === 'status').length > before, 'status snapshot');
  return ctl.filter((m) => m.topic === 'status')[before].payload;
}

describe('smpp-control: events and status snapshot', function () {
  this.timeout(30000);
  let sim: SmscSimulator;
  simulatorEachTest((s) => (sim = s), () => sim);

  it('connecting then bound; a dropped link gives unbound, error, reconnecting; bound again when the SMSC is back', async () => {
    const port = sim.port;
    await load(flow(port));
    const ctl = collect('ctl');
    await until(() => gw().engine.state === 'bound', 'bound');
    // (the first connecting and bound may have gone out before collect() was attached)
    await sim.stop();
    await until(() => events(ctl).includes('unbound') && events(ctl).includes('error'), 'unbound and error events');
    const ev = events(ctl);
    const unbound = ev.indexOf('unbound');
    assert.equal(ev.filter((e) => e === 'unbound').length, 1, `one unbound: ${ev.join(',')}`);
    assert.ok(unbound < ev.indexOf('error'), `unbound before error: ${ev.join(',')}`);
    assert.ok(ev.indexOf('reconnecting') > unbound, `reconnecting after unbound: ${ev.join(',')}`);
    assert.ok(!ev.slice(unbound).includes('bound'), 'not bound while the SMSC is away');
    const err = ctl.find((m) => m.payload.event === 'error').payload;
    assert.equal(err.state, 'retrying');
    assert.equal(typeof err.reason, 'string');
    assert.ok(['peer-closed', 'connect-failed', 'socket-error', 'connect-timeout'].includes(err.code), err.code);
    const rec = ctl.find((m) => m.payload.event === 'reconnecting').payload;
    assert.equal(typeof rec.retryInMs, 'number');
    assert.equal(rec.mode, 'transceiver');
    assert.ok(!Number.isNaN(Date.parse(rec.since)), 'since is an ISO time');

    const seen = ctl.length;
    sim = await startSimulator({ port });
    await until(() => ctl.slice(seen).some((m) => m.payload.event === 'bound'), 'bound again');
    const after = events(ctl.slice(seen));
    assert.ok(after.indexOf('connecting') !== -1 && after.indexOf('connecting') < after.indexOf('bound'), after.join(','));
    const snap = await snapshot(ctl);
    assert.ok(snap.counters.reconnects >= 1, 'reconnects counted');
    assert.equal(typeof snap.lastError, 'string');
    assert.ok(!Number.isNaN(Date.parse(snap.lastErrorAt)));
  });

  it('a refused bind gives error with the SMPP status name and reconnecting, and no unbound', async () => {
    await load(flow(sim.port), { gw1: { systemId: 'esme', password: 'wrong' } });
    const ctl = collect('ctl');
    await until(() => ctl.some((m) => m.payload.event === 'error'), 'error event');
    const err = ctl.find((m) => m.payload.event === 'error').payload;
    assert.equal(err.code, 'bind-refused');
    assert.match(err.status, /^ESME_R/);
    await until(() => events(ctl).includes('reconnecting'), 'reconnecting');
    assert.ok(!events(ctl).includes('unbound'), 'never bound, so never unbound');
    assert.ok(!events(ctl).includes('bound'));
  });

  it('disconnect gives unbound (state stopped); connect gives connecting, bound', async () => {
    await load(flow(sim.port));
    const ctl = collect('ctl');
    await until(() => gw().engine.state === 'bound', 'bound');
    helper.getNode('c1').receive({ topic: 'disconnect' });
    await until(() => events(ctl).includes('unbound'), 'unbound');
    const un = ctl.find((m) => m.payload.event === 'unbound').payload;
    assert.equal(un.state, 'stopped');
    assert.match(un.reason, /operator/);
    assert.ok(!events(ctl).includes('error'), 'an operator disconnect is not an error');
    const seen = ctl.length;
    helper.getNode('c1').receive({ topic: 'connect' });
    await until(() => events(ctl.slice(seen)).includes('bound'), 'bound');
    assert.deepEqual(events(ctl.slice(seen)), ['connecting', 'bound']);
  });

  it('throttled once when the SMSC throttles, then the message goes through', async () => {
    await load(flow(sim.port, { resendWait: 100 }));
    const ctl = collect('ctl');
    const ok = collect('ok');
    await until(() => gw().engine.state === 'bound', 'bound');
    sim.setFailure({ kind: 'throttle', everyN: 1 });
    helper.getNode('s1').receive({ payload: 'hello', to: '46700000001' });
    await until(() => events(ctl).includes('throttled'), 'throttled event');
    const th = ctl.find((m) => m.payload.event === 'throttled').payload;
    assert.equal(th.status, 'ESME_RTHROTTLED');
    assert.equal(typeof th.pauseMs, 'number');
    assert.equal(th.state, 'bound');
    sim.setFailure({ kind: 'none' });
    await until(() => ok.length === 1, 'accepted after the pause', 10000);
    const snap = await snapshot(ctl);
    assert.ok(snap.counters.throttledResponses >= 1);
    assert.equal(snap.counters.accepted, 1);
  });

  it('events off: no state messages, but status still answers', async () => {
    const f = flow(sim.port);
    (f.find((n) => n.id === 'c1') as Record<string, unknown>).events = false;
    await load(f);
    const ctl = collect('ctl');
    await until(() => gw().engine.state === 'bound', 'bound');
    helper.getNode('c1').receive({ topic: 'rebuild' });
    await until(() => gw().engine.counters.binds >= 2, 'bound again after rebuild');
    const snap = await snapshot(ctl);
    assert.equal(snap.state, 'bound');
    assert.equal(ctl.filter((m) => m.topic === 'state').length, 0);
  });

  it('status: state, mode, since, window, queue, rates, counters by status name, receipts, MOs, last error', async () => {
    await load(flow(sim.port));
    const ctl = collect('ctl');
    const ok = collect('ok');
    const bad = collect('bad');
    const dlr = collect('dlr');
    const mo = collect('mo');
    await until(() => gw().engine.state === 'bound', 'bound');
    const s1 = helper.getNode('s1');
    for (let i = 0; i < 3; i++) s1.receive({ payload: `hello ${i}`, to: '46700000001' });
    await until(() => ok.length === 3 && dlr.length === 3, '3 accepted and their receipts');
    sim.setFailure({ kind: 'reject', status: 0x0b });
    s1.receive({ payload: 'to a bad number', to: '46700000002' });
    await until(() => bad.length === 1, 'the rejected one');
    sim.setFailure({ kind: 'none' });
    await sim.injectMo({ from: '46700000009', to: '12345', text: 'hi there' });
    await until(() => mo.length === 1, 'the MO');

    const snap = await snapshot(ctl);
    assert.equal(snap.state, 'bound');
    assert.equal(snap.mode, 'transceiver');
    assert.ok(!Number.isNaN(Date.parse(snap.since)), 'since is an ISO time');
    assert.deepEqual(snap.window, { inUse: 0, size: 16 });
    assert.equal(snap.queue.depth, 0);
    assert.equal(typeof snap.queue.size, 'number');
    assert.equal(snap.counters.submitted, 4);
    assert.equal(snap.counters.accepted, 3);
    assert.equal(snap.counters.failed, 1);
    assert.deepEqual(snap.counters.failedByStatus, { ESME_RINVDSTADR: 1 });
    assert.equal(snap.counters.receipts, 3);
    assert.equal(snap.counters.mos, 1);
    assert.equal(snap.counters.reconnects, 0);
    assert.equal(snap.counters.errorPackets, 0);
    assert.match(snap.lastError, /ESME_RINVDSTADR/);
    // 4 requests written and 4 PDUs received (3 receipts, 1 MO), over a 10 s window
    assert.equal(snap.rates.overSeconds, 10);
    assert.ok(snap.rates.sendPerSecond > 0 && snap.rates.sendPerSecond <= 0.4, `send rate ${snap.rates.sendPerSecond}`);
    assert.ok(snap.rates.receivePerSecond > 0 && snap.rates.receivePerSecond <= 0.4, `receive rate ${snap.rates.receivePerSecond}`);
    assert.equal(typeof snap.correlation.pending, 'number');
    // the one MO was a single message: no parts held, nothing refused
    assert.deepEqual(
      { parts: snap.mo.moParts, held: snap.mo.moHeldGroups, refused: snap.mo.moRefusedPrefix },
      { parts: 0, held: 0, refused: 0 },
    );

    // a PDU with a command_id SMPP does not know counts as an error packet
    const unknown = Buffer.alloc(16);
    unknown.writeUInt32BE(16, 0);
    unknown.writeUInt32BE(0x00000fff, 4);
    unknown.writeUInt32BE(77, 12);
    sim.injectRaw(unknown);
    await until(() => gw().engine.counters.errorPackets === 1, 'error packet counted');
    const snap2 = await snapshot(ctl);
    assert.equal(snap2.counters.errorPackets, 1);
    assert.equal(snap2.state, 'bound', 'one bad PDU does not drop the link');
  });

  it('refuses an unknown command: an error (for Catch nodes), no output, the link untouched', async () => {
    await load(flow(sim.port));
    const ctl = collect('ctl');
    await until(() => gw().engine.state === 'bound', 'bound');
    const c1 = helper.getNode('c1');
    const errors: unknown[] = [];
    c1.on('call:error', (call: any) => errors.push(call.args[0]));
    const seen = ctl.length;
    c1.receive({ payload: 'reboot' });
    await until(() => errors.length === 1, 'error');
    // the helper runtime has no catalogs: the message is the catalog key, with the command substituted in Node-RED proper
    assert.match(String((errors[0] as Error).message ?? errors[0]), /unknownCommand/);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(ctl.length, seen, 'nothing sent');
    assert.equal(gw().engine.counters.binds, 1);
  });
});
