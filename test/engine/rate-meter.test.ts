import assert from 'node:assert/strict';
import { RateMeter } from '../../src/engine/rate-meter';

/** One step of a table: at time `at` (ms), mark `mark` events (if given), then expect `count` and `rate`. */
interface Step {
  at: number;
  mark?: number;
  count: number;
  rate: number;
}

function run(steps: Step[], windowMs?: number, slotMs?: number): void {
  let t = 0;
  const m = new RateMeter(() => t, windowMs, slotMs);
  for (const s of steps) {
    t = s.at;
    if (s.mark !== undefined) m.mark(s.mark);
    assert.equal(m.count(), s.count, `count at ${s.at} ms`);
    assert.equal(m.perSecond(), s.rate, `rate at ${s.at} ms`);
  }
}

describe('RateMeter (events per second over the last 10 s)', () => {
  const cases: { name: string; steps: Step[]; windowMs?: number; slotMs?: number }[] = [
    { name: 'nothing counted', steps: [{ at: 0, count: 0, rate: 0 }, { at: 50_000, count: 0, rate: 0 }] },
    {
      name: 'events in one second stay in the window for 10 s, then leave',
      steps: [
        { at: 1000, mark: 5, count: 5, rate: 0.5 },
        { at: 1999, mark: 5, count: 10, rate: 1 },
        { at: 10_999, count: 10, rate: 1 },
        { at: 11_000, count: 0, rate: 0 },
      ],
    },
    {
      name: 'a steady 3 per second reads 3/s once the window is full',
      steps: Array.from({ length: 15 }, (_, i): Step => ({ at: i * 1000 + 500, mark: 3, count: Math.min(i + 1, 10) * 3, rate: (Math.min(i + 1, 10) * 3) / 10 })),
    },
    {
      name: 'a slot reused after the ring wraps starts from zero',
      steps: [
        { at: 2000, mark: 7, count: 7, rate: 0.7 },
        { at: 12_000, mark: 1, count: 1, rate: 0.1 },
        { at: 12_500, mark: 1, count: 2, rate: 0.2 },
      ],
    },
    {
      name: 'a long silence forgets everything',
      steps: [
        { at: 0, mark: 100, count: 100, rate: 10 },
        { at: 3_600_000, count: 0, rate: 0 },
        { at: 3_600_001, mark: 1, count: 1, rate: 0.1 },
      ],
    },
    {
      name: 'other window and slot sizes: 2 s in 500 ms slots',
      windowMs: 2000,
      slotMs: 500,
      steps: [
        { at: 0, mark: 4, count: 4, rate: 2 },
        { at: 1999, count: 4, rate: 2 },
        { at: 2000, count: 0, rate: 0 },
      ],
    },
  ];
  for (const c of cases) it(c.name, () => run(c.steps, c.windowMs, c.slotMs));

  it('mark() without a count adds one', () => {
    let t = 5000;
    const m = new RateMeter(() => t);
    m.mark();
    m.mark();
    assert.equal(m.count(), 2);
    t += 10_000;
    assert.equal(m.count(), 0);
  });

  it('refuses a window that is not a whole number of slots', () => {
    assert.throws(() => new RateMeter(() => 0, 2500, 1000), RangeError);
    assert.throws(() => new RateMeter(() => 0, 1000, 0), RangeError);
  });
});
