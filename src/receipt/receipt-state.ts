/**
 * Delivery states of a short message as reported in delivery receipts, and
 * the two ways an SMSC reports them: the message_state TLV (SMPP 3.4 §5.3.2.35)
 * and the `stat:` word of the receipt text (SMPP 3.4 Appendix B; the words in
 * use are in stat-words.ts). Pure.
 */
import { STATE_BY_STAT_WORD } from './stat-words';

import type { ReceiptState } from './receipt-state-type';

export type { ReceiptState };

export const RECEIPT_STATES: readonly ReceiptState[] = [
  'ENROUTE', 'DELIVERED', 'EXPIRED', 'DELETED', 'UNDELIVERABLE', 'ACCEPTED', 'UNKNOWN', 'REJECTED',
];

/**
 * message_state TLV value -> state. 1..8 are SMPP 3.4 (table 5-6).
 * SMPP 5.0 adds two values that a 3.4 gateway may still meet:
 *  - 0 SCHEDULED: not yet due for delivery, still pending -> ENROUTE (not final);
 *  - 9 SKIPPED: accepted but deliberately not transmitted by MC policy; it is a
 *    final state and the message was not delivered -> UNDELIVERABLE.
 */
const BY_MESSAGE_STATE: readonly ReceiptState[] = [
  'ENROUTE', // 0 SCHEDULED (SMPP 5.0)
  'ENROUTE', // 1
  'DELIVERED', // 2
  'EXPIRED', // 3
  'DELETED', // 4
  'UNDELIVERABLE', // 5
  'ACCEPTED', // 6
  'UNKNOWN', // 7
  'REJECTED', // 8
  'UNDELIVERABLE', // 9 SKIPPED (SMPP 5.0)
];

/** Maps a message_state TLV value; undefined for anything outside 0..9. */
export function stateFromMessageState(value: number | undefined): ReceiptState | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return undefined;
  return BY_MESSAGE_STATE[value];
}

const DIGITS_RE = /^\d{1,3}$/;

/**
 * Maps a `stat:` word, case-insensitively, with the table in stat-words.ts.
 * A few SMSCs put the numeric message_state in `stat:` ("stat:2"); those are
 * mapped like the TLV. Unknown words give undefined (the receipt then says
 * UNKNOWN, not final).
 */
export function stateFromStat(word: string | undefined): ReceiptState | undefined {
  if (!word) return undefined;
  const w = word.trim().toUpperCase();
  if (DIGITS_RE.test(w)) return stateFromMessageState(Number(w));
  return STATE_BY_STAT_WORD.get(w);
}

/**
 * Whether no further receipt is expected for the message.
 *  - ENROUTE (and every "buffered" word mapped to it) is intermediate.
 *  - UNKNOWN is not final: it is what an unknown `stat:` word gives, and SMPP's
 *    own UNKNOWN ("message is in invalid state") is not among Jasmin's final
 *    states either; the real outcome may still follow.
 *  - ACCEPTED is not final by default: SMSCs and gateways send ACCEPTD (or
 *    message_state 6) when they take the message, before the real outcome
 *    (Kannel counts it as buffered, Jasmin as not final). SMSCs that use it as
 *    the final word (SMPP 3.4: "manually read on behalf of the subscriber by
 *    customer service") are served by the gateway option acceptedIsFinal.
 *  - DELIVERED, EXPIRED, DELETED, UNDELIVERABLE, REJECTED are final.
 */
export function isFinal(state: ReceiptState, acceptedIsFinal = false): boolean {
  switch (state) {
    case 'ENROUTE':
    case 'UNKNOWN':
      return false;
    case 'ACCEPTED':
      return acceptedIsFinal === true;
    default:
      return true;
  }
}

/** Whether the state means the message reached the handset. */
export function isDelivered(state: ReceiptState): boolean {
  return state === 'DELIVERED';
}
