/**
 * The simulator as a store-and-forward SMSC for MOs: each MO is sent until the
 * ESME acknowledges it (ESME_ROK). Throttled (ESME_RTHROTTLED, ESME_RMSGQFUL)
 * or temporary failures (ESME_RX_T_APPN, ESME_RSYSERR), no answer in time,
 * the session closing before the answer, or no receiver bound at all: the MO
 * is sent again, and sending pauses for `retryMs` first (as an SMSC backs off
 * an ESME that throttles it). Any other status is final (counted failed).
 * At most `window` MOs wait for their answer at once; everything ends by
 * `giveUpMs` (what is not acknowledged then is counted pending).
 */
import type { SmscSimulator } from './smsc-simulator';

const RETRIED = new Set([0x58, 0x14, 0x64, 0x08]);

export interface MoRetryOptions {
  /** MOs waiting for their answer at once */
  window: number;
  /** wait before sending one again */
  retryMs: number;
  /** stop retrying after this long (ms) */
  giveUpMs: number;
  systemId?: string;
}

export interface MoRetryResult {
  /** acknowledged with ESME_ROK */
  acknowledged: number;
  /** refused with a status that is not retried */
  failed: number;
  /** neither when giving up */
  pending: number;
  /** deliver_sm / data_sm sent, retries included */
  attempts: number;
  /** answers per status (retried and final ones) */
  byStatus: Record<number, number>;
  /** sends that found no bound receiver, or whose session closed before the answer */
  noSession: number;
  ms: number;
}

/** Delivers the MOs (whole PDUs, see buildMoPdu) until each is acknowledged or refused for good. */
export function deliverMosRetrying(sim: SmscSimulator, pdus: readonly Buffer[], opts: MoRetryOptions): Promise<MoRetryResult> {
  const started = Date.now();
  const r: MoRetryResult = { acknowledged: 0, failed: 0, pending: pdus.length, attempts: 0, byStatus: {}, noSession: 0, ms: 0 };
  const ready: number[] = pdus.map((_p, i) => i).reverse();
  let waiting = 0;
  let pause: NodeJS.Timeout | null = null;
  return new Promise<MoRetryResult>((resolve) => {
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearTimeout(giveUp);
      if (pause) clearTimeout(pause);
      r.ms = Date.now() - started;
      resolve(r);
    };
    const giveUp = setTimeout(end, opts.giveUpMs);
    const later = (i: number) => {
      ready.push(i);
      if (pause) return;
      pause = setTimeout(() => {
        pause = null;
        pump();
      }, opts.retryMs);
    };
    const answered = (i: number, status: number | null) => {
      waiting--;
      if (ended) return;
      if (status !== null) r.byStatus[status] = (r.byStatus[status] ?? 0) + 1;
      if (status === 0) r.acknowledged++;
      else if (status !== null && !RETRIED.has(status)) r.failed++;
      else {
        if (status === null) r.noSession++;
        later(i);
        return pump();
      }
      r.pending--;
      if (r.pending === 0) return end();
      pump();
    };
    const pump = () => {
      while (!ended && !pause && waiting < opts.window && ready.length) {
        const i = ready.pop()!;
        waiting++;
        r.attempts++;
        sim.injectMoPdu(pdus[i], opts.systemId).then((status) => answered(i, status), () => answered(i, null));
      }
    };
    if (pdus.length === 0) return end();
    pump();
  });
}
