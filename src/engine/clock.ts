/** Time, injected: the engine never calls Date.now or setTimeout directly, so tests run instantly. */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | null | undefined): void;
}

class RealTimer implements TimerHandle {
  constructor(readonly id: number, readonly t: NodeJS.Timeout) {}
}

let nextId = 1;

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref?.();
    return new RealTimer(nextId++, t);
  },
  clearTimeout(handle) {
    if (handle instanceof RealTimer) clearTimeout(handle.t);
  },
};
