/**
 * Delivery states of a short message as reported in delivery receipts, and
 * the two ways an SMSC reports them: the message_state TLV (SMPP 3.4 §5.3.2.35)
 * and the `stat:` word of the receipt text (SMPP 3.4 Appendix B). Pure.
 */

export type ReceiptState =
  | 'ENROUTE'
  | 'DELIVERED'
  | 'EXPIRED'
  | 'DELETED'
  | 'UNDELIVERABLE'
  | 'ACCEPTED'
  | 'UNKNOWN'
  | 'REJECTED';

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

/**
 * `stat:` words (upper-cased before lookup). The 7-letter abbreviations are
 * those of SMPP 3.4 Appendix B; the full words are what some SMSCs send instead.
 * UNDELIVERED and FAILED are seen from aggregators and read as UNDELIVERABLE;
 * SCHEDULED and SKIPPED follow the message_state mapping above.
 * A Map, not an object literal, so that words like "constructor" find nothing.
 */
const BY_STAT_WORD: ReadonlyMap<string, ReceiptState> = new Map<string, ReceiptState>([
  ['ENROUTE', 'ENROUTE'],
  ['SCHEDULED', 'ENROUTE'],
  ['DELIVRD', 'DELIVERED'],
  ['DELIVERED', 'DELIVERED'],
  ['EXPIRED', 'EXPIRED'],
  ['DELETED', 'DELETED'],
  ['UNDELIV', 'UNDELIVERABLE'],
  ['UNDELIVERABLE', 'UNDELIVERABLE'],
  ['UNDELIVERED', 'UNDELIVERABLE'],
  ['FAILED', 'UNDELIVERABLE'],
  ['SKIPPED', 'UNDELIVERABLE'],
  ['ACCEPTD', 'ACCEPTED'],
  ['ACCEPTED', 'ACCEPTED'],
  ['UNKNOWN', 'UNKNOWN'],
  ['REJECTD', 'REJECTED'],
  ['REJECTED', 'REJECTED'],
]);

const DIGITS_RE = /^\d{1,3}$/;

/**
 * Maps a `stat:` word, case-insensitively. A few SMSCs put the numeric
 * message_state in `stat:` ("stat:2"); those are mapped like the TLV.
 * Unknown words give undefined.
 */
export function stateFromStat(word: string | undefined): ReceiptState | undefined {
  if (!word) return undefined;
  const w = word.trim().toUpperCase();
  if (DIGITS_RE.test(w)) return stateFromMessageState(Number(w));
  return BY_STAT_WORD.get(w);
}

/**
 * Whether no further receipt is expected for the message. Only ENROUTE is an
 * intermediate state. ACCEPTED is final (SMPP 3.4 table 5-6: "manually read on
 * behalf of the subscriber by customer service"), and so is UNKNOWN ("message
 * is in invalid state"; SMPP 5.0 lists it among the final states).
 */
export function isFinal(state: ReceiptState): boolean {
  return state !== 'ENROUTE';
}

/** Whether the state means the message reached the handset. */
export function isDelivered(state: ReceiptState): boolean {
  return state === 'DELIVERED';
}
