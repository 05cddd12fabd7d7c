/**
 * Message id forms. The id an SMSC puts in a delivery receipt often differs in
 * form from the one it returned in submit_sm_resp: decimal in one and hex in
 * the other (SMPP 3.3 vs 3.4 habits), leading zeros, letter case.
 *
 * idKeys() turns an id into lookup keys; two ids "match" when they share a
 * key. Use the same form on both sides: store a message under
 * idKeys(submitRespId, form), look a receipt up with idKeys(receiptId, form).
 *
 * Keys are namespaced strings:
 *  - 'n:<decimal>'  a numeric reading of the id, as a decimal number without
 *                   leading zeros ("0000123", "123" and "7B" read as hex all
 *                   meet at 'n:123');
 *  - 's:<lower>'    the id lower-cased, for ids that are not numbers;
 *  - 'e:<lower>'    the id as given, lower-cased (form 'exact').
 *
 * Forms:
 *  - 'exact':   only 'e:' + the id (trimmed, lower-cased): the same text,
 *               ignoring letter case; no numeric reading.
 *  - 'decimal': an id of decimal digits -> its value; anything else -> 's:'.
 *  - 'hex':     an id of hex digits -> its value read as hex; else -> 's:'.
 *  - 'any':     an id of decimal digits has two readings: its decimal value
 *               first, then its value read as hex ("123" -> n:123, n:291); an
 *               id of hex digits with a letter has one (its hex value); any
 *               other id -> 's:' + lower-cased. (A lower-cased-exact key is not
 *               added for numeric ids: two ids equal after lower-casing always
 *               share their numeric key already.)
 *
 * The order of the keys is meaningful: the first key is the id's most likely
 * reading. False-match risk of 'any': "10" (decimal) and "a" (hex) are the same
 * number, which is exactly what is wanted; but a decimal-looking id also
 * matches the id whose decimal value equals its hex reading: "10" and "16"
 * share n:16. With several messages in flight this is ambiguous; the
 * MessageIdIndex in message-id-index.ts resolves it by preferring the primary
 * readings (a receipt "16" finds the message "16" before the message "10").
 * Ids of six or more digits without leading zeros cannot collide this way
 * with ids of the same width (their hex reading has more digits), so fixed-width
 * SMSC ids are safe; small or zero-padded counters are where the risk lives.
 * Pick 'decimal' or 'hex' when the SMSC's form is known.
 *
 * Fast path: decimal values are canonicalised by dropping leading zeros (no
 * arithmetic at all); hex is converted with parseInt when it has at most 13
 * significant digits (52 bits, exact in a double) and with BigInt beyond.
 */

export type IdForm = 'any' | 'exact' | 'hex' | 'decimal';

export const ID_FORMS: readonly IdForm[] = ['any', 'exact', 'hex', 'decimal'];

/**
 * The forms of the two sides of a match: how the id in submit_sm_resp is read
 * (sent) and how the id in a receipt is read (receipt). They differ when the
 * SMSC writes the same number in another base in its receipts: { sent: 'hex',
 * receipt: 'decimal' } matches a receipt "255" with the message "ff".
 */
export interface IdFormPair {
  readonly sent: IdForm;
  readonly receipt: IdForm;
}

/** A single form means the same form on both sides. */
export function formPair(form: IdForm | IdFormPair): IdFormPair {
  return typeof form === 'string' ? { sent: form, receipt: form } : form;
}

const DEC_RE = /^[0-9]+$/;
const HEX_RE = /^[0-9a-f]+$/;
const EDGE_RE = /^[\s\0]+|[\s\0]+$/g;

function stripZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48 /* '0' */) i++;
  return i === 0 ? digits : digits.slice(i);
}

/** Decimal value of a lower-case hex digit string, as a decimal string. */
function hexToDecimal(hex: string): string {
  const h = stripZeros(hex);
  if (h.length <= 13) return parseInt(h, 16).toString(10);
  return BigInt('0x' + h).toString(10);
}

/** Trims whitespace and NUL characters (C-string padding) from both ends. */
export function cleanId(id: string): string {
  return id.replace(EDGE_RE, '');
}

/**
 * Lookup keys for a message id, primary reading first. An empty id (after
 * trimming) gives no keys. See the module comment for the forms.
 */
export function idKeys(id: string, form: IdForm = 'any'): string[] {
  if (typeof id !== 'string') return [];
  const trimmed = cleanId(id);
  if (!trimmed) return [];
  const lower = trimmed.toLowerCase();
  if (form === 'exact') return ['e:' + lower];
  const isDec = DEC_RE.test(lower);
  switch (form) {
    case 'decimal':
      return [isDec ? 'n:' + stripZeros(lower) : 's:' + lower];
    case 'hex':
      return [isDec || HEX_RE.test(lower) ? 'n:' + hexToDecimal(lower) : 's:' + lower];
    default: {
      if (isDec) {
        const dec = 'n:' + stripZeros(lower);
        const hex = 'n:' + hexToDecimal(lower);
        return dec === hex ? [dec] : [dec, hex];
      }
      if (HEX_RE.test(lower)) return ['n:' + hexToDecimal(lower)];
      return ['s:' + lower];
    }
  }
}

/**
 * Whether a receipt's id (b) matches a sent id (a) under a form or a pair of
 * forms (they share at least one key).
 */
export function sameMessageId(a: string, b: string, form: IdForm | IdFormPair = 'any'): boolean {
  const pair = formPair(form);
  const ka = idKeys(a, pair.sent);
  if (ka.length === 0) return false;
  const kb = idKeys(b, pair.receipt);
  for (const k of kb) if (ka.includes(k)) return true;
  return false;
}
