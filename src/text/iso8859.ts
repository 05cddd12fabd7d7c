/**
 * ISO-8859-5 (Cyrillic, SMPP data_coding 6) and ISO-8859-8 (Latin/Hebrew,
 * SMPP data_coding 7): one octet per character. 0x00..0xA0 are the same as
 * Latin-1 in both; the upper half is tabled here (ISO/IEC 8859-5:1999,
 * 8859-8:1999; the same mapping as the WHATWG encodings Node's full-ICU
 * TextDecoder uses, which the tests compare against when it is present).
 * Small tables rather than TextDecoder: a Node built with small-icu has no
 * decoder for these, and encoding needs the reverse table anyway.
 *
 * Decoding never throws: an octet with no character (ISO-8859-8 0xA1,
 * 0xBF..0xDE, 0xFB, 0xFC, 0xFF) becomes U+FFFD.
 */

export type Iso8859Part = 5 | 8;

const UNDEFINED = 0xfffd;

function upperHalf(part: Iso8859Part): Uint16Array {
  const t = new Uint16Array(0x60).fill(UNDEFINED);
  t[0] = 0xa0;
  if (part === 5) {
    for (let b = 0xa1; b <= 0xff; b++) t[b - 0xa0] = 0x0360 + b; // A1 -> U+0401 ... FF -> U+045F
    t[0xad - 0xa0] = 0x00ad; // soft hyphen
    t[0xf0 - 0xa0] = 0x2116; // numero sign
    t[0xfd - 0xa0] = 0x00a7; // section sign
  } else {
    for (let b = 0xa2; b <= 0xbe; b++) t[b - 0xa0] = b; // as Latin-1 ...
    t[0xaa - 0xa0] = 0x00d7; // ... but multiplication sign
    t[0xba - 0xa0] = 0x00f7; // ... and division sign
    t[0xdf - 0xa0] = 0x2017; // double low line
    for (let b = 0xe0; b <= 0xfa; b++) t[b - 0xa0] = 0x05d0 + (b - 0xe0); // alef ... tav
    t[0xfd - 0xa0] = 0x200e; // left-to-right mark
    t[0xfe - 0xa0] = 0x200f; // right-to-left mark
  }
  return t;
}

/** octet -> UTF-16 code unit */
const DECODE: Record<Iso8859Part, Uint16Array> = { 5: new Uint16Array(256), 8: new Uint16Array(256) };
/** UTF-16 code unit -> octet + 1 (0 = not representable) */
const ENCODE: Record<Iso8859Part, Map<number, number>> = { 5: new Map(), 8: new Map() };

for (const part of [5, 8] as const) {
  const upper = upperHalf(part);
  for (let b = 0; b < 256; b++) {
    const c = b < 0xa0 ? b : upper[b - 0xa0];
    DECODE[part][b] = c;
    if (c !== UNDEFINED) ENCODE[part].set(c, b);
  }
}

export function iso8859Decode(bytes: Uint8Array, part: Iso8859Part): string {
  const table = DECODE[part];
  let s = '';
  const CHUNK = 4096;
  const units = new Array<number>(Math.min(CHUNK, bytes.length));
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const n = Math.min(CHUNK, bytes.length - i);
    units.length = n;
    for (let k = 0; k < n; k++) units[k] = table[bytes[i + k]];
    s += String.fromCharCode.apply(null, units);
  }
  return s;
}

/** Index of the first character the part cannot carry, or -1. */
export function iso8859InvalidIndex(text: string, part: Iso8859Part): number {
  const map = ENCODE[part];
  for (let i = 0; i < text.length; i++) {
    if (!map.has(text.charCodeAt(i))) return i;
  }
  return -1;
}

/** One octet per character, or null when a character is not in the part. */
export function iso8859Encode(text: string, part: Iso8859Part): Buffer | null {
  const map = ENCODE[part];
  const out = Buffer.allocUnsafe(text.length);
  for (let i = 0; i < text.length; i++) {
    const b = map.get(text.charCodeAt(i));
    if (b === undefined) return null;
    out[i] = b;
  }
  return out;
}
