/**
 * What smpp-send remembers about each accepted message until its delivery
 * receipts arrive: bounded in entries, each with a time to live. Expired and
 * evicted entries are counted, never dropped in silence. Receipt ids are
 * matched in any of their forms (see receipt/message-id.ts).
 */
import { IdForm, idKeys, MessageIdIndex, Receipt } from '../receipt';

export interface SentRecord {
  /** msg properties the flow needs to continue (correlationId, topic, to, _msgid, ...) */
  readonly remembered: Record<string, unknown>;
  /** the SMSC's id of each part, in order */
  readonly partIds: string[];
  /** the receipt of each part so far */
  readonly receipts: (Receipt | null)[];
  readonly createdAt: number;
}

export interface CorrelationCounters {
  stored: number;
  matched: number;
  expired: number;
  evicted: number;
}

export class CorrelationStore {
  private readonly index: MessageIdIndex<SentRecord>;
  private readonly records = new Set<SentRecord>();
  readonly counters: CorrelationCounters = { stored: 0, matched: 0, expired: 0, evicted: 0 };

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number,
    private readonly form: IdForm = 'any',
  ) {
    this.index = new MessageIdIndex<SentRecord>(form);
  }

  get size(): number {
    return this.records.size;
  }

  add(partIds: string[], remembered: Record<string, unknown>): SentRecord {
    this.sweep();
    // size > 0: a bound under 1 must not spin on an empty store
    while (this.records.size > 0 && this.records.size >= this.maxEntries) {
      const oldest = this.records.values().next().value as SentRecord;
      this.remove(oldest);
      this.counters.evicted++;
    }
    const rec: SentRecord = { remembered, partIds, receipts: partIds.map(() => null), createdAt: this.now() };
    this.records.add(rec);
    for (const id of partIds) this.index.add(id, rec);
    this.counters.stored++;
    return rec;
  }

  /** The record a receipt id belongs to, and which part it is. */
  find(id: string): { record: SentRecord; part: number } | undefined {
    const record = this.index.find(id);
    if (!record) return undefined;
    if (record.createdAt + this.ttlMs <= this.now()) {
      this.remove(record);
      this.counters.expired++;
      return undefined;
    }
    let part = bestPart(record.partIds, id, this.form);
    if (part < 0) part = record.receipts.findIndex((r) => r === null);
    this.counters.matched++;
    return { record, part: Math.max(0, part) };
  }

  remove(record: SentRecord): void {
    if (!this.records.delete(record)) return;
    for (const id of record.partIds) this.index.remove(id, record);
  }

  /** Drops entries past their time to live, oldest first; returns how many. */
  sweep(): number {
    const limit = this.now() - this.ttlMs;
    let n = 0;
    for (const rec of this.records) {
      if (rec.createdAt > limit) break;
      this.remove(rec);
      n++;
    }
    this.counters.expired += n;
    return n;
  }
}

/**
 * The part whose id best matches id, ranked as MessageIdIndex ranks records
 * (rank of the shared key in each id, summed; the first part on a tie), so
 * that in form 'any' a receipt "16" is part "16", not part "10" read as hex.
 * -1 when no part matches.
 */
function bestPart(partIds: readonly string[], id: string, form: IdForm): number {
  const wanted = idKeys(id, form);
  let best = -1;
  let bestScore = Infinity;
  partIds.forEach((p, i) => {
    idKeys(p, form).forEach((k, rank) => {
      const j = wanted.indexOf(k);
      if (j >= 0 && rank + j < bestScore) {
        bestScore = rank + j;
        best = i;
      }
    });
  });
  return best;
}
