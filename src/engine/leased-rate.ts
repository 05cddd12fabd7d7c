/**
 * Max Sending Rate shared by several gateways (Node-RED instances on one
 * account): a TokenBucket whose tokens are leased from a bucket they all
 * share (Redis, see nodes/shared/send-rate.ts), a few at a time, so that
 * take() stays synchronous for the engine. Whenever fewer than one lease is
 * left, the next lease is asked for (one request at a time); a lease that
 * fails is asked for again after RETRY_MS, and meanwhile nothing is sent
 * (the delay policy queues, the reject policy fails the message with the
 * lease's error, `unavailable`): N
 * instances never exceed the rate together, and one alone may use all of it.
 * Pure: time is passed in, the lease is an injected callback.
 */
import { TokenBucket } from './token-bucket';

/** Asks the shared bucket for up to `want` tokens; cb with how many were granted (0..want). */
export type LeaseTokens = (want: number, cb: (err: Error | null, granted: number) => void) => void;

const RETRY_MS = 500;

export class LeasedBucket extends TokenBucket {
  /** tokens leased and not spent */
  private leased = 0;
  private pending = false;
  private lastNow: number;
  private retryAt = 0;
  /** tokens per lease: 50 ms of the rate */
  readonly lease: number;
  private readonly interval: number;
  /** leases that failed (the shared store did not answer) */
  failures = 0;
  /** the last lease's error while leases fail (cleared by one that succeeds) */
  private lastError: string | null = null;

  constructor(readonly sharedRate: number, private readonly leaseTokens: LeaseTokens, now: number) {
    super(sharedRate, now);
    this.lastNow = now;
    this.lease = Math.max(1, Math.ceil(sharedRate / 20));
    this.interval = Math.max(1, Math.ceil(1000 / sharedRate));
    // the first lease at once, so that the first message (reject policy) finds a token
    this.askLease(now);
  }

  override take(now: number, n = 1): boolean {
    this.lastNow = now;
    const ok = this.leased >= n;
    if (ok) this.leased -= n;
    this.askLease(now);
    return ok;
  }

  override waitMs(now: number, n = 1): number {
    this.lastNow = now;
    if (this.leased >= n) return 0;
    this.askLease(now);
    return Math.max(this.interval, this.retryAt - now);
  }

  /** While leases fail: why (the reject policy's error says it). */
  override get unavailable(): string | null {
    return this.lastError;
  }

  /** Asks for the next lease when less than one is left and none is on its way. */
  private askLease(now: number): void {
    if (this.pending || this.leased >= this.lease || now < this.retryAt) return;
    this.pending = true;
    let answered = false;
    const done = (err: Error | null, granted: number) => {
      if (answered) return;
      answered = true;
      this.pending = false;
      if (err) {
        this.failures++;
        this.lastError = err.message || String(err);
        this.retryAt = this.lastNow + RETRY_MS;
        return;
      }
      this.lastError = null;
      const got = Math.max(0, Math.floor(granted));
      this.leased += got;
      // none left in the shared bucket: ask again after about one token's time
      if (got === 0) this.retryAt = this.lastNow + this.interval;
    };
    try {
      this.leaseTokens(this.lease, done);
    } catch (e) {
      done(e as Error, 0);
    }
  }
}
