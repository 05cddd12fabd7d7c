/**
 * Memory per pending correlation: what smpp-send remembers for each accepted
 * message (through the matcher's expect() and accepted(), into the memory store) while
 * its receipt is pending, measured as heap growth after full GCs
 * (node --expose-gc) at `count` pending entries.
 */
import { CorrelationStore } from '../../src/correlation/memory-store';
import { MessageIdGenerator } from '../../src/simulator/message-ids';
import { ReceiptMatcher } from '../../src/correlation/matcher';
import { rememberedOf } from '../../src/correlation/remembered';
import { realClock } from '../../nodes/correlation-context';
import type { CaseResult, Job } from './jobs';
import { peakRssMb, startUsage } from './measure';
import { BENCH_TO } from './raw-client';

function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the memory case needs node --expose-gc');
  gc();
  gc();
}

let nextMsgId = 0x10000000;
/** A msg as it leaves smpp-send (fresh strings, as each message brings its own). */
function sentMsg(i: number): Record<string, unknown> {
  return { _msgid: (nextMsgId++).toString(16) + 'c0ffee12', payload: 'Benchmark message', to: `+4670${String(1000000 + i)}`, correlationId: `order-${i}` };
}

export async function runMemory(job: Job): Promise<CaseResult> {
  const store = new CorrelationStore(72 * 3600 * 1000, 10_000_000, Date.now);
  const matcher = new ReceiptMatcher(store, null, { clock: realClock, graceMs: 3000, acceptedIsFinal: false });
  const ids = new MessageIdGenerator('hex');
  const usage = startUsage();
  fullGc();
  const before = process.memoryUsage();
  for (let i = 0; i < job.count; i++) {
    const rec = matcher.expect(1, rememberedOf(sentMsg(i), [], 1));
    matcher.accepted(rec, 0, ids.next());
  }
  fullGc();
  const after = process.memoryUsage();
  const u = usage.stop();
  if (store.size !== job.count) throw new Error(`the store holds ${store.size}, not ${job.count}`);
  const bytesPerEntry = (after.heapUsed + after.external - before.heapUsed - before.external) / job.count;
  return {
    case: 'memory', count: job.count, wallMs: u.wallMs, rate: (job.count / u.wallMs) * 1000, p50Ms: null, p99Ms: null,
    cpuMs: u.cpuMs, peakRssMb: peakRssMb(),
    extra: { bytesPerEntry, heapBeforeMb: before.heapUsed / 1048576, heapAfterMb: after.heapUsed / 1048576, pending: store.size, id: ids.next(), to: BENCH_TO },
  };
}
