/**
 * Final receipts that were held for the grace period and then reported
 * unmatched, kept a while in case the submit_sm_resp they were ahead of still
 * comes: that message then takes the outcome at once (its send-and-wait
 * waiter gets it) instead of waiting its whole time to live for a receipt
 * already consumed. Matched only by the primary reading of each id (and, with
 * a pair of forms, by the same text): never by the weaker secondary readings
 * of 'auto', so an unrelated message cannot take a stranger's outcome.
 * Bounded in entries and time; pure.
 */
import { cleanId, IdFormPair, idKeys } from '../receipt/message-id';

interface Late<T> {
  keys: string[];
  value: T;
  until: number;
}

export class LateReceipts<T> {
  private readonly byKey = new Map<string, Late<T>[]>();
  /** insertion order = expiry order */
  private readonly all = new Set<Late<T>>();

  constructor(
    private readonly forms: IdFormPair,
    private readonly now: () => number,
    private readonly keepMs = 10 * 60_000,
    private readonly max = 10_000,
  ) {}

  get size(): number {
    return this.all.size;
  }

  add(receiptId: string, value: T): void {
    const keys = this.keysOf(receiptId, this.forms.receipt);
    if (keys.length === 0) return;
    const late: Late<T> = { keys, value, until: this.now() + this.keepMs };
    this.all.add(late);
    for (const k of keys) {
      const list = this.byKey.get(k);
      if (list) list.push(late);
      else this.byKey.set(k, [late]);
    }
    this.trim();
  }

  /** Takes every kept receipt for this sent id (oldest first). */
  take(sentId: string): T[] {
    this.trim();
    const out: Late<T>[] = [];
    for (const k of this.keysOf(sentId, this.forms.sent)) {
      for (const l of this.byKey.get(k) ?? []) if (!out.includes(l)) out.push(l);
    }
    for (const l of out) this.drop(l);
    return out.map((l) => l.value);
  }

  private keysOf(id: string, form: IdFormPair['sent']): string[] {
    const primary = idKeys(id, form).slice(0, 1);
    if (this.forms.sent !== this.forms.receipt) {
      const text = cleanId(id).toLowerCase();
      if (text) primary.push('t:' + text);
    }
    return primary;
  }

  private trim(): void {
    const now = this.now();
    for (const l of this.all) {
      if (this.all.size <= this.max && l.until > now) break;
      this.drop(l);
    }
  }

  private drop(l: Late<T>): void {
    if (!this.all.delete(l)) return;
    for (const k of l.keys) {
      const list = this.byKey.get(k);
      if (!list) continue;
      const i = list.indexOf(l);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.byKey.delete(k);
    }
  }
}
