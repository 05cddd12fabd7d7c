/**
 * One Max Sending Rate for several links, taken in turn. Each link's engine
 * gets a TokenBucket view (`forLink`) over one shared bucket. With the delay
 * policy an engine that finds the bucket empty retries on a timer; with a
 * plain shared bucket the engine whose timer fires first would win every
 * token and another link's queue could wait as long as the load lasts. Here
 * a link that has waited longer (and still asks) goes first; a link that
 * stopped asking (it dropped, or pauses for a throttle answer) is forgotten
 * after two token intervals. Pure: time is passed in.
 */
import { TokenBucket } from './token-bucket';

interface Waiter {
  /** when it first found no token (since its last take) */
  since: number;
  /** when it last asked */
  askedAt: number;
}

export class SharedRate {
  private readonly core: TokenBucket;
  /** ms between two tokens */
  private readonly interval: number;
  private readonly waiting = new Map<number, Waiter>();

  constructor(readonly rate: number, now: number) {
    this.core = new TokenBucket(rate, now);
    this.interval = Math.max(1, Math.ceil(1000 / rate));
  }

  /** The bucket link `index` takes its tokens from. */
  forLink(index: number): TokenBucket {
    return new LinkShare(this, index, this.rate, 0);
  }

  take(index: number, now: number, n = 1): boolean {
    if (!this.othersFirst(index, now) && this.core.take(now, n)) {
      this.waiting.delete(index);
      return true;
    }
    const w = this.waiting.get(index);
    if (w) w.askedAt = now;
    else this.waiting.set(index, { since: now, askedAt: now });
    return false;
  }

  waitMs(index: number, now: number, n = 1): number {
    const wait = this.core.waitMs(now, n);
    // a link that must let another go first comes back after that one's token
    return this.othersFirst(index, now) ? Math.max(wait, this.interval) : wait;
  }

  /** Whether another link has waited longer than `index` and still asks. */
  private othersFirst(index: number, now: number): boolean {
    const mine = this.waiting.get(index)?.since ?? now;
    const staleAfter = 2 * this.interval + 100;
    let first = false;
    for (const [j, w] of this.waiting) {
      if (j === index) continue;
      if (now - w.askedAt > staleAfter) this.waiting.delete(j);
      else if (w.since < mine) first = true;
    }
    return first;
  }
}

/** A TokenBucket as one link sees the shared one (LinkSupervisor takes a TokenBucket through EngineDeps). */
class LinkShare extends TokenBucket {
  constructor(private readonly shared: SharedRate, private readonly index: number, rate: number, now: number) {
    super(rate, now);
  }

  override take(now: number, n = 1): boolean {
    return this.shared.take(this.index, now, n);
  }

  override waitMs(now: number, n = 1): number {
    return this.shared.waitMs(this.index, now, n);
  }
}
