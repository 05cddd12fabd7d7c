/**
 * How a remembered message is laid out in a Node-RED context store (the
 * gateway config node's context), so that it can be found again after a
 * restart. Pure: key encoding, record (de)serialisation, candidate keys.
 *
 * Two kinds of entries, all keys starting with KEY_PREFIX:
 *  - the record:  'smppdlr_r_<rid>'  -> StoredRecord (what was remembered, the
 *    part ids, the receipts of the parts so far, createdAt, expiresAt, and the
 *    id keys below, so they can be deleted with it);
 *  - one id key per part and reading of its id:
 *    'smppdlr_k<rank>_<id key>' -> IdKeyEntry { rid, part, t }.
 *    The rank (0 = the id's primary reading) is part of the key, so that in
 *    form 'any' the message "10" (read as hex: 16) and the message "16" do not
 *    overwrite each other's entry; a lookup tries every key of the receipt id
 *    with every rank and prefers the lowest sum of ranks, as MessageIdIndex does.
 *
 * Context keys are property expressions for Node-RED ('.' and '[' split them,
 * quotes and ']' are refused), so everything but [A-Za-z0-9_-] is escaped:
 * '$' + two hex digits below U+0100, '$u' + four hex digits above.
 */
import { IdFormPair, idKeys } from '../receipt/message-id';
import { PartOutcome, partOutcome } from './fold-receipts';
import type { SentRecord, StoredRecordData } from './memory-store';

export const KEY_PREFIX = 'smppdlr_';
export const RECORD_PREFIX = KEY_PREFIX + 'r_';
const ID_PREFIX = KEY_PREFIX + 'k';

const SAFE = /^[A-Za-z0-9_-]*$/;

/** Escapes a string into a safe context key part (see the module comment). Injective. */
export function encodeKeyPart(s: string): string {
  if (SAFE.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45) out += s[i];
    else if (c < 0x100) out += '$' + c.toString(16).padStart(2, '0');
    else out += '$u' + c.toString(16).padStart(4, '0');
  }
  return out;
}

/** The inverse of encodeKeyPart; null when s is not an encoded string. */
export function decodeKeyPart(s: string): string | null {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch !== '$') {
      if (!/[A-Za-z0-9_-]/.test(ch)) return null;
      out += ch;
      continue;
    }
    const wide = s[i + 1] === 'u';
    const hex = wide ? s.slice(i + 2, i + 6) : s.slice(i + 1, i + 3);
    if (!/^[0-9a-f]+$/.test(hex) || hex.length !== (wide ? 4 : 2)) return null;
    out += String.fromCharCode(parseInt(hex, 16));
    i += wide ? 5 : 2;
  }
  return out;
}

export function recordKey(rid: string): string {
  return RECORD_PREFIX + encodeKeyPart(rid);
}

/** The context key of one reading (idKey, from idKeys()) of an id at a rank. */
export function idContextKey(idKey: string, rank: number): string {
  return ID_PREFIX + rank + '_' + encodeKeyPart(idKey);
}

export interface IdKeyEntry {
  rid: string;
  part: number;
  /** createdAt of the record: the oldest wins a tie, as in memory */
  t: number;
}

export interface StoredRecord extends StoredRecordData {
  v: 1;
  /** the id keys written for this record (deleted with it) */
  keys: string[];
}

/** The id keys of a record's parts, read in the sent form, with what each holds. */
export function idEntriesOf(rec: Pick<SentRecord, 'rid' | 'partIds' | 'createdAt'>, forms: IdFormPair): { key: string; entry: IdKeyEntry }[] {
  const out: { key: string; entry: IdKeyEntry }[] = [];
  rec.partIds.forEach((id, part) => {
    idKeys(id, forms.sent).forEach((k, rank) => {
      out.push({ key: idContextKey(k, rank), entry: { rid: rec.rid, part, t: rec.createdAt } });
    });
    // receipt-decimal / receipt-hex: also by the id's text (see memory-store.ts), after the form's reading
    if (forms.sent !== forms.receipt) {
      for (const k of idKeys(id, 'exact')) out.push({ key: idContextKey(k, 1), entry: { rid: rec.rid, part, t: rec.createdAt } });
    }
  });
  return out;
}

/**
 * What is written for a record: a fresh plain object (stores may keep it by
 * reference). shared: the instance that sent it and whether it waits for the
 * report (instances sharing the store).
 */
export function toStored(rec: SentRecord, keys: string[], shared?: { owner: string; waiter: boolean }): StoredRecord {
  const out: StoredRecord = {
    v: 1,
    rid: rec.rid,
    remembered: { ...rec.remembered },
    partIds: rec.partIds.slice(),
    receipts: rec.receipts.map((r) => (r ? partOutcome(r) : null)),
    createdAt: rec.createdAt,
    expiresAt: rec.expiresAt,
    reported: rec.reported,
    keys,
  };
  if (shared) {
    out.owner = shared.owner;
    out.waiter = shared.waiter;
  }
  return out;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stored record read back, checked; null when the value is not one (foreign or damaged). */
export function fromStored(v: unknown): StoredRecord | null {
  if (!isObj(v) || v.v !== 1) return null;
  const { rid, remembered, partIds, receipts, createdAt, expiresAt, keys, reported, owner, waiter } = v;
  if (typeof rid !== 'string' || !rid || !isObj(remembered)) return null;
  if (!Array.isArray(partIds) || partIds.length === 0 || !partIds.every((p) => typeof p === 'string')) return null;
  if (!Array.isArray(receipts) || !Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) return null;
  if (typeof createdAt !== 'number' || typeof expiresAt !== 'number') return null;
  const parts: (PartOutcome | null)[] = partIds.map((_, i) => {
    const r = receipts[i];
    if (!isObj(r) || typeof r.state !== 'string' || typeof r.final !== 'boolean' || typeof r.delivered !== 'boolean') return null;
    return partOutcome(r as unknown as PartOutcome);
  });
  const out: StoredRecord = { v: 1, rid, remembered, partIds: partIds as string[], receipts: parts, createdAt, expiresAt, reported: reported === true, keys: keys as string[] };
  if (typeof owner === 'string' && owner) {
    out.owner = owner;
    out.waiter = waiter === true;
  }
  return out;
}

/** An id key entry read back, checked; null when it is not one. */
export function idEntryOf(v: unknown): IdKeyEntry | null {
  if (!isObj(v) || typeof v.rid !== 'string' || typeof v.part !== 'number' || typeof v.t !== 'number') return null;
  return { rid: v.rid, part: v.part, t: v.t };
}

/**
 * The context keys a receipt id may have been stored under, with their score
 * (rank of the reading in the receipt id + rank in the sent id; lower is
 * better). maxSentRank: how many readings a sent id can have, minus one.
 */
export function candidateKeys(receiptId: string, forms: IdFormPair): { key: string; score: number }[] {
  const maxSentRank = forms.sent === 'any' ? 1 : 0;
  const out: { key: string; score: number }[] = [];
  idKeys(receiptId, forms.receipt).forEach((k, i) => {
    for (let rank = 0; rank <= maxSentRank; rank++) out.push({ key: idContextKey(k, rank), score: i + rank });
  });
  if (forms.sent !== forms.receipt) {
    for (const k of idKeys(receiptId, 'exact')) out.push({ key: idContextKey(k, 1), score: 2 });
  }
  return out;
}

/** Of the entries found for candidate keys (same order), the best: lowest score, then oldest. */
export function bestEntry(cands: readonly { score: number }[], values: readonly unknown[]): IdKeyEntry | null {
  let best: IdKeyEntry | null = null;
  let bestScore = Infinity;
  cands.forEach((c, i) => {
    const e = idEntryOf(values[i]);
    if (!e) return;
    if (c.score < bestScore || (c.score === bestScore && best !== null && e.t < best.t)) {
      best = e;
      bestScore = c.score;
    }
  });
  return best;
}
