/**
 * What smpp-send remembers about each accepted message until its delivery
 * receipts arrive: bounded in entries, each with a time to live. Expired and
 * evicted entries are counted, never dropped in silence. Receipt ids are
 * matched in any of their forms (see receipt/message-id.ts).
 */
import { IdForm, MessageIdIndex, Receipt, sameMessageId } from '../receipt';

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
    while (this.records.size >= this.maxEntries) {
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
    let part = record.partIds.findIndex((p) => sameMessageId(p, id, this.form));
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
