/**
 * Throttling storm: the SMSC answers every submit with ESME_RTHROTTLED for
 * 10 seconds. The gateway must back off (one back-off step per round, the
 * rounds spaced by the throttle back-off: from max(100 ms, Resending Waiting
 * Time) doubling to 30 s, with equal jitter), lose nothing, and send
 * everything once the storm is over. Submit attempts are counted at the
 * simulator; our process's CPU time over the storm is measured and reported
 * (not asserted: the machine is shared).
 */
import assert from 'node:assert/strict';
import { SmscSimulator } from '../../src/simulator';
import { helper, startSimulator, flow, load, until, collect } from '../nodes/node-harness';

const STORM_MS = 10_000;
const WINDOW = 16;
const N = 200;
/** the engine's throttle back-off: from max(100, resendWait) ms, doubling, capped at 30 s, equal jitter */
const THROTTLE_MIN = 100;
const THROTTLE_MAX = 30_000;
/** submits of one round reach the simulator together; a gap longer than this starts a new round */
const ROUND_GAP_MS = 25;
/** event-loop slack allowed on top of a pause (two shared cores, Node-RED and the simulator in one process) */
const SLACK_MS = 150;

const upper = (i: number) => Math.min(THROTTLE_MAX, THROTTLE_MIN * 2 ** i);

describe('faults: throttling storm', function () {
  this.timeout(60_000);
  let sim: SmscSimulator;
  afterEach(async () => {
    await helper.unload();
    await sim?.stop();
  });

  it(`every submit answered ESME_RTHROTTLED for ${STORM_MS / 1000} s: backs off without a busy loop, loses nothing, resumes after`, async () => {
    sim = await startSimulator({ receipts: 'never' });
    await load(flow(sim.port, { windowSize: WINDOW, resendWait: THROTTLE_MIN, sendQueueLength: 1000, heartbeatInterval: 5000, receiveTimeout: 20000 }));
    const ok = collect('ok');
    const bad = collect('bad');
    const engine = helper.getNode('gw1').engine;
    await until(() => engine.state === 'bound', 'bound');

    const submits: number[] = [];
    sim.on('submit', () => submits.push(Date.now()));
    sim.setFailure({ kind: 'throttle', everyN: 1 });
    const stormStart = Date.now();
    const cpu0 = process.cpuUsage();
    const s1 = helper.getNode('s1');
    for (let i = 0; i < N; i++) s1.receive({ payload: `storm ${i}`, to: '4670000001' });
    await new Promise((r) => setTimeout(r, STORM_MS));
    const cpu = process.cpuUsage(cpu0);
    const stormEnd = Date.now();
    sim.setFailure({ kind: 'none' });
    const inStorm = submits.filter((t) => t < stormEnd).length;
    const outDuring = ok.length + bad.length;

    // rounds as the simulator saw them
    const rounds: { at: number; size: number }[] = [];
    let prev = -Infinity;
    for (const t of submits.filter((x) => x < stormEnd)) {
      if (t - prev <= ROUND_GAP_MS) rounds[rounds.length - 1].size++;
      else rounds.push({ at: t, size: 1 });
      prev = t;
    }
    console.log(`      during the storm: ${inStorm} attempts in ${rounds.length} rounds of ${JSON.stringify(rounds.map((r) => r.size))} at ${JSON.stringify(rounds.map((r) => r.at - stormStart))} ms`);
    // the next round after the storm must come within the back-off's next pause
    const resumeBy = rounds[rounds.length - 1].at + upper(rounds.length - 1) + SLACK_MS + 2000;
    await until(() => ok.length + bad.length === N, `all ${N} out after the storm (now ${ok.length} sent, ${bad.length} failed)`, Math.max(1000, resumeBy - Date.now()) + 3000);
    const resumedAt = submits.find((t) => t >= stormEnd) ?? 0;

    const perSecond: number[] = new Array(Math.ceil((stormEnd - stormStart) / 1000)).fill(0);
    for (const t of submits.filter((x) => x < stormEnd)) {
      const s = Math.floor((t - stormStart) / 1000);
      perSecond[s]++;
    }
    const gaps = rounds.slice(1).map((r, i) => r.at - rounds[i].at);
    console.log(
      `      storm ${stormEnd - stormStart} ms: ${inStorm} submit attempts (${(inStorm / ((stormEnd - stormStart) / 1000)).toFixed(1)}/s), per second ${JSON.stringify(perSecond)}\n` +
        `      ${rounds.length} rounds of ${JSON.stringify(rounds.map((r) => r.size))}, gaps ${JSON.stringify(gaps)} ms; throttled answers ${engine.counters.throttledResponses}\n` +
        `      CPU over the storm: user ${Math.round(cpu.user / 1000)} ms + system ${Math.round(cpu.system / 1000)} ms = ${(((cpu.user + cpu.system) / 1000 / (stormEnd - stormStart)) * 100).toFixed(1)}% of one core (Node-RED, gateway and simulator in one process)\n` +
        `      first submit after the storm ${resumedAt - stormEnd} ms after its end; ${ok.length} sent, ${bad.length} failed`,
    );

    assert.equal(outDuring, 0, 'nothing failed or left during the storm');
    assert.equal(bad.length, 0, 'nothing lost');
    assert.equal(ok.length, N, 'everything sent after the storm');
    assert.equal(new Set(ok.map((m) => m._msgid)).size, N, 'each msg once');
    // the pause after round i is one back-off step: within [upper(i)/2, upper(i)] (plus event-loop slack)
    gaps.forEach((g, i) => {
      assert.ok(g >= upper(i) / 2 - 5, `pause ${i} of ${g} ms is at least ${upper(i) / 2} ms: no busy loop`);
      assert.ok(g <= upper(i) + SLACK_MS, `pause ${i} of ${g} ms is at most ${upper(i)} ms (+${SLACK_MS}): one back-off step per round`);
    });
    // every round is at most one window
    assert.ok(rounds.every((r) => r.size <= WINDOW), JSON.stringify(rounds.map((r) => r.size)));
    // so the attempts are bounded by the back-off arithmetic: rounds that fit in the storm at the shortest pauses, a window each
    let maxRounds = 0;
    for (let spent = 0; spent <= STORM_MS; maxRounds++) spent += upper(maxRounds) / 2;
    assert.ok(inStorm <= WINDOW * maxRounds, `${inStorm} attempts in the storm; the back-off allows at most ${WINDOW * maxRounds}`);
    assert.ok(rounds.length >= 4, 'the gateway kept trying during the storm');
  });
});
