/**
 * Long MOs spread over two Node-RED instances (mo-instances.ts) when Redis or
 * an instance fails (issue 16):
 * - Redis stopped and started again while parts arrive: a part is answered
 *   ESME_ROK only once Redis holds it; while Redis is down the parts are
 *   answered ESME_RX_T_APPN and the SMSC (the simulator's store-and-forward
 *   retry, mo-retry.ts) sends them again; after the restart every message
 *   comes out once, whole; a single MO, which needs no Redis, is taken
 *   meanwhile. This Redis keeps an append-only file (fsync
 *   always), as a deployment that must lose nothing does: the parts held
 *   before the stop are still there after it.
 * - An instance killed (SIGKILL) while parts it stored are in Redis: the
 *   message completes on the instance that receives the last part, and a
 *   message whose only part the dead instance took is output incomplete by
 *   the other instance's sweep after Concatenated MO wait.
 */
import assert from 'node:assert/strict';
import { ChildProcess } from 'child_process';
import { RedisAdmin, redisAdmin, startRedis, stopRedis } from '../helpers/redis-server';
import { until } from '../helpers/red-child';
import { SmscSimulator } from '../../src/simulator';
import { deliverMosRetrying } from '../../src/simulator/mo-retry';
import { allMos, makeMoInstance, MoInstance, moReady, partPdu, partText, receiverOf, statsOf, wholeText } from './mo-instances';
import { openRedis, logsOf, closeRig, APPEND_ONLY } from './rig';

const PREFIX = 'smppmofail:';
const WAIT = 8000;
const ESME_RX_T_APPN = 0x64;
/** Receiving Thread Pool Queue Length on each instance */
const QUEUE = 5;
const ESME_RMSGQFUL = 0x14;
const ESME_RTHROTTLED = 0x58;

describe('long MOs across instances when Redis or an instance fails (shareInstances)', function () {
  this.timeout(240_000);
  let dir = '';
  let redis: { port: number; proc: ChildProcess } | null = null;
  let admin: RedisAdmin | null = null;
  let sim: SmscSimulator;
  const closed: (string | undefined)[] = [];
  const instances: MoInstance[] = [];
  const logs = () => logsOf(instances);
  const openGroups = () => admin!.zCard(`${PREFIX}{gw1:smpp-mo}open`);

  async function outputOf(list: MoInstance[], n: number): Promise<{ at: string; mo: any }[]> {
    return (await allMos(list)).filter((x) => String(x.mo.payload).startsWith(`m${n}p`));
  }

  before(async () => {
    ({ dir, redis, admin } = await openRedis('mo-fail', APPEND_ONLY));
    sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'esme', password: 'secret1' }] });
    sim.on('session-close', (systemId: string | undefined) => closed.push(systemId));
    await sim.start();
    for (const name of ['A', 'B']) instances.push(await makeMoInstance(name, redis.port, sim.port, WAIT, PREFIX, { receiveQueueLength: QUEUE }));
    for (const inst of instances) inst.red.start();
    await Promise.all(instances.map((i) => moReady(i, logs)));
  });

  after(() => closeRig({ instances, sim, admin, redis: redis?.proc, dir }));

  it('Redis stopped and started while parts arrive: parts refused ESME_RX_T_APPN meanwhile, then every message once, whole', async () => {
    // part 1 of four messages, held in Redis (two on each instance)
    for (let n = 0; n < 4; n++) assert.equal(await sim.injectMoPdu(partPdu(n, n + 1, 1), 'esme'), 0);
    assert.equal(await openGroups(), 4);
    const port = redis!.port;
    await admin!.close().catch(() => undefined);
    await stopRedis(redis!.proc);
    // parts 2 and 3, sent until acknowledged, as an SMSC does
    const sentBefore = sim.stats().mosSent;
    const rest = [];
    for (let n = 0; n < 4; n++) for (const seq of [2, 3]) rest.push(partPdu(n, n + 1, seq));
    const delivery = deliverMosRetrying(sim, rest, { window: 2, retryMs: 200, giveUpMs: 60_000, systemId: 'esme' });
    // every part refused at least once while Redis is down
    await until(() => (sim.stats().mosSent - sentBefore >= 2 * rest.length ? true : undefined), 'the parts to be refused and sent again', 30_000, logs);
    assert.deepEqual(await allMos(instances), [], 'no part output while Redis is down');
    // a single MO needs no Redis: taken and acknowledged meanwhile
    assert.equal(await sim.injectMo({ from: '+46700000199', to: '7777', text: 'single while Redis is down', systemId: 'esme' }), 0);
    assert.deepEqual((await allMos(instances)).map((x) => x.mo.payload), ['single while Redis is down']);
    redis = await startRedis(dir, { port, args: APPEND_ONLY });
    admin = await redisAdmin(port);
    const r = await delivery;
    assert.equal(r.acknowledged, rest.length, JSON.stringify(r));
    assert.equal(r.pending, 0);
    assert.equal(r.failed, 0, JSON.stringify(r));
    assert.ok((r.byStatus[ESME_RX_T_APPN] ?? 0) >= rest.length, `each part answered ESME_RX_T_APPN while Redis was down: ${JSON.stringify(r.byStatus)}`);
    assert.deepEqual(Object.keys(r.byStatus).map(Number).sort((a, b) => a - b), [0, ESME_RX_T_APPN], JSON.stringify(r.byStatus));
    const got = await until(async () => {
      const all = (await allMos(instances)).filter((x) => String(x.mo.payload).startsWith('m'));
      return all.length >= 4 ? all : undefined;
    }, 'the four messages', 30_000, logs);
    for (let n = 0; n < 4; n++) {
      const copies = got.filter((x) => x.mo.payload === wholeText(n));
      assert.equal(copies.length, 1, `message ${n} once, whole: ${JSON.stringify(got)}`);
      assert.equal(copies[0].mo.incomplete, false);
    }
    assert.equal(got.length, 4, JSON.stringify(got));
    assert.equal(await openGroups(), 0);
  });

  it('an instance killed while parts it stored are in Redis: the message completes on the other instance; its lone part is output incomplete once', async () => {
    const x = await receiverOf(instances, () => sim.injectMoPdu(partPdu(10, 11, 1), 'esme'));
    const y = await receiverOf(instances, () => sim.injectMoPdu(partPdu(10, 11, 2), 'esme'));
    assert.notEqual(x.name, y.name, 'parts 1 and 2 on different instances');
    // part 1 of message 11 on the instance that is killed (the round robin alternates)
    const lone = await receiverOf(instances, () => sim.injectMoPdu(partPdu(11, 12, 1), 'esme'));
    assert.equal(lone.name, x.name, 'round robin over two sessions');
    const survivorBefore = (await allMos([y])).length;
    await x.red.stop('SIGKILL');
    await until(() => (closed.length >= 1 ? true : undefined), 'the simulator to see the killed instance go', 20_000, logs);
    // the last part reaches the survivor, which puts the message together with the dead instance's part
    assert.equal(await sim.injectMoPdu(partPdu(10, 11, 3), 'esme'), 0);
    const whole = await until(async () => {
      const o = await outputOf([y], 10);
      return o.length ? o : undefined;
    }, 'message 10 on the survivor', 20_000, logs);
    assert.equal(whole.length, 1);
    assert.equal(whole[0].mo.payload, wholeText(10));
    assert.equal(whole[0].mo.incomplete, false);
    // the dead instance's lone part: the survivor's sweep outputs it after the wait
    const piece = await until(async () => {
      const o = await outputOf([y], 11);
      return o.length ? o : undefined;
    }, 'message 11, incomplete, on the survivor', 30_000, logs);
    assert.equal(piece.length, 1);
    assert.equal(piece[0].mo.incomplete, true);
    assert.deepEqual(piece[0].mo.received, [1]);
    assert.deepEqual(piece[0].mo.missing, [2, 3]);
    assert.equal(piece[0].mo.payload, partText(11, 1));
    assert.equal(await openGroups(), 0);
    assert.equal((await statsOf(y)).mo.moIncomplete, 1);
    assert.equal((await allMos([y])).length, survivorBefore + 2, 'nothing else came out on the survivor');
  });

  it('Receiving Thread Pool Queue Length bounds the groups waiting on the whole account: a part that would open one more is refused ESME_RMSGQFUL on every instance', async () => {
    // the killed instance is started again (its user directory and flow kept)
    for (const inst of instances) {
      if ((await inst.red.http('GET', '/mos').catch(() => null))?.status !== 200) {
        inst.red.start();
        await moReady(inst, logs);
      }
    }
    for (let n = 60; n < 60 + QUEUE; n++) assert.equal(await sim.injectMoPdu(partPdu(n, n, 1), 'esme'), 0, `group ${n} opened`);
    assert.equal(await openGroups(), QUEUE);
    // each instance learns the account's count from Redis with each part and each sweep (every second here)
    await until(async () => ((await Promise.all(instances.map(statsOf))).every((s) => s.mo.moHeldGroups === QUEUE) ? true : undefined), "every instance to count the account's groups", 10_000, logs);
    // the next group is refused by whichever instance gets its part (two tries: round robin over both)
    const refused = await Promise.all([0, 1].map(() => sim.injectMoPdu(partPdu(65, 65, 1), 'esme')));
    assert.deepEqual(refused, [ESME_RMSGQFUL, ESME_RMSGQFUL]);
    // a single MO too: the flow plus the groups waiting fill the bound
    assert.equal(await sim.injectMo({ from: '+46700000199', to: '7777', text: 'single over the bound', systemId: 'esme' }), ESME_RTHROTTLED);
    // parts of open groups are still taken, and complete their messages
    for (let n = 60; n < 60 + QUEUE; n++) for (const seq of [2, 3]) assert.equal(await sim.injectMoPdu(partPdu(n, n, seq), 'esme'), 0);
    await until(async () => ((await allMos(instances)).filter((x) => /^m6[0-4]p/.test(String(x.mo.payload))).length === QUEUE ? true : undefined), 'the five messages', 20_000, logs);
    assert.equal(await openGroups(), 0);
    assert.equal(await sim.injectMoPdu(partPdu(65, 65, 1), 'esme'), 0, 'room again');
  });
});
