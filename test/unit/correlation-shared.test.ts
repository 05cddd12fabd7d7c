/**
 * The correlation shared by several instances (shareInstances): the pure
 * decoding of what the shared store answers (src/correlation/shared-correlation.ts),
 * and several matchers, each with its own memory, over ONE fake shared store
 * (records, claims, part states, inboxes in plain maps, each call answered
 * asynchronously as Redis would): the part states folded across instances
 * into one report, a report handed over to the instance that waits for it,
 * its memory copy dropped, a resend a duplicate on every instance.
 */
import assert from 'node:assert/strict';
import { ReceiptMatcher } from '../../src/correlation/matcher';
import { CorrelationStore } from '../../src/correlation/memory-store';
import { idFormsOf } from '../../src/correlation/id-form';
import type { CorrelationClock } from '../../src/correlation/clock';
import type { ReceiptMessage } from '../../src/message/inbound';
import type { ReceiptState } from '../../src/receipt';
import { CorrelationKv, StoredCorrelation } from '../../src/correlation/stored-copy';
import {
  decodeHandOver, decodePartState, encodeHandOver, encodePartState, HandOver, partStatesOf, SharedCorrelation,
} from '../../src/correlation/shared-correlation';
import { fromStored, toStored } from '../../src/correlation/context-record';
import type { PartOutcome } from '../../src/correlation/fold-receipts';
import type { ReceiptReport } from '../../src/correlation/report';

const clock: CorrelationClock = { now: () => 1_000_000, after: () => () => undefined };
const tick = () => new Promise((r) => setImmediate(r));
async function ticks(n = 12): Promise<void> {
  for (let i = 0; i < n; i++) await tick();
}

function rm(id: string, state: ReceiptState = 'DELIVERED'): ReceiptMessage {
  const final = state !== 'ENROUTE' && state !== 'ACCEPTED';
  return {
    kind: 'receipt', command: 'deliver_sm', from: '4670000001', to: 'ACME', fields: {},
    receipt: { messageId: id, state, final, delivered: state === 'DELIVERED', kind: 'smsc-receipt', source: 'tlv' },
  };
}

/** One Redis, as the instances see it. */
function sharedStore() {
  const data = new Map<string, unknown>();
  /** claim key -> confirmed (a claim not confirmed expires: expirePending) */
  const claims = new Map<string, boolean>();
  const parts = new Map<string, Map<string, string>>();
  const inboxes = new Map<string, HandOver[]>();
  const retired = new Set<string>();
  let down = false;
  /** Redis goes down at the next hand-over (which fails) */
  let dieAtHandOver = false;
  const later = (fn: () => void) => setImmediate(fn);
  const fail = () => new Error('connection refused');
  const kv: CorrelationKv = {
    get: (keys, cb) => later(() => (down ? cb(fail(), []) : cb(null, keys.map((k) => data.get(k))))),
    set: (keys, values, cb) => later(() => {
      if (down) return cb(fail());
      keys.forEach((k, i) => (values[i] === undefined ? data.delete(k) : data.set(k, values[i])));
      cb(null);
    }),
    keys: (cb) => later(() => cb(null, Array.from(data.keys()))),
    claim: (key, _ttl, cb) => later(() => {
      if (down) return cb(fail());
      const won = !claims.has(key);
      if (won) claims.set(key, false);
      cb(null, won);
    }),
    release: (key) => void (down || claims.delete(key)),
    confirm: (key) => void (down || (claims.has(key) && claims.set(key, true))),
  };
  function sharedFor(me: string): SharedCorrelation {
    return {
      me,
      writePart: (rid, part, n, state, _ttl, cb) => later(() => {
        if (down) return cb(fail());
        const h = parts.get(rid) ?? new Map<string, string>();
        parts.set(rid, h);
        const prev = h.get(String(part)) ?? '';
        const enc = encodePartState(state);
        if (enc) h.set(String(part), enc);
        else h.delete(String(part));
        const reply: string[] = [prev, h.get('reported') ?? ''];
        for (let i = 0; i < n; i++) reply.push(h.get(String(i)) ?? '');
        cb(null, partStatesOf(reply, n)!);
      }),
      markReported: (rid, by, on, _ttl, cb) => later(() => {
        if (down) return cb(fail());
        const h = parts.get(rid) ?? new Map<string, string>();
        parts.set(rid, h);
        const cur = h.get('reported');
        if (!on) {
          if (cur === by) h.delete('reported');
          return cb(null, true);
        }
        if (cur === undefined) h.set('reported', by);
        cb(null, cur === undefined || cur === by);
      }),
      dropParts: (rid) => void parts.delete(rid),
      retire: (_rid, keys) => keys.forEach((k) => retired.add(k)),
      handOver: (owner, note, cb) => later(() => {
        if (dieAtHandOver) {
          dieAtHandOver = false;
          down = true;
        }
        if (down) return cb(fail());
        const box = inboxes.get(owner) ?? [];
        inboxes.set(owner, box);
        box.push(JSON.parse(JSON.stringify(note)));
        cb(null);
      }),
    };
  }
  return {
    data, claims, parts, inboxes, retired, kv, sharedFor,
    setDown: (d: boolean) => (down = d),
    dieAtNextHandOver: () => (dieAtHandOver = true),
    /** the claims never confirmed expire (PENDING_CLAIM_MS passed) */
    expirePending: () => [...claims].forEach(([k, confirmed]) => confirmed || claims.delete(k)),
  };
}

type Store = ReturnType<typeof sharedStore>;

/** One instance: its memory, its stored copy (shared), its matcher, its dlr outputs, a router as receipt-router.ts. */
function instance(store: Store, me: string, opts: { dlr?: boolean } = {}) {
  const forms = idFormsOf('auto');
  const memory = new CorrelationStore(3600_000, 1000, clock.now, forms, { ridPrefix: me });
  const stored = new StoredCorrelation(store.kv, 'redis', memory, forms, { max: 1000, clock, log: { error: () => undefined, warn: () => undefined }, shared: store.sharedFor(me) });
  const m = new ReceiptMatcher(memory, stored, { clock, graceMs: 0, acceptedIsFinal: false });
  const dlrs: ReceiptReport[] = [];
  const answers: string[] = [];
  const hasDlr = opts.dlr !== false;
  function route(r: ReceiptMessage): void {
    m.find(r.receipt, (f) => {
      if (f.kind !== 'hit') return void answers.push(f.kind);
      if (!hasDlr && !m.hasTaker(f.record)) {
        m.unclaim(f);
        return void answers.push('throttled');
      }
      const a = m.apply(f, r);
      if (a.kind === 'taken') return void answers.push('taken');
      const output = () => {
        if (hasDlr) dlrs.push(a.report);
        a.settle(true);
        answers.push('reported');
      };
      if (!a.handOver) return output();
      a.handOver((err) => {
        if (!err) return output();
        a.settle(false);
        answers.push('retry');
      });
    });
  }
  /** the inbox reader: every note for this instance to its matcher */
  function readInbox(): void {
    const box = store.inboxes.get(me) ?? [];
    store.inboxes.set(me, []);
    for (const n of box) m.handedOver(n);
  }
  /** a message sent and answered: its record written to the shared store */
  function send(ids: string[], waiter?: (r: ReceiptReport) => void) {
    const rec = m.expect(ids.length, { correlationId: ids.join('+') }, waiter);
    ids.forEach((id, i) => m.accepted(rec, i, id));
    return rec;
  }
  return { me, m, memory, dlrs, answers, route, readInbox, send };
}

describe('correlation shared by several instances (shareInstances)', () => {
  describe('decoding what the shared store answers', () => {
    it('part states: the reply of the part-state script, anything else refused', () => {
      const d = { state: 'DELIVERED', final: true, delivered: true } as PartOutcome;
      const u = { state: 'UNDELIVERABLE', final: true, delivered: false, errorCode: '005' } as PartOutcome;
      const reply = [encodePartState(null), 'claim-1', encodePartState(d), '', encodePartState(u)];
      assert.deepEqual(partStatesOf(reply, 3), { prev: null, reportedBy: 'claim-1', states: [d, null, u] });
      assert.deepEqual(partStatesOf([encodePartState(u), '', '', ''], 2), { prev: u, reportedBy: '', states: [null, null] });
      assert.equal(partStatesOf(reply, 2), null, 'a reply for another number of parts');
      assert.equal(partStatesOf('OK', 1), null);
      assert.equal(decodePartState('{"state":1}'), null);
      assert.equal(decodePartState('not json'), null);
      assert.equal(decodePartState(''), null);
    });

    it('hand-over notes: the fields of a stream entry, round trip; damaged ones refused', () => {
      const n: HandOver = { rid: 'abc-1', report: { state: 'DELIVERED', messageId: '1f' }, done: true };
      assert.deepEqual(decodeHandOver(encodeHandOver(n)), n);
      const bare: HandOver = { rid: 'abc-2', report: null, done: false };
      assert.deepEqual(decodeHandOver(encodeHandOver(bare)), bare);
      assert.equal(decodeHandOver(['rid', '', 'done', '1']), null);
      assert.equal(decodeHandOver(['rid', 'x', 'report', '{oops']), null);
      assert.equal(decodeHandOver('rid'), null);
    });

    it('a stored record keeps its owner and whether it waits, only when shared', () => {
      const memory = new CorrelationStore(1000, 10, clock.now, idFormsOf('auto'), { ridPrefix: 'own1-' });
      const rec = memory.add(['a1'], { x: 1 });
      const plain = toStored(rec, []);
      assert.equal('owner' in plain, false);
      const back = fromStored(JSON.parse(JSON.stringify(toStored(rec, [], { owner: 'own1-', waiter: true }))));
      assert.equal(back?.owner, 'own1-');
      assert.equal(back?.waiter, true);
      const detached = memory.detached(back!);
      assert.equal(detached.owner, 'own1-');
      assert.equal(memory.byRid(detached.rid), rec, 'detached: not taken into memory');
    });
  });

  describe('several matchers over one shared store', () => {
    it('a final receipt taken by B wakes the waiter on A (hand-over), once; A drops its copy; a resend on A or C is a duplicate', async () => {
      const store = sharedStore();
      const [A, B, C] = ['a1-', 'b1-', 'c1-'].map((me) => instance(store, me));
      const woken: ReceiptReport[] = [];
      A.send(['5a01'], (r) => woken.push(r));
      await ticks();
      B.route(rm('5a01'));
      await ticks();
      assert.deepEqual(B.answers, ['reported']);
      assert.equal(B.dlrs.length, 1, 'the dlr output is on B, the instance that received the receipt');
      assert.equal(B.memory.size, 0, "B keeps nothing of A's record");
      assert.equal(A.memory.size, 1, 'A has not read its inbox yet');
      A.readInbox();
      assert.equal(woken.length, 1);
      assert.equal(woken[0].state, 'DELIVERED');
      assert.equal(A.memory.size, 0, 'A dropped its copy: every instance counts 0 pending');
      for (const X of [A, C, B]) X.route(rm('5a01'));
      await ticks();
      A.readInbox();
      assert.deepEqual([A.answers, C.answers, B.answers], [['duplicate'], ['duplicate'], ['reported', 'duplicate']]);
      assert.equal(woken.length, 1, 'not woken twice');
      assert.equal(A.dlrs.length + B.dlrs.length + C.dlrs.length, 1);
      assert.equal(store.parts.size, 0);
      assert.equal([...store.data.keys()].filter((k) => k.startsWith('smppdlr_r_')).length, 0, 'the record left the store');
    });

    it('a three-part message whose part receipts reach three instances gets exactly one report, in every order', async () => {
      const orders = [[0, 1, 2], [2, 1, 0], [1, 0, 2], [0, 2, 1]];
      for (const order of orders) {
        const store = sharedStore();
        const all = ['a2-', 'b2-', 'c2-'].map((me) => instance(store, me));
        const [A] = all;
        const woken: ReceiptReport[] = [];
        const ids = ['7b01', '7b02', '7b03'];
        A.send(ids, (r) => woken.push(r));
        await ticks();
        // part i's receipt goes to instance order[i]
        ids.forEach((id, i) => all[order[i]].route(rm(id)));
        await ticks(30);
        A.readInbox();
        const reports = all.flatMap((x) => x.dlrs);
        assert.equal(reports.length, 1, `order ${order}: ${JSON.stringify(all.map((x) => x.answers))}`);
        assert.equal(reports[0].state, 'DELIVERED');
        assert.deepEqual((reports[0].parts as { state: string }[]).map((p) => p.state), ['DELIVERED', 'DELIVERED', 'DELIVERED']);
        assert.equal(woken.length, 1);
        assert.equal(all.reduce((n, x) => n + x.memory.size, 0), 0, `order ${order}: nothing pending anywhere`);
        assert.equal(store.parts.size, 0, 'the part states were deleted with the record');
      }
    });

    it('failed before every part reported: one failure report, the later parts taken on other instances as part of it', async () => {
      const store = sharedStore();
      const [A, B, C] = ['a3-', 'b3-', 'c3-'].map((me) => instance(store, me));
      const woken: ReceiptReport[] = [];
      A.send(['8c01', '8c02', '8c03'], (r) => woken.push(r));
      await ticks();
      B.route(rm('8c02', 'UNDELIVERABLE'));
      await ticks(30);
      A.readInbox();
      assert.equal(B.dlrs.length, 1);
      assert.equal(B.dlrs[0].delivered, false);
      assert.equal(woken.length, 1);
      assert.equal(A.memory.size, 1, 'A keeps its copy: parts are still to come');
      C.route(rm('8c01'));
      await ticks(30);
      A.route(rm('8c03'));
      await ticks(30);
      assert.deepEqual([C.answers, A.answers], [['taken'], ['taken']]);
      assert.equal(A.dlrs.length + C.dlrs.length, 0, 'nothing reported again, nothing unmatched');
      assert.equal(A.memory.size, 0);
      assert.equal(store.parts.size, 0);
    });

    it('a receipt for a record waited for elsewhere is taken by an instance without smpp-dlr (not throttled)', async () => {
      const store = sharedStore();
      const A = instance(store, 'a4-');
      const B = instance(store, 'b4-', { dlr: false });
      const woken: ReceiptReport[] = [];
      A.send(['9d01'], (r) => woken.push(r));
      A.send(['9d02']);
      await ticks();
      B.route(rm('9d01'));
      B.route(rm('9d02'));
      await ticks();
      A.readInbox();
      assert.deepEqual(B.answers.sort(), ['reported', 'throttled'], 'the one with a waiter is taken; the other has nobody to take it');
      assert.equal(woken.length, 1);
    });

    it('a late part of a message another instance already reported is taken by an instance without smpp-dlr (not throttled)', async () => {
      const store = sharedStore();
      const A = instance(store, 'a6-');
      const B = instance(store, 'b6-');
      const D = instance(store, 'd6-', { dlr: false });
      A.send(['be01', 'be02']);
      await ticks();
      B.route(rm('be01', 'UNDELIVERABLE'));
      await ticks(30);
      D.route(rm('be02'));
      await ticks(30);
      assert.deepEqual([B.answers, D.answers], [['reported'], ['taken']]);
      A.readInbox();
      assert.equal(A.memory.size, 0, 'finished on D: A was told');
      assert.equal(store.parts.size, 0);
    });

    it('Redis dies in the middle of a report (hand-over, claim and part not given back): the SMSC retry after the claim expired is reported, not lost', async () => {
      for (const ids of [['cf01'], ['cf11', 'cf12', 'cf13']]) {
        const store = sharedStore();
        const [A, B] = ['a7-', 'b7-'].map((me) => instance(store, me));
        const woken: ReceiptReport[] = [];
        A.send(ids, (r) => woken.push(r));
        await ticks();
        for (const id of ids.slice(0, -1)) B.route(rm(id));
        await ticks(30);
        const last = ids[ids.length - 1];
        store.dieAtNextHandOver();
        B.route(rm(last));
        await ticks(30);
        assert.equal(B.answers[B.answers.length - 1], 'retry', `${ids.length} part(s): the SMSC is asked to send it again`);
        store.setDown(false);
        B.route(rm(last));
        await ticks(30);
        assert.equal(B.answers[B.answers.length - 1], 'duplicate', 'within the claim\'s short hold: not yet');
        store.expirePending();
        B.route(rm(last));
        await ticks(30);
        A.readInbox();
        assert.equal(B.answers[B.answers.length - 1], 'reported', `${ids.length} part(s): ${B.answers}`);
        assert.equal(B.dlrs.length, 1);
        assert.equal(woken.length, 1);
        assert.equal(A.memory.size, 0);
        B.route(rm(last));
        await ticks(30);
        assert.equal(B.answers[B.answers.length - 1], 'duplicate', 'taken now: its claim holds');
      }
    });

    it('the store failing: the receipt is neither reported nor handed over (the SMSC retries), and is after the store is back', async () => {
      const store = sharedStore();
      const [A, B] = ['a5-', 'b5-'].map((me) => instance(store, me));
      const woken: ReceiptReport[] = [];
      A.send(['ae01', 'ae02'], (r) => woken.push(r));
      await ticks();
      B.route(rm('ae01'));
      await ticks();
      store.setDown(true);
      B.route(rm('ae02'));
      A.route(rm('ae02'));
      await ticks();
      assert.deepEqual([B.answers, A.answers], [['taken', 'error'], ['error']]);
      store.setDown(false);
      B.route(rm('ae02'));
      await ticks(30);
      A.readInbox();
      assert.equal(B.dlrs.length, 1);
      assert.equal(woken.length, 1);
      assert.equal(A.memory.size, 0);
    });
  });
});
