/**
 * The sliding window: requests sent and not yet answered, keyed by sequence
 * number, each with the time it expires. Pure: no timers; the owner asks
 * `expire(now)` when the earliest deadline (`nextDeadline()`) has passed.
 * Every request has the same timeout, so insertion order is expiry order and
 * a Map (iterated in insertion order) keeps both lookup and expiry O(1).
 */
export interface PendingEntry<T> {
  readonly seq: number;
  readonly value: T;
  readonly expiresAt: number;
}

export class PendingWindow<T> {
  private readonly entries = new Map<number, PendingEntry<T>>();

  get size(): number {
    return this.entries.size;
  }

  add(seq: number, value: T, expiresAt: number): void {
    if (this.entries.has(seq)) throw new Error(`sequence number ${seq} is already pending`);
    this.entries.set(seq, { seq, value, expiresAt });
  }

  has(seq: number): boolean {
    return this.entries.has(seq);
  }

  /** The entry waiting under `seq`, left in place (undefined for an unknown sequence). */
  peek(seq: number): T | undefined {
    return this.entries.get(seq)?.value;
  }

  /** Removes and returns the entry answered by a response, or undefined for an unknown sequence. */
  take(seq: number): T | undefined {
    const e = this.entries.get(seq);
    if (!e) return undefined;
    this.entries.delete(seq);
    return e.value;
  }

  /** The earliest expiry, or null when nothing is pending. */
  nextDeadline(): number | null {
    for (const e of this.entries.values()) return e.expiresAt;
    return null;
  }

  /** Removes and returns every entry whose deadline is at or before now, oldest first. */
  expire(now: number): T[] {
    const out: T[] = [];
    for (const e of this.entries.values()) {
      if (e.expiresAt > now) break;
      this.entries.delete(e.seq);
      out.push(e.value);
    }
    return out;
  }

  /** Removes and returns everything (the link dropped). */
  drain(): T[] {
    const out = Array.from(this.entries.values(), (e) => e.value);
    this.entries.clear();
    return out;
  }
}
