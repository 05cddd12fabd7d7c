/**
 * Decodes a deliver_sm or data_sm (SMPP 3.4 sections 4.6.1 and 4.7.1) once,
 * straight from the PDU as received, into one typed value: header, mandatory
 * fields and every TLV as raw octets. The message bytes stay bytes (the
 * `smpp` codec would turn short_message into text by the low four bits of
 * data_coding). Pure; returns null for a PDU whose fields run past its end
 * (or past its command_length), never throws.
 */
import { CMD } from './command-ids';
import { TLV } from './tlv-tags';

export interface InboundPdu {
  command: 'deliver_sm' | 'data_sm';
  sequenceNumber: number;
  serviceType: string;
  sourceAddrTon: number;
  sourceAddrNpi: number;
  sourceAddr: string;
  destAddrTon: number;
  destAddrNpi: number;
  destinationAddr: string;
  esmClass: number;
  /** deliver_sm only (data_sm has none): 0 */
  protocolId: number;
  /** deliver_sm only: 0 */
  priorityFlag: number;
  registeredDelivery: number;
  dataCoding: number;
  /** deliver_sm's short_message (empty for data_sm) */
  shortMessage: Buffer;
  /** the message_payload TLV when present */
  messagePayload?: Buffer;
  /** every TLV by tag, raw (a repeated tag: the last one) */
  tlvs: Map<number, Buffer>;
}

const HEADER = 16;

/** read position of the PDU being decoded (decoding is synchronous) */
let at = 0;

/** A C-string ending before `end`, as the `smpp` package reads it ('ascii'); null when it has no NUL. */
function cstr(pdu: Buffer, end: number): string | null {
  const nul = pdu.indexOf(0, at);
  if (nul < 0 || nul >= end) return null;
  const s = nul === at ? '' : pdu.toString('ascii', at, nul);
  at = nul + 1;
  return s;
}

export function readInboundPdu(pdu: Buffer): InboundPdu | null {
  if (pdu.length < HEADER) return null;
  // a buffer shorter than its command_length is a cut PDU: reading what is
  // there could lose TLVs (a receipted_message_id) without a word
  const end = pdu.readUInt32BE(0);
  if (end < HEADER || end > pdu.length) return null;
  const id = pdu.readUInt32BE(4);
  if (id !== CMD.DELIVER_SM && id !== CMD.DATA_SM) return null;
  const deliver = id === CMD.DELIVER_SM;
  at = HEADER;
  const serviceType = cstr(pdu, end);
  if (serviceType === null || at + 2 > end) return null;
  const sourceAddrTon = pdu[at++];
  const sourceAddrNpi = pdu[at++];
  const sourceAddr = cstr(pdu, end);
  if (sourceAddr === null || at + 2 > end) return null;
  const destAddrTon = pdu[at++];
  const destAddrNpi = pdu[at++];
  const destinationAddr = cstr(pdu, end);
  if (destinationAddr === null) return null;
  let esmClass: number;
  let protocolId = 0;
  let priorityFlag = 0;
  let registeredDelivery: number;
  let dataCoding: number;
  let shortMessage: Buffer;
  if (deliver) {
    if (at + 3 > end) return null;
    esmClass = pdu[at];
    protocolId = pdu[at + 1];
    priorityFlag = pdu[at + 2];
    at += 3;
    if (cstr(pdu, end) === null) return null; // schedule_delivery_time
    if (cstr(pdu, end) === null || at + 5 > end) return null; // validity_period
    registeredDelivery = pdu[at];
    dataCoding = pdu[at + 2];
    const smLength = pdu[at + 4];
    at += 5;
    if (at + smLength > end) return null;
    shortMessage = pdu.subarray(at, at + smLength);
    at += smLength;
  } else {
    if (at + 3 > end) return null;
    esmClass = pdu[at];
    registeredDelivery = pdu[at + 1];
    dataCoding = pdu[at + 2];
    at += 3;
    shortMessage = pdu.subarray(0, 0);
  }
  const tlvs = new Map<number, Buffer>();
  let off = at;
  while (off + 4 <= end) {
    const tag = pdu.readUInt16BE(off);
    const len = pdu.readUInt16BE(off + 2);
    off += 4;
    if (off + len > end) return null;
    tlvs.set(tag, pdu.subarray(off, off + len));
    off += len;
  }
  return {
    command: deliver ? 'deliver_sm' : 'data_sm',
    sequenceNumber: pdu.readUInt32BE(12),
    serviceType,
    sourceAddrTon,
    sourceAddrNpi,
    sourceAddr,
    destAddrTon,
    destAddrNpi,
    destinationAddr,
    esmClass,
    protocolId,
    priorityFlag,
    registeredDelivery,
    dataCoding,
    shortMessage,
    messagePayload: tlvs.get(TLV.MESSAGE_PAYLOAD),
    tlvs,
  };
}
