import assert from 'node:assert/strict';
import { CorrelationStore } from '../../src/correlation/memory-store';
import { foldReceipts } from '../../src/correlation/fold-receipts';
import { parseReceipt, Receipt, ReceiptState } from '../../src/receipt';

/** A clock the test moves by hand. */
function clock(start = 1_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('correlation/memory-store CorrelationStore', () => {
  const forms: { name: string; stored: string; receipt: string; form?: 'any' | 'exact' | 'hex' | 'decimal' }[] = [
    { name: 'leading zeros dropped by the SMSC', stored: '0000123', receipt: '123' },
    { name: 'leading zeros added by the SMSC', stored: '123', receipt: '0000123' },
    { name: 'hex in submit_sm_resp, decimal in the receipt', stored: '7B', receipt: '123' },
    { name: 'decimal in submit_sm_resp, hex in the receipt', stored: '123', receipt: '7b' },
    { name: 'letter case', stored: 'AbC-1', receipt: 'abc-1' },
    { name: 'C-string padding', stored: 'x9', receipt: 'x9\0' },
    { name: "form 'decimal'", stored: '0000123', receipt: '123', form: 'decimal' },
    { name: "form 'hex'", stored: '00ff', receipt: 'FF', form: 'hex' },
  ];
  for (const f of forms) {
    it(`finds ${JSON.stringify(f.receipt)} stored as ${JSON.stringify(f.stored)}: ${f.name}`, () => {
      const c = clock();
      const s = new CorrelationStore(60_000, 10, c.now, f.form ?? 'any');
      const rec = s.add([f.stored], { correlationId: 'c1' });
      const hit = s.find(f.receipt);
      assert.ok(hit);
      assert.equal(hit.record, rec);
      assert.equal(hit.part, 0);
      assert.deepEqual(hit.record.remembered, { correlationId: 'c1' });
      assert.equal(s.counters.matched, 1);
    });
  }

  it("form 'exact' does not match across forms", () => {
    const s = new CorrelationStore(60_000, 10, clock().now, 'exact');
    s.add(['0000123'], {});
    assert.equal(s.find('123'), undefined);
    assert.ok(s.find('0000123'));
  });

  it('an unknown id finds nothing and counts nothing', () => {
    const s = new CorrelationStore(60_000, 10, clock().now);
    s.add(['abc'], {});
    assert.equal(s.find('abd'), undefined);
    assert.equal(s.find(''), undefined);
    assert.deepEqual(s.counters, { stored: 1, matched: 0, expired: 0, evicted: 0, restored: 0, storeErrors: 0 });
  });

  it('a new record has one empty receipt slot per part and its creation time', () => {
    const c = clock(5_000);
    const s = new CorrelationStore(60_000, 10, c.now);
    const rec = s.add(['a1', 'a2', 'a3'], { topic: 't' });
    assert.deepEqual(rec.partIds, ['a1', 'a2', 'a3']);
    assert.deepEqual(rec.receipts, [null, null, null]);
    assert.equal(rec.createdAt, 5_000);
    assert.equal(s.size, 1);
  });

  it('multipart: each part id finds the record and its part index', () => {
    const s = new CorrelationStore(60_000, 10, clock().now);
    const rec = s.add(['0000a1', '0000a2', '0000a3'], {});
    for (const [id, part] of [['a3', 2], ['A1', 0], ['0a2', 1]] as const) {
      const hit = s.find(id);
      assert.ok(hit, id);
      assert.equal(hit.record, rec);
      assert.equal(hit.part, part, id);
    }
  });

  it("multipart with small counters: '16' is part 16, not part '10' read as hex", () => {
    // in form 'any', "10" can also be read as hex (16); the decimal reading of the receipt must win
    const s = new CorrelationStore(60_000, 10, clock().now);
    const rec = s.add(['10', '16'], {});
    const hit = s.find('16');
    assert.ok(hit);
    assert.equal(hit.record, rec);
    assert.equal(hit.part, 1);
    assert.equal(s.find('10')?.part, 0);
    assert.equal(s.find('a')?.part, 0);
  });

  it('two messages sharing a reading: each receipt finds its own', () => {
    const s = new CorrelationStore(60_000, 10, clock().now);
    const ten = s.add(['10'], { n: 10 });
    const sixteen = s.add(['16'], { n: 16 });
    assert.equal(s.find('16')?.record, sixteen);
    assert.equal(s.find('10')?.record, ten);
  });

  it('TTL: found until ttl, expired at ttl, and counted', () => {
    const c = clock(0);
    const s = new CorrelationStore(1_000, 10, c.now);
    s.add(['m1'], {});
    c.t = 999;
    assert.ok(s.find('m1'));
    c.t = 1_000;
    assert.equal(s.find('m1'), undefined);
    assert.equal(s.counters.expired, 1);
    assert.equal(s.size, 0);
    assert.equal(s.find('m1'), undefined);
    assert.equal(s.counters.expired, 1, 'counted once');
  });

  it('sweep drops the expired oldest first, keeps the rest, and counts', () => {
    const c = clock(0);
    const s = new CorrelationStore(1_000, 10, c.now);
    s.add(['a'], {});
    c.t = 300;
    s.add(['b'], {});
    c.t = 600;
    s.add(['c'], {});
    c.t = 1_300;
    assert.equal(s.sweep(), 2);
    assert.equal(s.size, 1);
    assert.equal(s.counters.expired, 2);
    assert.equal(s.find('a'), undefined);
    assert.equal(s.find('b'), undefined);
    assert.ok(s.find('c'));
    assert.equal(s.sweep(), 0);
  });

  it('add sweeps expired entries first (they are expired, not evicted)', () => {
    const c = clock(0);
    const s = new CorrelationStore(1_000, 2, c.now);
    s.add(['a'], {});
    s.add(['b'], {});
    c.t = 2_000;
    s.add(['c'], {});
    assert.deepEqual(s.counters, { stored: 3, matched: 0, expired: 2, evicted: 0, restored: 0, storeErrors: 0 });
    assert.equal(s.size, 1);
  });

  it('bound on entries: the oldest is evicted and counted', () => {
    const c = clock(0);
    const s = new CorrelationStore(60_000, 2, c.now);
    s.add(['a'], { n: 1 });
    c.t++;
    s.add(['b'], { n: 2 });
    c.t++;
    s.add(['c'], { n: 3 });
    assert.equal(s.size, 2);
    assert.equal(s.counters.evicted, 1);
    assert.equal(s.find('a'), undefined);
    assert.deepEqual(s.find('b')?.record.remembered, { n: 2 });
    assert.deepEqual(s.find('c')?.record.remembered, { n: 3 });
    s.add(['d'], {});
    assert.equal(s.counters.evicted, 2);
    assert.equal(s.find('b'), undefined);
    assert.equal(s.counters.expired, 0);
  });

  it('an evicted multipart record leaves none of its ids behind', () => {
    const s = new CorrelationStore(60_000, 1, clock().now);
    s.add(['p1', 'p2'], {});
    s.add(['q1'], {});
    assert.equal(s.find('p1'), undefined);
    assert.equal(s.find('p2'), undefined);
    assert.ok(s.find('q1'));
  });

  it('a bound under 1 keeps the newest entry and never hangs', () => {
    const s = new CorrelationStore(60_000, 0, clock().now);
    s.add(['a'], {});
    s.add(['b'], {});
    assert.equal(s.size, 1);
    assert.ok(s.find('b'));
    assert.equal(s.counters.evicted, 1);
  });

  it('remove: the record and all its ids are gone; removing twice is harmless', () => {
    const s = new CorrelationStore(60_000, 10, clock().now);
    const rec = s.add(['r1', 'r2'], {});
    const other = s.add(['r1'], { other: true });
    s.remove(rec);
    assert.equal(s.size, 1);
    assert.equal(s.find('r2'), undefined);
    assert.equal(s.find('r1')?.record, other, 'the other record with the same id stays');
    s.remove(rec);
    assert.equal(s.size, 1);
    assert.deepEqual(s.counters, { stored: 2, matched: 1, expired: 0, evicted: 0, restored: 0, storeErrors: 0 });
  });

  it('reports every record leaving the store once, with the reason', () => {
    const c = clock(0);
    const s = new CorrelationStore(1_000, 2, c.now);
    const gone: [string, string][] = [];
    s.onRemove = (rec, why) => gone.push([rec.partIds[0], why]);
    const a = s.add(['a'], {});
    s.add(['b'], {});
    s.add(['c'], {}); // evicts a
    s.remove(a); // already gone: not reported again
    const c2 = s.find('c');
    assert.ok(c2);
    s.remove(c2.record);
    c.t = 1_000;
    assert.equal(s.find('b'), undefined); // expired on lookup
    assert.deepEqual(gone, [['a', 'evicted'], ['c', 'removed'], ['b', 'expired']]);
    assert.deepEqual([s.counters.evicted, s.counters.expired], [1, 1]);
  });

  it('records carry a record id (with the prefix) and their expiry time', () => {
    const c = clock(500);
    const s = new CorrelationStore(1_000, 10, c.now, 'any', { ridPrefix: 'p7-' });
    const a = s.add(['a'], {});
    const b = s.add(['b'], {});
    assert.match(a.rid, /^p7-/);
    assert.notEqual(a.rid, b.rid);
    assert.equal(a.expiresAt, 1_500);
    assert.equal(s.byRid(a.rid), a);
    s.remove(a);
    assert.equal(s.byRid(a.rid), undefined);
  });

  it('adopt: a record read back keeps its id, receipts and expiry, is found by its part ids, and is taken once', () => {
    const c = clock(10_000);
    const s = new CorrelationStore(60_000, 10, c.now);
    const data = {
      rid: 'old-1', remembered: { correlationId: 'x' }, partIds: ['a1', 'a2'],
      receipts: [{ state: 'DELIVERED' as const, final: true, delivered: true }, null], createdAt: 1_000, expiresAt: 20_000,
    };
    const rec = s.adopt(data);
    assert.equal(s.adopt(data), rec, 'adopting the same record id twice gives the one in memory');
    assert.equal(s.size, 1);
    assert.equal(rec.expiresAt, 20_000);
    assert.deepEqual(rec.receipts, data.receipts);
    assert.notEqual(rec.receipts, data.receipts, 'its own copy of the receipts');
    assert.equal(s.find('A2')?.part, 1);
    assert.equal(s.counters.stored, 0, 'not counted as stored here (the caller counts restored)');
    c.t = 20_000;
    assert.equal(s.find('a1'), undefined, 'expires at its own expiresAt');
    assert.equal(s.counters.expired, 1);
  });

  it('fixed forms: a multipart message in receipt-decimal finds each part by its decimal id', () => {
    const s = new CorrelationStore(60_000, 10, clock().now, { sent: 'hex', receipt: 'decimal' });
    const rec = s.add(['0a', '10'], {});
    assert.deepEqual(s.find('16'), { record: rec, part: 1 });
    assert.deepEqual(s.find('10'), { record: rec, part: 0 });
    assert.equal(s.find('a'), undefined);
  });

  it('bounded work: 5000 adds with a bound of 100', () => {
    const c = clock(0);
    const s = new CorrelationStore(60_000, 100, c.now);
    for (let i = 0; i < 5_000; i++) {
      c.t++;
      s.add([String(1_000_000 + i)], {});
    }
    assert.equal(s.size, 100);
    assert.equal(s.counters.evicted, 4_900);
    assert.ok(s.find(String(1_000_000 + 4_999)));
    assert.equal(s.find(String(1_000_000 + 4_899)), undefined);
  });
});

function r(state: ReceiptState, intermediate = false): Receipt {
  const messageState = ['ENROUTE', '', 'DELIVERED', 'EXPIRED', 'DELETED', 'UNDELIVERABLE', 'ACCEPTED', 'UNKNOWN', 'REJECTED'].indexOf(state);
  const out = parseReceipt({ esmClass: intermediate ? 0x20 : 0x04, receiptedMessageId: 'x', messageState });
  assert.ok(out);
  assert.equal(out.state, state);
  return out;
}

describe('correlation/fold-receipts foldReceipts', () => {
  const rows: { name: string; receipts: (Receipt | null)[]; want: { final: boolean; delivered: boolean; state: ReceiptState } }[] = [
    { name: 'one part delivered', receipts: [r('DELIVERED')], want: { final: true, delivered: true, state: 'DELIVERED' } },
    { name: 'all parts delivered', receipts: [r('DELIVERED'), r('DELIVERED'), r('DELIVERED')], want: { final: true, delivered: true, state: 'DELIVERED' } },
    { name: 'one part failed, others delivered', receipts: [r('DELIVERED'), r('UNDELIVERABLE'), r('DELIVERED')], want: { final: true, delivered: false, state: 'UNDELIVERABLE' } },
    { name: 'one part failed while others are pending', receipts: [null, r('EXPIRED'), null], want: { final: true, delivered: false, state: 'EXPIRED' } },
    { name: 'the first failing part names the state', receipts: [r('REJECTED'), r('EXPIRED')], want: { final: true, delivered: false, state: 'REJECTED' } },
    { name: 'all pending', receipts: [null, null], want: { final: false, delivered: false, state: 'ENROUTE' } },
    { name: 'some delivered, one pending', receipts: [r('DELIVERED'), null], want: { final: false, delivered: false, state: 'ENROUTE' } },
    { name: 'an intermediate notification is not final', receipts: [r('DELIVERED'), r('ENROUTE', true)], want: { final: false, delivered: false, state: 'ENROUTE' } },
    { name: 'ENROUTE is pending', receipts: [r('ENROUTE'), r('DELIVERED')], want: { final: false, delivered: false, state: 'ENROUTE' } },
    // contract 1 (issue 12): UNKNOWN is not final, ACCEPTED is not final by default (acceptedIsFinal)
    { name: 'mixed: delivered, pending, unknown', receipts: [r('DELIVERED'), null, r('UNKNOWN')], want: { final: false, delivered: false, state: 'ENROUTE' } },
    { name: 'ACCEPTED is not final by default', receipts: [r('ACCEPTED'), r('DELIVERED')], want: { final: false, delivered: false, state: 'ENROUTE' } },
    { name: 'DELETED fails the message', receipts: [r('DELIVERED'), r('DELETED')], want: { final: true, delivered: false, state: 'DELETED' } },
  ];
  for (const row of rows) {
    it(row.name, () => assert.deepEqual(foldReceipts(row.receipts), row.want));
  }
});
