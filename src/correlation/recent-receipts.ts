/**
 * Final receipts already taken, remembered for a while so that the same
 * receipt sent again by the SMSC (its deliver_sm_resp was lost, or came too
 * late for it) is answered but not reported a second time. A receipt is the
 * same when its id has the same text (ignoring case and padding) and its
 * state is the same. Bounded in entries and in time; pure.
 */
import { cleanId } from '../receipt/message-id';

export class RecentReceipts {
  /** key -> when it is forgotten; insertion order = expiry order */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly keepMs = 10 * 60_000,
    private readonly max = 50_000,
  ) {}

  get size(): number {
    return this.seen.size;
  }

  add(id: string, state: string): void {
    const key = keyOf(id, state);
    this.seen.delete(key);
    this.seen.set(key, this.now() + this.keepMs);
    this.trim();
  }

  has(id: string, state: string): boolean {
    const until = this.seen.get(keyOf(id, state));
    return until !== undefined && until > this.now();
  }

  private trim(): void {
    const now = this.now();
    for (const [k, until] of this.seen) {
      if (this.seen.size <= this.max && until > now) break;
      this.seen.delete(k);
    }
  }
}

function keyOf(id: string, state: string): string {
  return cleanId(id).toLowerCase() + '\u0000' + state;
}
