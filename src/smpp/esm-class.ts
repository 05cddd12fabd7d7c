/**
 * esm_class of a deliver_sm / data_sm sent by the SMSC (SMPP 3.4 section
 * 5.2.12). Bits 5..2 give the message type, and the message type alone
 * decides whether it is a delivery receipt: a receipted_message_id TLV on a
 * default message does not make it one. This is the one classification the
 * engine's counters and the routing to smpp-receive / smpp-dlr both use.
 */

/** bits 5..2: message type */
export const ESM_MESSAGE_TYPE_MASK = 0x3c;
/** bit 6: UDH indicator (section 5.2.12, GSM network specific features) */
export const ESM_UDHI = 0x40;

export type InboundMessageType =
  | 'default'
  | 'smsc-receipt'
  | 'sme-delivery-ack'
  | 'sme-manual-ack'
  | 'conversation-abort'
  | 'intermediate'
  | 'reserved';

const TYPES: Record<number, InboundMessageType> = {
  0x00: 'default',
  0x04: 'smsc-receipt',
  0x08: 'sme-delivery-ack',
  0x10: 'sme-manual-ack',
  0x18: 'conversation-abort', // Korean CDMA; a message, not a receipt
  0x20: 'intermediate',
};

/** The message type esm_class announces (section 5.2.12). */
export function inboundMessageType(esmClass: number): InboundMessageType {
  return TYPES[esmClass & ESM_MESSAGE_TYPE_MASK] ?? 'reserved';
}

/** True for the four receipt types: SMSC delivery receipt, SME delivery / manual ack, intermediate notification. */
export function isReceiptType(esmClass: number): boolean {
  const t = inboundMessageType(esmClass);
  return t === 'smsc-receipt' || t === 'sme-delivery-ack' || t === 'sme-manual-ack' || t === 'intermediate';
}
