/**
 * Time as the correlation sees it, injected: the gateway gives Date.now and
 * real timers, a unit test a clock it moves by hand. after() returns a cancel
 * function; its timers must not keep the process alive.
 */
export interface CorrelationClock {
  now(): number;
  after(ms: number, fn: () => void): () => void;
}
