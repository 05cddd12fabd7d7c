/**
 * Parser for the de-facto delivery receipt text (SMPP 3.4 Appendix B):
 *
 *   id:IIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:...
 *
 * The appendix is informative only, so real SMSCs vary. Tolerated here:
 *  - field names in any case (`Text:`, `STAT:`), `submit_date:`/`done_date:`
 *    (also `submitdate:`), spaces around the colon and between fields;
 *  - any field order, missing fields, extra unknown fields (ignored);
 *  - dates with 10 digits (YYMMDDhhmm) or 12 digits (YYMMDDhhmmss);
 *  - `text:` is read as the last field: everything after it is its value,
 *    colons and further `key:` words included;
 *  - trailing NUL characters (C-string terminators) are dropped.
 *
 * A field starts where a word followed by `:` follows the start of the text or
 * whitespace; its value is the first whitespace-separated token up to the next
 * field (so trailing garbage after a value is ignored). Empty values are left
 * out. When a field appears twice, the first one counts.
 *
 * Dates: SMSCs send their local time without a zone; they are read as UTC
 * (the wall-clock figures are kept as-is in a UTC Date) and the century is
 * 20YY. An impossible date (month 13, 31 February, hour 24...) gives
 * undefined, never an Invalid Date.
 *
 * Pure; never throws for any string input.
 */
import { ReceiptState, stateFromStat } from './receipt-state';

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
  /** Everything after `text:`, trimmed; left out when empty. */
  text?: string;
}

// A field name: "submit date"/"done date" (space, underscore or nothing), or one word.
const FIELD_RE = /(?:^|\s)(submit[\s_]*date|done[\s_]*date|[a-z][a-z0-9_]*)\s*:/gi;
const SEPARATORS_RE = /[\s_]+/g;
const TRAILING_NUL_RE = /\0+$/;
const DATE_RE = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?$/;

type Key = 'id' | 'sub' | 'dlvrd' | 'submitdate' | 'donedate' | 'stat' | 'err' | 'text';
const KEYS: ReadonlySet<string> = new Set<Key>(['id', 'sub', 'dlvrd', 'submitdate', 'donedate', 'stat', 'err', 'text']);

function firstToken(raw: string): string | undefined {
  const t = raw.trim();
  if (!t) return undefined;
  const ws = t.search(/\s/);
  return ws < 0 ? t : t.slice(0, ws);
}

/** YYMMDDhhmm or YYMMDDhhmmss read as UTC, 20YY; undefined unless a real date and time. */
export function parseReceiptDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const m = DATE_RE.exec(value);
  if (!m) return undefined;
  const year = 2000 + Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 31 February over into March: reject instead
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return d;
}

/**
 * Parses receipt text. Returns null when the text is not a receipt, that is,
 * when it has neither an `id:` nor a `stat:` field (before `text:`).
 * Note that an ordinary message such as "my id: 5" passes this test: decide
 * from esm_class whether a PDU is a receipt, then call this.
 */
export function parseReceiptText(input: string): ReceiptText | null {
  if (typeof input !== 'string' || input.length === 0) return null;
  const s = input.replace(TRAILING_NUL_RE, '');

  // [key, start of the match, end of the colon]
  const fields: Array<[string, number, number]> = [];
  let textStart = -1;
  FIELD_RE.lastIndex = 0;
  for (let m = FIELD_RE.exec(s); m !== null; m = FIELD_RE.exec(s)) {
    const key = m[1].toLowerCase().replace(SEPARATORS_RE, '');
    const end = m.index + m[0].length;
    if (key === 'text') {
      fields.push([key, m.index, end]);
      textStart = end;
      break;
    }
    fields.push([key, m.index, end]);
  }
  FIELD_RE.lastIndex = 0;

  const values = new Map<string, string>();
  for (let i = 0; i < fields.length; i++) {
    const [key, , valueStart] = fields[i];
    if (!KEYS.has(key) || values.has(key)) continue;
    if (key === 'text') {
      const text = s.slice(textStart).trim();
      if (text) values.set(key, text);
      continue;
    }
    const valueEnd = i + 1 < fields.length ? fields[i + 1][1] : s.length;
    const token = firstToken(s.slice(valueStart, valueEnd));
    if (token !== undefined) values.set(key, token);
  }

  const hasIdField = fields.some(([k]) => k === 'id' || k === 'stat');
  if (!hasIdField) return null;

  const out: ReceiptText = {};
  const id = values.get('id');
  if (id !== undefined) out.id = id;
  const sub = values.get('sub');
  if (sub !== undefined) out.sub = sub;
  const dlvrd = values.get('dlvrd');
  if (dlvrd !== undefined) out.dlvrd = dlvrd;
  const submitDate = parseReceiptDate(values.get('submitdate'));
  if (submitDate) out.submitDate = submitDate;
  const doneDate = parseReceiptDate(values.get('donedate'));
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
