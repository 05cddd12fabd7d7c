/**
 * What arrived from the SMSC: a delivery receipt, or an MO message with its
 * text decoded by the whole data_coding byte and its concatenation info.
 * Pure: it reads the PDU decoded once by smpp/inbound-pdu.ts.
 */
import { decodeByDataCoding, parseUdh } from '../text';
import { parseReceipt, Receipt } from '../receipt';
import { InboundPdu, readInboundPdu } from '../smpp/inbound-pdu';
import { TLV } from '../smpp/tlv-tags';
import { ESM_UDHI, isReceiptType } from '../smpp/esm-class';

export interface ConcatInfo {
  ref: number;
  total: number;
  seq: number;
  /** 8 or 16 for a UDH reference, 'sar' for the SMPP TLVs */
  via: 8 | 16 | 'sar';
}

export interface MoMessage {
  kind: 'mo';
  command: 'deliver_sm' | 'data_sm';
  from: string;
  to: string;
  dataCoding: number;
  esmClass: number;
  /** the message body without any UDH */
  body: Buffer;
  udh?: Buffer;
  /** the UDH had an element that could not be read (ignored; the text is still delivered) */
  udhMalformed?: true;
  concat?: ConcatInfo;
  /** fields of the PDU as decoded (addresses, flags), without the message bytes */
  fields: Record<string, unknown>;
}

export interface ReceiptMessage {
  kind: 'receipt';
  command: 'deliver_sm' | 'data_sm';
  from: string;
  to: string;
  receipt: Receipt;
  fields: Record<string, unknown>;
}

/** `receipt`: whether esm_class announced a receipt type (for counting a receipt that could not be read) */
export type Inbound = MoMessage | ReceiptMessage | { kind: 'invalid'; error: string; receipt?: boolean };

function readU16(b: Buffer | undefined): number | undefined {
  return b && b.length === 2 ? b.readUInt16BE(0) : undefined;
}

function readU8(b: Buffer | undefined): number | undefined {
  return b && b.length === 1 ? b[0] : undefined;
}

function cstring(b: Buffer | undefined): string | undefined {
  if (!b) return undefined;
  const nul = b.indexOf(0);
  return b.toString('ascii', 0, nul < 0 ? b.length : nul);
}

/** The PDU's fields for msg.smpp, under the names smpp-send takes (see smpp-fields.ts), without the message bytes. */
function fieldsOf(pdu: InboundPdu): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    service_type: pdu.serviceType,
    source_addr_ton: pdu.sourceAddrTon,
    source_addr_npi: pdu.sourceAddrNpi,
    source_addr: pdu.sourceAddr,
    dest_addr_ton: pdu.destAddrTon,
    dest_addr_npi: pdu.destAddrNpi,
    destination_addr: pdu.destinationAddr,
    esm_class: pdu.esmClass,
  };
  if (pdu.command === 'deliver_sm') {
    fields.protocol_id = pdu.protocolId;
    fields.priority_flag = pdu.priorityFlag;
  }
  fields.registered_delivery = pdu.registeredDelivery;
  fields.data_coding = pdu.dataCoding;
  fields.sequence_number = pdu.sequenceNumber;
  const t = pdu.tlvs;
  if (t.size === 0) return fields;
  let v: unknown;
  if ((v = readU16(t.get(TLV.USER_MESSAGE_REFERENCE))) !== undefined) fields.user_message_reference = v;
  if ((v = readU16(t.get(TLV.SOURCE_PORT))) !== undefined) fields.source_port = v;
  if ((v = readU16(t.get(TLV.DESTINATION_PORT))) !== undefined) fields.destination_port = v;
  if ((v = readU8(t.get(TLV.LANGUAGE_INDICATOR))) !== undefined) fields.language_indicator = v;
  if ((v = readU16(t.get(TLV.ITS_SESSION_INFO))) !== undefined) fields.its_session_info = v;
  if ((v = cstring(t.get(TLV.RECEIPTED_MESSAGE_ID))) !== undefined) fields.receipted_message_id = v;
  if ((v = readU8(t.get(TLV.MESSAGE_STATE))) !== undefined) fields.message_state = v;
  return fields;
}

/**
 * Classifies a deliver_sm / data_sm read once by readInboundPdu. The message
 * type in esm_class (SMPP 3.4 section 5.2.12, see smpp/esm-class.ts) alone
 * decides: a receipt type is a receipt (whatever its data_coding; one whose id
 * cannot be read is invalid, never an MO); every other type is an MO, also
 * when it carries a receipted_message_id TLV.
 */
export function classifyInboundPdu(msg: InboundPdu): Inbound {
  const fields = fieldsOf(msg);
  const from = msg.sourceAddr;
  const to = msg.destinationAddr;
  const content = msg.messagePayload && msg.messagePayload.length > 0 ? msg.messagePayload : msg.shortMessage;
  const udhi = (msg.esmClass & ESM_UDHI) !== 0;

  if (isReceiptType(msg.esmClass)) {
    // the receipt text without a UDH (rare, but some SMSCs copy the submit's esm_class)
    let textBytes: Buffer = content;
    if (udhi && content.length > 0 && content[0] + 1 <= content.length) textBytes = content.subarray(content[0] + 1);
    const receipt = parseReceipt({
      esmClass: msg.esmClass,
      // receipts are ASCII in practice whatever data_coding says: the parser reads the octets as such
      textBytes,
      receiptedMessageId: cstring(msg.tlvs.get(TLV.RECEIPTED_MESSAGE_ID)),
      messageState: readU8(msg.tlvs.get(TLV.MESSAGE_STATE)),
      networkErrorCode: msg.tlvs.get(TLV.NETWORK_ERROR_CODE),
    });
    if (receipt) return { kind: 'receipt', command: msg.command, from, to, receipt, fields };
    return { kind: 'invalid', error: 'a delivery receipt without a message id (no receipted_message_id, no id: in its text)', receipt: true };
  }

  let body = content;
  let udh: Buffer | undefined;
  let concat: ConcatInfo | undefined;
  let udhMalformed = false;
  if (udhi) {
    // never refused (TS 23.040: ignore what cannot be understood): split at UDHL, flag what was ignored
    const parsed = parseUdh(content);
    if (parsed) {
      body = parsed.body;
      udh = parsed.udh;
      udhMalformed = parsed.malformed === true;
      if (parsed.concat) concat = { ref: parsed.concat.ref, total: parsed.concat.total, seq: parsed.concat.seq, via: parsed.concat.refBits };
    }
  }
  const sarRef = readU16(msg.tlvs.get(TLV.SAR_MSG_REF_NUM));
  const sarTotal = readU8(msg.tlvs.get(TLV.SAR_TOTAL_SEGMENTS));
  const sarSeq = readU8(msg.tlvs.get(TLV.SAR_SEGMENT_SEQNUM));
  if (!concat && sarRef !== undefined && sarTotal !== undefined && sarSeq !== undefined && sarTotal > 1 && sarSeq >= 1 && sarSeq <= sarTotal) {
    concat = { ref: sarRef, total: sarTotal, seq: sarSeq, via: 'sar' };
  }
  const mo: MoMessage = { kind: 'mo', command: msg.command, from, to, dataCoding: msg.dataCoding, esmClass: msg.esmClass, body, udh, concat, fields };
  if (udhMalformed) mo.udhMalformed = true;
  return mo;
}

/** Reads and classifies a deliver_sm / data_sm from its bytes as received. */
export function classifyInbound(raw: Buffer): Inbound {
  const msg = readInboundPdu(raw);
  if (!msg) return { kind: 'invalid', error: 'the PDU fields run past its end' };
  return classifyInboundPdu(msg);
}

/** The MO's content for the flow: text, or a Buffer when the coding is binary or unknown. */
export function moPayload(dataCoding: number, body: Buffer): string | Buffer {
  const d = decodeByDataCoding(body, dataCoding);
  return 'text' in d ? d.text : Buffer.from(d.binary);
}
