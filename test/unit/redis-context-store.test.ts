/**
 * The Redis context store (nodes/context-store/redis.ts) against a REAL
 * redis-server (the Debian package, see .ci/install-peers.sh) started by this
 * file on 127.0.0.1 on a free port, without persistence, and killed after.
 *
 * Through Node-RED's own context module (which takes the store as a module
 * object, as settings.js gives it), directly (TTL, delete, clean, ordering),
 * and under the gateway's receipt correlation (nodes/correlation-context.ts):
 * two "processes" sharing one Redis, entry expiry, and the size of Redis per
 * pending message (printed; INFO memory used_memory before and after).
 */
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort, RedisAdmin, redisAdmin, startRedis, stopRedis } from '../helpers/redis-server';
import redisStore = require('../../nodes/context-store/redis');
import { ContextApi, contextKv, realClock, withClaims } from '../../nodes/correlation-context';
import { FindResult, ReceiptMatcher } from '../../src/correlation/matcher';
import type { ReceiptMessage } from '../../src/message/inbound';
import { LeasedBucket } from '../../src/engine/leased-rate';
import { StoredCorrelation as ContextCorrelation, LookupResult } from '../../src/correlation/stored-copy';
import { CorrelationStore } from '../../src/correlation/memory-store';
import { idFormsOf } from '../../src/correlation/id-form';
import { KEY_PREFIX } from '../../src/correlation/context-record';
import { MessageIdGenerator } from '../../src/simulator/message-ids';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const contextModule = require('@node-red/runtime/lib/nodes/context');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const nodeRedUtil = require('@node-red/util').util;

type Store = ReturnType<typeof redisStore>;

function getP(s: Store, scope: string, key: string | string[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => s.get(scope, key, (err, ...v) => (err ? reject(err) : resolve(v))));
}
function setP(s: Store, scope: string, key: string | string[], value: unknown): Promise<void> {
  return new Promise((resolve, reject) => s.set(scope, key, value, (err) => (err ? reject(err) : resolve())));
}
function keysP(s: Store, scope: string): Promise<string[]> {
  return new Promise((resolve, reject) => s.keys(scope, (err, k) => (err ? reject(err) : resolve((k ?? []).slice().sort()))));
}

async function until<T>(fn: () => Promise<T | undefined>, what: string, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Node-RED's context API of one scope over a store, as node.context() gives it (the store name is ignored). */
function contextOf(s: Store, scope: string): ContextApi {
  return {
    get: (key, _store, cb) => s.get(scope, key, cb),
    set: (key, value, _store, cb) => s.set(scope, key, value, cb),
    keys: (_store, cb) => s.keys(scope, cb),
  };
}

describe('Redis context store (nodes/redis-context-store) on a real redis-server', function () {
  this.timeout(60_000);
  let redis: { port: number; proc: ChildProcess; dir: string } | null = null;
  let url = '';
  let admin: RedisAdmin;
  const open: Store[] = [];

  async function store(config: Record<string, unknown> = {}): Promise<Store> {
    const s = redisStore({ url, ...config });
    await s.open();
    open.push(s);
    return s;
  }

  before(async () => {
    redis = await startRedis();
    url = `redis://127.0.0.1:${redis.port}`;
    admin = await redisAdmin(redis.port);
  });
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
    await admin.flushAll();
  });
  after(async () => {
    await admin?.close().catch(() => undefined);
    await stopRedis(redis?.proc ?? null);
    if (redis) fs.rmSync(redis.dir, { recursive: true, force: true });
  });

  describe('as Node-RED loads it (settings.js contextStorage with a module object)', () => {
    afterEach(async () => {
      await contextModule.close();
    });

    it('is accepted as a store and serves get, set, keys and property paths through node.context()', async () => {
      contextModule.init({ contextStorage: { default: { module: 'memory' }, redis: { module: redisStore, config: { url, prefix: 'nr1:' } } } });
      await contextModule.load();
      assert.deepEqual(contextModule.listStores(), { default: 'default', stores: ['default', 'redis'] });
      const ctx = contextModule.get('gw1');
      const set = (k: string | string[], v: unknown) => new Promise<void>((res, rej) => ctx.set(k, v, 'redis', (e?: Error) => (e ? rej(e) : res())));
      const get = (k: string | string[]) => new Promise<unknown[]>((res, rej) => ctx.get(k, 'redis', (e: Error | undefined, ...v: unknown[]) => (e ? rej(e) : res(v))));
      const keys = () => new Promise<string[]>((res, rej) => ctx.keys('redis', (e: Error | undefined, k: string[]) => (e ? rej(e) : res(k.slice().sort()))));

      await set('rec', { id: 'a1', parts: [1, 2], nested: { ok: true } });
      await set(['n', 's', 'z'], [42, 'text']);
      assert.deepEqual(await get('rec'), [{ id: 'a1', parts: [1, 2], nested: { ok: true } }]);
      assert.deepEqual(await get(['n', 's', 'z', 'missing']), [42, 'text', null, undefined], 'a key without a value is null, as in Node-RED stores');
      assert.deepEqual(await get('rec.nested.ok'), [true]);
      assert.deepEqual(await get('rec.parts[1]'), [2]);
      await set('rec.parts[2]', 3);
      await set('fresh.a["b c"]', 'x');
      assert.deepEqual(await get(['rec', 'fresh']), [{ id: 'a1', parts: [1, 2, 3], nested: { ok: true } }, { a: { 'b c': 'x' } }]);
      assert.deepEqual(await keys(), ['fresh', 'n', 'rec', 's', 'z']);
      await set('rec.nested', undefined);
      await set('n', undefined);
      assert.deepEqual(await get(['rec', 'n']), [{ id: 'a1', parts: [1, 2, 3] }, undefined]);
      assert.deepEqual(await keys(), ['fresh', 'rec', 's', 'z']);
      // what is in Redis: JSON under <prefix>{<scope>}<key>
      assert.equal(await admin.get('nr1:{gw1}rec'), JSON.stringify({ id: 'a1', parts: [1, 2, 3] }));
      assert.equal(await admin.exists('nr1:{gw1}n'), 0);
      // other scopes are other keys
      const other = contextModule.get('gw2');
      const otherKeys = await new Promise<string[]>((res, rej) => other.keys('redis', (e: Error | undefined, k: string[]) => (e ? rej(e) : res(k))));
      assert.deepEqual(otherKeys, []);
    });

    it('makes Node-RED refuse to start when Redis cannot be reached, saying why', async () => {
      const port = await freePort();
      contextModule.init({ contextStorage: { redis: { module: redisStore, config: { url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 1500 } } } });
      await assert.rejects(contextModule.load(), 'Node-RED does not start');
      // what Node-RED prints after "Failed to load context store": the store's own error
      const s = redisStore({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 1500 });
      await assert.rejects(s.open(), /no connection to Redis at redis:\/\/127\.0\.0\.1:\d+ within 1500 ms/);
      await assert.rejects(getP(s, 'gw1', 'k'), /not open|closed/);
    });
  });

  it('reads context keys as Node-RED does (property paths), refusing what Node-RED refuses', () => {
    const good = ['a', 'a.b', 'a[0]', 'a["b"]', "a['b.c']", 'a[0][1].c', 'a$b', 'a-b', 'a.b[12].c["d e"]', 'smppdlr_k0_n$3a123'];
    for (const e of good) assert.deepEqual(redisStore.parseContextKey(e), nodeRedUtil.normalisePropertyExpression(e), e);
    const bad = ['', 'a..b', 'a.', '.a', '[0]', 'a[x]', 'a]', 'a["b]', 'a b', 'é.ü'];
    for (const e of bad) {
      assert.throws(() => nodeRedUtil.normalisePropertyExpression(e), Error, `Node-RED refuses ${e}`);
      assert.throws(() => redisStore.parseContextKey(e), /invalid context key/, e);
    }
  });

  it('is a context-store plugin at nodes/context-store/redis; the old path nodes/redis-context-store is the same module', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    assert.equal(require('../../nodes/redis-context-store'), redisStore);
    assert.equal(String(redisStore), 'redis-context-store');
  });

  it("loads without the 'redis' package, and a store made without it says how to install it", () => {
    // the compiled module alone in a directory with no node_modules above it
    const lone = fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-no-redis-'));
    try {
      const file = path.join(lone, 'redis.js');
      fs.copyFileSync(require.resolve('../../nodes/context-store/redis'), file);
      assert.throws(() => require.resolve('redis', { paths: [lone] }), /Cannot find module/, 'no redis reachable from there');
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const alone = require(file) as typeof redisStore;
      assert.equal(typeof alone, 'function');
      assert.throws(() => alone({ url }), /the 'redis' npm package is not installed.*`npm install redis` in the Node-RED user directory/);
    } finally {
      fs.rmSync(lone, { recursive: true, force: true });
    }
  });

  it('shares values between two stores (two processes) on one prefix, and keeps prefixes apart', async () => {
    const a = await store({ prefix: 'shared:' });
    const b = await store({ prefix: 'shared:' });
    const c = await store({ prefix: 'other:' });
    await setP(a, 'gw1', 'k', { from: 'a' });
    assert.deepEqual(await getP(b, 'gw1', 'k'), [{ from: 'a' }]);
    assert.deepEqual(await getP(c, 'gw1', 'k'), [undefined]);
    await setP(b, 'gw1', 'k', undefined);
    assert.deepEqual(await getP(a, 'gw1', 'k'), [undefined]);
  });

  it('gives every key written the time to live of ttlSeconds, and Redis drops it after that', async () => {
    const s = await store({ ttlSeconds: 0.6 });
    const plain = await store({ prefix: 'plain:' });
    await setP(s, 'gw1', 'one', 1);
    await setP(s, 'gw1', ['two', 'three'], [2, 3]);
    await setP(plain, 'gw1', 'kept', 1);
    for (const k of ['one', 'two', 'three']) {
      const pttl = await admin.pTTL(s.redisKey('gw1', k));
      assert.ok(pttl > 0 && pttl <= 600, `${k}: PTTL ${pttl}`);
    }
    assert.equal(await admin.pTTL(plain.redisKey('gw1', 'kept')), -1, 'no ttlSeconds: no expiry');
    await until(async () => ((await admin.exists([s.redisKey('gw1', 'one'), s.redisKey('gw1', 'two'), s.redisKey('gw1', 'three')])) === 0 ? true : undefined), 'the keys to expire', 10_000);
    assert.deepEqual(await getP(s, 'gw1', ['one', 'two', 'three']), [undefined, undefined, undefined]);
    assert.deepEqual(await keysP(s, 'gw1'), []);
    assert.deepEqual(await keysP(plain, 'gw1'), ['kept']);
  });

  it('keeps the order of writes when a property path is read and rewritten', async () => {
    const s = await store();
    const order: string[] = [];
    s.set('gw1', 'x', { a: 1 }, () => order.push('1'));
    s.set('gw1', 'x.b', 2, () => order.push('2'));
    s.set('gw1', 'x', 'replaced', () => order.push('3'));
    s.set('gw1', 'y', 1, () => order.push('4'));
    s.set('gw1', 'y', undefined, () => order.push('5'));
    const [x, y] = await getP(s, 'gw1', ['x', 'y']);
    assert.equal(x, 'replaced');
    assert.equal(y, undefined);
    assert.deepEqual(order, ['1', '2', '3', '4', '5']);
  });

  it('delete(scope) and clean(active nodes) remove whole scopes, never global; clean: false keeps them', async () => {
    const s = await store();
    const scopes = ['gw1', 'gw1:flow1', 'gone', 'gone:flow1', 'global', 'odd{sc}%pe*', 'odd'];
    for (const sc of scopes) await setP(s, sc, 'k', sc);
    assert.deepEqual(await keysP(s, 'odd{sc}%pe*'), ['k'], 'a scope with braces, % and glob characters');
    assert.deepEqual(await getP(s, 'odd', 'k'), ['odd']);
    await s.delete('odd{sc}%pe*');
    assert.deepEqual(await getP(s, 'odd', 'k'), ['odd'], 'only that scope');
    assert.deepEqual(await keysP(s, 'odd{sc}%pe*'), []);

    const keep = await store({ clean: false });
    await keep.clean(['gw1']);
    assert.equal((await admin.keys('nodered:*')).length, 6);
    await s.clean(['gw1', 'flow1']);
    const left = (await admin.keys('nodered:*')).sort();
    assert.deepEqual(left, ['nodered:{global}k', 'nodered:{gw1:flow1}k', 'nodered:{gw1}k']);
  });

  it("clean() on one instance never deletes another instance's live records (Node-RED calls it after every deploy)", async () => {
    // A: the gateway gw1's correlation (one record written by each kind of store); B runs other flows
    const a = await store();
    const aTtl = await store({ ttlSeconds: 3600 });
    const b = await store();
    await setP(a, 'gw1', ['smppdlr_r_x1', 'smppdlr_k0_1'], [{ rid: 'x1' }, { rid: 'x1', part: 0, t: 1 }]);
    await setP(aTtl, 'gw1', 'smppdlr_r_x2', { rid: 'x2' });
    await setP(aTtl, 'gone', 'k', 'written with a time to live');
    await setP(b, 'other', 'k', 'b');
    // B deploys its flows (gw1 is not among them), twice, as on start and on a deploy
    await b.clean(['other', 'flowB']);
    await b.clean(['other2']);
    assert.deepEqual(await keysP(a, 'gw1'), ['smppdlr_k0_1', 'smppdlr_r_x1', 'smppdlr_r_x2'], "A's records survive B's clean");
    assert.deepEqual(await getP(a, 'gone', 'k'), ['written with a time to live']);
    assert.deepEqual(await keysP(b, 'other'), [], "B's own key of a node B no longer has is cleaned");
    // A's store with a time to live never cleans (Redis expires the keys); A's own key without one goes
    await aTtl.clean([]);
    assert.deepEqual(await getP(a, 'gone', 'k'), ['written with a time to live']);
    await setP(a, 'gone', 'k', 'rewritten by A, no time to live');
    await a.clean(['gw1']);
    assert.deepEqual(await getP(a, 'gone', 'k'), [undefined]);
    assert.deepEqual(await keysP(a, 'gw1'), ['smppdlr_k0_1', 'smppdlr_r_x1', 'smppdlr_r_x2']);
  });

  it('while Redis is down, calls fail (no unbounded queue); when it is back, the store works again', async () => {
    const own = await startRedis();
    const ownUrl = `redis://127.0.0.1:${own.port}`;
    let again: ChildProcess | null = null;
    try {
      const s = redisStore({ url: ownUrl });
      await s.open();
      open.push(s);
      await setP(s, 'gw1', 'k', 1);
      await stopRedis(own.proc);
      await until(async () => {
        try {
          await getP(s, 'gw1', 'k');
          return undefined;
        } catch (e) {
          return e as Error;
        }
      }, 'a read to fail while Redis is down', 10_000);
      await assert.rejects(setP(s, 'gw1', 'k', 2));
      // the same port again (no persistence: the old value is gone)
      again = spawn('redis-server', ['--port', String(own.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', own.dir], { stdio: 'ignore' });
      await until(async () => {
        try {
          await setP(s, 'gw1', 'k', 3);
          return true;
        } catch {
          return undefined;
        }
      }, 'the store to reconnect', 20_000);
      assert.deepEqual(await getP(s, 'gw1', 'k'), [3]);
      await s.close();
    } finally {
      await stopRedis(again);
      await stopRedis(own.proc);
      fs.rmSync(own.dir, { recursive: true, force: true });
    }
  });

  it('takeTokens: one token bucket for every store on the Redis (shared Max Sending Rate); a leased bucket sends nothing while Redis is down', async () => {
    const a = await store();
    const b = await store();
    // a token per 100 s, cap 4: the first takes empty the bucket, whoever asks
    const got = [await a.takeTokens('gw1:smpp-rate', 'tokens', 0.01, 4, 3), await b.takeTokens('gw1:smpp-rate', 'tokens', 0.01, 4, 3)];
    assert.deepEqual(got, [3, 1]);
    assert.equal(await a.takeTokens('gw1:smpp-rate', 'tokens', 0.01, 4, 3), 0);
    const pttl = await admin.pTTL('nodered:{gw1:smpp-rate}tokens');
    assert.ok(pttl > 0 && pttl <= 60_000, `the bucket expires when unused (PTTL ${pttl})`);

    const own = await startRedis();
    try {
      const s = redisStore({ url: `redis://127.0.0.1:${own.port}` });
      await s.open();
      open.push(s);
      const bucket = new LeasedBucket(100, (want, cb) => s.takeTokens('gw1:smpp-rate', 'tokens', 100, 20, want).then((g) => cb(null, g), (e: Error) => cb(e, 0)), Date.now());
      await until(async () => (bucket.take(Date.now()) ? true : undefined), 'a leased token', 5000);
      await stopRedis(own.proc);
      // spend what was leased; then, with Redis down, no more tokens
      await until(async () => (!bucket.take(Date.now()) && bucket.failures > 0 ? true : undefined), 'a failed lease', 10_000);
      for (let i = 0; i < 20; i++) {
        assert.equal(bucket.take(Date.now()), false, 'nothing sent while Redis is down');
        await new Promise((r) => setTimeout(r, 30));
      }
      assert.ok(bucket.waitMs(Date.now()) > 0);
    } finally {
      await stopRedis(own.proc);
      fs.rmSync(own.dir, { recursive: true, force: true });
    }
  });

  it('fails calls after close and refuses synchronous access, with errors that say so', async () => {
    const s = await store();
    assert.throws(() => s.get('gw1', 'k'), /only asynchronous access/);
    assert.throws(() => s.keys('gw1'), /only asynchronous access/);
    await s.close();
    await assert.rejects(getP(s, 'gw1', 'k'), /closed/);
    await assert.rejects(setP(s, 'gw1', 'k', 1), /closed/);
  });

  describe('under the gateway receipt correlation (nodes/correlation-context)', () => {
    const forms = idFormsOf('auto');
    function proc(s: Store, ttlMs = 3600_000) {
      const errors: string[] = [];
      const memory = new CorrelationStore(ttlMs, 1_000_000, Date.now, forms, { ridPrefix: `p${Math.random().toString(36).slice(2, 8)}-` });
      const context = new ContextCorrelation(contextKv(contextOf(s, 'gw1'), 'redis'), 'redis', memory, forms, {
        max: 1_000_000,
        clock: realClock,
        log: { error: (t) => errors.push(t), warn: (t) => errors.push(t) },
      });
      return { memory, context, errors };
    }
    const lookup = (p: ReturnType<typeof proc>, id: string) =>
      new Promise<LookupResult>((resolve, reject) => p.context.lookup(id, (err, r) => (err ? reject(err) : resolve(r))));

    it('claims: a receipt matched by two processes is reported by one; a report not taken gives its claim back', async () => {
      const config = { url };
      const sA = redisStore(config);
      await sA.open();
      open.push(sA);
      assert.equal(redisStore.storeFor(config), sA, 'the store Node-RED made from this config object');
      const sB = await store();
      const matcherOf = (s: Store) => {
        const memory = new CorrelationStore(3600_000, 1000, Date.now, forms, { ridPrefix: `p${Math.random().toString(36).slice(2, 8)}-` });
        const entry = { module: redisStore, config: s === sA ? config : {} };
        const kv = withClaims(contextKv(contextOf(s, 'gw1'), 'redis'), entry, 'gw1');
        const ctx = new ContextCorrelation(kv, 'redis', memory, forms, { max: 1000, clock: realClock, log: { error: () => undefined, warn: () => undefined } });
        return { memory, matcher: new ReceiptMatcher(memory, ctx, { clock: realClock, graceMs: 0, acceptedIsFinal: false }) };
      };
      const a = matcherOf(sA);
      assert.equal(withClaims(contextKv(contextOf(sB, 'gw1'), 'redis'), { module: redisStore, config: {} }, 'gw1').claim, undefined, 'an unknown config: no claims');
      const rm: ReceiptMessage = {
        kind: 'receipt', command: 'deliver_sm', from: '4670000001', to: 'ACME', fields: {},
        receipt: { messageId: '1a2b', state: 'DELIVERED', final: true, delivered: true, kind: 'smsc-receipt', source: 'tlv' },
      } as ReceiptMessage;
      const find = (m: ReceiptMatcher) => new Promise<FindResult>((resolve) => m.find(rm.receipt, resolve));
      // a sends (the record goes to Redis); a2 is another process on the same store
      const rec = a.matcher.expect(1, { correlationId: 'c1' });
      a.matcher.accepted(rec, 0, '1a2b');
      await until(async () => ((await admin.keys('nodered:{gw1}smppdlr_r_*')).length === 1 ? true : undefined), 'the record in Redis', 5000);
      const a2 = matcherOf(sA);
      const first = await find(a2.matcher);
      assert.equal(first.kind, 'hit', 'found through Redis, and claimed');
      // the flow did not take it (a dlr node settled false): the claim is given back
      const applied = a2.matcher.apply(first as Extract<FindResult, { kind: 'hit' }>, rm);
      assert.equal(applied.kind, 'report');
      if (applied.kind === 'report') applied.settle(false);
      await until(async () => ((await admin.keys('nodered:{gw1:smpp-claims}*')).length === 0 ? true : undefined), 'the claim given back', 5000);
      // the SMSC's retry reaches the sender: reported there; a further copy to either is a duplicate
      const retry = await find(a.matcher);
      assert.equal(retry.kind, 'hit');
      assert.equal((await find(a2.matcher)).kind, 'duplicate');
      assert.equal((await find(a.matcher)).kind, 'duplicate');
      assert.equal((await admin.keys('nodered:{gw1:smpp-claims}*')).length, 1);
    });

    it('a message remembered by one process is found by another, and its final receipt clears Redis', async () => {
      const a = proc(await store());
      const b = proc(await store());
      const rec = a.memory.add(['a1b2c3d4'], { correlationId: 'from-a', to: '+46700000001' });
      a.context.written(rec);
      await until(async () => ((await admin.keys('nodered:{gw1}' + KEY_PREFIX + '*')).length === 2 ? true : undefined), 'the record and its id key in Redis', 5000);
      const hit = await lookup(b, String(0xa1b2c3d4));
      assert.ok(hit, 'found through Redis');
      assert.equal(hit.record.remembered.correlationId, 'from-a');
      assert.equal(b.memory.counters.restored, 1);
      b.memory.remove(hit.record);
      await until(async () => ((await admin.keys('nodered:*')).length === 0 ? true : undefined), 'Redis to be empty of the message', 5000);
      assert.deepEqual([...a.errors, ...b.errors], []);
    });

    it('an entry written with the store ttl expires in Redis, and is then no longer found', async () => {
      const a = proc(await store({ ttlSeconds: 0.8 }));
      const b = proc(await store());
      a.context.written(a.memory.add(['b0c0ffee'], { correlationId: 'short-lived' }));
      const ours = () => admin.keys('nodered:{gw1}' + KEY_PREFIX + '*');
      const keys = await until(async () => {
        const k = await ours();
        return k.length === 2 ? k : undefined;
      }, 'the entries in Redis', 5000);
      for (const k of keys) {
        const pttl = await admin.pTTL(k);
        assert.ok(pttl > 0 && pttl <= 800, `${k}: PTTL ${pttl}`);
      }
      assert.ok(await lookup(b, 'B0C0FFEE'), 'found while it lives');
      const c = proc(await store());
      await until(async () => ((await ours()).length === 0 ? true : undefined), 'Redis to expire the entries', 10_000);
      assert.equal(await lookup(c, 'b0c0ffee'), undefined, 'gone after its time to live');
    });

    it('measures Redis memory per pending message (10,000 single-part messages, hex and decimal ids)', async function () {
      this.timeout(120_000);
      const s = await store({ ttlSeconds: 73 * 3600 });
      const used = async () => Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
      const report: string[] = [];
      for (const format of ['hex', 'decimal'] as const) {
        await admin.flushAll();
        const p = proc(s);
        const ids = new MessageIdGenerator(format);
        const before = await used();
        const N = 10_000;
        let first = '';
        for (let i = 0; i < N; i++) {
          const id = ids.next();
          if (i === 0) first = id;
          const rec = p.memory.add([id], {
            correlationId: `order-${String(i).padStart(8, '0')}`,
            topic: 'otp',
            to: `+4670${String(1_000_000 + i)}`,
            _msgid: `${(0x10000000 + i).toString(16)}a1b2c3d4`,
            parts: 1,
          });
          p.context.written(rec);
          if (i % 1000 === 999) await getP(s, 'gw1', 'sync'); // replies in order: the writes before it are done
        }
        await getP(s, 'gw1', 'sync');
        const keysPerMessage = format === 'hex' ? 2 : 3; // the record + one id key per reading of the id
        assert.equal(await admin.dbSize(), N * keysPerMessage, `${format}: keys in Redis`);
        const after = await used();
        const perMessage = Math.round((after - before) / N);
        assert.ok(perMessage > 0);
        const other = proc(s);
        assert.equal((await lookup(other, first))?.record.remembered.correlationId, 'order-00000000', 'the first of them is found by another process');
        report.push(`${format} ids: ${keysPerMessage} keys, ${perMessage} bytes of used_memory per pending message`);
        p.context.close();
      }
      // the figure for the README (not asserted: it depends on the Redis version and allocator)
      console.log(`      Redis size per pending message: ${report.join('; ')}`);
    });
  });
});
