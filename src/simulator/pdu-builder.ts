/**
 * Hand-built SMPP 3.4 PDUs for the simulator's hot paths (responses, receipts,
 * enquire_link, unbind). Building them directly is much cheaper than going
 * through the smpp package's PDU class, which walks its parameter tables and
 * filters for every PDU. Pure: no sockets, no timers.
 */

export const CMD = {
  generic_nack: 0x80000000,
  bind_receiver: 0x00000001,
  bind_transmitter: 0x00000002,
  query_sm: 0x00000003,
  submit_sm: 0x00000004,
  deliver_sm: 0x00000005,
  unbind: 0x00000006,
  replace_sm: 0x00000007,
  cancel_sm: 0x00000008,
  bind_transceiver: 0x00000009,
  outbind: 0x0000000b,
  enquire_link: 0x00000015,
  submit_multi: 0x00000021,
  alert_notification: 0x00000102,
  data_sm: 0x00000103,
  RESP: 0x80000000,
} as const;

export const STATUS = {
  ESME_ROK: 0x00,
  ESME_RINVCMDID: 0x03,
  ESME_RINVBNDSTS: 0x04,
  ESME_RALYBND: 0x05,
  ESME_RSYSERR: 0x08,
  ESME_RINVPASWD: 0x0e,
  ESME_RINVSYSID: 0x0f,
  ESME_RTHROTTLED: 0x58,
} as const;

const TLV_RECEIPTED_MESSAGE_ID = 0x001e;
const TLV_MESSAGE_STATE = 0x0427;
const TLV_SC_INTERFACE_VERSION = 0x0210;

function writeHeader(buf: Buffer, commandId: number, status: number, seq: number): void {
  buf.writeUInt32BE(buf.length, 0);
  buf.writeUInt32BE(commandId >>> 0, 4);
  buf.writeUInt32BE(status >>> 0, 8);
  buf.writeUInt32BE(seq >>> 0, 12);
}

/** A PDU that is only a header: error responses, enquire_link(_resp), unbind(_resp), generic_nack. */
export function headerOnly(commandId: number, status: number, seq: number): Buffer {
  const buf = Buffer.allocUnsafe(16);
  writeHeader(buf, commandId, status, seq);
  return buf;
}

/** submit_sm_resp / data_sm_resp with a message id (ASCII, no NUL inside). */
export function respWithId(commandId: number, seq: number, messageId: string): Buffer {
  const buf = Buffer.allocUnsafe(16 + messageId.length + 1);
  writeHeader(buf, commandId, 0, seq);
  buf.write(messageId, 16, 'latin1');
  buf[buf.length - 1] = 0;
  return buf;
}

/** bind_*_resp: header only on error, else system_id and sc_interface_version 0x34. */
export function bindResp(commandId: number, status: number, seq: number, systemId: string): Buffer {
  if (status !== 0) return headerOnly(commandId, status, seq);
  const buf = Buffer.allocUnsafe(16 + systemId.length + 1 + 5);
  writeHeader(buf, commandId, 0, seq);
  let o = 16 + buf.write(systemId, 16, 'latin1');
  buf[o++] = 0;
  buf.writeUInt16BE(TLV_SC_INTERFACE_VERSION, o);
  buf.writeUInt16BE(1, o + 2);
  buf[o + 4] = 0x34;
  return buf;
}

/** What a receipt carries: the text and the TLVs, only the text, or only the TLVs. */
export type ReceiptFields = 'both' | 'text' | 'tlv';

export interface ReceiptPdu {
  /** The receipt's source is the original destination (ton, npi, address). */
  srcTon: number;
  srcNpi: number;
  src: string;
  /** The receipt's destination is the original source. */
  dstTon: number;
  dstNpi: number;
  dst: string;
  /** Id as it appears in receipted_message_id. */
  receiptId: string;
  /** SMPP 3.4 message_state value (1..8); null leaves the message_state TLV out. */
  messageState: number | null;
  /** Receipt text, printable ASCII only. */
  text: string;
  /** Default 'both'; 'tlv' leaves short_message empty, 'text' leaves the TLVs out. */
  fields?: ReceiptFields;
  /** data_coding label (default 0); the text stays ASCII whatever it says, as SMSCs that copy the submit's coding send it. */
  dataCoding?: number;
  /** A NUL octet after the text, inside short_message (some SMSCs add one). */
  trailingNul?: boolean;
}

/**
 * deliver_sm carrying a delivery receipt: esm_class 0x04, data_coding 0 (or the label asked), the
 * text in short_message, TLVs receipted_message_id and message_state (or
 * only one of the two, see ReceiptPdu.fields).
 */
export function receiptDeliverSm(seq: number, r: ReceiptPdu): Buffer {
  const withText = r.fields !== 'tlv';
  const withTlvs = r.fields !== 'text';
  const nul = withText && r.trailingNul ? 1 : 0;
  const textLen = withText ? Math.min(r.text.length, 254 - nul) : 0;
  const withState = withTlvs && r.messageState !== null;
  const len =
    16 +
    1 + // service_type ""
    2 + r.src.length + 1 +
    2 + r.dst.length + 1 +
    3 + // esm_class, protocol_id, priority_flag
    2 + // schedule_delivery_time "", validity_period ""
    4 + // registered_delivery, replace_if_present_flag, data_coding, sm_default_msg_id
    1 + textLen + nul +
    (withTlvs ? 4 + r.receiptId.length + 1 : 0) +
    (withState ? 4 + 1 : 0);
  const buf = Buffer.allocUnsafe(len);
  writeHeader(buf, CMD.deliver_sm, 0, seq);
  let o = 16;
  buf[o++] = 0;
  buf[o++] = r.srcTon & 0xff;
  buf[o++] = r.srcNpi & 0xff;
  o += buf.write(r.src, o, 'latin1');
  buf[o++] = 0;
  buf[o++] = r.dstTon & 0xff;
  buf[o++] = r.dstNpi & 0xff;
  o += buf.write(r.dst, o, 'latin1');
  buf[o++] = 0;
  buf[o++] = 0x04; // esm_class: SMSC delivery receipt
  buf[o++] = 0; // protocol_id
  buf[o++] = 0; // priority_flag
  buf[o++] = 0; // schedule_delivery_time
  buf[o++] = 0; // validity_period
  buf[o++] = 0; // registered_delivery
  buf[o++] = 0; // replace_if_present_flag
  buf[o++] = (r.dataCoding ?? 0) & 0xff; // data_coding
  buf[o++] = 0; // sm_default_msg_id
  buf[o++] = textLen + nul;
  if (textLen > 0) o += buf.write(r.text.length > textLen ? r.text.slice(0, textLen) : r.text, o, 'latin1');
  if (nul) buf[o++] = 0;
  if (!withTlvs) return buf;
  buf.writeUInt16BE(TLV_RECEIPTED_MESSAGE_ID, o);
  buf.writeUInt16BE(r.receiptId.length + 1, o + 2);
  o += 4;
  o += buf.write(r.receiptId, o, 'latin1');
  buf[o++] = 0;
  if (!withState) return buf;
  buf.writeUInt16BE(TLV_MESSAGE_STATE, o);
  buf.writeUInt16BE(1, o + 2);
  buf[o + 4] = (r.messageState as number) & 0xff;
  return buf;
}

/**
 * A frame no SMPP parser can accept: command_length 12 (below the 16-byte
 * header) followed by the given command id and a zero status. The smpp
 * package throws on it and its session stops reading.
 */
export function malformedFrame(commandId: number): Buffer {
  const buf = Buffer.alloc(12);
  buf.writeUInt32BE(12, 0);
  buf.writeUInt32BE(commandId >>> 0, 4);
  return buf;
}
