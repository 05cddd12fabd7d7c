/**
 * Reads the message bytes of a deliver_sm or data_sm straight from the PDU as
 * received, because the `smpp` codec replaces short_message with text decoded
 * by the low four bits of data_coding (and gets data_coding 1 wrong). Pure;
 * returns null for a PDU whose fields run past its end, never throws.
 */
export interface RawMessage {
  command: 'deliver_sm' | 'data_sm';
  esmClass: number;
  dataCoding: number;
  shortMessage: Buffer;
  /** the message_payload TLV (0x0424) when present */
  messagePayload?: Buffer;
  /** every TLV by tag, raw */
  tlvs: Map<number, Buffer>;
}

const HEADER = 16;

function skipCString(buf: Buffer, off: number, end: number): number {
  const nul = buf.indexOf(0, off);
  if (nul < 0 || nul >= end) return -1;
  return nul + 1;
}

export function readRawMessage(pdu: Buffer): RawMessage | null {
  if (pdu.length < HEADER) return null;
  // a buffer shorter than its command_length is a cut PDU: reading what is
  // there could lose TLVs (a receipted_message_id) without a word
  const end = pdu.readUInt32BE(0);
  if (end < HEADER || end > pdu.length) return null;
  const id = pdu.readUInt32BE(4);
  if (id !== 0x05 && id !== 0x103) return null;
  const deliver = id === 0x05;
  let off = HEADER;
  off = skipCString(pdu, off, end); // service_type
  if (off < 0 || off + 2 > end) return null;
  off = skipCString(pdu, off + 2, end); // source_addr
  if (off < 0 || off + 2 > end) return null;
  off = skipCString(pdu, off + 2, end); // destination_addr
  if (off < 0) return null;
  let esmClass: number;
  let dataCoding: number;
  let shortMessage: Buffer;
  if (deliver) {
    if (off + 3 > end) return null;
    esmClass = pdu[off];
    off = skipCString(pdu, off + 3, end); // schedule_delivery_time (after protocol_id, priority_flag)
    if (off < 0) return null;
    off = skipCString(pdu, off, end); // validity_period
    if (off < 0 || off + 5 > end) return null;
    dataCoding = pdu[off + 2];
    const smLength = pdu[off + 4];
    off += 5;
    if (off + smLength > end) return null;
    shortMessage = pdu.subarray(off, off + smLength);
    off += smLength;
  } else {
    if (off + 3 > end) return null;
    esmClass = pdu[off];
    dataCoding = pdu[off + 2];
    off += 3;
    shortMessage = Buffer.alloc(0);
  }
  const tlvs = new Map<number, Buffer>();
  while (off + 4 <= end) {
    const tag = pdu.readUInt16BE(off);
    const len = pdu.readUInt16BE(off + 2);
    off += 4;
    if (off + len > end) return null;
    tlvs.set(tag, pdu.subarray(off, off + len));
    off += len;
  }
  const messagePayload = tlvs.get(0x0424);
  return { command: deliver ? 'deliver_sm' : 'data_sm', esmClass, dataCoding, shortMessage, messagePayload, tlvs };
}
