/**
 * Message format / data_coding choice (encoding side) and decoding by the
 * whole data_coding byte (receiving side).
 *
 * Decoding follows SMPP 3.4 section 5.2.19 for 0x00..0x0F and
 * 3GPP TS 23.038 (GSM 03.38) coding groups above that:
 *   0x00 GSM default, 0x01 IA5, 0x03 Latin-1, 0x06 ISO-8859-5 (Cyrillic),
 *   0x07 ISO-8859-8 (Latin/Hebrew), 0x08 UCS2; 0x02, 0x04 binary;
 *   0x05 JIS, 0x09 pictogram, 0x0A ISO-2022-JP music codes, 0x0D extended
 *   Kanji JIS, 0x0E KS C 5601 -> binary (multi-octet national sets, not decoded);
 *   0x0B, 0x0C, 0x0F (reserved in SMPP 3.4) -> GSM 7-bit, as reserved codings.
 *   0x10..0x7F general data coding (00xx) and automatic-deletion (01xx) groups:
 *     bit 5 set (compressed) -> binary; else bits 3..2: 00 GSM 7-bit,
 *     01 8-bit data (binary), 10 UCS2, 11 reserved -> GSM 7-bit.
 *   0x80..0xBF reserved coding groups -> GSM 7-bit.
 *   0xC0..0xDF message waiting indication (discard / store) -> GSM 7-bit.
 *   0xE0..0xEF message waiting indication (store, UCS2) -> UCS2
 *     (SMPP 3.4 calls 1110xxxx reserved; TS 23.038 defines it).
 *   0xF0..0xFF data coding / message class: bit 2 set = 8-bit data (binary),
 *     clear = GSM 7-bit.
 * Reserved codings: TS 23.038 clause 4, "Any reserved codings shall be
 * assumed to be the GSM 7 bit default alphabet (the same as codepoint
 * 00000000) by a receiving entity" (the clause as quoted at
 * https://itectec.com/spec/4-sms-data-coding-scheme-2/). Encoding uses the same table, so a text
 * sent with a reserved data_coding is GSM 7-bit, as the receiver will read it.
 * Binary and the national multi-octet sets come back as bytes, never as
 * guessed text.
 */
import { Alphabet, TextUnit } from './types';
import { gsm7Encode, gsm7Decode, gsm7InvalidIndex } from './gsm7';
import { ucs2Encode, ucs2Decode } from './ucs2';
import { asciiEncode, asciiDecode, asciiInvalidIndex } from './ascii';
import { latin1Encode, latin1Decode, latin1InvalidIndex } from './latin1';
import { iso8859Decode, iso8859Encode, iso8859InvalidIndex } from './iso8859';
import { describeChar } from './char-info';

export type EncodeResult =
  | { ok: true; dataCoding: number; bytes: Buffer; unit: TextUnit }
  | { ok: false; error: string };

export type DecodeResult = { text: string } | { binary: Buffer };

const A_GSM7 = 0, A_IA5 = 1, A_LATIN1 = 2, A_UCS2 = 3, A_BINARY = 4, A_CYRILLIC = 5, A_HEBREW = 6;
const ALPHABET_NAMES: readonly Alphabet[] = ['gsm7', 'ia5', 'latin1', 'ucs2', 'binary', 'iso-8859-5', 'iso-8859-8'];

function classify(dc: number): number {
  if (dc < 0x10) {
    switch (dc) {
      case 0x00: return A_GSM7;
      case 0x01: return A_IA5;
      case 0x03: return A_LATIN1;
      case 0x06: return A_CYRILLIC;
      case 0x07: return A_HEBREW;
      case 0x08: return A_UCS2;
      case 0x0b: case 0x0c: case 0x0f: return A_GSM7; // reserved
      default: return A_BINARY;
    }
  }
  if (dc < 0x80) {
    if (dc & 0x20) return A_BINARY; // compressed
    switch ((dc >> 2) & 3) {
      case 1: return A_BINARY; // 8-bit data
      case 2: return A_UCS2;
      default: return A_GSM7; // 00 default alphabet, 11 reserved
    }
  }
  if (dc < 0xc0) return A_GSM7; // reserved coding groups
  if (dc < 0xe0) return A_GSM7;
  if (dc < 0xf0) return A_UCS2;
  return dc & 0x04 ? A_BINARY : A_GSM7;
}

/** data_coding byte -> alphabet code, built once. */
const ALPHABET_BY_DC = new Uint8Array(256);
for (let dc = 0; dc < 256; dc++) ALPHABET_BY_DC[dc] = classify(dc);

/** The alphabet a whole data_coding byte stands for ('binary' when not a decodable text). */
export function alphabetOfDataCoding(dataCoding: number): Alphabet {
  if (!Number.isInteger(dataCoding) || dataCoding < 0 || dataCoding > 255) return 'binary';
  return ALPHABET_NAMES[ALPHABET_BY_DC[dataCoding]];
}

/** Text for the known alphabets, the bytes for anything else. Never throws. */
export function decodeByDataCoding(bytes: Buffer, dataCoding: number): DecodeResult {
  const a = Number.isInteger(dataCoding) && dataCoding >= 0 && dataCoding <= 255 ? ALPHABET_BY_DC[dataCoding] : A_BINARY;
  switch (a) {
    case A_GSM7: return { text: gsm7Decode(bytes) };
    case A_IA5: return { text: asciiDecode(bytes) };
    case A_LATIN1: return { text: latin1Decode(bytes) };
    case A_UCS2: return { text: ucs2Decode(bytes) };
    case A_CYRILLIC: return { text: iso8859Decode(bytes, 5) };
    case A_HEBREW: return { text: iso8859Decode(bytes, 8) };
    default: return { binary: bytes };
  }
}

const SMPP_DC_NAMES: readonly string[] = [
  'SMSC default / GSM 7-bit', 'IA5/ASCII', 'binary', 'Latin-1', 'binary', 'JIS', 'Cyrillic', 'Latin/Hebrew',
  'UCS2', 'Pictogram', 'ISO-2022-JP music codes', 'reserved', 'reserved', 'extended Kanji JIS', 'KS C 5601', 'reserved',
];

function dataCodingLabel(dc: number): string {
  if (dc < 0x10) return SMPP_DC_NAMES[dc];
  return 'coding group 0x' + dc.toString(16).toUpperCase().padStart(2, '0');
}

/** Format names accepted by encodeText (lower case). */
const FORMATS: ReadonlyMap<string, { dc: number; alphabet: number }> = new Map([
  ['gsm7', { dc: 0, alphabet: A_GSM7 }],
  ['ascii', { dc: 1, alphabet: A_IA5 }],
  ['latin1', { dc: 3, alphabet: A_LATIN1 }],
  ['binary', { dc: 4, alphabet: A_BINARY }],
  ['ucs2', { dc: 8, alphabet: A_UCS2 }],
]);

const ALPHABET_LABELS: readonly string[] = ['GSM 7-bit', 'IA5/ASCII', 'Latin-1', 'UCS2', 'binary', 'ISO-8859-5 (Cyrillic)', 'ISO-8859-8 (Latin/Hebrew)'];
const UNIT_OF: readonly TextUnit[] = ['septet', 'octet', 'octet', 'ucs2', 'octet', 'octet', 'octet'];

function fail(error: string): EncodeResult {
  return { ok: false, error };
}

function encodeString(text: string, alphabet: number, dc: number, named: boolean): EncodeResult {
  let bytes: Buffer | null;
  let bad: number;
  switch (alphabet) {
    case A_GSM7:
      bytes = gsm7Encode(text);
      if (bytes) return { ok: true, dataCoding: dc, bytes, unit: 'septet' };
      bad = gsm7InvalidIndex(text);
      break;
    case A_IA5:
      bytes = asciiEncode(text);
      if (bytes) return { ok: true, dataCoding: dc, bytes, unit: 'octet' };
      bad = asciiInvalidIndex(text);
      break;
    case A_LATIN1:
      bytes = latin1Encode(text);
      if (bytes) return { ok: true, dataCoding: dc, bytes, unit: 'octet' };
      bad = latin1InvalidIndex(text);
      break;
    case A_UCS2:
      return { ok: true, dataCoding: dc, bytes: ucs2Encode(text), unit: 'ucs2' };
    case A_CYRILLIC:
    case A_HEBREW: {
      const part = alphabet === A_CYRILLIC ? 5 : 8;
      bytes = iso8859Encode(text, part);
      if (bytes) return { ok: true, dataCoding: dc, bytes, unit: 'octet' };
      bad = iso8859InvalidIndex(text, part);
      break;
    }
    default:
      return fail(named
        ? "message format 'binary' needs a Buffer payload, got a string"
        : `data_coding ${dc} (${dataCodingLabel(dc)}) is not a text coding this gateway encodes; give the payload as a Buffer`);
  }
  const advice = named ? 'choose ucs2 or auto' : 'choose data_coding 8 (UCS2) or message format auto';
  return fail(`${describeChar(text, bad)} is not in the ${ALPHABET_LABELS[alphabet]} alphabet; ${advice}`);
}

function checkBytes(bytes: Buffer, alphabet: number, dc: number): EncodeResult {
  if (alphabet === A_GSM7 || alphabet === A_IA5) {
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] > 0x7f) {
        const hex = bytes[i].toString(16).toUpperCase();
        return fail(`byte 0x${hex} at offset ${i} is not ${alphabet === A_GSM7 ? 'a GSM 7-bit septet' : 'IA5/ASCII'} (data_coding ${dc})`);
      }
    }
  } else if (alphabet === A_UCS2 && (bytes.length & 1) !== 0) {
    return fail(`UCS2 payload has an odd length of ${bytes.length} octets (data_coding ${dc})`);
  }
  return { ok: true, dataCoding: dc, bytes, unit: UNIT_OF[alphabet] };
}

function parseFormatNumber(format: string): number {
  if (format.length === 0 || format.length > 3) return -1;
  let n = 0;
  for (let i = 0; i < format.length; i++) {
    const d = format.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Encodes a payload for the given message format or data_coding.
 *
 * format: 'gsm7' (0), 'ascii' (1, IA5), 'latin1' (3), 'binary' (4, Buffer only),
 * 'ucs2' (8), 'auto' (GSM 7-bit dc 0 when the text fits, else UCS2 dc 8),
 * or a data_coding number 0..255 (also as a decimal string): known text
 * codings use their codec, the others need a Buffer.
 *
 * A Buffer payload is taken as already encoded and sent as is, with light
 * checks (septets/IA5 <= 0x7F, even UCS2 length); with 'auto' a Buffer is
 * sent as binary (dc 4).
 */
export function encodeText(payload: string | Buffer | Uint8Array, format: string | number): EncodeResult {
  let dc: number;
  let alphabet: number;
  let named: boolean;
  if (typeof format === 'number') {
    if (!Number.isInteger(format) || format < 0 || format > 255) {
      return fail(`data_coding ${format} is out of range; use 0..255`);
    }
    dc = format;
    alphabet = ALPHABET_BY_DC[dc];
    named = false;
  } else if (typeof format === 'string') {
    const key = format === 'auto' || FORMATS.has(format) ? format : format.trim().toLowerCase();
    const f = FORMATS.get(key);
    if (f) {
      dc = f.dc;
      alphabet = f.alphabet;
      named = true;
    } else if (key === 'auto') {
      if (typeof payload === 'string') {
        const gsm = gsm7Encode(payload);
        if (gsm) return { ok: true, dataCoding: 0, bytes: gsm, unit: 'septet' };
        return { ok: true, dataCoding: 8, bytes: ucs2Encode(payload), unit: 'ucs2' };
      }
      dc = 4;
      alphabet = A_BINARY;
      named = true;
    } else {
      const n = parseFormatNumber(key);
      if (n < 0 || n > 255) {
        return fail(`unknown message format '${format}'; use gsm7, ascii, latin1, binary, ucs2, auto or a data_coding 0..255`);
      }
      dc = n;
      alphabet = ALPHABET_BY_DC[dc];
      named = false;
    }
  } else {
    return fail('message format must be a name or a data_coding number');
  }

  if (typeof payload === 'string') return encodeString(payload, alphabet, dc, named);
  if (payload instanceof Uint8Array) {
    const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.length);
    return checkBytes(bytes, alphabet, dc);
  }
  return fail(`payload must be a string or a Buffer, got ${payload === null ? 'null' : typeof payload}`);
}
