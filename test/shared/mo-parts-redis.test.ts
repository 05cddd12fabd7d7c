/**
 * nodes/shared/mo-parts.ts on a real redis-server through our Redis context
 * store, without Node-RED: the answers of its scripts (held, duplicate, full,
 * whole), the wait for Redis (a stopped redis-server: no answer within
 * REDIS_ANSWER_MS, the part is refused and, when Redis runs again and the
 * part completed its message after all, the message is handed out late),
 * giving a failed message back, two instances' sweeps taking a group once,
 * key lifetimes, and Redis memory per held part (printed).
 */
import assert from 'node:assert/strict';
import { ChildProcess } from 'child_process';
import { RedisAdmin, redisAdmin, startRedis, stopRedis } from '../helpers/redis-server';
import redisStore = require('../../nodes/context-store/redis');
import { createSharedParts, KEY_MARGIN_MS, REDIS_ANSWER_MS, Settle, SharedAddResult, SharedParts } from '../../nodes/shared/mo-parts';
import { classifyInbound, ConcatInfo, MoMessage } from '../../src/message/inbound';
import type { WholeMo } from '../../src/message/reassembly';
import { partPdu, partText, wholeText } from './mo-instances';
import { openRedis, closeRig } from './rig';

type Part = MoMessage & { concat: ConcatInfo };

function part(n: number, ref: number, seq: number, total = 3): Part {
  const r = classifyInbound(partPdu(n, ref, seq, total));
  assert.equal(r.kind, 'mo');
  return r as Part;
}

describe('long MO parts in Redis (nodes/shared/mo-parts.ts, real redis-server)', function () {
  this.timeout(60_000);
  const WAIT = 1000;
  const LEASE = 1500;
  let dir = '';
  let redis: { port: number; proc: ChildProcess } | null = null;
  let admin: RedisAdmin;
  const stores: ReturnType<typeof redisStore>[] = [];
  const late: { m: WholeMo; settle: Settle }[] = [];
  const warnings: string[] = [];
  let gw = 0;

  /** one "instance": its own store (connection) on the same Redis, for gateway `id` */
  async function instance(id: string): Promise<SharedParts> {
    const s = redisStore({ url: `redis://127.0.0.1:${redis!.port}`, prefix: 'mo:' });
    await s.open();
    stores.push(s);
    return createSharedParts(s, id, { waitMs: WAIT, leaseMs: LEASE, lateWhole: (m, settle) => late.push({ m, settle }), warn: (t) => warnings.push(t) });
  }

  const add = (p: SharedParts, mo: Part, max = 100) => new Promise<SharedAddResult>((resolve) => p.add(mo, max, resolve));
  const sweep = (p: SharedParts) => new Promise<WholeMo[]>((resolve) => {
    p.sweep(resolve);
    setTimeout(() => resolve([]), 2000);
  });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  before(async () => {
    ({ dir, redis, admin } = await openRedis('mo-parts'));
  });

  after(async () => {
    for (const s of stores) await s.close();
    await closeRig({ admin, redis: redis?.proc, dir });
  });

  it('held, duplicate (also after the message was taken), whole once; keys expire concatWait + 60 s', async () => {
    const id = `gw${++gw}`;
    const [a, b] = [await instance(id), await instance(id)];
    assert.deepEqual(await add(a, part(1, 7, 2)), { kind: 'held' });
    assert.deepEqual(await add(b, part(1, 7, 2)), { kind: 'duplicate' });
    assert.deepEqual(await add(b, part(1, 7, 1)), { kind: 'held' });
    assert.equal(a.size, 1);
    const g = `mo:{${id}:smpp-mo}g:8|46700000100|7777|7|3|0`;
    for (const k of [g, `mo:{${id}:smpp-mo}open`]) {
      const pttl = await admin.pTTL(k);
      assert.ok(pttl > WAIT + KEY_MARGIN_MS - 5000 && pttl <= WAIT + KEY_MARGIN_MS, `${k}: PTTL ${pttl}`);
    }
    const r = await add(a, part(1, 7, 3));
    assert.equal(r.kind, 'whole');
    const m = (r as { message: WholeMo }).message;
    assert.equal(m.payload, wholeText(1));
    assert.equal(m.incomplete, false);
    assert.equal(m.duplicates, 1, 'the duplicate counted in Redis, whichever instance saw it');
    assert.equal(a.size, 0);
    const takenTtl = await admin.pTTL(g);
    assert.ok(takenTtl > LEASE + WAIT + KEY_MARGIN_MS - 5000 && takenTtl <= LEASE + WAIT + KEY_MARGIN_MS, `taken: PTTL ${takenTtl}`);
    assert.deepEqual(await add(b, part(1, 7, 3)), { kind: 'busy' }, 'a part sent again while the message is in a flow');
    await (r as { settle: Settle }).settle(true);
    assert.deepEqual(await add(b, part(1, 7, 3)), { kind: 'duplicate' }, 'a part sent again after the message was handled');
    assert.deepEqual(await admin.hGetAll(g), { done: '1', d: '1' });
    assert.ok((await admin.pTTL(g)) <= WAIT + KEY_MARGIN_MS);
    assert.equal(b.counters.duplicateParts, 2);
    assert.equal(a.counters.reassembled, 1);
  });

  it('Receiving Thread Pool Queue Length: a part that would open a group beyond the account\'s bound is refused; parts of open groups are taken', async () => {
    const id = `gw${++gw}`;
    const [a, b] = [await instance(id), await instance(id)];
    assert.equal((await add(a, part(2, 1, 1), 2)).kind, 'held');
    assert.equal((await add(b, part(3, 2, 1), 2)).kind, 'held');
    assert.deepEqual(await add(a, part(4, 3, 1), 2), { kind: 'full' }, 'two groups wait across the instances');
    assert.equal((await add(a, part(2, 1, 2), 2)).kind, 'held');
    assert.equal(b.counters.refusedFull + a.counters.refusedFull, 1);
  });

  it('two instances sweeping at once: a group past the wait is handed out once, incomplete', async () => {
    const id = `gw${++gw}`;
    const [a, b] = [await instance(id), await instance(id)];
    await add(a, part(5, 9, 1));
    await add(b, part(5, 9, 3));
    await sleep(WAIT + 100);
    const [x, y] = await Promise.all([sweep(a), sweep(b)]);
    const out = [...x, ...y];
    assert.equal(out.length, 1, JSON.stringify(out));
    assert.equal(out[0].incomplete, true);
    assert.deepEqual(out[0].received, [1, 3]);
    assert.deepEqual(out[0].missing, [2]);
    assert.equal(out[0].payload, partText(5, 1) + partText(5, 3));
    assert.equal(a.counters.incomplete + b.counters.incomplete, 1);
    // a part arriving after that opens a new group (its text is not dropped)
    assert.equal((await add(a, part(5, 9, 2))).kind, 'held');
  });

  it('a message given back (its flow failed it) completes again when the SMSC sends its last part again', async () => {
    const id = `gw${++gw}`;
    const [a, b] = [await instance(id), await instance(id)];
    await add(a, part(6, 4, 1));
    await add(b, part(6, 4, 2));
    const r = await add(a, part(6, 4, 3));
    assert.equal(r.kind, 'whole');
    await (r as { settle: Settle }).settle(false);
    assert.equal(await admin.zCard(`mo:{${id}:smpp-mo}open`), 1, 'waiting again once settle(false) resolved');
    const again = await add(b, part(6, 4, 3));
    assert.equal(again.kind, 'whole');
    assert.equal((again as { message: WholeMo }).message.payload, wholeText(6));
  });

  it('the instance that took a message never settles it (stopped): after its lease, the part sent again makes another instance take it over', async () => {
    const id = `gw${++gw}`;
    const [a, b] = [await instance(id), await instance(id)];
    await add(a, part(12, 8, 1));
    await add(b, part(12, 8, 2));
    const first = await add(a, part(12, 8, 3));
    assert.equal(first.kind, 'whole');
    assert.equal((await add(b, part(12, 8, 3))).kind, 'busy', 'within the lease');
    await sleep(LEASE + 100);
    const over = await add(b, part(12, 8, 3));
    assert.equal(over.kind, 'whole', 'taken over after the lease');
    assert.equal((over as { message: WholeMo }).message.payload, wholeText(12));
    // the first taker settling late changes nothing: the message is the second's now
    await (first as { settle: Settle }).settle(false);
    assert.equal(await admin.zCard(`mo:{${id}:smpp-mo}open`), 0, 'not put back by the late taker');
    await (over as { settle: Settle }).settle(true);
    assert.deepEqual(await add(a, part(12, 8, 1)), { kind: 'duplicate' });
  });

  it('Redis stopped (SIGSTOP): a part gets no answer within REDIS_ANSWER_MS and is refused; the message it completed is handed out late, once', async () => {
    const id = `gw${++gw}`;
    const a = await instance(id);
    await add(a, part(7, 5, 1));
    await add(a, part(7, 5, 2));
    redis!.proc.kill('SIGSTOP');
    const started = Date.now();
    let r: SharedAddResult;
    try {
      r = await add(a, part(7, 5, 3));
    } finally {
      redis!.proc.kill('SIGCONT');
    }
    assert.equal(r.kind, 'unavailable');
    assert.match((r as { why: string }).why, new RegExp(`no answer from Redis within ${REDIS_ANSWER_MS} ms`));
    assert.ok(Date.now() - started >= REDIS_ANSWER_MS - 50);
    assert.equal(warnings.filter((w) => /cannot be stored in Redis \(no answer from Redis within/.test(w)).length, 1, warnings.join('\n'));
    for (let i = 0; i < 100 && late.length === 0; i++) await sleep(50);
    assert.equal(late.length, 1, 'the message the refused part completed after all');
    assert.equal(late[0].m.payload, wholeText(7));
    // the SMSC sends the refused part again: while the late message is in the flow, busy; once handled, a duplicate
    assert.deepEqual(await add(a, part(7, 5, 3)), { kind: 'busy' });
    await late[0].settle(true);
    assert.deepEqual(await add(a, part(7, 5, 3)), { kind: 'duplicate' });
    late.length = 0;
  });

  it('Redis gone (stopped): a part is refused at once ("unavailable"), and warned once; a Redis without persistence restarts empty', async () => {
    const id = `gw${++gw}`;
    const a = await instance(id);
    const port = redis!.port;
    const warned = warnings.length;
    // held before the stop, in a Redis that keeps nothing on disk (this test's: no RDB, no AOF)
    assert.equal((await add(a, part(13, 13, 1))).kind, 'held');
    await stopRedis(redis!.proc);
    const r1 = await add(a, part(8, 6, 1));
    const r2 = await add(a, part(8, 6, 2));
    assert.equal(r1.kind, 'unavailable');
    assert.equal(r2.kind, 'unavailable');
    assert.equal(warnings.slice(warned).filter((w) => /cannot be stored in Redis/.test(w)).length, 1, warnings.join('\n'));
    redis = await startRedis(dir, { port });
    await admin.close().catch(() => undefined);
    admin = await redisAdmin(port);
    let r: SharedAddResult = { kind: 'unavailable', why: '' };
    for (let i = 0; i < 100 && r.kind === 'unavailable'; i++) {
      r = await add(a, part(8, 6, 1));
      if (r.kind === 'unavailable') await sleep(100);
    }
    assert.equal(r.kind, 'held', 'stored once Redis is back (the script loaded again)');
    // the part held before the restart is gone with Redis' memory: its message comes out without it, after the wait
    assert.equal((await add(a, part(13, 13, 2))).kind, 'held');
    assert.equal((await add(a, part(13, 13, 3))).kind, 'held', 'not whole: part 1 was lost with the restart');
    await sleep(WAIT + 100);
    const out = (await sweep(a)).filter((m) => String(m.payload).startsWith('m13p'));
    assert.equal(out.length, 1);
    assert.deepEqual(out[0].received, [2, 3]);
    assert.deepEqual(out[0].missing, [1]);
  });

  it('Redis memory per held part (printed)', async () => {
    const id = `gw${++gw}`;
    const a = await instance(id);
    const g = `mo:{${id}:smpp-mo}g:8|46700000100|7777|200|3|0`;
    // parts of 153 characters, as a GSM 7-bit three-part message has
    const big = (seq: number): Part => {
      const mo = part(9, 200, seq);
      return { ...mo, body: Buffer.alloc(153, 0x41) };
    };
    await add(a, big(1));
    const one = Number(await admin.sendCommand(['MEMORY', 'USAGE', g]));
    await add(a, big(2));
    const two = Number(await admin.sendCommand(['MEMORY', 'USAGE', g]));
    console.log(`      Redis memory: a group with 1 part ${one} B, 2 parts ${two} B: ${two - one} B per 153-character part`);
    assert.ok(two > one && two - one < 2048, `${one} ${two}`);
  });
});
