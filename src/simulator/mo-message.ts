/**
 * Builds the deliver_sm / data_sm the simulator sends for an injected MO,
 * using the smpp package's PDU class (MOs are rare, so clarity wins over
 * speed here). short_message is always passed as a Buffer with data_coding
 * set, so the package's encode filter leaves the bytes alone.
 */
import * as smpp from 'smpp';

export interface MoOptions {
  from: string;
  to: string;
  text?: string;
  bytes?: Buffer;
  dataCoding?: number;
  esmClass?: number;
  tlvs?: Record<string, unknown>;
  command?: 'deliver_sm' | 'data_sm';
  systemId?: string;
}

interface PackageEncoding {
  match(value: string): boolean;
  encode(value: string): Buffer;
}
const encodings = (smpp as unknown as { encodings: Record<string, PackageEncoding> }).encodings;

const singleByteTables = new Map<string, Map<string, number>>();

/** Text to octets in a single-byte character set (the inverse of TextDecoder's table); '?' for what it lacks. */
export function encodeSingleByte(text: string, label: 'iso-8859-5' | 'iso-8859-8'): Buffer {
  let table = singleByteTables.get(label);
  if (!table) {
    table = new Map();
    const decoder = new TextDecoder(label);
    for (let b = 0; b < 256; b++) {
      const ch = decoder.decode(Uint8Array.of(b));
      if (ch !== '\ufffd' && !table.has(ch)) table.set(ch, b);
    }
    singleByteTables.set(label, table);
  }
  const out: number[] = [];
  for (const ch of text) out.push(table.get(ch) ?? 0x3f);
  return Buffer.from(out);
}

/** Text to bytes for a data_coding; without one, GSM 7-bit (unpacked) when it fits, else UCS2. */
export function encodeMoText(text: string, dataCoding: number | undefined): { bytes: Buffer; dataCoding: number } {
  if (dataCoding === undefined) {
    if (encodings.ASCII.match(text)) return { bytes: encodings.ASCII.encode(text), dataCoding: 0 };
    return { bytes: Buffer.from(text, 'utf16le').swap16(), dataCoding: 8 };
  }
  switch (dataCoding & 0x0f) {
    case 0:
      return { bytes: encodings.ASCII.encode(text), dataCoding };
    case 1:
    case 3:
      return { bytes: Buffer.from(text, 'latin1'), dataCoding };
    case 6:
      return { bytes: encodeSingleByte(text, 'iso-8859-5'), dataCoding };
    case 7:
      return { bytes: encodeSingleByte(text, 'iso-8859-8'), dataCoding };
    case 8:
      return { bytes: Buffer.from(text, 'utf16le').swap16(), dataCoding };
    default:
      return { bytes: Buffer.from(text, 'utf8'), dataCoding };
  }
}

/** '+15550001111' -> international (ton 1, npi 1, no plus); digits -> unknown/ISDN; else alphanumeric. */
export function addressOf(addr: string): { ton: number; npi: number; addr: string } {
  if (/^\+\d+$/.test(addr)) return { ton: 1, npi: 1, addr: addr.slice(1) };
  if (/^\d*$/.test(addr)) return { ton: 0, npi: 1, addr };
  return { ton: 5, npi: 0, addr };
}

export function buildMoPdu(seq: number, opts: MoOptions): Buffer {
  if (typeof opts.from !== 'string' || typeof opts.to !== 'string') {
    throw new TypeError('injectMo needs string from and to');
  }
  let bytes: Buffer;
  let dataCoding: number;
  if (opts.bytes !== undefined) {
    if (!Buffer.isBuffer(opts.bytes)) throw new TypeError('injectMo bytes must be a Buffer');
    bytes = opts.bytes;
    dataCoding = opts.dataCoding ?? 0;
  } else {
    ({ bytes, dataCoding } = encodeMoText(opts.text ?? '', opts.dataCoding));
  }
  const src = addressOf(opts.from);
  const dst = addressOf(opts.to);
  const command = opts.command ?? 'deliver_sm';
  const fields: Record<string, unknown> = {};
  // only real TLV names: anything else (command_status, ...) would change the PDU itself
  for (const [name, value] of Object.entries(opts.tlvs ?? {})) {
    if (Object.prototype.hasOwnProperty.call(smpp.tlvs, name)) fields[name] = value;
  }
  Object.assign(fields, {
    sequence_number: seq,
    source_addr_ton: src.ton,
    source_addr_npi: src.npi,
    source_addr: src.addr,
    dest_addr_ton: dst.ton,
    dest_addr_npi: dst.npi,
    destination_addr: dst.addr,
    esm_class: opts.esmClass ?? 0,
    data_coding: dataCoding,
  });
  if (command === 'data_sm') {
    fields.message_payload = bytes;
  } else if (command === 'deliver_sm') {
    if (bytes.length > 254) {
      fields.short_message = Buffer.alloc(0);
      fields.message_payload = bytes;
    } else {
      fields.short_message = bytes;
    }
  } else {
    throw new TypeError(`injectMo command must be deliver_sm or data_sm, not ${String(command)}`);
  }
  return new smpp.PDU(command, fields).toBuffer();
}
