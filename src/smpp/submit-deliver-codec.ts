/**
 * The submit/deliver codec: encoding submit_sm, decoding submit_sm_resp and
 * encoding the answers to deliver_sm / data_sm / enquire_link, the PDUs the
 * gateway handles at volume. Each gives exactly what the `smpp` package would
 * (the same bytes; a PDU object with the same fields), or null when the input
 * is outside the fast path, and the caller then uses the package. The
 * package's generic codec walks every parameter with for-in loops, filters
 * and per-field closures; at tens of thousands of PDUs per second that was
 * the largest single cost in profiles of smpp-send and smpp-dlr. A received
 * deliver_sm / data_sm is read once by inbound-pdu.ts (bytes, not text).
 */
import { PDU } from 'smpp';
import { CMD } from './command-ids';

/**
 * The largest PDU Max Message Length allows (config/parameters.ts: up to
 * 99999 octets). The package refuses to encode or decode anything over its
 * own PDU.maxLength (16384); our framing enforces the configured limit
 * before the package sees a PDU, so its limit is raised to ours.
 */
export const LARGEST_PDU = 99999;
if (PDU.maxLength < LARGEST_PDU) PDU.maxLength = LARGEST_PDU;

const SUBMIT_SM = CMD.SUBMIT_SM;
const SUBMIT_SM_RESP = CMD.SUBMIT_SM_RESP;

/** submit_sm's mandatory parameters, in PDU order */
const C_STRINGS = ['service_type', 'source_addr', 'destination_addr', 'schedule_delivery_time', 'validity_period'] as const;
const OCTETS = [
  'source_addr_ton', 'source_addr_npi', 'dest_addr_ton', 'dest_addr_npi', 'esm_class', 'protocol_id', 'priority_flag',
  'registered_delivery', 'replace_if_present_flag', 'data_coding', 'sm_default_msg_id',
] as const;
/** the octets of the PDU being encoded (encoding is synchronous: one scratch array is enough) */
const OCTET_SCRATCH = new Int16Array(OCTETS.length);
const KNOWN: Record<string, true> = Object.create(null);
for (const k of [...C_STRINGS, ...OCTETS, 'short_message']) KNOWN[k] = true;

/** A C-string field: its string ('' when absent), or null when the package must handle it. */
function cstr(fields: Record<string, unknown>, key: string): string | null {
  const v = fields[key];
  if (typeof v === 'string') return v;
  return v === undefined && !(key in fields) ? '' : null;
}

/** An octet field: 0..255 (0 when absent), or -1 when the package must handle it. */
function octet(fields: Record<string, unknown>, key: string): number {
  const v = fields[key];
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 255 ? v : -1;
  return v === undefined && !(key in fields) ? 0 : -1;
}

function putC(buf: Buffer, off: number, s: string): number {
  // the package writes C-strings with Buffer.from(value, 'ascii'), which encodes as latin1
  if (s.length) off += buf.write(s, off, s.length, 'latin1');
  buf[off] = 0;
  return off + 1;
}

/**
 * submit_sm with sequence number `seq`, byte for byte what
 * new PDU('submit_sm', fields) with that sequence number gives from toBuffer(),
 * for fields holding only mandatory parameters: strings for the C-strings
 * (time fields empty), whole numbers 0..255 for the octets, a Buffer of at
 * most 255 octets for short_message. Anything else (TLVs, other types) -> null.
 */
export function encodeSubmitSm(fields: Record<string, unknown>, seq: number): Buffer | null {
  for (const key in fields) if (KNOWN[key] !== true) return null;
  const serviceType = cstr(fields, 'service_type');
  const src = cstr(fields, 'source_addr');
  const dst = cstr(fields, 'destination_addr');
  const schedule = cstr(fields, 'schedule_delivery_time');
  const validity = cstr(fields, 'validity_period');
  if (serviceType === null || src === null || dst === null || schedule !== '' || validity !== '') return null;
  const o = OCTET_SCRATCH;
  for (let i = 0; i < OCTETS.length; i++) if ((o[i] = octet(fields, OCTETS[i])) < 0) return null;
  const sm = fields.short_message;
  let smLength = 0;
  if (Buffer.isBuffer(sm)) {
    if (sm.length > 255) return null;
    smLength = sm.length;
  } else if (sm !== undefined || 'short_message' in fields) return null;
  // header, 5 C-strings, 11 octets, sm_length, short_message
  const size = 16 + serviceType.length + src.length + dst.length + 5 + OCTETS.length + 1 + smLength;
  const buf = Buffer.allocUnsafe(size);
  buf.writeUInt32BE(size, 0);
  buf.writeUInt32BE(SUBMIT_SM, 4);
  buf.writeUInt32BE(0, 8);
  buf.writeUInt32BE(seq >>> 0, 12);
  let off = putC(buf, 16, serviceType);
  buf[off++] = o[0]; // source_addr_ton
  buf[off++] = o[1]; // source_addr_npi
  off = putC(buf, off, src);
  buf[off++] = o[2]; // dest_addr_ton
  buf[off++] = o[3]; // dest_addr_npi
  off = putC(buf, off, dst);
  buf[off++] = o[4]; // esm_class
  buf[off++] = o[5]; // protocol_id
  buf[off++] = o[6]; // priority_flag
  buf[off++] = 0; // schedule_delivery_time ''
  buf[off++] = 0; // validity_period ''
  for (let i = 7; i < OCTETS.length; i++) buf[off++] = o[i]; // registered_delivery .. sm_default_msg_id
  buf[off++] = smLength;
  if (smLength) (sm as Buffer).copy(buf, off);
  return buf;
}

/**
 * The PDU object new PDU(buf) makes for a submit_sm_resp that is a header
 * alone or a header and one message_id C-string filling the rest of the PDU
 * (no TLVs); null for any other PDU.
 */
export function decodeSubmitSmResp(buf: Buffer): PDU | null {
  const len = buf.length;
  if (len < 16 || buf.readUInt32BE(4) !== SUBMIT_SM_RESP || buf.readUInt32BE(0) !== len || len > PDU.maxLength) return null;
  let messageId: string | undefined;
  if (len > 16) {
    const nul = buf.indexOf(0, 16);
    if (nul !== len - 1) return null;
    messageId = buf.toString('ascii', 16, nul);
  }
  // same own properties, in the same order, as the package's fromBuffer sets them
  const pdu = Object.create(PDU.prototype) as PDU;
  pdu.command_length = len;
  pdu.command_id = SUBMIT_SM_RESP;
  pdu.command_status = buf.readUInt32BE(8);
  pdu.sequence_number = buf.readUInt32BE(12);
  pdu.command = 'submit_sm_resp';
  if (messageId !== undefined) pdu.message_id = messageId;
  return pdu;
}

/**
 * The package's req.response({ command_status: status }).toBuffer() for a
 * deliver_sm, data_sm or enquire_link: the header and, when the status is 0
 * and the response has one, an empty message_id. null for other commands.
 */
export function encodeResponse(command: string, seq: number, status: number): Buffer | null {
  let id: number;
  let withId: boolean;
  if (command === 'deliver_sm') (id = CMD.DELIVER_SM_RESP), (withId = true);
  else if (command === 'data_sm') (id = CMD.DATA_SM_RESP), (withId = true);
  else if (command === 'enquire_link') (id = CMD.ENQUIRE_LINK_RESP), (withId = false);
  else return null;
  if (!Number.isInteger(status) || status < 0 || status > 0xffffffff) return null;
  const size = withId && status === 0 ? 17 : 16;
  const buf = Buffer.allocUnsafe(size);
  buf.writeUInt32BE(size, 0);
  buf.writeUInt32BE(id, 4);
  buf.writeUInt32BE(status, 8);
  buf.writeUInt32BE(seq >>> 0, 12);
  if (size === 17) buf[16] = 0;
  return buf;
}
