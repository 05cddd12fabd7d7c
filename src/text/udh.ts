/**
 * Reads the User Data Header at the start of a short_message (esm_class
 * UDHI set), for receiving. Lenient, as 3GPP TS 23.040 section 9.2.3.24 asks
 * ("ignore" what cannot be understood and keep the message): the content is
 * always split at the UDHL octet, never refused.
 *
 *  - The header is the UDHL octet plus UDHL octets; the body is the rest.
 *    A UDHL that runs past the end makes the whole content the header (the
 *    body is then empty), flagged.
 *  - Elements are read in order; an element whose header or data runs past
 *    the header's end cannot be read: it and what follows are ignored, flagged.
 *  - Concatenation: IEI 0x00 (8-bit reference, length 3) or IEI 0x08 (16-bit
 *    reference, length 4). A concatenation element with another length, or
 *    with total 0, sequence 0 or sequence > total, is ignored (flagged); when
 *    it repeats the last good one counts. Other elements are skipped unread.
 *
 * malformed is true when anything above was ignored. udh and body are views
 * of the input (no copy); udh includes the UDHL octet. Never throws.
 */

export interface UdhConcat {
  ref: number;
  total: number;
  seq: number;
  refBits: 8 | 16;
}

export interface ParsedUdh {
  udh: Buffer;
  body: Buffer;
  concat?: UdhConcat;
  /** part of the header could not be read or understood and was ignored */
  malformed?: true;
}

function validConcat(c: UdhConcat): boolean {
  return c.total > 0 && c.seq > 0 && c.seq <= c.total;
}

/** Splits short_message into header and body; null only when the input is not a Buffer. */
export function parseUdh(shortMessage: Buffer): ParsedUdh | null {
  if (!Buffer.isBuffer(shortMessage)) return null;
  if (shortMessage.length < 1) return { udh: shortMessage.subarray(0, 0), body: shortMessage.subarray(0), malformed: true };
  const want = 1 + shortMessage[0];
  const end = want <= shortMessage.length ? want : shortMessage.length;
  let malformed = want > shortMessage.length;
  let concat: UdhConcat | undefined;
  let i = 1;
  while (i < end) {
    if (i + 2 > end) { malformed = true; break; }
    const iei = shortMessage[i];
    const len = shortMessage[i + 1];
    const data = i + 2;
    if (data + len > end) { malformed = true; break; }
    if (iei === 0x00 || iei === 0x08) {
      const c: UdhConcat | undefined =
        iei === 0x00 && len === 3 ? { ref: shortMessage[data], total: shortMessage[data + 1], seq: shortMessage[data + 2], refBits: 8 }
          : iei === 0x08 && len === 4 ? {
            ref: (shortMessage[data] << 8) | shortMessage[data + 1],
            total: shortMessage[data + 2], seq: shortMessage[data + 3], refBits: 16,
          } : undefined;
      if (c && validConcat(c)) concat = c;
      else malformed = true;
    }
    i = data + len;
  }
  const result: ParsedUdh = { udh: shortMessage.subarray(0, end), body: shortMessage.subarray(end) };
  if (concat) result.concat = concat;
  if (malformed) result.malformed = true;
  return result;
}
