/**
 * Reads the User Data Header at the start of a short_message (esm_class
 * UDHI set), for receiving. Tolerates information elements it does not
 * know; returns null when the header is empty, truncated or an element's
 * length runs past the header. Never throws.
 *
 * Concatenation: IEI 0x00 (8-bit reference, length 3) or IEI 0x08 (16-bit
 * reference, length 4). As TS 23.040 says, an element with total 0,
 * sequence 0 or sequence > total is ignored, and when it repeats the last
 * one counts. udh and body are views of the input (no copy); udh includes
 * the UDHL octet.
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
}

export function parseUdh(shortMessage: Buffer): ParsedUdh | null {
  if (!shortMessage || shortMessage.length < 1) return null;
  const udhl = shortMessage[0];
  const end = 1 + udhl;
  if (end > shortMessage.length) return null;
  let concat: UdhConcat | undefined;
  let i = 1;
  while (i < end) {
    if (i + 2 > end) return null;
    const iei = shortMessage[i];
    const len = shortMessage[i + 1];
    const data = i + 2;
    if (data + len > end) return null;
    if (iei === 0x00 && len === 3) {
      const c: UdhConcat = { ref: shortMessage[data], total: shortMessage[data + 1], seq: shortMessage[data + 2], refBits: 8 };
      if (c.total > 0 && c.seq > 0 && c.seq <= c.total) concat = c;
    } else if (iei === 0x08 && len === 4) {
      const c: UdhConcat = {
        ref: (shortMessage[data] << 8) | shortMessage[data + 1],
        total: shortMessage[data + 2], seq: shortMessage[data + 3], refBits: 16,
      };
      if (c.total > 0 && c.seq > 0 && c.seq <= c.total) concat = c;
    }
    i = data + len;
  }
  const result: ParsedUdh = { udh: shortMessage.subarray(0, end), body: shortMessage.subarray(end) };
  if (concat) result.concat = concat;
  return result;
}
