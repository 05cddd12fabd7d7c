import assert from 'node:assert/strict';
import { SmscSimulator } from '../../src/simulator';
import { helper, startSimulator, flow, load, until, collect } from './node-harness';

/** smpp-send in send-and-wait mode: outputs delivered / failed / timed out. */
function waitFlow(port: number, waitTimeout = 5000) {
  const f = flow(port, {}, { mode: 'wait', waitTimeout }) as any[];
  const s1 = f.find((n) => n.id === 's1');
  s1.wires = [['ok'], ['bad'], ['late']];
  f.push({ id: 'late', type: 'helper' });
  return f;
}

describe('smpp-send: send and wait (IVR step)', function () {
  this.timeout(15000);
  let sim: SmscSimulator | null = null;
  afterEach(async () => {
    await helper.unload();
    await sim?.stop();
  });

  it('continues on "delivered" when the final report says delivered', async () => {
    sim = await startSimulator({ receiptState: 'DELIVRD' });
    await load(waitFlow(sim.port));
    const [ok, bad, late] = [collect('ok'), collect('bad'), collect('late')];
    await until(() => helper.getNode('gw1').engine.state === 'bound', 'bound');
    helper.getNode('s1').receive({ payload: 'your link: https://example.test/x', to: '+4670000001', correlationId: 'ivr-1' });
    await until(() => ok.length === 1, 'delivered output');
    assert.equal(ok[0].dlr.state, 'DELIVERED');
    assert.equal(ok[0].correlationId, 'ivr-1');
    assert.equal(bad.length + late.length, 0);
  });

  it('continues on "failed" when the final report says undeliverable', async () => {
    sim = await startSimulator({ receiptState: 'UNDELIV' });
    await load(waitFlow(sim.port));
    const [ok, bad, late] = [collect('ok'), collect('bad'), collect('late')];
    await until(() => helper.getNode('gw1').engine.state === 'bound', 'bound');
    helper.getNode('s1').receive({ payload: 'x', to: '+4670000001' });
    await until(() => bad.length === 1, 'failed output');
    assert.equal(bad[0].error.status, 'UNDELIVERED');
    assert.equal(bad[0].dlr.state, 'UNDELIVERABLE');
    assert.equal(ok.length + late.length, 0);
  });

  it('continues on "failed" at once when the SMSC refuses the message', async () => {
    sim = await startSimulator();
    await load(waitFlow(sim.port));
    const bad = collect('bad');
    await until(() => helper.getNode('gw1').engine.state === 'bound', 'bound');
    sim.setFailure({ kind: 'reject', status: 0x0b });
    helper.getNode('s1').receive({ payload: 'x', to: '+4670000001' });
    await until(() => bad.length === 1, 'failed output');
    assert.equal(bad[0].error.status, 'ESME_RINVDSTADR');
  });

  it('continues on "timed out" when no final report arrives in time', async () => {
    sim = await startSimulator({ receipts: 'never' });
    await load(waitFlow(sim.port, 1000));
    const [ok, bad, late] = [collect('ok'), collect('bad'), collect('late')];
    await until(() => helper.getNode('gw1').engine.state === 'bound', 'bound');
    helper.getNode('s1').receive({ payload: 'x', to: '+4670000001' });
    await until(() => late.length === 1, 'timed-out output', 4000);
    assert.equal(late[0].error.status, 'TIMEOUT');
    assert.equal(ok.length + bad.length, 0);
  });
});
