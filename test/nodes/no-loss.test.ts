import assert from 'node:assert/strict';
import { SmscSimulator } from '../../src/simulator';
import { helper, startSimulator, flow, load, until, collect } from './node-harness';

describe('smpp-send: nothing lost', function () {
  this.timeout(20000);
  let sim: SmscSimulator;
  afterEach(async () => {
    await helper.unload();
    await sim.stop();
  });

  for (const inflightOnDrop of ['fail', 'resend']) {
    it(`a burst through a link that drops in the middle leaves exactly once per msg (inflightOnDrop=${inflightOnDrop})`, async () => {
      sim = await startSimulator({ receipts: 'never' });
      await load(flow(sim.port, { windowSize: 32, sendQueueLength: 2000, inflightOnDrop }));
      const ok = collect('ok');
      const bad = collect('bad');
      await until(() => helper.getNode('gw1').engine.state === 'bound', 'bound');
      const s1 = helper.getNode('s1');
      const N = 1000;
      let dropped = false;
      sim.on('submit', () => {
        if (!dropped && sim.stats().submits >= 300) {
          dropped = true;
          sim.dropConnections();
        }
      });
      for (let i = 0; i < N; i++) s1.receive({ payload: `burst ${i}`, to: '4670000001', seq: i });
      await until(() => ok.length + bad.length === N, `all ${N} messages out (now ${ok.length} sent + ${bad.length} failed)`, 15000);
      assert.ok(dropped, 'the link was dropped mid-burst');
      const seen = new Set([...ok, ...bad].map((m) => m.seq));
      assert.equal(seen.size, N, 'each msg left exactly once');
      assert.ok(bad.every((m) => typeof m.error.status === 'string'));
      if (inflightOnDrop === 'fail') assert.ok(bad.some((m) => m.error.status === 'LINK_DOWN'), 'the outstanding ones failed as link down');
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(ok.length + bad.length, N, 'and nothing came out twice later');
      assert.equal(helper.getNode('gw1').engine.inflight, 0);
      assert.equal(helper.getNode('gw1').engine.queueLength, 0);
    });
  }
});
