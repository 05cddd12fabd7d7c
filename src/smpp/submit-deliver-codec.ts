/**
 * The submit/deliver codec: fast paths for the PDUs the gateway handles at volume: encoding submit_sm,
 * decoding submit_sm_resp, decoding deliver_sm (MOs and receipts) and
 * encoding the answer to it. Each gives exactly what the `smpp` package would
 * (the same bytes; a PDU object with the same fields), or null when the input
 * is outside the fast path, and the caller then uses the package. The
 * package's generic codec walks every parameter with for-in loops, filters
 * and per-field closures, and decodes GSM text rebuilding its tables' key
 * list and a RegExp on every call; at tens of thousands of PDUs per second
 * that was the largest single cost in profiles of smpp-send and smpp-dlr.
 */
import * as smpp from 'smpp';
import { PDU } from 'smpp';

/**
 * The largest PDU Max Message Length allows (config/parameters.ts: up to
 * 99999 octets). The package refuses to encode or decode anything over its
 * own PDU.maxLength (16384); our framing enforces the configured limit
 * before the package sees a PDU, so its limit is raised to ours.
 */
export const LARGEST_PDU = 99999;
if (PDU.maxLength < LARGEST_PDU) PDU.maxLength = LARGEST_PDU;

const SUBMIT_SM = 0x00000004;
const SUBMIT_SM_RESP = 0x80000004;

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

// ---- deliver_sm -------------------------------------------------------------------

const DELIVER_SM = 0x00000005;

interface PackageType {
  read(buf: Buffer, off: number, len?: number): unknown;
  size(v: unknown): number;
}
interface PackageGsmCoder {
  charListDec: Record<number, string>;
  extCharListDec: Record<string, string>;
  escChars: string;
  escCharsDec?: string;
}
const pkg = smpp as unknown as {
  commands: Record<string, { params?: Record<string, { type: PackageType; filter?: unknown }>; tlvMap?: Record<string, string> }>;
  tlvsById: Record<number, { tag: string; type: PackageType; filter?: unknown; multiple?: boolean }>;
  encodings: { default: string };
  gsmCoder: { getCoder(encoding: number): PackageGsmCoder };
};

const ENCODINGS = pkg.encodings;
const TLVS_BY_ID = pkg.tlvsById;
const DELIVER_TLV_MAP = pkg.commands.deliver_sm.tlvMap ?? {};
/** the reader below follows deliver_sm's parameters as the package 0.5.1 defines them; any other definition: no fast path */
const DELIVER_PARAMS_CHANGED =
  Object.keys(pkg.commands.deliver_sm.params ?? {}).join(',') !==
  'service_type,source_addr_ton,source_addr_npi,source_addr,dest_addr_ton,dest_addr_npi,destination_addr,esm_class,protocol_id,priority_flag,schedule_delivery_time,validity_period,registered_delivery,replace_if_present_flag,data_coding,sm_default_msg_id,short_message';

let gsm: { table: string[]; same: Uint8Array; esc: RegExp; ext: Record<string, string> } | null = null;
/** The package's gsmCoder.decode(bytes, 0), with its tables and RegExp built once instead of on every call. */
function gsmDecode(bytes: Buffer): string {
  if (!gsm) {
    const coder = pkg.gsmCoder.getCoder(0x00);
    const table: string[] = [];
    const same = new Uint8Array(256);
    for (let i = 0; i < 256; i++) {
      table.push(coder.charListDec[i] || ' ');
      // octets the table maps to the character of the same code (not ESC, which starts a sequence)
      same[i] = i !== 0x1b && table[i] === String.fromCharCode(i) ? 1 : 0;
    }
    gsm = { table, same, esc: new RegExp('\\x1B([' + (coder.escCharsDec || coder.escChars) + '])', 'g'), ext: coder.extCharListDec };
  }
  const { table, same, esc, ext } = gsm;
  let i = 0;
  while (i < bytes.length && same[bytes[i]] === 1) i++;
  // all of them map to themselves (and no ESC): the latin1 reading is the decoded text
  if (i === bytes.length) return bytes.toString('latin1');
  let out = bytes.toString('latin1', 0, i);
  for (; i < bytes.length; i++) out += table[bytes[i]];
  return out.replace(esc, (_m: string, p1: string) => ext[p1]);
}

/** read position of the deliver_sm being decoded (decoding is synchronous) */
let at = 0;

/** The package's C-string read: up to the first NUL or the end; the position moves past the NUL. */
function readC(buf: Buffer): string {
  let nul = buf.indexOf(0, at);
  if (nul < 0) nul = buf.length;
  const v = buf.toString('ascii', at, nul);
  at = nul + 1;
  return v;
}

/** The package's short_message read: a length octet, then that many octets (fewer at the end). */
function readSm(buf: Buffer): Buffer {
  const n = buf[at];
  const v = buf.slice(at + 1, at + 1 + n);
  at += v.length + 1;
  return v;
}

/**
 * The PDU object new PDU(buf) makes for a deliver_sm whose short_message is
 * text in the default alphabet (data_coding with low nibble 0, no UDH), time
 * fields empty, and TLVs of known tags without decode filters, each once;
 * null for any other PDU. Fields are read as the package reads them, in its
 * order, stopping at the end of the PDU as it does.
 */
export function decodeDeliverSm(buf: Buffer): PDU | null {
  const len = buf.length;
  if (len < 16 || buf.readUInt32BE(4) !== DELIVER_SM || buf.readUInt32BE(0) !== len || len > PDU.maxLength) return null;
  if (ENCODINGS.default !== 'ASCII' || DELIVER_PARAMS_CHANGED) return null;
  const pdu = Object.create(PDU.prototype) as PDU;
  pdu.command_length = len;
  pdu.command_id = DELIVER_SM;
  pdu.command_status = buf.readUInt32BE(8);
  pdu.sequence_number = buf.readUInt32BE(12);
  pdu.command = 'deliver_sm';
  at = 16;
  // the mandatory parameters; like the package, stop at the first one that starts at or past the end
  do {
    if (at >= len) break;
    pdu.service_type = readC(buf);
    if (at >= len) break;
    pdu.source_addr_ton = buf[at++];
    if (at >= len) break;
    pdu.source_addr_npi = buf[at++];
    if (at >= len) break;
    pdu.source_addr = readC(buf);
    if (at >= len) break;
    pdu.dest_addr_ton = buf[at++];
    if (at >= len) break;
    pdu.dest_addr_npi = buf[at++];
    if (at >= len) break;
    pdu.destination_addr = readC(buf);
    if (at >= len) break;
    pdu.esm_class = buf[at++];
    if (at >= len) break;
    pdu.protocol_id = buf[at++];
    if (at >= len) break;
    pdu.priority_flag = buf[at++];
    if (at >= len) break;
    pdu.schedule_delivery_time = readC(buf);
    if (at >= len) break;
    pdu.validity_period = readC(buf);
    if (at >= len) break;
    pdu.registered_delivery = buf[at++];
    if (at >= len) break;
    pdu.replace_if_present_flag = buf[at++];
    if (at >= len) break;
    pdu.data_coding = buf[at++];
    if (at >= len) break;
    pdu.sm_default_msg_id = buf[at++];
    if (at >= len) break;
    pdu.short_message = readSm(buf);
  } while (false);
  if (at > len) return null; // a field ran past the end: let the package report it its way
  let off = at;
  while (off + 4 <= len) {
    const tlv = TLVS_BY_ID[buf.readUInt16BE(off)];
    const tlvLen = buf.readUInt16BE(off + 2);
    off += 4;
    if (!tlv || tlv.filter || tlv.multiple || off + tlvLen > len) return null;
    const tag = DELIVER_TLV_MAP[tlv.tag] || tlv.tag;
    if (tag in pdu) return null;
    const v = tlv.type.read(buf, off, tlvLen);
    // a receipt's two TLVs as named stores: adding a property under a computed key is slow in V8
    if (tag === 'receipted_message_id') pdu.receipted_message_id = v;
    else if (tag === 'message_state') pdu.message_state = v;
    else pdu[tag] = v;
    off += tlvLen;
  }
  // the package's decode filters: empty time fields stay '', short_message becomes { message: text }
  if (pdu.schedule_delivery_time !== undefined && pdu.schedule_delivery_time !== '') return null;
  if (pdu.validity_period !== undefined && pdu.validity_period !== '') return null;
  const sm = pdu.short_message;
  if (sm !== undefined) {
    if ((pdu.data_coding & 0x0f) !== 0) return null;
    if (sm.length && pdu.esm_class & 0x40) return null;
    pdu.short_message = { message: gsmDecode(sm) };
  }
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
  if (command === 'deliver_sm') (id = 0x80000005), (withId = true);
  else if (command === 'data_sm') (id = 0x80000103), (withId = true);
  else if (command === 'enquire_link') (id = 0x80000015), (withId = false);
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
