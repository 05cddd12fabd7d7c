/**
 * Final receipts already taken, remembered for a while so that the same
 * receipt sent again by the SMSC (its deliver_sm_resp was lost, or came too
 * late for it) is answered but not reported a second time. A receipt is the
 * same when its id has the same text (ignoring case; receipt ids come
 * trimmed) and its state is the same (one state kept per id: the latest).
 * Bounded in entries and in time; pure.
 *
 * Kept lean, as every final receipt passes here: a Map from id to state, and
 * the expiry order as two plain arrays with a moving head (deleting the
 * oldest entries of a Map over and over leaves holes that every later walk
 * from its start must skip).
 */
export class RecentReceipts {
  private readonly seen = new Map<string, string>();
  private keys: string[] = [];
  private untils: number[] = [];
  private head = 0;

  constructor(
    private readonly now: () => number,
    private readonly keepMs = 10 * 60_000,
    private readonly max = 50_000,
  ) {}

  get size(): number {
    return this.seen.size;
  }

  add(id: string, state: string): void {
    const now = this.now();
    const key = id.toLowerCase();
    this.seen.set(key, state);
    this.keys.push(key);
    this.untils.push(now + this.keepMs);
    this.trim(now);
  }

  has(id: string, state: string): boolean {
    if (this.seen.size === 0) return false;
    this.trim(this.now());
    return this.seen.get(id.toLowerCase()) === state;
  }

  private trim(now: number): void {
    const n = this.keys.length;
    while (this.head < n && (this.seen.size > this.max || this.untils[this.head] <= now)) {
      // (an id taken again later leaves with its first entry: its window is then shorter, never longer)
      this.seen.delete(this.keys[this.head]);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > n) {
      this.keys = this.keys.slice(this.head);
      this.untils = this.untils.slice(this.head);
      this.head = 0;
    }
  }
}
