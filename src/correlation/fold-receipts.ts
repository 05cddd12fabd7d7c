/**
 * One outcome for a multipart message from the receipts of its parts:
 * delivered when every part is, failed as soon as any part fails finally,
 * pending while some part has no final receipt. Pure.
 */
import type { Receipt, ReceiptState } from '../receipt';

/** What folding needs of a part's receipt (and what a persistent store keeps of it). */
export type PartOutcome = Pick<Receipt, 'state' | 'final' | 'delivered' | 'errorCode'>;

export interface FoldedOutcome {
  /** true once no further receipt can change the outcome */
  final: boolean;
  delivered: boolean;
  /** DELIVERED when all parts are, else the first failing part's state, else ENROUTE */
  state: ReceiptState;
}

export function foldReceipts(receipts: readonly (PartOutcome | null)[]): FoldedOutcome {
  let allDelivered = true;
  for (const r of receipts) {
    if (r && r.final && !r.delivered) return { final: true, delivered: false, state: r.state };
    if (!r || !r.final || !r.delivered) allDelivered = false;
  }
  if (allDelivered) return { final: true, delivered: true, state: 'DELIVERED' };
  return { final: false, delivered: false, state: 'ENROUTE' };
}

/** The part of a receipt worth keeping for folding, as plain JSON-safe data. */
export function partOutcome(r: PartOutcome): PartOutcome {
  const out: PartOutcome = { state: r.state, final: r.final, delivered: r.delivered };
  if (r.errorCode !== undefined) out.errorCode = r.errorCode;
  return out;
}
