/**
 * Latin-1 / ISO-8859-1 (SMPP data_coding 3): one octet per character,
 * U+0000..U+00FF. Every octet decodes to a character, so decoding never throws.
 */

/** Index of the first character above U+00FF, or -1. */
export function latin1InvalidIndex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0xff) return i;
  }
  return -1;
}

/** One octet per character, or null when a character is above U+00FF. */
export function latin1Encode(text: string): Buffer | null {
  return latin1InvalidIndex(text) < 0 ? Buffer.from(text, 'latin1') : null;
}

export function latin1Decode(buf: Buffer): string {
  return buf.toString('latin1');
}
