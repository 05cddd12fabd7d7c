/**
 * Half-open link: the SMSC stops reading and answering but keeps the socket
 * open. The gateway must notice (unanswered heartbeats, or nothing received
 * for Receiving Timeout), fail what was in flight exactly once, rebuild the
 * link and send again. Engine on real sockets, short timers.
 */
import assert from 'node:assert/strict';
import { FakeSmsc } from '../helpers/fake-smsc';
import { realEngine, until, sleep } from './real-engine';

describe('faults: half-open link (the SMSC stops reading, the socket stays open)', function () {
  this.timeout(15_000);
  let smsc: FakeSmsc;
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    await smsc?.stop();
  });

  const cases = [
    { name: 'detected by unanswered heartbeats', code: 'heartbeat', overrides: { heartbeatInterval: 300, transactionTimeout: 200, receiveTimeout: 5000, maxHeartbeatMisses: 2 } },
    { name: 'detected by Receiving Timeout (heartbeat misses not counted: maxHeartbeatMisses 0)', code: 'receive-timeout', overrides: { heartbeatInterval: 300, transactionTimeout: 200, receiveTimeout: 1200, maxHeartbeatMisses: 0 } },
  ];

  for (const c of cases) {
    it(`${c.name}: in-flight submits time out once each, the link is rebuilt and sends again`, async () => {
      smsc = new FakeSmsc();
      await smsc.start();
      const { engine, states, submit } = realEngine(smsc.port, c.overrides);
      close = () => engine.close();
      engine.start();
      const first = await smsc.waitBound();
      await until(() => engine.state === 'bound', 'bound');
      assert.equal((await submit('before')).err, null);

      first.stopReading();
      const wentSilentAt = Date.now();
      const inflight = [submit('a'), submit('b'), submit('c')];
      const results = await Promise.all(inflight);
      assert.ok(results.every((r) => r.err?.status === 'TIMEOUT'), JSON.stringify(results.map((r) => r.err?.status)));

      await until(() => states.some((s) => s.state === 'retrying'), 'the link dropped', 5000);
      const drop = states.find((s) => s.state === 'retrying')!;
      assert.equal(drop.code, c.code, `dropped for ${drop.reason}`);
      const detectedMs = drop.at - wentSilentAt;

      const second = await smsc.waitBound(5000);
      assert.notEqual(second, first, 'a new connection');
      await until(() => engine.state === 'bound', 'bound again');
      const after = await submit('after');
      assert.equal(after.err, null, 'a submit works on the rebuilt link');
      await sleep(100);
      assert.ok([...results, after].every((r) => r.calls === 1), 'each callback ran once');
      assert.equal(engine.inflight, 0);
      console.log(`      ${c.code}: detected ${detectedMs} ms after the SMSC went silent (${drop.reason}); rebound, submit ok`);
    });
  }
});
