/**
 * The part states of a multipart message when instances share the store
 * (shared-correlation.ts): a part's state written and every part's state
 * read back in one step, folded with the one fold rule (fold-receipts.ts);
 * a final outcome not reported yet is marked out by exactly one instance
 * (the one whose mark wins reports it, the others take the receipt as a
 * part). The mark names the claim of the receipt that reports: if that
 * report was not taken and clearing the mark failed, the SMSC's retry of the
 * same receipt (its claim expired: stored-copy PENDING_CLAIM_MS) reports
 * again instead of finding the message reported. Pure: the store is the
 * SharedCorrelation interface.
 */
import { foldReceipts, PartOutcome } from './fold-receipts';
import type { SentRecord } from './memory-store';
import type { SharedCorrelation } from './shared-correlation';

/** A hit's shared part states (multipart): read at claim time, used by apply. */
export interface SharedHit {
  /** the part's state before this receipt */
  prev: PartOutcome | null;
  /** every part's state, this receipt's included */
  states: (PartOutcome | null)[];
  /** the message's report is out (marked by another receipt) */
  reported: boolean;
  /** this receipt marked it (cleared again if its report is not taken) */
  marked: boolean;
  /** this receipt's claim key (the mark's name) */
  by: string;
}

/** How long shared part states are kept: as long as the record, at least a minute. */
export function sharedTtl(rec: Pick<SentRecord, 'expiresAt'>, now: number): number {
  return Math.max(60_000, rec.expiresAt - now);
}

/** Writes part `part`'s outcome, reads every part's state, marks the report out when they fold final. */
export function withPartStates(
  shared: SharedCorrelation,
  rec: Pick<SentRecord, 'rid' | 'partIds'>,
  part: number,
  outcome: PartOutcome,
  ttlMs: number,
  claim: string,
  cb: (err: Error | null, hit?: SharedHit) => void,
): void {
  const parts = rec.partIds.length;
  const by = claim || `part ${part} ${outcome.state}`;
  shared.writePart(rec.rid, part, parts, outcome, ttlMs, (err, got) => {
    if (err || !got) return cb(err ?? new Error('the shared part states gave no answer'));
    // marked by this very receipt before: its report was not taken, it is reported now
    const mine = got.reportedBy === by;
    const sh: SharedHit = { prev: got.prev, states: got.states, reported: got.reportedBy !== '' && !mine, marked: mine, by };
    if (sh.reported || mine || !foldReceipts(got.states).final) return cb(null, sh);
    shared.markReported(rec.rid, by, true, ttlMs, (err2, won) => {
      if (err2) {
        // not marked: the part goes back as it was, so that the SMSC's retry is folded again
        shared.writePart(rec.rid, part, parts, got.prev, ttlMs, () => undefined);
        return cb(err2);
      }
      if (won) sh.marked = true;
      else sh.reported = true;
      cb(null, sh);
    });
  });
}

/** A part whose receipt was not taken after all: its state (and the report's mark, if this instance set it) given back. */
export function givePartBack(shared: SharedCorrelation, rec: Pick<SentRecord, 'rid' | 'partIds'>, part: number, sh: SharedHit, ttlMs: number): void {
  shared.writePart(rec.rid, part, rec.partIds.length, sh.prev, ttlMs, () => undefined);
  if (sh.marked) shared.markReported(rec.rid, sh.by, false, ttlMs, () => undefined);
}
