/**
 * One Max Sending Rate for the account, shared through Redis (Share with
 * other instances, shareInstances): a real redis-server, our SMSC simulator
 * (one account) and three Node-RED child processes running the SAME flow,
 * started together and used by every case in turn. The flow has three
 * gateways on the account, each with the Redis context store as its
 * correlation store: gw1 Max Sending Rate 100/s policy delay (the rate
 * cases), gw2 50/s delay and gw3 50/s reject (the Redis restart). POST /feed
 * gives an instance's gateway many messages at once (as many as it could
 * send alone at the whole rate, so that unshared each would); every submit the
 * simulator takes is kept with its time and destination (which names the
 * gateway, the instance and the message); GET /counts tells what each
 * smpp-send output, by tag.
 *
 * The observation: with Max Sending Rate 100/s two instances sent
 * 200/s. Without sharing (shareInstances false) the 5% assertions below fail
 * by 2x and 3x; checked by hand when the test was written.
 *
 * The rate is asserted over 10 s and 30 s windows (the "Done when"):
 * a timed assertion by design, with the 5% the issue gives.
 */
import assert from 'node:assert/strict';
import { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { redisContextStorage, startRedis, stopRedis } from '../helpers/redis-server';
import { redChild, RedChild, until } from '../helpers/red-child';
import { SmscSimulator } from '../../src/simulator';
import { sharedRateCap } from '../../nodes/shared/send-rate';
import { logsOf, closeRig } from './rig';

const RATE = 100;
const RATE2 = 50;
/** what the shared bucket may save up: 200 ms of the rate (nodes/shared/send-rate.ts) */
const CAP2 = Math.ceil(RATE2 / 5);
/** tokens per lease (src/engine/leased-rate.ts: 50 ms of the rate) */
const LEASE2 = Math.ceil(RATE2 / 20);
/** destination prefix of each gateway's messages: '+<gw><instance><tag><6-digit seq>' */
const GW_DIGITS: Record<string, string> = { s1: '71', s2: '72', s3: '73' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Instance {
  name: string;
  digit: string;
  red: RedChild;
}
interface Submit {
  t: number;
  to: string;
}
interface Count {
  ok: number;
  failed: number;
  errors: string[];
}

function gateway(id: string, simPort: number, rate: number, policy: string): Record<string, unknown> {
  return {
    id, type: 'smpp-gateway', name: `shared ${id}`, host: '127.0.0.1', port: simPort, bindMode: 'transmitter',
    reconnectMin: 100, reconnectMax: 500, heartbeatInterval: 10000, transactionTimeout: 5000, registeredDelivery: '0',
    maxSendRate: rate, maxReceiveRate: 1000, trafficPolicy: policy, sendQueueLength: 20000, shareInstances: true, correlationStore: 'redis',
  };
}

function rateFlow(simPort: number): object[] {
  const z = 'tab1';
  const count = (field: string) =>
    `const c = global.get('c') || {}; const k = msg.tag; c[k] = c[k] || { ok: 0, failed: 0, errors: [] }; c[k].${field}++;` +
    (field === 'failed' ? ` if (c[k].errors.length < 50) c[k].errors.push(String((msg.error && msg.error.message) || msg.error));` : '') +
    ` global.set('c', c); return null;`;
  return [
    { id: z, type: 'tab', label: 'shared rate' },
    gateway('gw1', simPort, RATE, 'delay'),
    gateway('gw2', simPort, RATE2, 'delay'),
    gateway('gw3', simPort, RATE2, 'reject'),
    { id: 'in1', type: 'http in', z, url: '/feed', method: 'post', wires: [['feed', 'ok']] },
    {
      id: 'feed', type: 'function', z, outputs: 3, wires: [['s1'], ['s2'], ['s3']],
      func: `const b = msg.payload; const out = { s1: 0, s2: 1, s3: 2 }[b.gw]; const gd = { s1: '71', s2: '72', s3: '73' }[b.gw];
for (let i = 0; i < b.n; i++) {
  const m = { to: '+' + gd + env.get('INST') + b.tagDigit + String(b.from + i).padStart(6, '0'), payload: b.tag + ' ' + i, tag: b.tag };
  const a = [null, null, null]; a[out] = m; node.send(a);
}
return null;`,
    },
    { id: 'ok', type: 'function', z, outputs: 1, wires: [['out1']], func: 'msg.payload = { ok: true }; return msg;' },
    { id: 'out1', type: 'http response', z, wires: [] },
    { id: 's1', type: 'smpp-send', z, gateway: 'gw1', wires: [['sent'], ['failed']] },
    { id: 's2', type: 'smpp-send', z, gateway: 'gw2', wires: [['sent'], ['failed']] },
    { id: 's3', type: 'smpp-send', z, gateway: 'gw3', wires: [['sent'], ['failed']] },
    { id: 'sent', type: 'function', z, outputs: 1, wires: [[]], func: count('ok') },
    { id: 'failed', type: 'function', z, outputs: 1, wires: [[]], func: count('failed') },
    { id: 'in2', type: 'http in', z, url: '/counts', method: 'get', wires: [['list']] },
    { id: 'list', type: 'function', z, outputs: 1, wires: [['out2']], func: "msg.payload = global.get('c') || {}; return msg;" },
    { id: 'out2', type: 'http response', z, wires: [] },
  ];
}

describe('Max Sending Rate shared by two and three Node-RED instances through Redis (shareInstances)', function () {
  this.timeout(120_000);
  let dir = '';
  let redis: { port: number; proc: ChildProcess } | null = null;
  let sim: SmscSimulator;
  let binds = 0;
  const submits: Submit[] = [];
  const instances: Instance[] = [];
  const logs = () => logsOf(instances);
  const digits = (to: string) => to.replace(/\D/g, '');
  /** submits of gateway `gw` (s1, s2, s3) in [from, to), of one instance if given */
  const countIn = (gw: string, from: number, to: number, inst?: Instance) =>
    submits.filter((s) => s.t >= from && s.t < to && digits(s.to).startsWith(GW_DIGITS[gw] + (inst ? inst.digit : ''))).length;
  const seq = new Map<string, number>();

  /** gives `inst`'s smpp-send of gateway `gw` n messages tagged `tag` (tagDigit: its digit in the destination) */
  async function feed(inst: Instance, gw: string, n: number, tag: string, tagDigit: number): Promise<void> {
    const key = `${inst.name}${gw}${tag}`;
    const from = seq.get(key) ?? 0;
    seq.set(key, from + n);
    const res = await inst.red.http('POST', '/feed', { gw, n, tag, tagDigit, from });
    assert.equal(res.status, 200, logs());
  }
  async function counts(inst: Instance): Promise<Record<string, Count>> {
    const r = await inst.red.http('GET', '/counts');
    assert.equal(r.status, 200);
    return r.json;
  }
  const zero: Count = { ok: 0, failed: 0, errors: [] };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-gw-redis-rate-'));
    redis = await startRedis(dir);
    sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'esme', password: 'secret1' }] });
    sim.on('bind', () => binds++);
    sim.on('submit', (pdu: any) => submits.push({ t: Date.now(), to: String(pdu.destination_addr) }));
    await sim.start();
    const made = await Promise.all(['A', 'B', 'C'].map((name) =>
      redChild(rateFlow(sim.port), { gw1: { systemId: 'esme', password: 'secret1' }, gw2: { systemId: 'esme', password: 'secret1' }, gw3: { systemId: 'esme', password: 'secret1' } }, {
        settingsJs: redisContextStorage(redis!.port, 'ratetest:', 3600),
      })));
    made.forEach((red, i) => instances.push({ name: 'ABC'[i], digit: String(i + 1), red }));
    for (const inst of instances) inst.red.start({ INST: inst.digit });
    await Promise.all(instances.map((inst) => inst.red.ready('/counts', 60_000)));
    await until(() => (binds >= 9 ? true : undefined), 'three gateways of three instances to bind', 60_000, logs);
  });

  after(() => closeRig({ instances, sim, redis: redis?.proc, dir }));

  it('three instances together never exceed Max Sending Rate 100/s: within 5% over 10 s, each of them sending', async () => {
    // each is given what it could send alone at the whole rate: unshared, the three send 3x
    for (const inst of instances) await feed(inst, 's1', RATE * 12, 't3', 3);
    // past the start (the bucket's saved-up 200 ms), 10 s with all three sending
    await sleep(2000);
    const t0 = Date.now();
    await sleep(10_000);
    const all = countIn('s1', t0, t0 + 10_000);
    const each = instances.map((i) => countIn('s1', t0, t0 + 10_000, i));
    console.log(`      three instances, Max Sending Rate ${RATE}/s shared: ${all} submits in 10 s = ${(all / 10).toFixed(2)}/s (A ${each[0]}, B ${each[1]}, C ${each[2]})`);
    assert.ok(Math.abs(all / 10 - RATE) <= RATE * 0.05, `${(all / 10).toFixed(2)}/s is within 5% of ${RATE}/s\n${logs()}`);
    for (const [i, n] of each.entries()) assert.ok(n > 0, `instance ${instances[i].name} sent some of them`);
  });

  it('two instances together send 100/s within 5% over 30 s (unshared, two sent 200/s)', async () => {
    const [A, B, C] = instances;
    await C.red.stop('SIGTERM', 10_000);
    await feed(A, 's1', RATE * 32, 't2', 2);
    await feed(B, 's1', RATE * 32, 't2', 2);
    await sleep(2000);
    const t0 = Date.now();
    await sleep(30_000);
    const both = countIn('s1', t0, t0 + 30_000);
    const [a, b] = [countIn('s1', t0, t0 + 30_000, A), countIn('s1', t0, t0 + 30_000, B)];
    console.log(`      two instances, Max Sending Rate ${RATE}/s shared: ${both} submits in 30 s = ${(both / 30).toFixed(2)}/s (A ${a}, B ${b})`);
    assert.ok(Math.abs(both / 30 - RATE) <= RATE * 0.05, `${(both / 30).toFixed(2)}/s is within 5% of ${RATE}/s\n${logs()}`);
    assert.ok(a > 0 && b > 0, 'both sent');
  });

  it('Redis stopped while sending: delay keeps every message queued, reject fails with a clear error; restarted: resumes at the rate, no burst above the cap, none lost or duplicated', async () => {
    const [A, B] = instances;
    const PER = 200;
    await feed(A, 's2', PER, 'r', 1);
    await feed(B, 's2', PER, 'r', 1);
    // gw3 (reject) took its first lease at start: its first message finds a token
    await feed(A, 's3', 1, 'jw', 8);
    const first = await until(async () => {
      const k = (await counts(A)).jw ?? zero;
      return k.ok + k.failed === 1 ? k : undefined;
    }, 'the first reject-policy message to leave smpp-send', 10_000, logs);
    assert.deepEqual([first.ok, first.errors], [1, []], 'the first message of a reject-policy gateway is sent');
    await until(() => (countIn('s2', 0, Infinity) >= RATE2 ? true : undefined), 'gw2 to send a second of messages', 20_000, logs);

    const tStop = Date.now();
    await stopRedis(redis!.proc);
    // what was leased before the stop may still go; after that, nothing
    const tQuiet = tStop + 300;

    // reject: once the store's error is known, every message fails with it, none is sent
    let clear = false;
    for (let i = 0; i < 30 && !clear; i++) {
      await feed(A, 's3', 1, 'jw', 8);
      const c = await until(async () => {
        const k = (await counts(A)).jw ?? zero;
        return k.ok + k.failed === seq.get('As3jw') ? k : undefined;
      }, 'the warm-up message to leave smpp-send', 10_000, logs);
      clear = c.errors.some((e) => /shared Max Sending Rate cannot be taken from Redis/.test(e));
      await sleep(50);
    }
    assert.ok(clear, `a reject while Redis is down says why\n${JSON.stringify((await counts(A)).jw)}`);
    const beforeReject = countIn('s3', 0, Infinity);
    await feed(A, 's3', 10, 'j', 9);
    const rejected = await until(async () => {
      const k = (await counts(A)).j ?? zero;
      return k.ok + k.failed === 10 ? k : undefined;
    }, 'the 10 reject-policy messages to leave smpp-send', 10_000, logs);
    assert.equal(rejected.failed, 10, JSON.stringify(rejected));
    for (const e of rejected.errors) assert.match(e, /^the shared Max Sending Rate cannot be taken from Redis \(.+\) \(Extra Traffic Processing Policy = reject\): message not sent$/);
    assert.equal(countIn('s3', 0, Infinity), beforeReject, 'none of them reached the SMSC');

    await sleep(Math.max(0, tStop + 2500 - Date.now()));
    const tRestart = Date.now();
    const quiet = { s1: countIn('s1', tQuiet, tRestart), s2: countIn('s2', tQuiet, tRestart) };
    const beforeStop = countIn('s2', 0, tStop);
    const duringOutage = countIn('s2', tStop, tRestart);
    const held = [(await counts(A)).r ?? zero, (await counts(B)).r ?? zero];
    redis = await startRedis(dir, { port: redis!.port });

    console.log(`      Redis down ${tRestart - tStop} ms: gw2 sent ${beforeStop} before, ${duringOutage} in the first 300 ms (leased), then ${quiet.s2} (gw1 ${quiet.s1}); reject: 10 of 10 failed: ${rejected.errors[0]}`);
    assert.deepEqual(quiet, { s1: 0, s2: 0 }, 'nothing sent while Redis is down');
    assert.ok(duringOutage <= 2 * 2 * LEASE2, `at most what was leased went after the stop (${duringOutage})`);
    assert.equal(held[0].failed + held[1].failed, 0, 'with delay, none failed while Redis was down');
    assert.ok(held[0].ok + held[1].ok < 2 * PER, 'messages were waiting in the queues');

    const done = await until(async () => {
      const [a, b] = [(await counts(A)).r ?? zero, (await counts(B)).r ?? zero];
      return a.ok + a.failed === PER && b.ok + b.failed === PER ? [a, b] : undefined;
    }, 'every gw2 message to leave smpp-send after the restart', 40_000, logs, 300);
    assert.deepEqual(done.map((c) => [c.ok, c.failed]), [[PER, 0], [PER, 0]], 'every message sent, none failed');
    const gw2 = submits.filter((s) => digits(s.to).startsWith(GW_DIGITS.s2));
    assert.equal(gw2.length, 2 * PER, 'none lost, none sent twice');
    assert.equal(new Set(gw2.map((s) => digits(s.to))).size, 2 * PER, 'each message once');

    const sinceRestart = gw2.filter((s) => s.t >= tRestart).map((s) => s.t).sort((x, y) => x - y);
    let burst = 0;
    for (let i = 0, j = 0; i < sinceRestart.length; i++) {
      while (sinceRestart[i] - sinceRestart[j] >= 1000) j++;
      burst = Math.max(burst, i - j + 1);
    }
    const cap = CAP2;
    assert.equal(sharedRateCap(RATE2), CAP2, 'the bucket saves up 200 ms of the rate');
    const tFirst = sinceRestart[0];
    const resumed = countIn('s2', tFirst, tFirst + 3000);
    console.log(`      after the restart: first submit ${tFirst - tRestart} ms later, ${resumed} in its first 3 s = ${(resumed / 3).toFixed(2)}/s, at most ${burst} in any 1 s (rate ${RATE2} + cap ${cap})`);
    // two instances may each hold two leases beyond the rate and the bucket's cap
    assert.ok(burst <= RATE2 + cap + 2 * 2 * LEASE2, `no burst above the bucket's cap: ${burst} in 1 s`);
    assert.ok(resumed >= RATE2 * 3 * 0.95 && resumed <= RATE2 * 3 + cap + 2 * 2 * LEASE2, `resumes at the rate: ${resumed} in 3 s`);
    for (const inst of [A, B]) {
      assert.equal(inst.red.log().match(/shared gw2: the shared Max Sending Rate cannot be taken from Redis/g)?.length, 1, `${inst.name}: one warning for the outage\n${logs()}`);
      assert.match(inst.red.log(), /shared gw2: the shared Max Sending Rate is taken from Redis again/);
    }
  });

  it('one instance alone takes the whole 100/s (within 5% over 10 s) when the other dies (killed)', async () => {
    const [A, B] = instances;
    await feed(A, 's1', RATE * 12, 'a1', 1);
    // nothing of B's is left to wait for: the bucket keeps no per-instance state
    await B.red.stop('SIGKILL', 10_000);
    await sleep(2000);
    const t1 = Date.now();
    await sleep(10_000);
    const alone = countIn('s1', t1, t1 + 10_000);
    console.log(`      A alone: ${alone} submits in 10 s = ${(alone / 10).toFixed(2)}/s`);
    assert.ok(Math.abs(alone / 10 - RATE) <= RATE * 0.05, `${(alone / 10).toFixed(2)}/s is within 5% of ${RATE}/s\n${logs()}`);
    assert.equal(countIn('s1', t1, t1 + 10_000, A), alone, 'all from A');
  });
});
