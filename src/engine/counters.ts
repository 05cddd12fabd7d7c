/** The engine's counters (engine-api.ts Counters): a zeroed set, and adding one set into another (a pool's total). */
import type { Counters } from './engine-api';

export function zeroCounters(): Counters {
  return {
    submitted: 0, accepted: 0, failed: 0, failedByStatus: {}, resent: 0, throttledResponses: 0, inbound: 0, inboundThrottled: 0,
    reconnects: 0, binds: 0, errorPackets: 0, tlsRefused: 0, outbindAccepted: 0, outbindRefused: 0, receipts: 0, mos: 0,
  };
}

export function addCounters(into: Counters, from: Counters): void {
  for (const key of Object.keys(from) as (keyof Counters)[]) {
    if (key === 'failedByStatus') {
      for (const [status, n] of Object.entries(from.failedByStatus)) into.failedByStatus[status] = (into.failedByStatus[status] ?? 0) + n;
    } else {
      into[key] += from[key];
    }
  }
}
