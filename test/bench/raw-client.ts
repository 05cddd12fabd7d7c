/**
 * The baseline: the `smpp` 0.5.1 client as a user would use it, submitting
 * the same short text as the Node-RED cases: one at a time (naive), or with
 * up to `window` submit_sm outstanding.
 */
import * as smpp from 'smpp';
import type { CaseResult, Job } from './jobs';
import { Latencies, peakRssMb, startProfile, startUsage } from './measure';
import { SimLink, simCpuMs } from './sim-link';

export const BENCH_TEXT = 'Benchmark message, code 123456';
export const BENCH_TO = '4670000001';

function bind(job: Job): Promise<smpp.Session> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('raw client: no bind within 10 s')), 10_000);
    const session = smpp.connect({ host: job.smsc.host, port: job.smsc.port });
    session.on('error', (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
    session.on('connect', () => {
      session.socket.setNoDelay(true);
      session.bind_transmitter({ system_id: job.smsc.systemId, password: job.smsc.password }, (pdu: smpp.PDU) => {
        clearTimeout(timer);
        if (pdu.command_status === 0) resolve(session);
        else reject(new Error(`raw client: bind refused, status ${pdu.command_status}`));
      });
    });
  });
}

/** Submits `count` messages with at most `window` outstanding; resolves when every response is in. */
function submitMany(session: smpp.Session, count: number, window: number, lat: Latencies | null, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = 0;
    let refused = 0;
    const timer = setTimeout(() => reject(new Error(`raw client: ${answered} of ${count} answered within ${timeoutMs} ms`)), timeoutMs);
    const sendOne = (): void => {
      sent++;
      const t0 = performance.now();
      session.submit_sm({ destination_addr: BENCH_TO, short_message: BENCH_TEXT }, (pdu: smpp.PDU) => {
        if (pdu.command_status !== 0) refused++;
        else if (lat) lat.add(performance.now() - t0);
        answered++;
        if (answered === count) {
          clearTimeout(timer);
          resolve(refused);
        } else if (sent < count) sendOne();
      });
    };
    if (count === 0) {
      clearTimeout(timer);
      resolve(0);
      return;
    }
    for (let i = 0; i < Math.min(window, count); i++) sendOne();
  });
}

export async function runRaw(job: Job, sim: SimLink): Promise<CaseResult> {
  const window = job.case === 'raw-naive' ? 1 : job.window;
  const session = await bind(job);
  try {
    const deadline = Date.now() + job.timeoutMs;
    await submitMany(session, job.warmup, window, null, job.timeoutMs);
    const lat = new Latencies(job.count);
    const s0 = await sim.stats();
    const prof = startProfile(job.case);
    const usage = startUsage();
    const refused = await submitMany(session, job.count, window, lat, Math.max(1000, deadline - Date.now()));
    const u = usage.stop();
    await prof.stop();
    const s1 = await sim.stats();
    const [p50, p99] = lat.percentiles(50, 99);
    return {
      case: job.case,
      count: job.count - refused,
      wallMs: u.wallMs,
      rate: ((job.count - refused) / u.wallMs) * 1000,
      p50Ms: p50,
      p99Ms: p99,
      cpuMs: u.cpuMs,
      peakRssMb: peakRssMb(),
      extra: { window, refused, simCpuMs: simCpuMs(s0, s1) },
    };
  } finally {
    session.destroy();
  }
}
