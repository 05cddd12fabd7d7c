/**
 * IA5 / ASCII (SMPP data_coding 1): one octet per character, 0x00..0x7F.
 * Decoding never throws; an octet >= 0x80 (not IA5) becomes U+FFFD.
 */

/** Index of the first character above U+007F, or -1. */
export function asciiInvalidIndex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return i;
  }
  return -1;
}

/** One octet per character, or null when a character is above U+007F. */
export function asciiEncode(text: string): Buffer | null {
  return asciiInvalidIndex(text) < 0 ? Buffer.from(text, 'latin1') : null;
}

export function asciiDecode(buf: Buffer): string {
  let clean = true;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] > 0x7f) { clean = false; break; }
  }
  if (clean) return buf.toString('latin1');
  const units = Buffer.allocUnsafe(buf.length * 2);
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i] > 0x7f ? 0xfffd : buf[i];
    units[2 * i] = c & 0xff;
    units[2 * i + 1] = c >>> 8;
  }
  return units.toString('utf16le');
}
