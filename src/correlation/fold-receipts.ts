/**
 * One outcome for a multipart message from the receipts of its parts:
 * delivered when every part is, failed as soon as any part fails finally,
 * pending while some part has no final receipt. Pure.
 */
import type { Receipt, ReceiptState } from '../receipt';

export interface FoldedOutcome {
  /** true once no further receipt can change the outcome */
  final: boolean;
  delivered: boolean;
  /** DELIVERED when all parts are, else the first failing part's state, else ENROUTE */
  state: ReceiptState;
}

export function foldReceipts(receipts: readonly (Receipt | null)[]): FoldedOutcome {
  let allDelivered = true;
  for (const r of receipts) {
    if (r && r.final && !r.delivered) return { final: true, delivered: false, state: r.state };
    if (!r || !r.final || !r.delivered) allDelivered = false;
  }
  if (allDelivered) return { final: true, delivered: true, state: 'DELIVERED' };
  return { final: false, delivered: false, state: 'ENROUTE' };
}
