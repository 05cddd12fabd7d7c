/**
 * smpp-send in send-and-wait mode: when the node closes (a redeploy, Node-RED stopping), every
 * msg still waiting for its final report leaves on the timed-out output (output 3) at once,
 * exactly once, with error TIMEOUT: none is lost, none waits for a timeout nobody will see.
 * A real Node-RED runtime (node-red-node-test-helper) and our simulator sending no receipts.
 */
import assert from 'node:assert/strict';
import { SmscSimulator } from '../../src/simulator';
import { helper, startSimulator, flow, load, until, collect } from '../nodes/node-harness';

describe('smpp-send send-and-wait: held msgs are released when the node closes', function () {
  this.timeout(20000);
  let sim: SmscSimulator | null = null;

  afterEach(async () => {
    await helper.unload();
    await sim?.stop();
    sim = null;
  });

  for (const removed of [false, true]) {
    it(`closing (${removed ? 'node removed' : 'redeployed'}) sends each waiting msg once on the timed-out output`, async () => {
      sim = await startSimulator({ receipts: 'never' });
      const f = flow(sim.port, {}, { mode: 'wait', waitTimeout: 60000 }) as any[];
      f.find((n) => n.id === 's1').wires = [['ok'], ['bad'], ['late']];
      f.push({ id: 'late', type: 'helper' });
      await load(f);
      const [ok, bad, late] = [collect('ok'), collect('bad'), collect('late')];
      await until(() => helper.getNode('gw1').engine.state === 'bound', 'bound');
      for (const id of ['w1', 'w2', 'w3']) helper.getNode('s1').receive({ payload: 'wait for me', to: '+4670000001', correlationId: id });
      await until(() => sim!.stats().submits === 3, 'three submits');
      // accepted and held: the correlation store has them (waiting for reports that will not come)
      // (the simulator counts a submit before our side has its submit_sm_resp: ask until all three are held)
      const ctl = collect('ctl');
      const pending = () => ctl.filter((m) => m.topic === 'status').pop()?.payload.correlation.pending;
      await until(() => {
        if (pending() === 3) return true;
        helper.getNode('c1').receive({ payload: 'status' });
        return false;
      }, 'a snapshot with three held (correlation.pending 3)');
      assert.equal(ok.length + bad.length + late.length, 0, 'nothing out before the close');
      await helper.getNode('s1').close(removed);
      await until(() => late.length === 3, 'three msgs on the timed-out output', 3000);
      assert.deepEqual(late.map((m) => m.correlationId).sort(), ['w1', 'w2', 'w3']);
      for (const m of late) assert.equal(m.error.status, 'TIMEOUT');
      assert.equal(ok.length + bad.length, 0);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(late.length, 3, 'each once');
    });
  }
});
