/**
 * Slow SMSC: every answer comes after Transaction Timeout (the simulator's
 * 'late' mode). The requests fail as TIMEOUT exactly once, the window frees
 * and takes the next ones, the late answers are ignored (no second callback,
 * no error packet, the link stays up), and once the SMSC is fast again a
 * full window goes through. Engine on real sockets.
 */
import assert from 'node:assert/strict';
import { SmscSimulator } from '../../src/simulator';
import { realEngine, until, sleep } from './real-engine';

const WINDOW = 10;
const TT = 300;
const LATE = 700;

describe('faults: slow SMSC (answers after Transaction Timeout)', function () {
  this.timeout(15_000);
  let sim: SmscSimulator;
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    await sim?.stop();
  });

  it('late answers: the requests time out once each, the window recovers, the late answers are ignored safely', async () => {
    sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'esme', password: 'secret1' }], receipts: 'never' });
    await sim.start();
    const { engine, states, logs, submit } = realEngine(sim.port, { windowSize: WINDOW, transactionTimeout: TT, heartbeatInterval: 5000, receiveTimeout: 10000 });
    close = () => engine.close();
    engine.start();
    await until(() => engine.state === 'bound', 'bound');

    sim.setFailure({ kind: 'late', delayMs: LATE });
    const n = 2 * WINDOW + 5;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => submit(`slow ${i}`)));
    assert.ok(results.every((r) => r.err?.status === 'TIMEOUT'), JSON.stringify(results.map((r) => r.err?.status)));
    assert.equal(sim.stats().submits, n, 'the window freed on each timeout and took the queued ones');
    assert.equal(engine.inflight, 0, 'the window recovered');

    // every late answer arrives and is ignored
    await until(() => logs.filter((l) => /submit_sm_resp for unknown sequence \d+ ignored/.test(l)).length === n, `${n} late answers ignored`, 5000);
    await sleep(100);
    assert.ok(results.every((r) => r.calls === 1), 'no callback ran twice');
    assert.equal(engine.counters.accepted, 0, 'a late answer is not taken as an acceptance');
    assert.equal(engine.counters.errorPackets, 0, 'a late answer is not an error packet');
    assert.equal(engine.counters.failedByStatus.TIMEOUT, n);
    assert.ok(!states.some((s) => s.state === 'retrying'), 'the link stayed up');

    sim.setFailure({ kind: 'none' });
    const fast = await Promise.all(Array.from({ length: WINDOW * 2 }, (_, i) => submit(`fast ${i}`)));
    assert.ok(fast.every((r) => r.err === null && typeof r.resp?.message_id === 'string'), 'a full window goes through again');
    assert.equal(engine.state, 'bound');
  });
});
