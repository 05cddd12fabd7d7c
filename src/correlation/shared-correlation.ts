/**
 * What the correlation needs when several instances share one store (the
 * gateway option shareInstances), beyond the claims of stored-copy.ts:
 *  - the part states of a multipart message kept in the store, written and
 *    read back in one atomic step, so that one fold (fold-receipts.ts) sees
 *    every part's receipt whichever instance took it, and one mark says the
 *    message's report is out;
 *  - the hand-over of a report to the instance that sent the message (its
 *    send-and-wait waiter), and the notice that another instance finished
 *    the record (the sender drops its own memory copy);
 *  - retiring a finished record's id keys for a while instead of deleting
 *    them, so that a resent receipt reaching any instance is a duplicate.
 * The Redis glue is nodes/shared/part-states.ts and receipt-inbox.ts; here
 * the interface and the pure decoding of what the store answers.
 */
import { PartOutcome, partOutcome } from './fold-receipts';
import type { ReceiptReport } from './report';

/** A part's state written: what it was before, every part's state after, and who marked the report out ('' nobody). */
export interface PartStates {
  prev: PartOutcome | null;
  states: (PartOutcome | null)[];
  reportedBy: string;
}

/** What the owner of a record is told by the instance that took a receipt of it. */
export interface HandOver {
  rid: string;
  /** the message's final report (for its send-and-wait waiter), or null */
  report: ReceiptReport | null;
  /** the record is finished: the owner drops its memory copy */
  done: boolean;
}

export interface SharedCorrelation {
  /** this instance's name in the records it writes (its rid prefix) */
  readonly me: string;
  /** Sets part `part` of message `rid` (of `parts` parts) to `state` (null: cleared), atomically; answers every part's state. */
  writePart(rid: string, part: number, parts: number, state: PartOutcome | null, ttlMs: number, cb: (err: Error | null, got?: PartStates) => void): void;
  /**
   * Marks the message's report out by `by` (the claim key of the receipt
   * that reports it; won false: another marked it first, true also when `by`
   * had marked it), or (on false) clears the mark if it is `by`'s.
   */
  markReported(rid: string, by: string, on: boolean, ttlMs: number, cb: (err: Error | null, won?: boolean) => void): void;
  /** Deletes the part states of a finished message. */
  dropParts(rid: string): void;
  /** Keeps those of the id keys (context keys of the correlation's scope) that still point at record rid only `ms` longer. */
  retire(rid: string, contextKeys: string[], ms: number): void;
  /** Hands a note to the instance `owner` (its inbox); cb(err) when it could not be stored. */
  handOver(owner: string, note: HandOver, cb: (err: Error | null) => void): void;
}

/** How long a finished record's id keys are kept: a resent receipt in that time is a duplicate on every instance. */
export const RETIRED_MS = 10 * 60_000;

/** A part state as the store keeps it (JSON text); '' for none. */
export function encodePartState(s: PartOutcome | null): string {
  return s ? JSON.stringify(partOutcome(s)) : '';
}

/** A part state read back; null when there is none or it is not one. */
export function decodePartState(v: unknown): PartOutcome | null {
  if (typeof v !== 'string' || v === '') return null;
  try {
    const o = JSON.parse(v) as Record<string, unknown>;
    if (!o || typeof o !== 'object' || typeof o.state !== 'string' || typeof o.final !== 'boolean' || typeof o.delivered !== 'boolean') return null;
    return partOutcome(o as unknown as PartOutcome);
  } catch {
    return null;
  }
}

/**
 * The answer of the part-state script: [prev, reported, state of part 0, 1,
 * ...] ('' for none); null when it is not one.
 */
export function partStatesOf(reply: unknown, parts: number): PartStates | null {
  if (!Array.isArray(reply) || reply.length !== parts + 2) return null;
  return {
    prev: decodePartState(reply[0]),
    reportedBy: typeof reply[1] === 'string' ? reply[1] : '',
    states: reply.slice(2).map(decodePartState),
  };
}

/** A hand-over note as the fields of a stream entry. */
export function encodeHandOver(n: HandOver): string[] {
  return ['rid', n.rid, 'report', n.report ? JSON.stringify(n.report) : '', 'done', n.done ? '1' : '0'];
}

/** The fields of a stream entry (name, value, ...) as a note; null when they are not one. */
export function decodeHandOver(fields: unknown): HandOver | null {
  if (!Array.isArray(fields)) return null;
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[String(fields[i])] = String(fields[i + 1]);
  if (!f.rid) return null;
  let report: ReceiptReport | null = null;
  if (f.report) {
    try {
      const r = JSON.parse(f.report) as unknown;
      if (r && typeof r === 'object' && !Array.isArray(r)) report = r as ReceiptReport;
    } catch {
      return null;
    }
  }
  return { rid: f.rid, report, done: f.done === '1' };
}
