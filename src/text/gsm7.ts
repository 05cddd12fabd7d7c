/**
 * GSM 03.38 (3GPP TS 23.038) default alphabet and its extension table,
 * as unpacked septets: one octet per septet, which is how SMPP carries
 * data_coding 0 (the SMSC packs it for the air interface).
 *
 * Decoding rules:
 * - 0x1B + code in the extension table -> that character (0x1B 0x0A = form feed).
 * - 0x1B + code not in the extension table -> the base character of that code
 *   (TS 23.038: "display the character shown in the main default 7 bit alphabet").
 * - 0x1B 0x1B -> a space (reserved for a further extension table; TS 23.038
 *   says to display a space).
 * - a lone 0x1B as the last octet -> nothing (an incomplete escape is dropped).
 * - an octet >= 0x80 (not a septet) -> U+FFFD.
 * Encoding never maps U+001B itself; it is not representable.
 */

const ESC = 0x1b;

// Base table, code 0x00..0x7F; position 0x1B holds a placeholder (the escape).
const BASE =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ' +
  ' !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Extension table: [code after 0x1B, character]. */
const EXTENSION: ReadonlyArray<readonly [number, string]> = [
  [0x0a, '\f'], [0x14, '^'], [0x28, '{'], [0x29, '}'], [0x2f, '\\'],
  [0x3c, '['], [0x3d, '~'], [0x3e, ']'], [0x40, '|'], [0x65, '€'],
];

/** UTF-16 code unit -> septet (0..0x7F), 0x100|code for extension, -1 not representable. */
const ENCODE = new Int16Array(0x10000).fill(-1);
/** septet -> UTF-16 code unit (base table). */
const DECODE_BASE = new Uint16Array(128);
/** septet after 0x1B -> UTF-16 code unit. */
const DECODE_EXT = new Uint16Array(128);

(function buildTables(): void {
  if (BASE.length !== 128) throw new Error('gsm7: base table must have 128 entries');
  for (let i = 0; i < 128; i++) {
    const c = BASE.charCodeAt(i);
    DECODE_BASE[i] = c;
    DECODE_EXT[i] = c;
    if (i !== ESC) ENCODE[c] = i;
  }
  DECODE_EXT[ESC] = 0x20;
  for (const [code, ch] of EXTENSION) {
    const c = ch.charCodeAt(0);
    DECODE_EXT[code] = c;
    ENCODE[c] = 0x100 | code;
  }
})();

/** Index of the first character that GSM 7-bit cannot carry, or -1. */
export function gsm7InvalidIndex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (ENCODE[text.charCodeAt(i)] < 0) return i;
  }
  return -1;
}

/**
 * Septets the text takes (extension characters count 2), or -1 when a
 * character is not in the GSM 7-bit alphabet.
 */
export function gsm7Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const v = ENCODE[text.charCodeAt(i)];
    if (v < 0) return -1;
    n += v > 0xff ? 2 : 1;
  }
  return n;
}

/** True when every character is in the default alphabet or its extension table. */
export function isGsm7(text: string): boolean {
  return gsm7InvalidIndex(text) < 0;
}

/** Unpacked septets (one per octet), or null when a character is not representable. */
export function gsm7Encode(text: string): Buffer | null {
  const n = gsm7Length(text);
  if (n < 0) return null;
  const out = Buffer.allocUnsafe(n);
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const v = ENCODE[text.charCodeAt(i)];
    if (v > 0xff) {
      out[o++] = ESC;
      out[o++] = v & 0x7f;
    } else {
      out[o++] = v;
    }
  }
  return out;
}

/** Decodes unpacked septets; never throws (see the rules at the top of this file). */
export function gsm7Decode(buf: Buffer): string {
  const len = buf.length;
  const units = Buffer.allocUnsafe(len * 2);
  let o = 0;
  for (let i = 0; i < len; i++) {
    let b = buf[i];
    let c: number;
    if (b === ESC) {
      if (i + 1 >= len) break; // lone trailing escape: dropped
      b = buf[++i];
      c = b < 0x80 ? DECODE_EXT[b] : 0xfffd;
    } else {
      c = b < 0x80 ? DECODE_BASE[b] : 0xfffd;
    }
    units[o++] = c & 0xff;
    units[o++] = c >>> 8;
  }
  return units.toString('utf16le', 0, o);
}
