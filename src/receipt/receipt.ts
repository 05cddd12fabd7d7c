/**
 * A delivery receipt from a deliver_sm / data_sm: the optional parameters
 * (receipted_message_id, message_state, network_error_code) combined with the
 * receipt text. The TLVs win over the text for the message id and the state;
 * the text supplies what TLVs cannot (dates, counts, err, text). Pure.
 */
import { ReceiptState, isDelivered, isFinal, stateFromMessageState } from './receipt-state';
import { parseReceiptBytes, parseReceiptText } from './receipt-text';
import { cleanId } from './message-id';

/** esm_class bits 2..5 (SMPP 3.4 §5.2.12, message type for deliver_sm). */
export const ESM_TYPE_MASK = 0x3c;
export const ESM_SMSC_RECEIPT = 0x04;
export const ESM_SME_DELIVERY_ACK = 0x08;
export const ESM_SME_MANUAL_ACK = 0x10;
export const ESM_INTERMEDIATE = 0x20;

export type ReceiptKind = 'smsc-receipt' | 'sme-delivery-ack' | 'sme-manual-ack' | 'intermediate';

/** The receipt kind that esm_class announces, or null (ordinary message, conversation abort...). */
export function receiptKind(esmClass: number): ReceiptKind | null {
  switch (esmClass & ESM_TYPE_MASK) {
    case ESM_SMSC_RECEIPT: return 'smsc-receipt';
    case ESM_SME_DELIVERY_ACK: return 'sme-delivery-ack';
    case ESM_SME_MANUAL_ACK: return 'sme-manual-ack';
    case ESM_INTERMEDIATE: return 'intermediate';
    default: return null;
  }
}

/**
 * Whether a deliver_sm/data_sm carries a receipt: its esm_class message type
 * says so (SMPP 3.4 section 5.2.12: SMSC delivery receipt, SME delivery or
 * manual/user acknowledgement, intermediate delivery notification). A
 * receipted_message_id TLV alone does not make a receipt: an MO (type 0) may
 * carry one and stays an MO. (0x18 in those bits is the Korean CDMA
 * "conversation abort", not a receipt.)
 */
export function isReceipt(esmClass: number): boolean {
  return receiptKind(esmClass) !== null;
}

/** network_error_code TLV: 1 octet network type, 2 octets error code (big-endian). */
export interface NetworkError {
  type: number;
  /** Name of the network type (SMPP 3.4 §5.3.2.31; 4..8 from SMPP 5.0), or 'reserved'. */
  typeName: string;
  code: number;
}

const NETWORK_TYPES: readonly string[] = [
  'reserved', 'ANSI-136', 'IS-95', 'GSM', 'ANSI-136 cause', 'IS-95 cause', 'ANSI-41', 'SMPP', 'MC specific',
];

/** Decodes network_error_code; undefined when shorter than 3 octets (extra octets are ignored). */
export function decodeNetworkError(buf: ArrayLike<number> | undefined): NetworkError | undefined {
  if (!buf || buf.length < 3) return undefined;
  const type = buf[0];
  return { type, typeName: NETWORK_TYPES[type] ?? 'reserved', code: (buf[1] << 8) | buf[2] };
}

export interface ReceiptInput {
  esmClass: number;
  /**
   * The message content (short_message or message_payload, UDH removed) as
   * received. Read as ASCII/latin1 octets whatever data_coding says, trailing
   * NULs stripped (see parseReceiptBytes). Wins over text when both are given.
   */
  textBytes?: Uint8Array;
  /** The content already decoded as text (older callers). */
  text?: string;
  receiptedMessageId?: string;
  messageState?: number;
  networkErrorCode?: Buffer;
}

export interface Receipt {
  /** receipted_message_id when present, else the text's `id:` (as written, trimmed). */
  messageId: string;
  /** message_state when valid, else the text's `stat:`, else 'UNKNOWN'. */
  state: ReceiptState;
  /**
   * No further receipt expected: isFinal(state) (ENROUTE, UNKNOWN and, unless
   * acceptedIsFinal, ACCEPTED are not final), and never for an intermediate
   * notification.
   */
  final: boolean;
  delivered: boolean;
  /** What esm_class announced; null when only receipted_message_id made it a receipt. */
  kind: ReceiptKind | null;
  /** The text's `stat:` word as written (also when it was not understood). */
  stat?: string;
  /** The text's `err:` as written. */
  errorCode?: string;
  networkError?: NetworkError;
  submitDate?: Date;
  doneDate?: Date;
  /** `sub:` as a number. */
  submitted?: number;
  /** `dlvrd:` as a number. */
  dlvrdCount?: number;
  /** The text's `text:` field. */
  text?: string;
  /** Where id/state came from: TLVs only, text only, or both contributed. */
  source: 'tlv' | 'text' | 'both';
}

const COUNT_RE = /^\d{1,9}$/;

function count(v: string | undefined): number | undefined {
  return v !== undefined && COUNT_RE.test(v) ? Number(v) : undefined;
}

export interface ReceiptOptions {
  /** The gateway option: ACCEPTED (ACCEPTD, message_state 6) ends the message. Default false. */
  acceptedIsFinal?: boolean;
}

/**
 * Reads a receipt, or returns null when the PDU is not one (see isReceipt) or
 * when no message id can be found (it could not be matched to a message).
 * A receipt whose state is given neither by message_state nor by a known
 * `stat:` word gets 'UNKNOWN', which is not final.
 */
export function parseReceipt(input: ReceiptInput, options: ReceiptOptions = {}): Receipt | null {
  const tlvId = input.receiptedMessageId === undefined ? '' : cleanId(String(input.receiptedMessageId));
  if (!isReceipt(input.esmClass)) return null;

  const parsed = input.textBytes instanceof Uint8Array ? parseReceiptBytes(input.textBytes)
    : typeof input.text === 'string' ? parseReceiptText(input.text) : null;
  const tlvState = stateFromMessageState(input.messageState);
  const networkError = decodeNetworkError(input.networkErrorCode);

  const messageId = tlvId || (parsed?.id ? cleanId(parsed.id) : '');
  if (!messageId) return null;

  const state: ReceiptState = tlvState ?? parsed?.state ?? 'UNKNOWN';
  const kind = receiptKind(input.esmClass);
  const usedTlv = tlvId !== '' || tlvState !== undefined || networkError !== undefined;
  const usedText = parsed !== null;

  const r: Receipt = {
    messageId,
    state,
    final: isFinal(state, options.acceptedIsFinal === true) && kind !== 'intermediate',
    delivered: isDelivered(state),
    kind,
    source: usedTlv && usedText ? 'both' : usedTlv ? 'tlv' : 'text',
  };
  if (parsed) {
    if (parsed.stat !== undefined) r.stat = parsed.stat;
    if (parsed.err !== undefined) r.errorCode = parsed.err;
    if (parsed.submitDate) r.submitDate = parsed.submitDate;
    if (parsed.doneDate) r.doneDate = parsed.doneDate;
    const submitted = count(parsed.sub);
    if (submitted !== undefined) r.submitted = submitted;
    const dlvrd = count(parsed.dlvrd);
    if (dlvrd !== undefined) r.dlvrdCount = dlvrd;
    if (parsed.text !== undefined) r.text = parsed.text;
  }
  if (networkError) r.networkError = networkError;
  return r;
}
