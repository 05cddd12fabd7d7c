/**
 * Receipts across instances sharing one Redis (shareInstances) when things go
 * wrong: resent receipts, part receipts spread by hand, Redis stopped and
 * started, instances killed. A real redis-server (append-only file on, so a
 * restart keeps its data as a deployment's Redis does), our SMSC simulator,
 * three Node-RED child processes running the SAME flow
 * (test/shared/receipt-flow.ts). To choose which instance gets each receipt,
 * each binds with its own system id (A transceiver 'esmeA' sends, B 'esmeB'
 * and C 'esmeC' transceivers; D 'esmeD', whose flow has no smpp-dlr node,
 * only in the first case); the simulator's own receipts come long after
 * the test, the test sends them itself as the SMSC would, and reads the
 * status each instance answers (sending again while it asks for a retry).
 */
import assert from 'node:assert/strict';
import { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort, RedisAdmin, redisAdmin, redisContextStorage, startRedis, stopRedis } from '../helpers/redis-server';
import { redChild, RedChild, until } from '../helpers/red-child';
import { SmscSimulator, receiptIdOf } from '../../src/simulator';
import { receiptDeliverSm } from '../../src/simulator/pdu-builder';
import { sharedReceiptFlow } from './receipt-flow';
import { logsOf, closeRig, APPEND_ONLY } from './rig';

const PREFIX = 'smppfail:';
const WAIT_MS = 90_000;
const ESME_ROK = 0;
const ESME_RX_T_APPN = 0x64;

interface Instance {
  name: string;
  systemId: string;
  red: RedChild;
}

describe('shared receipts when receipts are resent, Redis restarts or an instance dies (shareInstances)', function () {
  this.timeout(240_000);
  let dir = '';
  let port = 0;
  let redis: ChildProcess | null = null;
  let admin: RedisAdmin | null = null;
  let sim: SmscSimulator;
  const bound = new Set<string>();
  const instances: Instance[] = [];
  const logs = () => logsOf(instances);
  let A: Instance;
  let B: Instance;
  let C: Instance;
  let D: Instance;

  const get = async (inst: Instance, p: string): Promise<any> => {
    const r = await inst.red.http('GET', p);
    assert.equal(r.status, 200, `${inst.name} GET ${p}`);
    return r.json;
  };

  function receipt(sentId: string, stat: 'DELIVRD' | 'UNDELIV' = 'DELIVRD'): Buffer {
    const receiptId = receiptIdOf(sentId, 'hex', 'decimal');
    return receiptDeliverSm(1, {
      srcTon: 1, srcNpi: 1, src: '46700000001', dstTon: 0, dstNpi: 0, dst: '',
      receiptId, messageState: stat === 'DELIVRD' ? 2 : 5,
      text: `id:${receiptId} sub:001 dlvrd:001 submit date:2601010000 done date:2601010000 stat:${stat} err:000 text:x`,
    });
  }

  /** the record a message left in Redis (its part ids, its owner) */
  async function recordOf(correlationId: string): Promise<any> {
    return until(async () => {
      for (const k of await admin!.keys(`${PREFIX}{gw1}smppdlr_r_*`)) {
        const v = JSON.parse((await admin!.get(k)) as string);
        if (v.remembered?.correlationId === correlationId) return v;
      }
      return undefined;
    }, `the record of ${correlationId} in Redis`, 15_000, logs);
  }

  /** sends a receipt to an instance as the SMSC does: again (every 300 ms) while it answers a status asking for a retry */
  async function deliver(pdu: Buffer, to: Instance, statuses?: number[]): Promise<number> {
    for (let i = 0; i < 100; i++) {
      const status = await sim.injectMoPdu(pdu, to.systemId);
      statuses?.push(status);
      if (status !== ESME_RX_T_APPN && status !== 0x58) return status;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`${to.name} kept asking for the receipt again: ${statuses?.slice(-5)}`);
  }

  const allDlrs = async (of: Instance[]) => (await Promise.all(of.map((i) => get(i, '/dlrs').then((d: any[]) => d.map((x) => ({ ...x, on: i.name })))))).flat();

  let markers = 0;
  const isMarker = (d: any) => String(d.payload.messageId).startsWith('99999');
  async function marker(on: Instance[]): Promise<void> {
    // an unmatched receipt sent after the ones under test: once it is out, those before it were handled
    const id = `99999${markers++}`;
    const m = receiptDeliverSm(1, {
      srcTon: 1, srcNpi: 1, src: '46700000001', dstTon: 0, dstNpi: 0, dst: '', receiptId: id, messageState: 2,
      text: `id:${id} sub:001 dlvrd:001 submit date:2601010000 done date:2601010000 stat:DELIVRD err:000 text:marker`,
    });
    for (const i of on) assert.equal(await sim.injectMoPdu(m, i.systemId), ESME_ROK);
    await until(async () => {
      const now = await Promise.all(on.map(async (i) => (await get(i, '/dlrs')).filter((d: any) => d.payload.messageId === id).length));
      return now.every((n) => n === 1) ? true : undefined;
    }, 'the marker receipts', 15_000, logs);
  }

  const pending = (of: Instance[]) => Promise.all(of.map(async (i) => (await get(i, '/status')).correlation.pending as number));

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-gw-rfail-'));
    port = await freePort();
    redis = (await startRedis(dir, { port, args: APPEND_ONLY })).proc;
    admin = await redisAdmin(port);
    sim = new SmscSimulator({
      port: 0,
      accounts: ['esmeA', 'esmeB', 'esmeC', 'esmeD'].map((systemId) => ({ systemId, password: 'secret1' })),
      receiptDelayMs: 3600_000,
      messageIdFormat: 'hex',
      receiptIdFormat: 'decimal',
    });
    sim.on('bind', (systemId: string) => bound.add(systemId));
    sim.on('session-close', (systemId?: string) => systemId && bound.delete(systemId));
    await sim.start();
    const gateway = {
      name: 'shared gw', host: '127.0.0.1', port: sim.port, bindMode: 'transceiver',
      reconnectMin: 100, reconnectMax: 500, heartbeatInterval: 5000, transactionTimeout: 2000, registeredDelivery: '1',
      messageFormat: 'auto', splitMode: 'concatenated', messageIdForm: 'auto',
    };
    const flow = sharedReceiptFlow(gateway, WAIT_MS);
    const noDlr = sharedReceiptFlow(gateway, WAIT_MS, { dlr: false });
    const made = await Promise.all([['A', 'esmeA'], ['B', 'esmeB'], ['C', 'esmeC'], ['D', 'esmeD']].map(async ([name, systemId]) => ({
      name, systemId,
      red: await redChild(name === 'D' ? noDlr : flow, { gw1: { systemId, password: 'secret1' } }, { settingsJs: redisContextStorage(port, PREFIX, 3600) }),
    })));
    instances.push(...made);
    [A, B, C, D] = made;
    for (const i of made) i.red.start();
    for (const i of made) {
      await until(async () => ((await i.red.http('GET', '/dlrs')).status === 200 ? true : undefined), `${i.name} to start`, 60_000, logs);
      await until(() => (bound.has(i.systemId) ? true : undefined), `${i.name} to bind`, 30_000, logs);
    }
  });

  after(() => closeRig({ instances, sim, admin, redis, dir }));

  it("a receipt taken on B wakes A's send-and-wait; resent to A, C and B it is reported once and wakes nothing again; pending counts agree", async () => {
    assert.equal((await A.red.http('POST', '/wait', { text: 'wait for me', to: '+46700000001', correlationId: 'r-1' })).status, 200);
    const rec = await recordOf('r-1');
    const pdu = receipt(rec.partIds[0]);
    assert.equal(await deliver(pdu, B), ESME_ROK);
    const w = await until(async () => {
      const x = await get(A, '/waited');
      return x.length ? x : undefined;
    }, "A's send-and-wait to end", 20_000, logs);
    assert.equal(w[0].outcome, 'delivered', JSON.stringify(w));
    assert.equal(w[0].dlr.state, 'DELIVERED');
    for (const to of [A, C, B]) assert.equal(await deliver(pdu, to), ESME_ROK, `${to.name} answers the resend ESME_ROK`);
    await marker([A, B, C]);
    const matched = (await allDlrs([A, B, C])).filter((d) => d.correlationId === 'r-1' || d.payload.messageId === receiptIdOf(rec.partIds[0], 'hex', 'decimal'));
    assert.equal(matched.length, 1, `reported once across A, B and C: ${JSON.stringify(matched)}`);
    assert.equal(matched[0].on, 'B', 'by the instance that received the first copy');
    assert.equal((await get(A, '/waited')).length, 1, 'the waiter was not woken twice');
    assert.deepEqual(await pending([A, B, C]), [0, 0, 0], 'every instance counts 0 pending messages');
    assert.equal(typeof rec.owner, 'string', 'the record named the instance that sent it');
    assert.equal(rec.waiter, true, 'and that it waits');
  });

  it('an instance without smpp-dlr takes the receipt of a message another instance waits for (not ESME_RTHROTTLED)', async () => {
    assert.equal((await A.red.http('POST', '/wait', { text: 'via D', to: '+46700000008', correlationId: 'n-1' })).status, 200);
    const rec = await recordOf('n-1');
    assert.equal(await sim.injectMoPdu(receipt(rec.partIds[0]), D.systemId), ESME_ROK, 'D answers ESME_ROK');
    const w = await until(async () => {
      const x = (await get(A, '/waited')).filter((y: any) => y.correlationId === 'n-1');
      return x.length ? x : undefined;
    }, "A's send-and-wait to end", 20_000, logs);
    assert.equal(w[0].outcome, 'delivered');
    await D.red.stop('SIGTERM', 10_000);
  });

  it('three-part messages whose part receipts reach A, B and C in any order get one report each; one that fails first is reported once', async () => {
    const orders: Instance[][] = [[A, B, C], [C, B, A], [B, C, A], [C, A, B]];
    const sent: { cid: string; ids: string[] }[] = [];
    for (let i = 0; i < orders.length; i++) {
      const r = await A.red.http('POST', '/send', { text: `${'part '.repeat(66)}${i}`, to: '+46700000002', correlationId: `p-${i}` });
      assert.equal(r.json.error, null, JSON.stringify(r.json));
      sent.push({ cid: `p-${i}`, ids: r.json.smpp.messageIds });
    }
    for (const s of sent) await recordOf(s.cid);
    // part i of message k goes to orders[k][i], all messages interleaved
    for (let part = 0; part < 3; part++) {
      for (let k = 0; k < sent.length; k++) assert.equal(await deliver(receipt(sent[k].ids[part]), orders[k][part]), ESME_ROK);
    }
    await marker([A, B, C]);
    let dlrs = (await allDlrs([A, B, C])).filter((d) => String(d.correlationId).startsWith('p-') || (d.payload.unmatched && !isMarker(d)));
    assert.equal(dlrs.length, sent.length, `one report per message, nothing unmatched: ${JSON.stringify(dlrs.map((d) => [d.correlationId, d.on, d.payload.state]))}`);
    for (const s of sent) {
      const mine = dlrs.filter((d) => d.correlationId === s.cid);
      assert.equal(mine.length, 1, s.cid);
      assert.equal(mine[0].payload.state, 'DELIVERED');
      assert.deepEqual(mine[0].payload.parts.map((p: any) => p.messageId), s.ids);
    }
    // send-and-wait, three parts: part 2 fails first (on B), then parts 1 (on C) and 3 (on A) are delivered
    const failing = await A.red.http('POST', '/wait', { text: `${'fail '.repeat(66)}`, to: '+46700000003', correlationId: 'p-fail' });
    assert.equal(failing.status, 200);
    const failRec = await recordOf('p-fail');
    assert.equal(await deliver(receipt(failRec.partIds[1], 'UNDELIV'), B), ESME_ROK);
    const w = await until(async () => {
      const x = (await get(A, '/waited')).filter((y: any) => y.correlationId === 'p-fail');
      return x.length ? x : undefined;
    }, 'the failing message to leave send-and-wait', 20_000, logs);
    assert.equal(w[0].outcome, 'failed');
    assert.equal(await deliver(receipt(failRec.partIds[0]), C), ESME_ROK);
    assert.equal(await deliver(receipt(failRec.partIds[2]), A), ESME_ROK);
    await marker([A, B, C]);
    dlrs = (await allDlrs([A, B, C])).filter((d) => String(d.correlationId).startsWith('p-') || (d.payload.unmatched && !isMarker(d)));
    assert.equal(dlrs.length, sent.length + 1, `the failing message reported once, nothing unmatched: ${JSON.stringify(dlrs.map((d) => [d.correlationId, d.on, d.payload.state]))}`);
    const fail = dlrs.filter((d) => d.correlationId === 'p-fail');
    assert.equal(fail.length, 1);
    assert.equal(fail[0].payload.delivered, false);
    assert.equal(fail[0].on, 'B');
    assert.equal((await get(A, '/waited')).filter((y: any) => y.correlationId === 'p-fail').length, 1);
    assert.deepEqual(await pending([A, B, C]), [0, 0, 0]);
    assert.deepEqual(await admin!.keys(`${PREFIX}{gw1:smpp-parts}*`), [], 'no part states left');
    assert.deepEqual(await admin!.keys(`${PREFIX}{gw1}smppdlr_r_*`), [], 'no record left');
  });

  it('Redis stopped: receipts are answered ESME_RX_T_APPN and output nowhere; started again: the retries are matched and reach the waiters', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await A.red.http('POST', '/wait', { text: `during ${i}`, to: '+46700000004', correlationId: `d-${i}` })).status, 200);
    const recs = [];
    for (let i = 0; i < 3; i++) recs.push(await recordOf(`d-${i}`));
    const waitedBefore = (await get(A, '/waited')).length;
    const dlrsBefore = (await allDlrs([A, B, C])).length;
    await stopRedis(redis);
    redis = null;
    // while it is down: B (which would read the record from Redis) and A (which has it in memory, but cannot claim it)
    assert.equal(await sim.injectMoPdu(receipt(recs[0].partIds[0]), B.systemId), ESME_RX_T_APPN, 'B asks the SMSC to send it again');
    assert.equal(await sim.injectMoPdu(receipt(recs[1].partIds[0]), A.systemId), ESME_RX_T_APPN, 'A asks the SMSC to send it again');
    assert.equal((await allDlrs([A, B, C])).length, dlrsBefore, 'nothing output while Redis is down');
    assert.equal((await get(A, '/waited')).length, waitedBefore, 'the waiters still wait');
    const down = Date.now();
    redis = (await startRedis(dir, { port, args: APPEND_ONLY })).proc;
    const statuses: number[] = [];
    assert.equal(await deliver(receipt(recs[0].partIds[0]), B, statuses), ESME_ROK);
    assert.equal(await deliver(receipt(recs[1].partIds[0]), A, statuses), ESME_ROK);
    assert.equal(await deliver(receipt(recs[2].partIds[0]), C, statuses), ESME_ROK);
    const w = await until(async () => {
      const x = (await get(A, '/waited')).filter((y: any) => String(y.correlationId).startsWith('d-'));
      return x.length >= 3 ? x : undefined;
    }, 'the three waiters to end after Redis is back', 30_000, logs);
    console.log(`      Redis back: 3 of 3 waiters delivered ${Date.now() - down} ms after it was started again (SMSC answers: ${statuses.join(',')})`);
    assert.deepEqual(w.map((x: any) => x.outcome), ['delivered', 'delivered', 'delivered']);
    const d = (await allDlrs([A, B, C])).filter((x) => String(x.correlationId).startsWith('d-'));
    assert.deepEqual(d.map((x) => `${x.correlationId}@${x.on}`).sort(), ['d-0@B', 'd-1@A', 'd-2@C']);
    await until(async () => ((await pending([A, B, C])).every((n) => n === 0) ? true : undefined), 'pending 0 everywhere', 10_000, logs);
  });

  it('Redis restarted WITHOUT its data: the sender writes its waiting records again, and their receipts still reach the waiters', async () => {
    for (let i = 0; i < 2; i++) assert.equal((await A.red.http('POST', '/wait', { text: `lost ${i}`, to: '+46700000007', correlationId: `e-${i}` })).status, 200);
    const recs = [await recordOf('e-0'), await recordOf('e-1')];
    await stopRedis(redis);
    redis = null;
    // its data gone, as a Redis without persistence comes back
    for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
    const t0 = Date.now();
    redis = (await startRedis(dir, { port, args: APPEND_ONLY })).proc;
    // A notices Redis is back (its inbox reader reconnects) and writes both records again
    await recordOf('e-0');
    await recordOf('e-1');
    console.log(`      empty Redis back: A's 2 waiting records written again within ${Date.now() - t0} ms`);
    assert.equal(await deliver(receipt(recs[0].partIds[0]), B), ESME_ROK);
    assert.equal(await deliver(receipt(recs[1].partIds[0]), C), ESME_ROK);
    const w = await until(async () => {
      const x = (await get(A, '/waited')).filter((y: any) => String(y.correlationId).startsWith('e-'));
      return x.length >= 2 ? x : undefined;
    }, 'the two waiters to end', 20_000, logs);
    assert.deepEqual(w.map((x: any) => x.outcome), ['delivered', 'delivered']);
    const d = (await allDlrs([A, B, C])).filter((x) => String(x.correlationId).startsWith('e-'));
    assert.deepEqual(d.map((x) => `${x.correlationId}@${x.on}:${x.payload.unmatched}`).sort(), ['e-0@B:false', 'e-1@C:false']);
  });

  it('an instance killed: part states and waiters are in Redis, the others finish the messages; nothing crashes; the dead one\'s inbox expires', async () => {
    // B holds nothing but Redis does: a three-part message, its part 1 taken by B, then B killed
    const r = await A.red.http('POST', '/send', { text: `${'kill '.repeat(66)}`, to: '+46700000005', correlationId: 'k-1' });
    const ids: string[] = r.json.smpp.messageIds;
    const rec = await recordOf('k-1');
    assert.equal(await deliver(receipt(ids[0]), B), ESME_ROK);
    const partKey = `${PREFIX}{gw1:smpp-parts}${rec.rid}`;
    const pttl = await admin!.pTTL(partKey);
    assert.ok(pttl > 0, `the part states expire (PTTL ${pttl})`);
    await B.red.stop('SIGKILL', 5000);
    assert.equal(await deliver(receipt(ids[1]), C), ESME_ROK);
    assert.equal(await deliver(receipt(ids[2]), C), ESME_ROK);
    const k1 = await until(async () => {
      const x = (await get(C, '/dlrs')).filter((y: any) => y.correlationId === 'k-1');
      return x.length ? x : undefined;
    }, "C's report of the message B had a part of", 15_000, logs);
    assert.equal(k1.length, 1);
    assert.deepEqual(k1[0].payload.parts.map((p: any) => p.state), ['DELIVERED', 'DELIVERED', 'DELIVERED']);
    assert.equal(await admin!.exists(partKey), 0);

    // A holds a waiter and is killed: C takes its receipt, outputs it, hands it to A's inbox, which expires
    assert.equal((await A.red.http('POST', '/wait', { text: 'orphan', to: '+46700000006', correlationId: 'k-2' })).status, 200);
    const orphan = await recordOf('k-2');
    await A.red.stop('SIGKILL', 5000);
    assert.equal(await deliver(receipt(orphan.partIds[0]), C), ESME_ROK);
    const k2 = await until(async () => {
      const x = (await get(C, '/dlrs')).filter((y: any) => y.correlationId === 'k-2');
      return x.length ? x : undefined;
    }, "C's report of the dead instance's message", 15_000, logs);
    assert.equal(k2.length, 1);
    assert.equal(k2[0].payload.unmatched, false);
    const inbox = `${PREFIX}{gw1:smpp-inbox}${orphan.owner}`;
    assert.equal(await admin!.xLen(inbox), 1, 'the note waits in the dead instance\'s inbox');
    const ttl = await admin!.pTTL(inbox);
    assert.ok(ttl > 0 && ttl <= 3600_000, `and expires (PTTL ${ttl})`);
    assert.equal((await get(C, '/status')).correlation.pending, 0);
    assert.doesNotMatch(C.red.log(), /TypeError|uncaught|Unhandled/i, logs());
  });
});
