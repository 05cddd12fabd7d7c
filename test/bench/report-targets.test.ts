/**
 * The benchmark report's Targets table: every row is a figure measured in
 * the run (Kannel is measured, and compared, in the side-by-side section;
 * no target row quotes a figure the run did not measure).
 */
import assert from 'node:assert/strict';
import { targets } from './report';
import type { CaseResult } from './jobs';

describe('bench report: targets', () => {
  it('lists only what the run measured: no Kannel row', () => {
    const r = (c: string, rate: number): CaseResult => ({ case: c, count: 1000, wallMs: 1000, rate, p50Ms: 1, p99Ms: 2, cpuMs: null, peakRssMb: 1, extra: {} }) as unknown as CaseResult;
    const ts = targets([r('raw-naive', 5000), r('node-send', 30000), r('node-dlr', 10000), r('node-mo', 25000)]);
    assert.deepEqual(ts.map((t) => t.what), ['smpp-send >= 25,000 submit_sm/s', 'smpp-send above the naive raw client', 'receipts matched on smpp-dlr >= 9,000/s', 'MO through smpp-receive >= 20,000/s']);
    assert.ok(ts.every((t) => !/Kannel|not measured/.test(t.what)));
  });
});
