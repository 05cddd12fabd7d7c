import assert from 'node:assert/strict';
import { SmscSimulator } from '../../src/simulator';
import { helper, startSimulator, flow, load, until, collect, gw, simulatorEachTest } from './node-harness';

describe('nodes against the simulator', function () {
  this.timeout(15000);
  let sim: SmscSimulator;
  simulatorEachTest((s) => (sim = s), () => sim);

  for (const mode of ['transceiver', 'transmitter', 'receiver']) {
    it(`binds as ${mode} and shows a green status`, async () => {
      await load(flow(sim.port, { bindMode: mode }));
      await until(() => gw().engine.state === 'bound', 'bound');
      assert.equal(gw().engine.stateEvent.mode, mode);
      assert.equal(sim.stats().binds, 1);
      const st = gw().currentStatus();
      assert.equal(st.fill, 'green');
      assert.equal(st.shape, 'dot');
    });
  }

  it('sends an SMS, outputs it with its message id, and matches the delivery report to it', async () => {
    await load(flow(sim.port));
    const ok = collect('ok');
    const dlr = collect('dlr');
    await until(() => gw().engine.state === 'bound', 'bound');
    helper.getNode('s1').receive({ payload: 'Your code is 1234', to: '+4670000001', from: 'ACME', correlationId: 'call-42' });
    await until(() => ok.length === 1, 'sent output');
    assert.match(ok[0].smpp.messageId, /^[0-9a-f]+$/);
    assert.deepEqual(ok[0].smpp.messageIds, [ok[0].smpp.messageId]);
    assert.equal(ok[0].smpp.parts, 1);
    assert.equal(ok[0].smpp.dataCoding, 0);
    await until(() => dlr.length === 1, 'delivery report');
    assert.equal(dlr[0].payload.messageId.toLowerCase(), ok[0].smpp.messageId.toLowerCase());
    assert.equal(dlr[0].payload.state, 'DELIVERED');
    assert.equal(dlr[0].payload.delivered, true);
    assert.equal(dlr[0].payload.unmatched, false);
    assert.equal(dlr[0].sent.correlationId, 'call-42');
  });

  it('sends a long text as a concatenated message and folds the parts\' reports into one', async () => {
    await load(flow(sim.port));
    const ok = collect('ok');
    const dlr = collect('dlr');
    await until(() => gw().engine.state === 'bound', 'bound');
    helper.getNode('s1').receive({ payload: 'x'.repeat(300), to: '4670000002', correlationId: 'long' });
    await until(() => ok.length === 1, 'sent output');
    assert.equal(ok[0].smpp.parts, 2);
    assert.equal(new Set(ok[0].smpp.messageIds).size, 2);
    await until(() => dlr.length === 1, 'one folded report');
    assert.equal(dlr[0].payload.state, 'DELIVERED');
    assert.equal(dlr[0].payload.parts.length, 2);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(dlr.length, 1, 'the parts were folded into one report');
  });

  it('puts bad input on the failure output with an error naming the field, and keeps working', async () => {
    await load(flow(sim.port));
    const ok = collect('ok');
    const bad = collect('bad');
    await until(() => gw().engine.state === 'bound', 'bound');
    const s1 = helper.getNode('s1');
    s1.receive({ payload: 'hi' });
    s1.receive({ payload: 42, to: '123456789' });
    s1.receive({ payload: 'hi', to: '12ab' });
    s1.receive({ payload: 'hi', to: '123456789', smpp: { priority_flag: 9 } });
    s1.receive({ payload: 'hi', to: '123456789', smpp: { nonsense: 1 } });
    s1.receive({ payload: 'hi', to: '123456789' });
    await until(() => bad.length === 5 && ok.length === 1, 'five failures and one success');
    assert.match(bad[0].error.message, /msg\.to is missing/);
    assert.match(bad[1].error.message, /msg\.payload must be a string or a Buffer/);
    assert.match(bad[2].error.message, /msg\.to "12ab" is not a phone number/);
    assert.match(bad[3].error.message, /msg\.smpp\.priority_flag/);
    assert.match(bad[4].error.message, /msg\.smpp\.nonsense is not an SMPP field/);
    for (const b of bad) {
      assert.equal(b.error.status, 'INVALID');
      assert.equal(b.error.retriable, false);
    }
  });

  it('reports an SMSC refusal with its status name on the failure output', async () => {
    await load(flow(sim.port));
    const bad = collect('bad');
    await until(() => gw().engine.state === 'bound', 'bound');
    sim.setFailure({ kind: 'reject', status: 0x0b });
    helper.getNode('s1').receive({ payload: 'hi', to: '123456789' });
    await until(() => bad.length === 1, 'failure');
    assert.equal(bad[0].error.status, 'ESME_RINVDSTADR');
    assert.equal(bad[0].error.code, 0x0b);
    assert.equal(bad[0].error.retriable, false);
  });

  it('receives an MO, decoded, and acknowledges it only after it is in the flow', async () => {
    await load(flow(sim.port));
    const mo = collect('mo');
    await until(() => gw().engine.state === 'bound', 'bound');
    const status = await sim.injectMo({ from: '+8613800000000', to: '12345', text: 'Grüße €' , dataCoding: 8 });
    assert.equal(status, 0);
    assert.equal(mo.length, 1);
    assert.equal(mo[0].payload, 'Grüße €');
    assert.equal(mo[0].to, '12345');
  });

  it('answers ESME_RTHROTTLED for an MO when no smpp-receive node uses the gateway', async () => {
    const f = flow(sim.port).filter((n: any) => n.id !== 'r1');
    await load(f);
    await until(() => gw().engine.state === 'bound', 'bound');
    assert.equal(await sim.injectMo({ from: '123', to: '456', text: 'x' }), 0x58);
  });

  it('reports a wrong password with ESME_RINVPASWD and retries with back-off, no storm', async () => {
    await load(flow(sim.port), { gw1: { systemId: 'esme', password: 'wrong' } });
    await until(() => gw().engine.stateEvent.status === 'ESME_RINVPASWD', 'bind refused');
    await new Promise((r) => setTimeout(r, 600));
    const attempts = sim.stats().bindFailures;
    assert.ok(attempts >= 2 && attempts <= 5, `bind attempts in ~0.6 s with back-off 50..400 ms: ${attempts}`);
    assert.equal(gw().currentStatus().fill, 'red');
  });

  it('drops and rebuilds the link when heartbeats go unanswered', async () => {
    await load(flow(sim.port, { maxHeartbeatMisses: 1 }));
    await until(() => gw().engine.state === 'bound', 'bound');
    sim.setFailure({ kind: 'silent' });
    await until(() => gw().engine.stateEvent.code === 'heartbeat', 'heartbeat drop', 4000);
    sim.setFailure({ kind: 'none' });
    await until(() => gw().engine.state === 'bound', 'bound again', 4000);
  });

  it('answers the SMSC unbind and binds again', async () => {
    await load(flow(sim.port));
    await until(() => gw().engine.state === 'bound', 'bound');
    await sim.sendUnbind();
    await until(() => gw().engine.stateEvent.code === 'peer-unbind', 'unbound by the SMSC');
    await until(() => gw().engine.state === 'bound', 'bound again');
    assert.ok(sim.stats().binds >= 2);
  });

  it('reconnects after the simulator restarts', async () => {
    await load(flow(sim.port));
    await until(() => gw().engine.state === 'bound', 'bound');
    const port = sim.port;
    await sim.stop();
    await until(() => gw().engine.state === 'retrying', 'link down');
    sim = await startSimulator({ port });
    await until(() => gw().engine.state === 'bound', 'bound to the new simulator', 5000);
  });

  it('control node: status snapshot, disconnect stays down, connect binds again', async () => {
    await load(flow(sim.port));
    const ctl = collect('ctl');
    await until(() => gw().engine.state === 'bound', 'bound');
    const c1 = helper.getNode('c1');
    c1.receive({ payload: 'status' });
    await until(() => ctl.some((m) => m.topic === 'status'), 'status snapshot');
    const snap = ctl.find((m) => m.topic === 'status').payload;
    assert.equal(snap.state, 'bound');
    assert.equal(snap.window.size, 16);
    c1.receive({ payload: 'disconnect' });
    await until(() => gw().engine.state === 'stopped', 'stopped');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(gw().engine.state, 'stopped', 'stays down');
    c1.receive({ topic: 'connect' });
    await until(() => gw().engine.state === 'bound', 'bound again');
    assert.ok(ctl.some((m) => m.topic === 'state' && m.payload.event === 'unbound' && m.payload.state === 'stopped'));
  });

  it('a bad configuration shows an error and makes no connection attempt', async () => {
    await load(flow(sim.port, { transactionTimeout: 5000, heartbeatInterval: 1000 }));
    const bad = collect('bad');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(gw().engine, null);
    assert.match(gw().configErrors.join(), /transactionTimeout .* must be less than heartbeatInterval/);
    assert.equal(sim.stats().binds + sim.stats().bindFailures, 0);
    helper.getNode('s1').receive({ payload: 'x', to: '123456789' });
    await until(() => bad.length === 1, 'failure');
    assert.match(bad[0].error.message, /configuration is invalid/);
  });

  it('close calls done promptly and unbinds', async () => {
    await load(flow(sim.port));
    await until(() => gw().engine.state === 'bound', 'bound');
    const started = Date.now();
    await helper.unload();
    assert.ok(Date.now() - started < 3000, 'closed within the bound');
    await until(() => sim.stats().unbinds >= 1, 'the simulator saw the unbind', 2000);
  });

  it('keeps the password out of the flow file, the status and the log', async () => {
    const lines: string[] = [];
    await load(flow(sim.port), { gw1: { systemId: 'esme', password: 'wrong-Pa55' } });
    const n = gw();
    for (const k of ['warn', 'log', 'debug', 'error']) {
      const orig = n[k].bind(n);
      n[k] = (t: unknown) => {
        lines.push(String(t));
        orig(t);
      };
    }
    await until(() => n.engine.stateEvent.status === 'ESME_RINVPASWD', 'bind refused');
    assert.ok(!JSON.stringify(n.currentStatus()).includes('wrong-Pa55'));
    assert.ok(!JSON.stringify(n.engine.stateEvent).includes('wrong-Pa55'));
    assert.ok(lines.length > 0, 'the refused bind was logged');
    assert.ok(!lines.join('\n').includes('wrong-Pa55'));
  });
});
