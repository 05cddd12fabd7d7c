/**
 * What smpp-send remembers about each accepted message until its delivery
 * receipts arrive, in memory: the synchronous fast path of the correlation.
 * Bounded in entries, each with a time to live. Expired and evicted entries
 * are counted, never dropped in silence. Receipt ids are matched in any of
 * their forms, or in the pair of forms the gateway fixes (see
 * receipt/message-id.ts and correlation/id-form.ts).
 *
 * A persistent copy (nodes/correlation-context.ts) hangs off onRemove and
 * adopt(): every record leaving memory is reported once with the reason, and
 * a record read back from the persistent store after a restart is adopted
 * under its original record id. Pure: no timers, no I/O.
 */
import { formPair, IdForm, IdFormPair, idKeys, MessageIdIndex } from '../receipt';
import { cleanId } from '../receipt/message-id';
import type { PartOutcome } from './fold-receipts';

export interface SentRecord {
  /** record id, unique across restarts when a ridPrefix is given */
  readonly rid: string;
  /** msg properties the flow needs to continue (correlationId, topic, to, _msgid, ...) */
  readonly remembered: Record<string, unknown>;
  /** the SMSC's id of each part, in order */
  readonly partIds: string[];
  /** the receipt of each part so far */
  readonly receipts: (PartOutcome | null)[];
  readonly createdAt: number;
  /** createdAt + time to live: from then on the record is expired */
  readonly expiresAt: number;
  /**
   * multipart: the message's outcome is already out (a part failed); the
   * record stays until every part has its final receipt, so that the other
   * parts' receipts are taken as part of it rather than reported unmatched
   */
  reported: boolean;
  /** parts whose submit_sm_resp has not come yet (open(): all of them; the matcher counts down) */
  unanswered: number;
  /**
   * instances sharing the store (shareInstances): the instance that sent the
   * message (its rid prefix) and whether it holds a send-and-wait waiter for
   * it; read back with a record another instance wrote (absent: this one's)
   */
  owner?: string;
  waiter?: boolean;
}

/** A record as a persistent store gives it back. */
export type StoredRecordData = Pick<SentRecord, 'rid' | 'remembered' | 'partIds' | 'receipts' | 'createdAt' | 'expiresAt'> & { reported?: boolean; owner?: string; waiter?: boolean };

export interface CorrelationCounters {
  /** records remembered by this process */
  stored: number;
  /** receipts matched to a record */
  matched: number;
  /** records forgotten at the end of their time to live */
  expired: number;
  /** records forgotten because the bound on entries was reached */
  evicted: number;
  /** records read back from the context store (after a restart or a redeploy) */
  restored: number;
  /** failed reads or writes of the context store */
  storeErrors: number;
}

/** Why a record left the store: the caller (removed), its outcome reported in full (finished), its TTL, the bound. */
export type RemoveReason = 'removed' | 'finished' | 'expired' | 'evicted';

export interface CorrelationStoreOptions {
  /** prefix of record ids (make it unique per process when records are persisted) */
  ridPrefix?: string;
}

export class CorrelationStore {
  private readonly index: MessageIdIndex<SentRecord>;
  /**
   * receipt-decimal / receipt-hex: ids also matched by their text (ignoring
   * case), for SMSCs that write the id in the receipt as they answered it;
   * null in the forms where one reading already covers that
   */
  private readonly sameText: MessageIdIndex<SentRecord> | null;
  /** by record id, in insertion order (oldest first) */
  private readonly records = new Map<string, SentRecord>();
  readonly forms: IdFormPair;
  private readonly ridPrefix: string;
  private seq = 0;
  readonly counters: CorrelationCounters = { stored: 0, matched: 0, expired: 0, evicted: 0, restored: 0, storeErrors: 0 };
  /** Called once for every record that leaves the store, with the reason. */
  onRemove: ((record: SentRecord, why: RemoveReason) => void) | null = null;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number,
    form: IdForm | IdFormPair = 'any',
    options: CorrelationStoreOptions = {},
  ) {
    this.forms = formPair(form);
    this.index = new MessageIdIndex<SentRecord>(this.forms);
    this.sameText = this.forms.sent !== this.forms.receipt ? new MessageIdIndex<SentRecord>('exact') : null;
    this.ridPrefix = options.ridPrefix ?? '';
  }

  get size(): number {
    return this.records.size;
  }

  add(partIds: string[], remembered: Record<string, unknown>): SentRecord {
    const now = this.now();
    const rec: SentRecord = {
      rid: this.ridPrefix + (this.seq++).toString(36),
      remembered,
      partIds,
      receipts: partIds.map(() => null),
      createdAt: now,
      expiresAt: now + this.ttlMs,
      reported: false,
      unanswered: 0,
    };
    this.insert(rec);
    this.counters.stored++;
    return rec;
  }

  /**
   * A record for a message whose parts are being submitted: no part id yet;
   * each comes with setPartId() when its own submit_sm_resp arrives.
   */
  open(parts: number, remembered: Record<string, unknown>): SentRecord {
    const rec = this.add(new Array<string>(Math.max(1, parts)).fill(''), remembered);
    rec.unanswered = rec.partIds.length;
    return rec;
  }

  /** A part's id, from its submit_sm_resp: from now on its receipts match. False when the record is gone. */
  setPartId(record: SentRecord, part: number, id: string): boolean {
    if (this.records.get(record.rid) !== record || part < 0 || part >= record.partIds.length) return false;
    const old = record.partIds[part];
    if (old) this.unindex(old, record);
    record.partIds[part] = id;
    this.indexId(id, record);
    return true;
  }

  /**
   * Takes in a record read back from a persistent store, under its own record
   * id (the one already in memory when it was adopted before). Its receipts
   * are copied; the caller counts it (restored).
   */
  adopt(data: StoredRecordData): SentRecord {
    const had = this.records.get(data.rid);
    if (had) return had;
    const rec = this.detached(data);
    this.insert(rec);
    return rec;
  }

  /**
   * A record read back from a store shared with other instances, NOT taken
   * into memory: used for the one receipt being handled (this instance keeps
   * only the records it sent).
   */
  detached(data: StoredRecordData): SentRecord {
    const rec: SentRecord = {
      rid: data.rid,
      remembered: data.remembered,
      partIds: data.partIds.slice(),
      receipts: data.partIds.map((_, i) => data.receipts[i] ?? null),
      createdAt: data.createdAt,
      expiresAt: data.expiresAt,
      reported: data.reported === true,
      unanswered: 0,
    };
    if (data.owner !== undefined) rec.owner = data.owner;
    if (data.waiter !== undefined) rec.waiter = data.waiter;
    return rec;
  }

  /** Every record in memory, oldest first. */
  values(): IterableIterator<SentRecord> {
    return this.records.values();
  }

  /** The record with this record id, if it is in memory. */
  byRid(rid: string): SentRecord | undefined {
    return this.records.get(rid);
  }

  /** The record a receipt id belongs to, and which part it is. */
  find(id: string): { record: SentRecord; part: number } | undefined {
    const record = this.index.find(id) ?? this.sameText?.find(id);
    if (!record) return undefined;
    if (record.expiresAt <= this.now()) {
      this.drop(record, 'expired');
      return undefined;
    }
    let part = bestPart(record.partIds, id, this.forms);
    if (part < 0) part = record.receipts.findIndex((r) => r === null);
    this.counters.matched++;
    return { record, part: Math.max(0, part) };
  }

  /** Forgets a record (its outcome is reported in full: finished; or the caller stopped waiting). Not counted. */
  remove(record: SentRecord, why: 'removed' | 'finished' = 'removed'): void {
    this.take(record, why);
  }

  /** Forgets a record because it expired or was evicted, and counts it. */
  drop(record: SentRecord, why: 'expired' | 'evicted'): void {
    if (this.take(record, why)) this.counters[why]++;
  }

  /** Drops entries past their time to live, oldest first; returns how many. */
  sweep(): number {
    const now = this.now();
    let n = 0;
    for (const rec of this.records.values()) {
      if (rec.expiresAt > now) break;
      this.drop(rec, 'expired');
      n++;
    }
    return n;
  }

  private insert(rec: SentRecord): void {
    this.sweep();
    // size > 0: a bound under 1 must not spin on an empty store
    while (this.records.size > 0 && this.records.size >= this.maxEntries) {
      const oldest = this.records.values().next().value as SentRecord;
      this.drop(oldest, 'evicted');
    }
    this.records.set(rec.rid, rec);
    for (const id of rec.partIds) this.indexId(id, rec);
  }

  private indexId(id: string, rec: SentRecord): void {
    if (!id) return;
    this.index.add(id, rec);
    this.sameText?.add(id, rec);
  }

  private unindex(id: string, rec: SentRecord): void {
    if (!id) return;
    this.index.remove(id, rec);
    this.sameText?.remove(id, rec);
  }

  private take(record: SentRecord, why: RemoveReason): boolean {
    if (this.records.get(record.rid) !== record) return false;
    this.records.delete(record.rid);
    for (const id of record.partIds) this.unindex(id, record);
    if (this.onRemove) this.onRemove(record, why);
    return true;
  }
}

/**
 * The part whose id best matches id, ranked as MessageIdIndex ranks records
 * (rank of the shared key in each id, summed; the first part on a tie), so
 * that in form 'any' a receipt "16" is part "16", not part "10" read as hex.
 * -1 when no part matches.
 */
function bestPart(partIds: readonly string[], id: string, forms: IdFormPair): number {
  if (partIds.length === 1) return 0;
  const wanted = idKeys(id, forms.receipt);
  let best = -1;
  let bestScore = Infinity;
  partIds.forEach((p, i) => {
    idKeys(p, forms.sent).forEach((k, rank) => {
      const j = wanted.indexOf(k);
      if (j >= 0 && rank + j < bestScore) {
        bestScore = rank + j;
        best = i;
      }
    });
  });
  if (best < 0 && forms.sent !== forms.receipt) {
    // receipt-decimal / receipt-hex: the same text as the submit_sm_resp id
    const text = cleanId(id).toLowerCase();
    best = partIds.findIndex((p) => p !== '' && cleanId(p).toLowerCase() === text);
  }
  return best;
}
