/**
 * Events per second over a sliding window (default: the last 10 s), counted
 * in one-second slots in a ring. Time is injected: `now` is read on every
 * call, so tests drive it with a fake clock. Pure: no timers, no I/O.
 *
 * The rate is the count in the slots of the window (the current, partly
 * elapsed slot included) divided by the window's length in seconds.
 */
export class RateMeter {
  private readonly slots: number;
  private readonly counts: number[];
  /** which slot number (floor(t / slotMs)) each ring entry holds now */
  private readonly epochs: number[];

  constructor(
    private readonly now: () => number,
    private readonly windowMs = 10_000,
    private readonly slotMs = 1000,
  ) {
    if (!(slotMs > 0) || !(windowMs >= slotMs) || windowMs % slotMs !== 0) {
      throw new RangeError(`RateMeter: windowMs (${windowMs}) must be a positive multiple of slotMs (${slotMs})`);
    }
    this.slots = windowMs / slotMs;
    this.counts = new Array<number>(this.slots).fill(0);
    this.epochs = new Array<number>(this.slots).fill(-Infinity);
  }

  /** Counts `n` events (default 1) at the current time. */
  mark(n = 1): void {
    const k = Math.floor(this.now() / this.slotMs);
    const i = ((k % this.slots) + this.slots) % this.slots;
    if (this.epochs[i] !== k) {
      this.epochs[i] = k;
      this.counts[i] = 0;
    }
    this.counts[i] += n;
  }

  /** Events in the window now. */
  count(): number {
    const k = Math.floor(this.now() / this.slotMs);
    let sum = 0;
    for (let i = 0; i < this.slots; i++) {
      const e = this.epochs[i];
      if (e <= k && e > k - this.slots) sum += this.counts[i];
    }
    return sum;
  }

  /** Events per second over the window. */
  perSecond(): number {
    return this.count() / (this.windowMs / 1000);
  }
}
