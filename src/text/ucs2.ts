/**
 * UCS2 as SMPP data_coding 8 carries it: UTF-16 big-endian. Characters
 * outside the BMP are kept as surrogate pairs (4 octets); lone surrogates
 * are passed through as single code units.
 */

/** UTF-16BE bytes of the text; always succeeds. */
export function ucs2Encode(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

/**
 * Decodes UTF-16BE. Never throws: an odd trailing octet (a truncated code
 * unit) becomes U+FFFD.
 */
export function ucs2Decode(buf: Buffer): string {
  const even = buf.length & ~1;
  const copy = Buffer.allocUnsafe(even);
  for (let i = 0; i < even; i += 2) {
    copy[i] = buf[i + 1];
    copy[i + 1] = buf[i];
  }
  const text = copy.toString('utf16le');
  return even === buf.length ? text : text + '\ufffd';
}
