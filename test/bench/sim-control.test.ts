/**
 * The simulator CLI's --control channel the benchmark drives (stats,
 * mo-burst, failure, drop), against the compiled CLI in its own process and
 * a raw `smpp` client bound as receiver.
 */
import assert from 'node:assert/strict';
import * as smpp from 'smpp';
import { SimProcess } from './sim-process';

/** A receiver that answers each MO 1 ms late, noting the most MOs it had unanswered at once. */
function bindReceiver(port: number): Promise<{ session: smpp.Session; mos: () => number; maxUnanswered: () => number }> {
  return new Promise((resolve, reject) => {
    let mos = 0;
    let answered = 0;
    let maxUnanswered = 0;
    const session = smpp.connect({ host: '127.0.0.1', port });
    session.on('error', reject);
    session.on('deliver_sm', (pdu: smpp.PDU) => {
      mos++;
      maxUnanswered = Math.max(maxUnanswered, mos - answered);
      setTimeout(() => {
        answered++;
        session.send(pdu.response());
      }, 1);
    });
    session.on('connect', () => {
      session.bind_receiver({ system_id: 'x', password: 'y' }, (pdu: smpp.PDU) => {
        if (pdu.command_status === 0) resolve({ session, mos: () => mos, maxUnanswered: () => maxUnanswered });
        else reject(new Error(`bind status ${pdu.command_status}`));
      });
    });
  });
}

describe('benchmark: the simulator CLI control channel', function () {
  this.timeout(30_000);
  let sim: SimProcess;
  let session: smpp.Session | null = null;

  beforeEach(async () => {
    sim = await SimProcess.start();
  });
  afterEach(async () => {
    session?.destroy();
    session = null;
    await sim.stop();
  });

  it('reports its counters, CPU and memory', async () => {
    const s = await sim.stats();
    assert.equal(s.sessions, 0);
    assert.equal(s.mosSent, 0);
    assert.ok(s.cpuUserUs > 0 && s.rss > 0 && s.maxRss >= s.rss && s.heapUsed > 0, JSON.stringify(s));
  });

  it('sends an MO burst with at most WINDOW unanswered and reports each answer', async () => {
    const rx = await bindReceiver(sim.port);
    session = rx.session;
    const r = JSON.parse(await sim.command('mo-burst 500 8'));
    assert.equal(r.sent, 500);
    assert.equal(r.ok, 500);
    assert.equal(r.failed, 0);
    assert.equal(rx.mos(), 500);
    assert.ok(rx.maxUnanswered() <= 8, `at most 8 unanswered, saw ${rx.maxUnanswered()}`);
    assert.ok(rx.maxUnanswered() >= 2, `the window was used, saw ${rx.maxUnanswered()}`);
    assert.ok(r.ms > 0 && r.p50Ms > 0 && r.p99Ms >= r.p50Ms, JSON.stringify(r));
    assert.equal((await sim.stats()).mosSent, 500);
  });

  it('counts a burst with nobody bound as failed, at once', async () => {
    const r = JSON.parse(await sim.command('mo-burst 5 2'));
    assert.deepEqual([r.sent, r.ok, r.failed], [5, 0, 5]);
  });

  it('sets failure modes, drops connections, and refuses what it does not know', async () => {
    assert.equal(await sim.command('failure {"kind":"throttle","everyN":2}'), 'ok');
    await assert.rejects(sim.command('failure {"kind":"bogus"}'), /unknown failure mode/);
    await assert.rejects(sim.command('failure not-json'), /failure: error/);
    await assert.rejects(sim.command('mo-burst x 1'), /COUNT/);
    const rx = await bindReceiver(sim.port);
    session = rx.session;
    const closed = new Promise<void>((resolve) => rx.session.on('close', () => resolve()));
    assert.equal(await sim.command('drop'), 'ok');
    await closed;
    await assert.rejects(sim.command('nonsense'), /unknown command/);
  });
});
