/**
 * The receipt matcher: what smpp-send sent, matched with the receipts the
 * SMSC sends back, whatever their timing.
 *
 * Sending side (smpp-send):
 *  - expect(parts, remembered, waiter?) before the parts are submitted;
 *  - accepted(record, part, id) when THAT part's submit_sm_resp arrives: its
 *    receipts match from then on, and receipts held for it are matched now;
 *  - refused(record, part) for a part the SMSC refused; forget(record) when
 *    the sender gives up (a part failed, send-and-wait timed out, closing).
 *
 * Receiving side (the gateway's receipt router):
 *  - find(receipt, cb): memory, then the receipts already taken (a resent
 *    receipt is a duplicate), then the persistent copy when there is one,
 *    then the grace hold: a receipt that matches nothing while some part still
 *    waits for its response is held (HeldReceipts) until that response or
 *    the grace period; only then is it unmatched (and if that response
 *    still comes, the message takes the outcome then: LateReceipts);
 *  - apply(hit, receipt): the part's outcome recorded, multipart folded; the
 *    result is nothing to report (a part of an undecided message, a repeat)
 *    or a report, whose settle(ok) finishes the record only when whoever it
 *    was handed to took it (a failure puts the part back as it was, so the
 *    SMSC's retry is reported again).
 *
 * A send-and-wait waiter gets the final report once, at apply time.
 *
 * Instances sharing the store (shareInstances, stored.shared): a multipart
 * hit's part state is written to the shared part states, which answer every
 * part's state (the fold sees the parts other instances took) and whether
 * the message's report is out (one instance marks it); a report of a record
 * another instance sent is handed over to that instance (Applied.handOver:
 * its waiter, its memory copy), and that instance's notes come in through
 * handedOver().
 * Pure: time from the injected clock, persistence through StoredCorrelation.
 * (Over 350 lines: find, claim, apply and the hand-over share the waiters,
 * the outstanding parts and the held receipts; the shared part states' own
 * steps are in shared-parts.ts.)
 */
import type { Receipt } from '../receipt';
import type { ReceiptMessage } from '../message/inbound';
import type { CorrelationClock } from './clock';
import { foldReceipts, partOutcome } from './fold-receipts';
import { HeldReceipts } from './held-receipts';
import type { CorrelationStore, SentRecord } from './memory-store';
import { RecentReceipts } from './recent-receipts';
import { LateReceipts } from './late-receipts';
import { isFinalReceipt, ReceiptReport, reportOf } from './report';
import type { StoredCorrelation } from './stored-copy';
import type { HandOver } from './shared-correlation';
import { givePartBack, SharedHit, sharedTtl, withPartStates } from './shared-parts';

export type ReportWaiter = (report: ReceiptReport) => void;

/** What find() reads of a receipt (the rest only when instances share the store). */
export type SeenReceipt = Pick<Receipt, 'messageId' | 'state'> & Partial<Pick<Receipt, 'final' | 'delivered' | 'errorCode' | 'kind'>>;
export type { SharedHit };

export type Hit = { record: SentRecord; part: number; claim?: string; shared?: SharedHit };

export type FindResult =
  /** claim: the receipt's claim across instances ('' when the store has none), given back if it is not taken */
  | ({ kind: 'hit' } & Hit)
  /** the same final receipt was taken before: answer it, report nothing */
  | { kind: 'duplicate' }
  /** matches nothing; held: it was held for the grace period first */
  | { kind: 'unmatched'; held?: boolean }
  /** the persistent store failed: neither matched nor unmatched (the SMSC should retry) */
  | { kind: 'error'; error: Error }
  /** held when the gateway closed: not known yet (the SMSC should retry) */
  | { kind: 'closing' };

export type Applied =
  /** nothing to report now (a part of a message whose outcome is not known yet, a late part, a repeat) */
  | { kind: 'taken' }
  | {
    kind: 'report';
    report: ReceiptReport;
    sent: Record<string, unknown>;
    settle(ok: boolean): void;
    /**
     * shared store: the final report of a record ANOTHER instance sent, to be
     * handed over to it (its waiter) before the receipt is acknowledged;
     * cb(err): it could not be, settle(false) and let the SMSC retry
     */
    handOver?(cb: (err: Error | null) => void): void;
  };

export interface MatcherOptions {
  clock: CorrelationClock;
  /** how long a receipt that matches nothing is held while responses are outstanding (0: never) */
  graceMs: number;
  acceptedIsFinal: boolean;
}

export interface MatcherCounters {
  /** receipts held for a response they were ahead of */
  held: number;
  /** receipts taken as the repeat of one already taken (not reported again) */
  duplicates: number;
}

const TAKEN: Applied = { kind: 'taken' };

export class ReceiptMatcher {
  private readonly waiters = new WeakMap<SentRecord, ReportWaiter>();
  /** parts not answered yet, over every record being submitted (each record counts its own) */
  private unansweredParts = 0;
  private readonly held: HeldReceipts;
  private readonly recent: RecentReceipts;
  private readonly late: LateReceipts<ReceiptMessage>;
  private closed = false;
  readonly matcherCounters: MatcherCounters = { held: 0, duplicates: 0 };

  constructor(
    readonly memory: CorrelationStore,
    readonly stored: StoredCorrelation | null,
    private readonly opts: MatcherOptions,
  ) {
    this.held = new HeldReceipts(memory.forms, opts.clock, opts.graceMs);
    this.recent = new RecentReceipts(() => opts.clock.now());
    this.late = new LateReceipts<ReceiptMessage>(memory.forms, () => opts.clock.now());
  }

  /** sent messages waiting for their receipts */
  get size(): number {
    return this.memory.size;
  }

  get counters() {
    return { ...this.memory.counters, ...this.matcherCounters, heldNow: this.held.size };
  }

  // ---- sending side --------------------------------------------------------------------

  /** A message about to be submitted in `parts` parts; with `waiter`, its final report is handed to it once. */
  expect(parts: number, remembered: Record<string, unknown>, waiter?: ReportWaiter): SentRecord {
    const rec = this.memory.open(parts, remembered);
    this.unansweredParts += rec.unanswered;
    if (waiter) this.waiters.set(rec, waiter);
    return rec;
  }

  /** A part's submit_sm_resp with its id: receipts for it match from now on, held ones at once. */
  accepted(rec: SentRecord, part: number, id: string): void {
    const last = this.answered(rec);
    if (this.memory.setPartId(rec, part, id)) {
      // (both usually empty: then no id is read at all)
      if (this.held.size > 0) for (const h of this.held.take(id)) h.matched();
      if (this.late.size > 0) for (const rm of this.late.take(id)) {
        // already reported (unmatched): recorded, and handed to a waiter, not reported again
        const a = this.apply({ record: rec, part }, rm);
        if (a.kind === 'report') a.settle(true);
      }
      if (last) this.stored?.written(rec, this.waiters.has(rec));
    }
    this.releaseIfNothingOutstanding();
  }

  /** A part the SMSC refused: no receipt will come for it. */
  refused(rec: SentRecord, _part: number): void {
    this.answered(rec);
    this.releaseIfNothingOutstanding();
  }

  /** The sender stops waiting: the record is dropped; false if its waiter already had the outcome. */
  forget(rec: SentRecord): boolean {
    const had = this.waiters.delete(rec);
    this.unansweredParts -= rec.unanswered;
    rec.unanswered = 0;
    this.memory.remove(rec);
    this.releaseIfNothingOutstanding();
    return had;
  }

  // ---- receiving side ------------------------------------------------------------------

  /** Finds what a receipt belongs to (see the module comment); cb may be called at once or later. */
  find(receipt: SeenReceipt, done: (r: FindResult) => void): void {
    const id = receipt.messageId;
    // a hit is claimed first when instances share the store: only the one that wins reports it
    const cb = (r: FindResult) => (r.kind === 'hit' ? this.claimed(r, receipt, done) : done(r));
    const m = this.memory.find(id);
    if (m) return cb({ kind: 'hit', record: m.record, part: m.part });
    if (this.recent.has(id, receipt.state)) {
      this.matcherCounters.duplicates++;
      return cb({ kind: 'duplicate' });
    }
    const hold = () => {
      const again = () => {
        const m2 = this.memory.find(id);
        cb(m2 ? { kind: 'hit', record: m2.record, part: m2.part } : { kind: 'unmatched' });
      };
      if (this.unansweredParts > 0 && this.held.hold(id, again, () => cb(this.closed ? { kind: 'closing' } : { kind: 'unmatched', held: true }))) {
        this.matcherCounters.held++;
        return;
      }
      cb({ kind: 'unmatched' });
    };
    if (!this.stored) return hold();
    this.stored.lookup(id, (err, found, retired) => {
      if (err) return cb({ kind: 'error', error: err });
      if (found) return cb({ kind: 'hit', record: found.record, part: found.part });
      if (retired) {
        // shared: the id of a record finished a moment ago (on any instance): a resend
        this.matcherCounters.duplicates++;
        return cb({ kind: 'duplicate' });
      }
      // its response may have come while the store was read
      const now = this.memory.find(id);
      if (now) return cb({ kind: 'hit', record: now.record, part: now.part });
      hold();
    });
  }

  /**
   * The receipt of a hit claimed across the instances sharing the store
   * (stored-copy claim): won, the hit with its claim; lost, a duplicate
   * (another instance reported it); the store failed: an error (retry).
   */
  private claimed(hit: { kind: 'hit' } & Hit, receipt: SeenReceipt, done: (r: FindResult) => void): void {
    if (!this.stored?.claims) return done(hit);
    this.stored.claim(hit.record, hit.part, receipt.state, (err, key) => {
      if (err) return done({ kind: 'error', error: err });
      if (key === null) {
        this.matcherCounters.duplicates++;
        return done({ kind: 'duplicate' });
      }
      const won = { ...hit, claim: key };
      const shared = this.stored?.shared;
      if (!shared || hit.record.partIds.length < 2) return done(won);
      const final = isFinalReceipt({ state: receipt.state, final: receipt.final ?? false, kind: receipt.kind ?? null }, this.opts.acceptedIsFinal);
      const outcome = partOutcome({ state: receipt.state, final, delivered: receipt.delivered ?? false, errorCode: receipt.errorCode });
      withPartStates(shared, hit.record, hit.part, outcome, sharedTtl(hit.record, this.opts.clock.now()), key, (err2, sh) => {
        if (err2 || !sh) {
          this.unclaim(won);
          return done({ kind: 'error', error: err2 ?? new Error('the shared part states gave no answer') });
        }
        // its outcome is out (another instance reported it): a late part has a taker (hasTaker) even without smpp-dlr here
        if (sh.reported) won.record.reported = true;
        done({ ...won, shared: sh });
      });
    });
  }

  /** A hit that is not applied after all (nobody to take it): its claim (and shared part state) is given back. */
  unclaim(hit: Hit): void {
    if (hit.claim) this.stored?.release(hit.claim);
    const shared = this.stored?.shared;
    if (shared && hit.shared) givePartBack(shared, hit.record, hit.part, hit.shared, sharedTtl(hit.record, this.opts.clock.now()));
  }

  /**
   * Whether someone waits for this record's report (a waiter here, or, for a
   * record another instance sent, a waiter there), or its outcome is already
   * out (a late part).
   */
  hasTaker(rec: SentRecord): boolean {
    return this.waiters.has(rec) || rec.reported || (this.ownerElsewhere(rec) !== null && rec.waiter === true);
  }

  /**
   * A note from an instance that took a receipt of a record this one sent
   * (shared store): the report to its waiter; done, the record leaves memory
   * (the other instance removed it from the store).
   */
  handedOver(note: HandOver): void {
    const rec = this.memory.byRid(note.rid);
    if (!rec) return;
    if (note.report) {
      rec.reported = true;
      const waiter = this.waiters.get(rec);
      if (waiter) {
        this.waiters.delete(rec);
        waiter({ ...note.report });
      }
    }
    if (!note.done) return;
    this.waiters.delete(rec);
    this.unansweredParts -= rec.unanswered;
    rec.unanswered = 0;
    if (this.stored) this.stored.forgetLocal(rec);
    else this.memory.remove(rec);
    this.releaseIfNothingOutstanding();
  }

  /**
   * The shared store is back after failing: the records this instance still
   * waits receipts for are written again where the store lost them
   * (StoredCorrelation.restore); done(false) when some could not be (try again).
   */
  storeRecovered(done: (ok: boolean) => void): void {
    const recs = Array.from(this.memory.values());
    if (!this.stored || recs.length === 0) return done(true);
    let left = recs.length;
    let ok = true;
    for (const rec of recs) {
      this.stored.restore(rec, this.waiters.has(rec), (good) => {
        if (!good) ok = false;
        if (--left === 0) done(ok);
      });
    }
  }

  /** Records a matched receipt (see the module comment). */
  apply(hit: Hit, rm: ReceiptMessage): Applied {
    const { record: rec, part } = hit;
    const r = rm.receipt;
    const final = isFinalReceipt(r, this.opts.acceptedIsFinal);
    const outcome = partOutcome({ state: r.state, final, delivered: r.delivered, errorCode: r.errorCode });
    if (hit.shared) {
      // the parts as the shared store had them when this part was written
      hit.shared.states.forEach((st, i) => {
        rec.receipts[i] = i === part ? hit.shared!.prev : st;
      });
      rec.reported = hit.shared.reported;
    }
    const prev = rec.receipts[part];
    // (shared: the claim won already says it is not a repeat; a retry may find its own state written)
    if (!hit.shared && prev && prev.state === outcome.state && prev.final === outcome.final && prev.errorCode === outcome.errorCode) {
      this.matcherCounters.duplicates++;
      return TAKEN;
    }
    rec.receipts[part] = outcome;
    const report = reportOf(rm, final);
    report.unmatched = false;
    let keep = false;
    if (rec.partIds.length > 1) {
      const folded = foldReceipts(rec.receipts);
      const allFinal = rec.receipts.every((p) => p !== null && p.final);
      if (!folded.final || rec.reported) {
        // a part's report: held until the message's outcome is known; or a
        // late part of a message whose failure is already out (taken, not output)
        if (rec.reported && allFinal) this.finish(rec);
        else this.stored?.update(rec);
        if (final) this.recent.add(r.messageId, r.state);
        this.stored?.confirm(hit.claim, rec);
        return TAKEN;
      }
      Object.assign(report, {
        messageId: rec.partIds[0],
        state: folded.state,
        final: true,
        delivered: folded.delivered,
        parts: rec.receipts.map((p, i) => ({ messageId: rec.partIds[i], state: p?.state ?? null, errorCode: p?.errorCode ?? null })),
      });
      // failed before every part reported: keep the record for the other parts' receipts
      keep = !allFinal;
    }
    const outcomeFinal = report.final === true;
    const waiter = outcomeFinal ? this.waiters.get(rec) : undefined;
    if (waiter) {
      this.waiters.delete(rec);
      waiter({ ...report });
    }
    // another instance sent it: its waiter and its memory copy are told (the report once it is final)
    const owner = outcomeFinal ? this.ownerElsewhere(rec) : null;
    const shared = this.stored?.shared;
    const applied: Applied = {
      kind: 'report',
      report,
      sent: rec.remembered,
      settle: (ok) => {
        if (!ok) {
          // not taken: the SMSC will send it again, and it must be reported again
          if (rec.receipts[part] === outcome) rec.receipts[part] = prev;
          this.unclaim(hit);
          return;
        }
        if (final) this.recent.add(r.messageId, r.state);
        this.stored?.confirm(hit.claim, rec);
        if (!outcomeFinal) return;
        if (keep) {
          rec.reported = true;
          this.stored?.update(rec);
        } else this.finish(rec, owner !== null);
      },
    };
    if (owner !== null && shared) {
      const note: HandOver = { rid: rec.rid, report: { ...report }, done: !keep };
      applied.handOver = (cb) => shared.handOver(owner, note, cb);
    }
    return applied;
  }

  /**
   * An unmatched receipt was handed out and taken: a resend of it is not
   * reported again; and a final one that was held first still finishes its
   * message if the response it was ahead of comes after all (LateReceipts).
   */
  takenUnmatched(rm: ReceiptMessage, wasHeld: boolean): void {
    if (!isFinalReceipt(rm.receipt, this.opts.acceptedIsFinal)) return;
    this.recent.add(rm.receipt.messageId, rm.receipt.state);
    if (wasHeld) this.late.add(rm.receipt.messageId, rm);
  }

  /** Expires the sweep's way: memory only (the caller sweeps the persistent copy). */
  sweep(): void {
    this.memory.sweep();
  }

  /** Closing: held receipts are let go now, as 'closing' (not known yet: the SMSC sends them again). */
  close(): void {
    this.closed = true;
    this.held.expireAll();
  }

  /** The record's outcome is reported in full; notified: its owner elsewhere was told already (handOver). */
  private finish(rec: SentRecord, notified = false): void {
    this.waiters.delete(rec);
    const shared = this.stored?.shared;
    if (!shared || this.memory.byRid(rec.rid) === rec) {
      this.memory.remove(rec, 'finished');
      return;
    }
    // shared: a record another instance sent, used detached for this receipt
    this.stored!.finishedDetached(rec);
    const owner = this.ownerElsewhere(rec);
    if (owner !== null && !notified) {
      // its memory copy only (no waiter left: its report went out before): best effort, it expires anyway
      shared.handOver(owner, { rid: rec.rid, report: null, done: true }, () => undefined);
    }
  }

  /** The instance that sent rec when that is another one sharing the store, else null. */
  private ownerElsewhere(rec: SentRecord): string | null {
    const shared = this.stored?.shared;
    return shared && rec.owner && rec.owner !== shared.me ? rec.owner : null;
  }

  /** One part of rec answered; true when it was the last one. */
  private answered(rec: SentRecord): boolean {
    if (rec.unanswered <= 0) return false;
    this.unansweredParts--;
    return --rec.unanswered === 0;
  }

  /** With no response outstanding, a held receipt can match nothing any more: it is unmatched now. */
  private releaseIfNothingOutstanding(): void {
    if (this.unansweredParts === 0 && this.held.size > 0) this.held.expireAll();
  }
}
