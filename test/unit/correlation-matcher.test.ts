/**
 * The receipt matcher (src/correlation/matcher.ts) with a manual clock: each
 * part's id recorded on its own response, the grace hold, duplicates, late
 * responses, settle, and the send-and-wait waiter.
 */
import assert from 'node:assert/strict';
import { ReceiptMatcher, FindResult } from '../../src/correlation/matcher';
import { CorrelationStore } from '../../src/correlation/memory-store';
import { idFormsOf } from '../../src/correlation/id-form';
import type { CorrelationClock } from '../../src/correlation/clock';
import type { ReceiptMessage } from '../../src/message/inbound';
import type { ReceiptState } from '../../src/receipt';
import { FakeClock } from '../helpers/fake-clock';
import { CorrelationKv, StoredCorrelation } from '../../src/correlation/stored-copy';

function clockOf(fc: FakeClock): CorrelationClock {
  return {
    now: () => fc.now(),
    after: (ms, fn) => {
      const h = fc.setTimeout(fn, ms);
      return () => fc.clearTimeout(h);
    },
  };
}

function rm(id: string, state: ReceiptState = 'DELIVERED', final = state !== 'ENROUTE' && state !== 'ACCEPTED'): ReceiptMessage {
  return {
    kind: 'receipt', command: 'deliver_sm', from: '4670000001', to: 'ACME', fields: {},
    receipt: { messageId: id, state, final, delivered: state === 'DELIVERED', kind: 'smsc-receipt', source: 'tlv' },
  };
}

function setup(opts: { graceMs?: number; acceptedIsFinal?: boolean; form?: string } = {}) {
  const fc = new FakeClock();
  const clock = clockOf(fc);
  const memory = new CorrelationStore(3600_000, 1000, clock.now, idFormsOf(opts.form ?? 'auto'));
  const m = new ReceiptMatcher(memory, null, { clock, graceMs: opts.graceMs ?? 3000, acceptedIsFinal: opts.acceptedIsFinal ?? false });
  const results: FindResult[] = [];
  /** find, then apply a hit and settle it ok, as the router does with every dlr taking it */
  const route = (r: ReceiptMessage): string[] => {
    const reports: string[] = [];
    m.find(r.receipt, (f) => {
      results.push(f);
      if (f.kind !== 'hit') {
        reports.push(f.kind);
        return;
      }
      const a = m.apply(f, r);
      if (a.kind === 'report') {
        reports.push(`report ${String(a.report.state)}`);
        a.settle(true);
      } else reports.push('taken');
    });
    return reports;
  };
  return { fc, m, route, results };
}

describe('correlation/matcher', () => {
  it('records each part when its own response arrives: a part receipt right after it matches', () => {
    const { m, route } = setup();
    const rec = m.expect(2, { correlationId: 'c' });
    m.accepted(rec, 0, 'aa01');
    assert.deepEqual(route(rm('aa01')), ['taken'], 'part 1 folded, not unmatched');
    m.accepted(rec, 1, 'aa02');
    assert.deepEqual(route(rm('aa02')), ['report DELIVERED']);
    assert.equal(m.size, 0);
  });

  it('holds a receipt ahead of its response and matches it when the response comes', () => {
    const { m, route, fc } = setup();
    const rec = m.expect(1, {});
    const out = route(rm('bb01'));
    assert.deepEqual(out, [], 'held: no answer yet');
    assert.equal(m.counters.heldNow, 1);
    fc.advance(1000);
    m.accepted(rec, 0, 'bb01');
    assert.deepEqual(out, ['report DELIVERED']);
    assert.equal(m.size, 0);
    assert.equal(m.counters.heldNow, 0);
  });

  it('a held receipt is unmatched only after the grace period', () => {
    const { m, route, fc } = setup({ graceMs: 3000 });
    m.expect(1, {});
    const out = route(rm('cc01'));
    fc.advance(2999);
    assert.deepEqual(out, []);
    fc.advance(1);
    assert.deepEqual(out, ['unmatched']);
  });

  it('holds nothing when no response is outstanding, and lets held receipts go when the last one is answered', () => {
    const { m, route } = setup();
    assert.deepEqual(route(rm('dd01')), ['unmatched'], 'nothing outstanding: unmatched at once');
    const rec = m.expect(1, {});
    const out = route(rm('dd02'));
    assert.deepEqual(out, []);
    m.accepted(rec, 0, 'dd03');
    assert.deepEqual(out, ['unmatched'], 'no response left that it could be ahead of');
  });

  it('grace 0: never holds', () => {
    const { m, route } = setup({ graceMs: 0 });
    m.expect(1, {});
    assert.deepEqual(route(rm('ee01')), ['unmatched']);
  });

  it('a final receipt taken unmatched after its grace still finishes the message whose response comes late', () => {
    const { m, fc } = setup({ graceMs: 100 });
    const reports: unknown[] = [];
    const rec = m.expect(1, {}, (r) => reports.push(r.state));
    const r = rm('ff01', 'UNDELIVERABLE');
    let found: FindResult | null = null;
    m.find(r.receipt, (f) => (found = f));
    fc.advance(100);
    assert.deepEqual(found, { kind: 'unmatched', held: true });
    m.takenUnmatched(r, true);
    m.accepted(rec, 0, 'ff01');
    assert.deepEqual(reports, ['UNDELIVERABLE'], 'the waiter has the outcome');
    assert.equal(m.size, 0, 'nothing left pending');
  });

  it('a resent final receipt is a duplicate, in memory and after the record is gone', () => {
    const { m, route } = setup();
    const rec = m.expect(2, {});
    m.accepted(rec, 0, '9901');
    m.accepted(rec, 1, '9902');
    assert.deepEqual(route(rm('9901')), ['taken']);
    assert.deepEqual(route(rm('9901')), ['taken'], 'same part, same state');
    assert.deepEqual(route(rm('9902')), ['report DELIVERED']);
    assert.deepEqual(route(rm('9902')), ['duplicate']);
    assert.equal(m.counters.duplicates, 2);
    assert.deepEqual(route(rm('9902', 'UNDELIVERABLE')), ['unmatched'], 'another state is not a copy');
  });

  it('settle(false) puts the part back so the retry is reported again', () => {
    const { m } = setup();
    const rec = m.expect(1, {});
    m.accepted(rec, 0, '7701');
    let f: FindResult | null = null;
    m.find(rm('7701').receipt, (x) => (f = x));
    const a = m.apply(f as unknown as { record: typeof rec; part: number }, rm('7701'));
    assert.equal(a.kind, 'report');
    if (a.kind === 'report') a.settle(false);
    assert.equal(m.size, 1, 'kept');
    m.find(rm('7701').receipt, (x) => (f = x));
    const b = m.apply(f as unknown as { record: typeof rec; part: number }, rm('7701'));
    assert.equal(b.kind, 'report', 'reported again, not a duplicate');
  });

  it('ACCEPTED is intermediate unless acceptedIsFinal', () => {
    for (const acceptedIsFinal of [false, true]) {
      const { m, route } = setup({ acceptedIsFinal });
      const rec = m.expect(1, {});
      m.accepted(rec, 0, '5501');
      assert.deepEqual(route(rm('5501', 'ACCEPTED', true)), ['report ACCEPTED']);
      assert.equal(m.size, acceptedIsFinal ? 0 : 1, `acceptedIsFinal ${acceptedIsFinal}`);
    }
  });

  it('forget: the waiter is dropped and the parts no longer outstanding', () => {
    const { m, route } = setup();
    const rec = m.expect(1, {}, () => undefined);
    const out = route(rm('4401'));
    assert.equal(m.forget(rec), true);
    assert.deepEqual(out, ['unmatched']);
    assert.equal(m.forget(rec), false);
  });

  it('receipt-decimal: the same text as the response id matches (held too)', () => {
    const { m, route } = setup({ form: 'receipt-decimal' });
    const rec = m.expect(1, {});
    const out = route(rm('123456'));
    m.accepted(rec, 0, '123456');
    assert.deepEqual(out, ['report DELIVERED']);
  });

  it('close lets held receipts go as closing (the SMSC sends them again)', () => {
    const { m, route } = setup();
    m.expect(1, {});
    const out = route(rm('3301'));
    m.close();
    assert.deepEqual(out, ['closing']);
  });

  describe('with a persistent copy (a key-value store behind the small async interface)', () => {
    function kvStore() {
      const data = new Map<string, unknown>();
      const writes: string[][] = [];
      const kv: CorrelationKv = {
        get: (keys, cb) => setImmediate(() => cb(null, keys.map((k) => data.get(k)))),
        set: (keys, values, cb) => {
          writes.push(keys.slice());
          keys.forEach((k, i) => (values[i] === undefined ? data.delete(k) : data.set(k, values[i])));
          setImmediate(() => cb(null));
        },
        keys: (cb) => setImmediate(() => cb(null, Array.from(data.keys()))),
      };
      return { data, writes, kv };
    }
    function withStore() {
      const fc = new FakeClock();
      const clock = clockOf(fc);
      const forms = idFormsOf('auto');
      const memory = new CorrelationStore(3600_000, 1000, clock.now, forms, { ridPrefix: 't-' });
      const st = kvStore();
      const stored = new StoredCorrelation(st.kv, 'test', memory, forms, { max: 1000, clock, log: { error: () => undefined, warn: () => undefined } });
      return { m: new ReceiptMatcher(memory, stored, { clock, graceMs: 3000, acceptedIsFinal: false }), ...st };
    }
    const settle = () => new Promise((r) => setImmediate(r));

    it('writes a record once every part is answered, under every part id', async () => {
      const { m, data, writes } = withStore();
      const rec = m.expect(2, { correlationId: 'kv' });
      m.accepted(rec, 0, 'ab01');
      assert.equal(writes.length, 0, 'not yet: part 2 has no id');
      m.accepted(rec, 1, 'ab02');
      assert.equal(writes.length, 1);
      assert.equal(Array.from(data.keys()).filter((k) => k.startsWith('smppdlr_k')).length, 2);
      await settle();
    });

    it('a message finished by a receipt before its parts were all answered never touches the store', async () => {
      const { m, writes } = withStore();
      const rec = m.expect(1, {});
      const out: string[] = [];
      // as the router does: apply and settle in the callback (the dlr nodes settle at once)
      m.find(rm('ac01').receipt, (f) => {
        out.push(f.kind);
        if (f.kind !== 'hit') return;
        const a = m.apply(f, rm('ac01'));
        if (a.kind === 'report') a.settle(true);
      });
      await settle();
      await settle(); // the store was read (a miss) and the receipt is held
      assert.deepEqual(out, []);
      m.accepted(rec, 0, 'ac01');
      assert.deepEqual(out, ['hit']);
      await settle();
      assert.equal(m.size, 0);
      assert.deepEqual(writes, [], 'nothing written, nothing to delete');
    });
  });
});
