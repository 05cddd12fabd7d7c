/**
 * Receipts held for a grace period: a receipt that matches nothing while some
 * sent message still waits for its submit_sm_resp may be ahead of that
 * response (SMSCs that fail a bad number at once send the receipt first).
 * It is held until a response brings its id (take) or the grace period ends
 * (expire), whichever comes first; the caller holds the SMSC's answer with it.
 *
 * Held receipts are indexed by their id read in the receipt form, looked up
 * with a sent id read in the sent form (the reverse of the sent index), and,
 * with receipt-decimal / receipt-hex, also by the same text. Pure: time comes
 * from the injected clock.
 */
import { MessageIdIndex } from '../receipt';
import type { IdFormPair } from '../receipt/message-id';
import type { CorrelationClock } from './clock';

export interface Held {
  readonly id: string;
  /** the response it waited for came: the caller matches it now */
  readonly matched: () => void;
  /** the grace period ended (or nothing can match it any more) */
  readonly expired: () => void;
  cancel: () => void;
}

export class HeldReceipts {
  private readonly index: MessageIdIndex<Held>;
  private readonly sameText: MessageIdIndex<Held> | null;
  private readonly all = new Set<Held>();

  constructor(
    forms: IdFormPair,
    private readonly clock: CorrelationClock,
    private readonly graceMs: number,
    private readonly max = 10_000,
  ) {
    this.index = new MessageIdIndex<Held>({ sent: forms.receipt, receipt: forms.sent });
    this.sameText = forms.sent !== forms.receipt ? new MessageIdIndex<Held>('exact') : null;
  }

  get size(): number {
    return this.all.size;
  }

  /** Holds a receipt; false (nothing held) when holding is off, the id is empty or the bound is reached. */
  hold(id: string, matched: () => void, expired: () => void): boolean {
    if (this.graceMs <= 0 || this.all.size >= this.max) return false;
    const held: Held = { id, matched, expired, cancel: () => undefined };
    if (!this.index.add(id, held)) return false;
    this.sameText?.add(id, held);
    this.all.add(held);
    held.cancel = this.clock.after(this.graceMs, () => {
      if (this.drop(held)) held.expired();
    });
    return true;
  }

  /** Takes every receipt held for this sent id (the index gives the oldest first on a tie), timers stopped. */
  take(sentId: string): Held[] {
    const out: Held[] = [];
    for (;;) {
      const h = this.index.find(sentId) ?? this.sameText?.find(sentId);
      if (!h || !this.drop(h)) break;
      h.cancel();
      out.push(h);
    }
    return out;
  }

  /** Ends every hold now (nothing can match them any more, or closing): their expired() runs. */
  expireAll(): void {
    for (const h of Array.from(this.all)) {
      this.drop(h);
      h.cancel();
      h.expired();
    }
  }

  private drop(h: Held): boolean {
    if (!this.all.delete(h)) return false;
    this.index.remove(h.id, h);
    this.sameText?.remove(h.id, h);
    return true;
  }
}
