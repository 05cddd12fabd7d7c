import { Clock, TimerHandle } from '../../src/engine/clock';

interface Timer extends TimerHandle {
  at: number;
  fn: () => void;
  seqNo: number;
}

/** A manual clock: timers fire only when the test advances time. */
export class FakeClock implements Clock {
  private t = 1_000_000;
  private timers: Timer[] = [];
  private nextId = 1;

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: Timer = { id: this.nextId, seqNo: this.nextId++, at: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle | null | undefined): void {
    if (!handle) return;
    this.timers = this.timers.filter((x) => x.id !== handle.id);
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by ms, firing due timers in order (including timers they set). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seqNo - b.seqNo);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}
