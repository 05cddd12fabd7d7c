/**
 * Reconnect delays: exponential from `min` to a cap of `max`, with "equal
 * jitter" (half fixed, half random) so a fleet of gateways does not reconnect
 * in step. Pure: the random source is injected. `reset()` after a good bind.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly min: number,
    private readonly max: number,
    private readonly random: () => number = Math.random,
  ) {}

  get attempts(): number {
    return this.attempt;
  }

  next(): number {
    const base = Math.min(this.max, this.min * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const half = base / 2;
    return Math.round(half + this.random() * half);
  }

  /** The cap itself, without jitter (a refused login waits this long); later `next()` calls stay at the cap. */
  longest(): number {
    this.attempt = 31;
    return this.max;
  }

  reset(): void {
    this.attempt = 0;
  }
}
