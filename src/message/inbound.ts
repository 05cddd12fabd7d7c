/**
 * What arrived from the SMSC: a delivery receipt, or an MO message with its
 * text decoded by the whole data_coding byte and its concatenation info.
 * Pure: it reads the PDU's raw bytes (see raw-message.ts) and the codec's
 * decoded address fields.
 */
import { decodeByDataCoding, parseUdh } from '../text';
import { parseReceipt, Receipt } from '../receipt';
import { readRawMessage } from './raw-message';

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

export type Inbound = MoMessage | ReceiptMessage | { kind: 'invalid'; error: string };

const FIELD_NAMES = [
  'service_type', 'source_addr_ton', 'source_addr_npi', 'source_addr', 'dest_addr_ton', 'dest_addr_npi', 'destination_addr',
  'esm_class', 'protocol_id', 'priority_flag', 'registered_delivery', 'data_coding', 'sequence_number',
  'user_message_reference', 'source_port', 'destination_port', 'language_indicator', 'its_session_info', 'receipted_message_id', 'message_state',
];

function readU16(b: Buffer | undefined): number | undefined {
  return b && b.length === 2 ? b.readUInt16BE(0) : undefined;
}

function readU8(b: Buffer | undefined): number | undefined {
  return b && b.length === 1 ? b[0] : undefined;
}

function cstring(b: Buffer | undefined): string | undefined {
  if (!b) return undefined;
  const nul = b.indexOf(0);
  return b.toString('latin1', 0, nul < 0 ? b.length : nul);
}

export function classifyInbound(decoded: Record<string, unknown>, raw: Buffer): Inbound {
  const msg = readRawMessage(raw);
  if (!msg) return { kind: 'invalid', error: 'the PDU fields run past its end' };
  const fields: Record<string, unknown> = {};
  for (const k of FIELD_NAMES) if (decoded[k] !== undefined) fields[k] = decoded[k];
  // as smpp-send takes them (see smpp-fields.ts): the codec calls destination_port
  // dest_port, and gives its_session_info as raw octets
  if (decoded.dest_port !== undefined) fields.destination_port = decoded.dest_port;
  const session = readU16(msg.tlvs.get(0x1383));
  if (session !== undefined) fields.its_session_info = session;
  const from = typeof decoded.source_addr === 'string' ? decoded.source_addr : '';
  const to = typeof decoded.destination_addr === 'string' ? decoded.destination_addr : '';
  const content = msg.messagePayload && msg.messagePayload.length > 0 ? msg.messagePayload : msg.shortMessage;

  const receiptedId = cstring(msg.tlvs.get(0x001e));
  const udhi = (msg.esmClass & 0x40) !== 0;
  const receiptText = () => {
    const d = decodeByDataCoding(content, msg.dataCoding);
    // receipts are ASCII in practice whatever data_coding says; binary-labelled ones still carry the text
    return 'text' in d ? d.text : content.toString('latin1');
  };
  if ((msg.esmClass & 0x3c) !== 0 || receiptedId) {
    const receipt = parseReceipt({
      esmClass: msg.esmClass,
      text: receiptText(),
      receiptedMessageId: receiptedId,
      messageState: readU8(msg.tlvs.get(0x0427)),
      networkErrorCode: msg.tlvs.get(0x0423),
    });
    if (receipt) return { kind: 'receipt', command: msg.command, from, to, receipt, fields };
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
  const sarRef = readU16(msg.tlvs.get(0x020c));
  const sarTotal = readU8(msg.tlvs.get(0x020e));
  const sarSeq = readU8(msg.tlvs.get(0x020f));
  if (!concat && sarRef !== undefined && sarTotal !== undefined && sarSeq !== undefined && sarTotal > 1 && sarSeq >= 1 && sarSeq <= sarTotal) {
    concat = { ref: sarRef, total: sarTotal, seq: sarSeq, via: 'sar' };
  }
  const mo: MoMessage = { kind: 'mo', command: msg.command, from, to, dataCoding: msg.dataCoding, esmClass: msg.esmClass, body, udh, concat, fields };
  if (udhMalformed) mo.udhMalformed = true;
  return mo;
}

/** The MO's content for the flow: text, or a Buffer when the coding is binary or unknown. */
export function moPayload(dataCoding: number, body: Buffer): string | Buffer {
  const d = decodeByDataCoding(body, dataCoding);
  return 'text' in d ? d.text : Buffer.from(d.binary);
}
