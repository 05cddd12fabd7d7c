/**
 * Message ids handed out in submit_sm_resp / data_sm_resp, and the form the
 * same id takes in receipts (to exercise id-form matching in the gateway).
 * Numeric ids come from a counter that starts at a random value at or above
 * 0xA0000000, so the hex and decimal forms of an id never look alike.
 * 'symbols' ids carry _ $ @ (as some SMSCs' ids do; GSM 7-bit maps those
 * octets to other characters) and are written the same in receipts.
 */
import { randomInt, randomUUID } from 'crypto';

export type MessageIdFormat = 'decimal' | 'hex' | 'uuid' | 'symbols';
export type ReceiptIdFormat = 'same' | 'decimal' | 'hex-upper-padded';

export const MESSAGE_ID_FORMATS: readonly MessageIdFormat[] = ['decimal', 'hex', 'uuid', 'symbols'];
export const RECEIPT_ID_FORMATS: readonly ReceiptIdFormat[] = ['same', 'decimal', 'hex-upper-padded'];

export class MessageIdGenerator {
  private counter: number;

  constructor(private readonly format: MessageIdFormat) {
    this.counter = 0xa0000000 + randomInt(0, 0x10000000);
  }

  next(): string {
    if (this.format === 'uuid') return randomUUID();
    const n = this.counter++;
    if (this.format === 'symbols') return `m_${n.toString(16)}$@`;
    return this.format === 'hex' ? n.toString(16) : n.toString(10);
  }
}

/** The id as written in a receipt, given how it was written in the response. */
export function receiptIdOf(id: string, idFormat: MessageIdFormat, receiptFormat: ReceiptIdFormat): string {
  if (receiptFormat === 'same') return id;
  if (idFormat === 'symbols') throw new TypeError("'symbols' message ids are written the same in receipts (receiptIdFormat 'same')");
  let value: bigint;
  let hexWidth: number;
  if (idFormat === 'uuid') {
    value = BigInt('0x' + id.replace(/-/g, ''));
    hexWidth = 32;
  } else {
    value = idFormat === 'hex' ? BigInt('0x' + id) : BigInt(id);
    hexWidth = 16;
  }
  if (receiptFormat === 'decimal') return value.toString(10);
  return value.toString(16).toUpperCase().padStart(hexWidth, '0');
}
