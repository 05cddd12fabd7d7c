/**
 * The persistent copy of the correlation (nodes/correlation-context.ts) on
 * Node-RED's own context module with a real localfilesystem store in a temp
 * directory: a "restart" closes the store (flushing it to its file), drops
 * every in-memory object and loads the store again from disk.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ContextApi, contextKv, realClock, storeProblem } from '../../nodes/correlation-context';
import { StoredCorrelation as ContextCorrelation, LookupResult, SweepResult } from '../../src/correlation/stored-copy';
import { CorrelationStore } from '../../src/correlation/memory-store';
import { idFormsOf } from '../../src/correlation/id-form';
import { foldReceipts } from '../../src/correlation/fold-receipts';
import { decodeKeyPart, encodeKeyPart, KEY_PREFIX, RECORD_PREFIX } from '../../src/correlation/context-record';
import type { IdFormPair } from '../../src/receipt/message-id';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const contextModule = require('@node-red/runtime/lib/nodes/context');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const nodeRedUtil = require('@node-red/util').util;

const SCOPE = 'gwtest1';

interface Clock {
  t: number;
  now: () => number;
}
function clock(t = 1_000_000): Clock {
  const c: Clock = { t, now: () => c.t };
  return c;
}

/** One "process": a fresh memory store over the context store. */
interface Proc {
  memory: CorrelationStore;
  context: ContextCorrelation;
  errors: string[];
}

function lookup(p: Proc, id: string): Promise<LookupResult> {
  return new Promise((resolve, reject) => p.context.lookup(id, (err, r) => (err ? reject(err) : resolve(r))));
}
function sweep(p: Proc): Promise<SweepResult> {
  return new Promise((resolve, reject) => p.context.sweep((err, r) => (err || !r ? reject(err) : resolve(r))));
}

describe('correlation context store (nodes/correlation-context) on a real localfilesystem store', function () {
  let dir: string;
  let ctx: ContextApi;

  async function openStores(): Promise<void> {
    contextModule.init({ userDir: dir, contextStorage: { default: { module: 'memory' }, file: { module: 'localfilesystem', config: { flushInterval: 0 } } } });
    await contextModule.load();
    ctx = contextModule.get(SCOPE) as ContextApi;
  }
  /** closes the stores (flushes them to disk) and loads them again from disk: nothing in memory survives */
  async function restart(): Promise<void> {
    await contextModule.close();
    await openStores();
  }
  function proc(c: Clock, opts: { ttl?: number; max?: number; forms?: IdFormPair; prefix?: string } = {}): Proc {
    const forms = opts.forms ?? idFormsOf('auto');
    const memory = new CorrelationStore(opts.ttl ?? 60_000, opts.max ?? 100, c.now, forms, { ridPrefix: opts.prefix ?? `p${Math.random().toString(36).slice(2, 8)}-` });
    const errors: string[] = [];
    const context = new ContextCorrelation(contextKv(ctx, 'file'), 'file', memory, forms, { max: opts.max ?? 100, clock: { now: c.now, after: realClock.after }, log: { error: (t) => errors.push(t), warn: (t) => errors.push(t) } });
    return { memory, context, errors };
  }
  function ourKeys(): Promise<string[]> {
    return new Promise((resolve, reject) => ctx.keys('file', (err, keys) => (err ? reject(err) : resolve((keys ?? []).filter((k) => k.startsWith(KEY_PREFIX))))));
  }
  function fileText(): string {
    const f = path.join(dir, 'context', SCOPE, 'flow.json');
    return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
  }

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-corr-ctx-'));
    await openStores();
  });
  afterEach(async () => {
    await contextModule.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('key encoding', () => {
    it('leaves safe ids alone and escapes everything else', () => {
      assert.equal(encodeKeyPart('abc_DEF-123'), 'abc_DEF-123');
      assert.equal(encodeKeyPart('n:123'), 'n$3a123');
      assert.equal(encodeKeyPart('a.b[0]'), 'a$2eb$5b0$5d');
      assert.equal(encodeKeyPart(`x'y"z`), 'x$27y$22z');
      assert.equal(encodeKeyPart('$'), '$24', 'the escape character escapes itself');
      assert.equal(encodeKeyPart('é€'), '$e9$u20ac');
    });

    it('round-trips and never yields a character Node-RED reads as a property path', () => {
      const samples = ['n:1', 's:fa95-42', 'e:a.b', 'x[1]', "q'", 'sp ace', '$24', '$u20ac', '€uro', 'tab\there', '..', ']['];
      for (let i = 0; i < 200; i++) samples.push(String.fromCharCode(...Array.from({ length: 8 }, (_, j) => 32 + ((i * 37 + j * 101) % 400))));
      const seen = new Set<string>();
      for (const s of samples) {
        const e = encodeKeyPart(s);
        assert.match(e, /^[A-Za-z0-9_$-]*$/, s);
        assert.equal(decodeKeyPart(e), s);
        // a single top-level property for Node-RED
        assert.deepEqual(nodeRedUtil.normalisePropertyExpression(KEY_PREFIX + e), [KEY_PREFIX + e], s);
        seen.add(e);
      }
      assert.equal(seen.size, new Set(samples).size, 'injective');
      assert.equal(decodeKeyPart('a$zz'), null);
      assert.equal(decodeKeyPart('a.b'), null);
    });

    it('stores a record under ids Node-RED would otherwise split (dots, brackets, quotes) and finds it again', async () => {
      const c = clock();
      const p = proc(c, { forms: idFormsOf('exact') });
      const odd = `id.with[0]'quote"`;
      p.context.written(p.memory.add([odd], { correlationId: 'odd' }));
      const keys = await ourKeys();
      assert.equal(keys.length, 2, keys.join(' '));
      await restart();
      const q = proc(c, { forms: idFormsOf('exact') });
      const hit = await lookup(q, odd.toUpperCase());
      assert.equal(hit?.record.remembered.correlationId, 'odd');
    });
  });

  it('writes every remembered message through and finds it after a restart (hex id, decimal receipt, auto)', async () => {
    const c = clock();
    const a = proc(c);
    const rec = a.memory.add(['a1b2c3d4'], { correlationId: 'call-1', topic: 't' });
    a.context.written(rec);
    await restart();
    assert.match(fileText(), /call-1/, 'flushed to the store file');
    const b = proc(c);
    assert.equal(b.memory.find(String(0xa1b2c3d4)), undefined, 'nothing in the new memory');
    const hit = await lookup(b, String(0xa1b2c3d4));
    assert.ok(hit);
    assert.deepEqual(hit.record.remembered, { correlationId: 'call-1', topic: 't' });
    assert.equal(hit.record.rid, rec.rid);
    assert.equal(hit.part, 0);
    assert.deepEqual([b.memory.counters.restored, b.memory.counters.matched], [1, 1]);
    assert.equal(b.memory.byRid(rec.rid), hit.record, 'adopted into memory');
    assert.equal(b.memory.find('A1B2C3D4')?.record, hit.record, 'later receipts hit memory');
    assert.deepEqual(b.errors, []);
  });

  it('tries only the key forms messageIdForm allows', async () => {
    const c = clock();
    const forms = idFormsOf('receipt-decimal');
    const a = proc(c, { forms });
    a.context.written(a.memory.add(['ff'], { correlationId: 'hex' }));
    a.context.written(a.memory.add(['255'], { correlationId: 'dec' }));
    await restart();
    const b = proc(c, { forms });
    assert.equal((await lookup(b, '255'))?.record.remembered.correlationId, 'hex', 'decimal receipt of the hex id "ff"');
    // '00ff' read as hex would be the message "ff"; read as decimal it is nothing (and not the same text)
    assert.equal(await lookup(b, '00ff'), undefined, 'a hex receipt id is not tried as hex');
    assert.equal((await lookup(b, 'FF'))?.record.remembered.correlationId, 'hex', 'the same text as the submit_sm_resp id still matches');
    assert.equal((await lookup(b, String(0x255)))?.record.remembered.correlationId, 'dec');
  });

  it("in auto, ranks readings as memory does: '16' is the message '16', not '10' read as hex", async () => {
    const c = clock();
    const a = proc(c);
    a.context.written(a.memory.add(['10'], { n: 10 }));
    c.t++;
    a.context.written(a.memory.add(['16'], { n: 16 }));
    await restart();
    const b = proc(c);
    assert.equal((await lookup(b, '16'))?.record.remembered.n, 16);
    assert.equal((await lookup(b, 'a'))?.record.remembered.n, 10);
  });

  it('multipart: a part receipt before the restart is kept in the record, the last one after it folds the outcome', async () => {
    const c = clock();
    const a = proc(c);
    const rec = a.memory.add(['b0000001', 'b0000002', 'b0000003'], { correlationId: 'long' });
    a.context.written(rec);
    const first = a.memory.find('b0000002');
    assert.ok(first);
    first.record.receipts[first.part] = { state: 'DELIVERED', final: true, delivered: true };
    a.context.update(first.record);
    await restart();
    const b = proc(c);
    const second = await lookup(b, 'B0000001');
    assert.ok(second);
    assert.equal(second.part, 0);
    assert.deepEqual(second.record.receipts, [null, { state: 'DELIVERED', final: true, delivered: true }, null]);
    second.record.receipts[0] = { state: 'DELIVERED', final: true, delivered: true };
    b.context.update(second.record);
    assert.equal(foldReceipts(second.record.receipts).final, false);
    await restart();
    const c3 = proc(c);
    const third = await lookup(c3, 'b0000003');
    assert.ok(third);
    assert.equal(third.part, 2);
    third.record.receipts[2] = { state: 'UNDELIVERABLE', final: true, delivered: false, errorCode: '001' };
    assert.deepEqual(foldReceipts(third.record.receipts), { final: true, delivered: false, state: 'UNDELIVERABLE' });
    c3.memory.remove(third.record);
    assert.deepEqual(await ourKeys(), [], 'the final outcome deletes the record and its id keys');
  });

  it('deletes the record and its id keys when the final receipt arrives (remove)', async () => {
    const c = clock();
    const a = proc(c);
    const rec = a.memory.add(['c1', 'c2'], {});
    a.context.written(rec);
    assert.equal((await ourKeys()).length, 3);
    a.memory.remove(rec);
    assert.deepEqual(await ourKeys(), []);
  });

  it('deleting a record keeps an id key that a later message with the same id took over', async () => {
    const c = clock();
    const a = proc(c);
    const first = a.memory.add(['dup1'], { n: 1 });
    a.context.written(first);
    const second = a.memory.add(['dup1'], { n: 2 });
    a.context.written(second);
    a.memory.remove(first);
    await restart();
    const b = proc(c);
    assert.equal((await lookup(b, 'dup1'))?.record.remembered.n, 2);
  });

  it('expiry in the context store: a lookup and the sweep count it once and delete it', async () => {
    const c = clock(0);
    const a = proc(c, { ttl: 1_000 });
    a.context.written(a.memory.add(['e1'], {}));
    c.t = 10;
    a.context.written(a.memory.add(['e2'], {}));
    c.t = 500;
    a.context.written(a.memory.add(['e3'], {}));
    await restart();
    c.t = 1_200; // e1 (1000) and e2 (1010) expired, e3 (1500) not
    const b = proc(c, { ttl: 1_000 });
    assert.equal(await lookup(b, 'e1'), undefined);
    assert.equal(b.memory.counters.expired, 1, 'found expired on lookup: counted');
    const r = await sweep(b);
    assert.deepEqual(r, { expired: 1, evicted: 0, damaged: 0, kept: 1 });
    assert.equal(b.memory.counters.expired, 2, 'e1 not counted twice');
    assert.equal((await ourKeys()).filter((k) => k.startsWith(RECORD_PREFIX)).length, 1);
    assert.ok(await lookup(b, 'e3'));
  });

  it('the sweep counts a record expiring in memory once (dropped in memory, deleted in the store)', async () => {
    const c = clock(0);
    const a = proc(c, { ttl: 1_000 });
    a.context.written(a.memory.add(['m1'], {}));
    c.t = 2_000;
    const r = await sweep(a);
    assert.equal(r.expired, 1);
    assert.equal(a.memory.counters.expired, 1);
    assert.equal(a.memory.size, 0);
    assert.deepEqual(await ourKeys(), []);
    assert.equal(a.memory.sweep(), 0);
    assert.equal(a.memory.counters.expired, 1);
  });

  it('the bound applies to the context store: the oldest beyond it are evicted and counted', async () => {
    const c = clock(0);
    const a = proc(c, { max: 10 });
    for (const id of ['o1', 'o2', 'o3', 'o4']) {
      c.t += 10;
      a.context.written(a.memory.add([id], { id }));
    }
    await restart();
    const b = proc(c, { max: 2 });
    const r = await sweep(b);
    assert.deepEqual(r, { expired: 0, evicted: 2, damaged: 0, kept: 2 });
    assert.equal(b.memory.counters.evicted, 2);
    assert.equal(await lookup(b, 'o1'), undefined);
    assert.equal(await lookup(b, 'o2'), undefined);
    assert.equal((await lookup(b, 'o3'))?.record.remembered.id, 'o3');
    assert.equal((await lookup(b, 'o4'))?.record.remembered.id, 'o4');
  });

  it('eviction from memory (bound reached) deletes the evicted record from the store too', async () => {
    const c = clock(0);
    const a = proc(c, { max: 1 });
    a.context.written(a.memory.add(['v1'], {}));
    a.context.written(a.memory.add(['v2'], {}));
    assert.equal(a.memory.counters.evicted, 1);
    await restart();
    const b = proc(c, { max: 1 });
    assert.equal(await lookup(b, 'v1'), undefined);
    assert.ok(await lookup(b, 'v2'));
  });

  it('removes damaged values under its prefix and ignores other keys of the scope', async () => {
    const c = clock();
    await new Promise<void>((r) => ctx.set([RECORD_PREFIX + 'junk', 'someoneElse'], [{ v: 9 }, 42], 'file', () => r()));
    const a = proc(c);
    const r = await sweep(a);
    assert.deepEqual(r, { expired: 0, evicted: 0, damaged: 1, kept: 0 });
    const all = await new Promise<string[]>((res) => ctx.keys('file', (_e, k) => res(k ?? [])));
    assert.deepEqual(all, ['someoneElse']);
  });

  it('storeProblem: only stores named in settings.js contextStorage', () => {
    assert.equal(storeProblem('file', { default: { module: 'memory' }, file: { module: 'localfilesystem' } }), null);
    assert.match(String(storeProblem('disk', { default: { module: 'memory' }, file: {} })), /"disk" is not in settings\.js contextStorage \(stores: default, file\)/);
    assert.match(String(storeProblem('file', undefined)), /none configured/);
    assert.notEqual(storeProblem('_', { _: {} }), null);
  });
});
