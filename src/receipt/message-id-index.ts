/**
 * An index from message id to a value (typically the record of a submitted
 * message awaiting its receipt) that matches ids across forms with idKeys().
 *
 * Why not a plain Map<key, value>: in form 'any' one key can belong to two
 * messages ("10" is stored under n:10 and n:16, "16" under n:16 and n:22), and
 * the later one would overwrite the earlier. Here every key keeps all its
 * entries with the rank of the key for that entry (0 = the id's primary
 * reading), and a lookup picks the entry with the lowest
 *   (rank of the key in the looked-up id) + (rank of the key in the stored id),
 * the oldest entry on a tie. So a receipt "16" finds the message "16"
 * (0 + 0) rather than "10" (0 + 1), and a receipt "a" finds "10" (0 + 0).
 *
 * With a pair of forms, add() and remove() read ids in the sent form and
 * find() and take() in the receipt form.
 *
 * Pure data structure; no timers (expiry is the caller's job: remove()).
 */
import { formPair, IdForm, IdFormPair, idKeys } from './message-id';

interface Entry<T> {
  value: T;
  keys: string[];
  seq: number;
}

interface Slot<T> {
  entry: Entry<T>;
  rank: number;
}

export class MessageIdIndex<T> {
  private readonly byKey = new Map<string, Slot<T>[]>();
  private count = 0;
  private seq = 0;

  readonly forms: IdFormPair;

  constructor(form: IdForm | IdFormPair = 'any') {
    this.forms = formPair(form);
  }

  /** Number of stored entries. */
  get size(): number {
    return this.count;
  }

  /** Stores value under id. Returns false (and stores nothing) for an empty id. */
  add(id: string, value: T): boolean {
    const keys = idKeys(id, this.forms.sent);
    if (keys.length === 0) return false;
    const entry: Entry<T> = { value, keys, seq: this.seq++ };
    keys.forEach((key, rank) => {
      const slots = this.byKey.get(key);
      if (slots) slots.push({ entry, rank });
      else this.byKey.set(key, [{ entry, rank }]);
    });
    this.count++;
    return true;
  }

  /** The value whose id best matches id (see the module comment), or undefined. */
  find(id: string): T | undefined {
    const e = this.best(id);
    return e ? e.value : undefined;
  }

  /** Like find(), and removes the entry found. */
  take(id: string): T | undefined {
    const e = this.best(id);
    if (!e) return undefined;
    this.drop(e);
    return e.value;
  }

  /** Removes the oldest entry stored with exactly this id's keys and this value. */
  remove(id: string, value: T): boolean {
    const keys = idKeys(id, this.forms.sent);
    if (keys.length === 0) return false;
    const slots = this.byKey.get(keys[0]);
    if (!slots) return false;
    for (const s of slots) {
      if (s.rank === 0 && s.entry.value === value) {
        this.drop(s.entry);
        return true;
      }
    }
    return false;
  }

  clear(): void {
    this.byKey.clear();
    this.count = 0;
  }

  private best(id: string): Entry<T> | undefined {
    const keys = idKeys(id, this.forms.receipt);
    let best: Entry<T> | undefined;
    let bestScore = Infinity;
    for (let i = 0; i < keys.length; i++) {
      const slots = this.byKey.get(keys[i]);
      if (!slots) continue;
      for (const s of slots) {
        const score = i + s.rank;
        if (score < bestScore || (score === bestScore && best !== undefined && s.entry.seq < best.seq)) {
          best = s.entry;
          bestScore = score;
        }
      }
    }
    return best;
  }

  private drop(entry: Entry<T>): void {
    for (const key of entry.keys) {
      const slots = this.byKey.get(key);
      if (!slots) continue;
      const i = slots.findIndex((s) => s.entry === entry);
      if (i >= 0) slots.splice(i, 1);
      if (slots.length === 0) this.byKey.delete(key);
    }
    this.count--;
  }
}
