/**
 * A rate limit of `rate` tokens a second with a burst of one second's worth.
 * Pure: the caller passes the time. `take(now, n)` spends n tokens when they
 * are there; `waitMs(now, n)` says how long until they will be.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly rate: number, now: number) {
    this.tokens = rate;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) * this.rate) / 1000);
      this.last = now;
    }
  }

  take(now: number, n = 1): boolean {
    this.refill(now);
    if (this.tokens >= n || (n > this.rate && this.tokens >= this.rate)) {
      this.tokens -= n;
      return true;
    }
    return false;
  }

  /** Why no token can be had beyond the rate itself (a shared bucket that cannot be reached), or null. */
  get unavailable(): string | null {
    return null;
  }

  waitMs(now: number, n = 1): number {
    this.refill(now);
    const need = Math.min(n, this.rate) - this.tokens;
    return need <= 0 ? 0 : Math.ceil((need * 1000) / this.rate);
  }
}
