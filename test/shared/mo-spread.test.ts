/**
 * Long MOs whose parts the SMSC spreads over several Node-RED instances on
 * one account (issue 16): a real redis-server, our simulator with one account
 * and three Node-RED child processes running the same flow (mo-instances.ts),
 * each bound as a transceiver, with Share with other instances on. Each part
 * is injected as its own deliver_sm; the simulator round-robins MOs over the
 * account's sessions, so consecutive parts reach different instances. Every
 * message must come out once, whole, on one instance; a message missing a
 * part comes out once, flagged incomplete, after Concatenated MO wait; a part
 * sent again to another instance is counted, not output twice.
 */
import assert from 'node:assert/strict';
import { ChildProcess } from 'child_process';
import { RedisAdmin } from '../helpers/redis-server';
import { until } from '../helpers/red-child';
import { SmscSimulator } from '../../src/simulator';
import { deliverMosRetrying } from '../../src/simulator/mo-retry';
import { allMos, makeMoInstance, MoInstance, moReady, partPdu, receiverOf, statsOf, wholeText, partText, FROM, TO } from './mo-instances';
import { openRedis, logsOf, closeRig } from './rig';

const PREFIX = 'smppmo:';
const WAIT = 4000;
const KEY_LIFE = WAIT + 60_000;
/** Acknowledge time limit: an instance holds a message it took for this + 10 s (its lease) */
const ACK_TIME_LIMIT = 6000;

describe('long MOs spread over Node-RED instances are put together once through Redis (shareInstances)', function () {
  this.timeout(240_000);
  let dir = '';
  let redis: { port: number; proc: ChildProcess } | null = null;
  let admin: RedisAdmin | null = null;
  let sim: SmscSimulator;
  const instances: MoInstance[] = [];
  const logs = () => logsOf(instances);
  const scopeKeys = async () => ((await admin!.keys(`${PREFIX}{gw1:smpp-mo}*`)) as string[]).sort();

  /** injects every part of messages from..to-1 (reference n + 1), in order; each is answered ESME_ROK */
  async function inject(from: number, to: number): Promise<void> {
    for (let n = from; n < to; n++) {
      for (let seq = 1; seq <= 3; seq++) assert.equal(await sim.injectMoPdu(partPdu(n, n + 1, seq), 'esme'), 0, `part ${seq} of message ${n} answered ESME_ROK`);
    }
  }

  /** every message from..to-1 output exactly once, whole, across `list`; the MOs of other numbers are ignored */
  async function expectWhole(list: MoInstance[], from: number, to: number): Promise<void> {
    const mine = (m: any) => {
      const k = /^m(\d+)p/.exec(String(m.payload));
      return k !== null && Number(k[1]) >= from && Number(k[1]) < to;
    };
    const got = await until(async () => {
      const all = (await allMos(list)).filter((x) => mine(x.mo));
      return all.length >= to - from ? all : undefined;
    }, `${to - from} messages`, 30_000, logs);
    for (let n = from; n < to; n++) {
      const copies = got.filter((x) => x.mo.payload === wholeText(n));
      assert.equal(copies.length, 1, `message ${n} output once, whole: ${JSON.stringify(got.map((x) => [x.at, x.mo.payload, x.mo.incomplete]))}`);
      const m = copies[0].mo;
      assert.equal(m.incomplete, false);
      assert.deepEqual(m.received, [1, 2, 3]);
      assert.deepEqual(m.concat, { ref: n + 1, total: 3, via: 8 });
      assert.equal(m.from, FROM.slice(1), 'source address (international, without its plus)');
      assert.equal(m.to, TO);
    }
    assert.equal(got.length, to - from, `no piece, nothing twice: ${JSON.stringify(got.map((x) => [x.at, x.mo.payload, x.mo.incomplete]))}`);
    // nothing is left waiting in Redis, so no piece can come out later
    assert.equal(await admin!.zCard(`${PREFIX}{gw1:smpp-mo}open`), 0);
  }

  before(async () => {
    ({ dir, redis, admin } = await openRedis('mo-spread'));
    sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'esme', password: 'secret1' }] });
    await sim.start();
    for (const name of ['A', 'B', 'C']) instances.push(await makeMoInstance(name, redis.port, sim.port, WAIT, PREFIX, { ackTimeLimit: ACK_TIME_LIMIT }));
  });

  after(() => closeRig({ instances, sim, admin, redis: redis?.proc, dir }));

  it('10 three-part MOs spread over two instances come out as 10 whole messages, each once, and no piece', async () => {
    const [A, B] = instances;
    A.red.start();
    B.red.start();
    await Promise.all([moReady(A, logs), moReady(B, logs)]);
    await inject(0, 10);
    await expectWhole([A, B], 0, 10);
    const stats = await Promise.all([A, B].map(statsOf));
    for (const s of stats) assert.ok(s.mo.moParts >= 10, `each instance got parts (spread): ${JSON.stringify(stats.map((x) => x.mo))}`);
    assert.equal(stats[0].mo.moParts + stats[1].mo.moParts, 30);
    assert.equal(stats[0].mo.moReassembled + stats[1].mo.moReassembled, 10);
    assert.equal(stats[0].mo.moIncomplete + stats[1].mo.moIncomplete, 0);
    // what is left: one tombstone per message (a resent part is a duplicate), expiring
    const keys = await scopeKeys();
    assert.equal(keys.length, 10, keys.join(' '));
    for (const k of keys) {
      assert.equal(await admin!.hGet(k, 'done'), '1', k);
      const pttl = await admin!.pTTL(k);
      assert.ok(pttl > 0 && pttl <= KEY_LIFE, `${k} expires within concatWait + 60 s: PTTL ${pttl}`);
    }
  });

  it('across three instances: 10 more three-part MOs, 10 whole messages, each once', async () => {
    const C = instances[2];
    C.red.start();
    await moReady(C, logs);
    const before = await Promise.all(instances.map(statsOf));
    await inject(10, 20);
    await expectWhole(instances, 10, 20);
    const after = await Promise.all(instances.map(statsOf));
    after.forEach((s, i) => assert.equal(s.mo.moParts - before[i].mo.moParts, 10, `round robin over three: each instance got 10 of the 30 parts: ${JSON.stringify(after.map((x) => x.mo))}`));
  });

  it('a message missing a part is output once across the instances, flagged incomplete, after Concatenated MO wait', async () => {
    const n = 20;
    const first = await receiverOf(instances, () => sim.injectMoPdu(partPdu(n, n + 1, 1), 'esme'));
    const second = await receiverOf(instances, () => sim.injectMoPdu(partPdu(n, n + 1, 2), 'esme'));
    assert.notEqual(first.name, second.name, 'the two parts reached different instances');
    const pieces = await until(async () => {
      const all = (await allMos(instances)).filter((x) => String(x.mo.payload).startsWith(`m${n}p`));
      return all.length ? all : undefined;
    }, 'the incomplete message', 30_000, logs);
    // the group was taken from Redis by the one sweep that output it: no other instance can have it
    await until(async () => ((await admin!.zCard(`${PREFIX}{gw1:smpp-mo}open`)) === 0 ? true : undefined), 'no group left waiting', 10_000, logs);
    // every instance's sweep has run again since (a sweep runs each second here)
    await new Promise((r) => setTimeout(r, 2500));
    const all = (await allMos(instances)).filter((x) => String(x.mo.payload).startsWith(`m${n}p`));
    assert.equal(all.length, 1, `once: ${JSON.stringify(all)}`);
    assert.equal(pieces.length, 1);
    const m = all[0].mo;
    assert.equal(m.incomplete, true);
    assert.deepEqual(m.received, [1, 2]);
    assert.deepEqual(m.missing, [3]);
    assert.equal(m.payload, partText(n, 1) + partText(n, 2));
    const stats = await Promise.all(instances.map(statsOf));
    assert.equal(stats.reduce((a, s) => a + s.mo.moIncomplete, 0), 1);
  });

  it('a part the SMSC sends again to another instance is counted as a duplicate, and the message output once', async () => {
    const n = 21;
    const first = await receiverOf(instances, () => sim.injectMoPdu(partPdu(n, n + 1, 1), 'esme'));
    let again = 0;
    const copy = await receiverOf(instances, async () => {
      again = await sim.injectMoPdu(partPdu(n, n + 1, 1), 'esme');
    });
    assert.notEqual(first.name, copy.name, 'the copy reached another instance');
    assert.equal(again, 0, 'the copy is answered ESME_ROK (it is held already)');
    assert.equal((await statsOf(copy)).mo.moDuplicateParts, 1);
    for (const seq of [2, 3]) assert.equal(await sim.injectMoPdu(partPdu(n, n + 1, seq), 'esme'), 0);
    await expectWhole(instances, n, n + 1);
    // the last part sent again after the message was output: a duplicate too, not a new piece
    assert.equal(await sim.injectMoPdu(partPdu(n, n + 1, 3), 'esme'), 0);
    assert.equal(await admin!.zCard(`${PREFIX}{gw1:smpp-mo}open`), 0, 'no new group opened');
    const stats = await Promise.all(instances.map(statsOf));
    assert.equal(stats.reduce((a, s) => a + s.mo.moDuplicateParts, 0), 2);
  });

  it('a message the flow fails: its last part is refused (ESME_RX_T_APPN) and, sent again, completes the message again', async () => {
    const n = 30;
    for (const seq of [1, 2]) assert.equal(await sim.injectMoPdu(partPdu(n, n + 1, seq), 'esme'), 0);
    const answers: number[] = [];
    // the last part, sent again as an SMSC does until it is acknowledged (each instance fails the message once)
    for (let i = 0; i < 6 && answers[answers.length - 1] !== 0; i++) answers.push(await sim.injectMoPdu(partPdu(n, n + 1, 3), 'esme'));
    assert.equal(answers[0], 0x64, `the flow failed it: ${answers.join(',')}`);
    assert.equal(answers[answers.length - 1], 0, `then handled: ${answers.join(',')}`);
    assert.ok(answers.slice(0, -1).every((s) => s === 0x64), answers.join(','));
    await expectWhole(instances, n, n + 1);
    const stats = await Promise.all(instances.map(statsOf));
    assert.equal(stats.reduce((a, s) => a + s.mo.moReassembled, 0), 20 + 1 + answers.length, 'put together again for each resend of the last part');
  });

  it('the instance handing a message to its flow is killed: the last part, sent again, is refused while its lease runs, then another instance outputs the message', async () => {
    const n = 40;
    for (const seq of [1, 2]) assert.equal(await sim.injectMoPdu(partPdu(n, n + 1, seq), 'esme'), 0);
    const before = await Promise.all(instances.map(statsOf));
    // the last part, sent until acknowledged; its first copy is held 30 s in the flow of the instance that gets it
    const delivery = deliverMosRetrying(sim, [partPdu(n, n + 1, 3)], { window: 1, retryMs: 300, giveUpMs: 90_000, systemId: 'esme' });
    const taker = await until(async () => {
      const now = await Promise.all(instances.map(statsOf));
      const k = now.findIndex((s, i) => s.mo.moReassembled === before[i].mo.moReassembled + 1);
      return k >= 0 ? instances[k] : undefined;
    }, 'the instance that took message 40', 10_000, logs);
    await taker.red.stop('SIGKILL');
    const survivors = instances.filter((i) => i !== taker);
    const r = await delivery;
    assert.equal(r.acknowledged, 1, JSON.stringify(r));
    assert.ok((r.byStatus[0x64] ?? 0) >= 1, `busy (ESME_RX_T_APPN) while the lease ran: ${JSON.stringify(r.byStatus)}`);
    const got = await until(async () => {
      const o = (await allMos(survivors)).filter((x) => String(x.mo.payload).startsWith(`m${n}p`));
      return o.length ? o : undefined;
    }, 'message 40 on a survivor', 40_000, logs);
    assert.equal(got.length, 1, JSON.stringify(got));
    assert.equal(got[0].mo.payload, wholeText(n));
    assert.equal(got[0].mo.incomplete, false);
  });
});
