/**
 * The gateway option messageIdForm as the pair of id forms the correlation
 * store reads ids with (see receipt/message-id.ts). Pure.
 *
 *  - 'auto':            every form matches: case, leading zeros, hex against
 *                       decimal in either direction (the default);
 *  - 'exact':           the same text, ignoring letter case;
 *  - 'receipt-decimal': the SMSC answers submit_sm with a hex id and writes
 *                       its decimal value in receipts ("ff" -> "255");
 *  - 'receipt-hex':     the SMSC answers with a decimal id and writes its hex
 *                       value in receipts ("255" -> "FF" or "00000000000000ff").
 * The two fixed base forms also match ids that are not numbers in that base
 * by their text, ignoring case (an SMSC that sends UUIDs still matches).
 */
import type { IdFormPair } from '../receipt/message-id';

export type MessageIdForm = 'auto' | 'exact' | 'receipt-decimal' | 'receipt-hex';

export const MESSAGE_ID_FORMS: readonly MessageIdForm[] = ['auto', 'exact', 'receipt-decimal', 'receipt-hex'];

const PAIRS: Readonly<Record<MessageIdForm, IdFormPair>> = {
  auto: { sent: 'any', receipt: 'any' },
  exact: { sent: 'exact', receipt: 'exact' },
  'receipt-decimal': { sent: 'hex', receipt: 'decimal' },
  'receipt-hex': { sent: 'decimal', receipt: 'hex' },
};

/** The id forms for a messageIdForm option; an unknown value is 'auto'. */
export function idFormsOf(form: string | undefined): IdFormPair {
  return PAIRS[form as MessageIdForm] ?? PAIRS.auto;
}
