/**
 * Parser for the de-facto delivery receipt text (SMPP 3.4 Appendix B):
 *
 *   id:IIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:...
 *
 * The appendix is informative only, so real SMSCs vary. Tolerated here:
 *  - field names in any case (`Text:`, `STAT:`), `submit_date:`/`done_date:`
 *    (also `submitdate:`), spaces around the colon and between fields;
 *  - any field order, missing fields, extra unknown fields (ignored);
 *  - `text:` anywhere: its value runs to the next label of a known field
 *    (id, sub, dlvrd, submit date, done date, stat, err) that has not been seen
 *    yet, else to the end. So `text: stat:DELIVRD` still gives the state, and
 *    `... stat:DELIVRD text:code: 12 id:x` keeps `code: 12 id:x` as the text;
 *  - dates in every form in parseReceiptDate below;
 *  - trailing NUL characters (C-string terminators) are dropped.
 *
 * Bytes: receipt text is ASCII in practice whatever data_coding says (SMSCs
 * copy the submit's coding, or label it GSM 7-bit). parseReceiptBytes reads
 * the octets one to one (latin1) after stripping trailing NULs, so `@ $ _`
 * in ids stay what they are and a NUL never turns into `@`.
 *
 * A field starts where a word followed by `:` follows the start of the text or
 * whitespace; its value is the first whitespace-separated token up to the next
 * field (so trailing garbage after a value is ignored). Empty values are left
 * out. When a field appears twice, the first one counts.
 *
 * Pure; never throws for any string or byte input.
 */
import { ReceiptState, stateFromStat } from './receipt-state';
import { parseReceiptDatePair } from './receipt-date';

export { parseReceiptDate } from './receipt-date';

export interface ReceiptText {
  /** Message id as written (leading zeros and case kept). */
  id?: string;
  /** `sub:` as written, e.g. "001". */
  sub?: string;
  /** `dlvrd:` as written, e.g. "001". */
  dlvrd?: string;
  submitDate?: Date;
  doneDate?: Date;
  /** The `stat:` word as written. */
  stat?: string;
  /** `stat:` mapped to a state; undefined when the word is not known. */
  state?: ReceiptState;
  /** `err:` as written, e.g. "000". */
  err?: string;
  /** The `text:` value, trimmed; left out when empty. */
  text?: string;
}

// A field name: "submit date"/"done date" (space, underscore or nothing), or one word.
const FIELD_RE = /(?:^|\s)(submit[\s_]*date|done[\s_]*date|[a-z][a-z0-9_]*)\s*:/gi;
const SEPARATORS_RE = /[\s_]+/g;
const TRAILING_NUL_RE = /\0+$/;

type Key = 'id' | 'sub' | 'dlvrd' | 'submitdate' | 'donedate' | 'stat' | 'err' | 'text';
const KEYS: ReadonlySet<string> = new Set<Key>(['id', 'sub', 'dlvrd', 'submitdate', 'donedate', 'stat', 'err', 'text']);

function firstToken(raw: string): string | undefined {
  const t = raw.trim();
  if (!t) return undefined;
  const ws = t.search(/\s/);
  return ws < 0 ? t : t.slice(0, ws);
}

/** Octets as characters one to one (ISO-8859-1), trailing NULs removed. */
export function receiptBytesToString(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  // Node's Buffer does this natively; elsewhere (the editor) a plain loop
  if (typeof Buffer !== 'undefined' && Buffer.isBuffer(bytes)) return bytes.toString('latin1', 0, end);
  let s = '';
  for (let i = 0; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** parseReceiptText on the octets of a receipt read as ASCII/latin1 (see the module comment). */
export function parseReceiptBytes(bytes: Uint8Array): ReceiptText | null {
  if (!(bytes instanceof Uint8Array)) return null;
  return parseReceiptText(receiptBytesToString(bytes));
}

/**
 * Parses receipt text. Returns null when the text is not a receipt, that is,
 * when it has neither an `id:` nor a `stat:` field (outside the text value).
 * Note that an ordinary message such as "my id: 5" passes this test: decide
 * from esm_class whether a PDU is a receipt, then call this.
 */
export function parseReceiptText(input: string): ReceiptText | null {
  if (typeof input !== 'string' || input.length === 0) return null;
  const s = input.replace(TRAILING_NUL_RE, '');

  // every label: [key, start of the match, end of the colon]
  const labels: Array<[string, number, number]> = [];
  FIELD_RE.lastIndex = 0;
  for (let m = FIELD_RE.exec(s); m !== null; m = FIELD_RE.exec(s)) {
    labels.push([m[1].toLowerCase().replace(SEPARATORS_RE, ''), m.index, m.index + m[0].length]);
  }
  FIELD_RE.lastIndex = 0;

  const values = new Map<string, string>();
  const seen = new Set<string>();
  let i = 0;
  while (i < labels.length) {
    const [key, , valueStart] = labels[i];
    if (key === 'text' && !seen.has('text')) {
      seen.add('text');
      // the text ends at the next known field not seen yet
      let j = i + 1;
      while (j < labels.length) {
        const k = labels[j][0];
        if (k !== 'text' && KEYS.has(k) && !seen.has(k)) break;
        j++;
      }
      const valueEnd = j < labels.length ? labels[j][1] : s.length;
      const text = s.slice(valueStart, valueEnd).trim();
      if (text) values.set('text', text);
      i = j;
      continue;
    }
    seen.add(key);
    if (KEYS.has(key) && !values.has(key)) {
      const valueEnd = i + 1 < labels.length ? labels[i + 1][1] : s.length;
      const token = firstToken(s.slice(valueStart, valueEnd));
      if (token !== undefined) values.set(key, token);
    }
    i++;
  }

  if (!seen.has('id') && !seen.has('stat')) return null;

  const out: ReceiptText = {};
  const id = values.get('id');
  if (id !== undefined) out.id = id;
  const sub = values.get('sub');
  if (sub !== undefined) out.sub = sub;
  const dlvrd = values.get('dlvrd');
  if (dlvrd !== undefined) out.dlvrd = dlvrd;
  const [submitDate, doneDate] = parseReceiptDatePair(values.get('submitdate'), values.get('donedate'));
  if (submitDate) out.submitDate = submitDate;
  if (doneDate) out.doneDate = doneDate;
  const stat = values.get('stat');
  if (stat !== undefined) {
    out.stat = stat;
    const state = stateFromStat(stat);
    if (state) out.state = state;
  }
  const err = values.get('err');
  if (err !== undefined) out.err = err;
  const text = values.get('text');
  if (text !== undefined) out.text = text;
  return out;
}
