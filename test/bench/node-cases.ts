/**
 * The Node-RED cases: a real runtime (red-runtime.ts) with our nodes against
 * the SMSC. Messages come from a bench-source wired to smpp-send, so they
 * reach it through Node-RED's routing like from any upstream node, and are
 * counted by bench-sink nodes wired to the outputs. Latency is from the send
 * on the source's wire to the arrival at the sink on smpp-send's sent output.
 */
import type { NodeMessage } from '../../nodes/red-types';
import type { CaseResult, Job } from './jobs';
import { Latencies, peakRssMb, startProfile, startUsage, until } from './measure';
import { BENCH_TEXT, BENCH_TO } from './raw-client';
import { gatewayNode, Runtime, startRuntime } from './red-runtime';
import { SimLink, simCpuMs } from './sim-link';

interface EngineLike {
  state: string;
  queueLength: number;
  inflight: number;
}
interface GatewayLike {
  engine: EngineLike | null;
  correlation: { size: number };
}

function flowFor(job: Job, withDlr: boolean, withMo: boolean): object[] {
  const f: object[] = [
    gatewayNode(job.smsc, job.window, { registeredDelivery: withDlr ? '1' : '0' }),
    { id: 'src1', type: 'bench-source', z: 't1', wires: [['s1']] },
    { id: 's1', type: 'smpp-send', z: 't1', gateway: 'gw1', wires: [['ok'], ['bad']] },
    { id: 'ok', type: 'bench-sink', z: 't1', wires: [] },
    { id: 'bad', type: 'bench-sink', z: 't1', wires: [] },
  ];
  if (withDlr) f.push({ id: 'd1', type: 'smpp-dlr', z: 't1', gateway: 'gw1', wires: [['dlr']] }, { id: 'dlr', type: 'bench-sink', z: 't1', wires: [] });
  if (withMo) f.push({ id: 'r1', type: 'smpp-receive', z: 't1', gateway: 'gw1', wires: [['mo']] }, { id: 'mo', type: 'bench-sink', z: 't1', wires: [] });
  return f;
}

async function boot(job: Job, withDlr: boolean, withMo: boolean): Promise<{ rt: Runtime; gw: GatewayLike }> {
  const rt = await startRuntime(flowFor(job, withDlr, withMo), job.smsc);
  const gw = rt.node<GatewayLike>('gw1');
  await until(() => gw.engine?.state === 'bound', 'the gateway to bind', 10_000);
  return { rt, gw };
}

/** Feeds smpp-send, keeping at most `inFlight` messages between the source and the outputs. */
class Feeder {
  ok = 0;
  bad = 0;
  injected = 0;
  firstError = '';
  private total = 0;
  private inFlight = 0;
  private lat: Latencies | null = null;
  private done: (() => void) | null = null;

  constructor(private readonly rt: Runtime) {
    rt.onSink('ok', (msg) => {
      this.ok++;
      if (this.lat) this.lat.add(performance.now() - (msg.t0 as number));
      this.step();
    });
    rt.onSink('bad', (msg) => {
      this.bad++;
      if (!this.firstError) this.firstError = JSON.stringify(msg.error);
      this.step();
    });
  }

  get out(): number {
    return this.ok + this.bad;
  }

  /** Sends `total` messages; resolves when every one has left smpp-send. */
  run(total: number, inFlight: number, lat: Latencies | null, timeoutMs: number): Promise<void> {
    this.ok = this.bad = this.injected = 0;
    this.total = total;
    this.inFlight = inFlight;
    this.lat = lat;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.done = null;
        reject(new Error(`smpp-send: ${this.out} of ${total} messages out within ${timeoutMs} ms`));
      }, timeoutMs);
      this.done = () => {
        clearTimeout(timer);
        this.done = null;
        resolve();
      };
      if (total === 0) return this.done();
      this.step();
    });
  }

  /** Sends one message now (paced mode). */
  sendOne(): void {
    this.injected++;
    this.rt.source('src1').send({ payload: BENCH_TEXT, to: BENCH_TO, t0: performance.now() } as NodeMessage);
  }

  private step(): void {
    if (this.out >= this.total) {
      this.done?.();
      return;
    }
    const src = this.rt.source('src1');
    while (this.injected < this.total && this.injected - this.out < this.inFlight) {
      this.injected++;
      src.send({ payload: BENCH_TEXT, to: BENCH_TO, t0: performance.now() } as NodeMessage);
    }
  }
}

function result(job: Job, count: number, u: { cpuMs: number; wallMs: number }, lat: Latencies | null, extra: Record<string, unknown>): CaseResult {
  const [p50, p99] = lat ? lat.percentiles(50, 99) : [null, null];
  return { case: job.case, count, wallMs: u.wallMs, rate: (count / u.wallMs) * 1000, p50Ms: p50, p99Ms: p99, cpuMs: u.cpuMs, peakRssMb: peakRssMb(), extra };
}

/** Case 2: submit_sm through smpp-send, counted on its sent output. */
export async function runNodeSend(job: Job, sim: SimLink): Promise<CaseResult> {
  const { rt } = await boot(job, false, false);
  try {
    const feeder = new Feeder(rt);
    await feeder.run(job.warmup, job.inFlight, null, job.timeoutMs);
    const lat = new Latencies(job.count);
    const s0 = await sim.stats();
    const prof = startProfile('node-send');
    const usage = startUsage();
    await feeder.run(job.count, job.inFlight, lat, job.timeoutMs);
    const u = usage.stop();
    await prof.stop();
    const s1 = await sim.stats();
    return result(job, feeder.ok, u, lat, { failed: feeder.bad, firstError: feeder.firstError || undefined, simCpuMs: simCpuMs(s0, s1), inFlight: job.inFlight });
  } finally {
    await rt.stop();
  }
}

/** Case 3: registered_delivery 1 for every message, counted on smpp-dlr when matched to what was sent (msg.sent). */
export async function runNodeDlr(job: Job, sim: SimLink): Promise<CaseResult> {
  const { rt, gw } = await boot(job, true, false);
  try {
    let matched = 0;
    let unmatched = 0;
    rt.onSink('dlr', (msg) => {
      const p = msg.payload as { unmatched?: boolean };
      if (msg.sent && p && p.unmatched === false) matched++;
      else unmatched++;
    });
    const feeder = new Feeder(rt);
    await feeder.run(job.warmup, job.inFlight, null, job.timeoutMs);
    await until(() => matched + unmatched >= feeder.ok, 'the warm-up receipts', 30_000);
    matched = unmatched = 0;
    const lat = new Latencies(job.count);
    const s0 = await sim.stats();
    const prof = startProfile('node-dlr');
    const usage = startUsage();
    await feeder.run(job.count, job.inFlight, lat, job.timeoutMs);
    await until(() => matched + unmatched >= feeder.ok, 'every receipt', 60_000, 1);
    const u = usage.stop();
    await prof.stop();
    const s1 = await sim.stats();
    return result(job, matched, u, lat, {
      failed: feeder.bad, unmatched, firstError: feeder.firstError || undefined, simCpuMs: simCpuMs(s0, s1),
      inFlight: job.inFlight, pendingCorrelations: gw.correlation.size,
    });
  } finally {
    await rt.stop();
  }
}

/**
 * Case 4: a burst of MOs from the simulator (window-bounded on its side), counted on smpp-receive,
 * once per Acknowledge MO mode: when handled (the default: the deliver_sm_resp waits for bench-sink's
 * done), then on arrival (the same flow deployed again with ackMo 'arrival').
 */
export async function runNodeMo(job: Job, sim: SimLink): Promise<CaseResult> {
  const { rt } = await boot(job, false, true);
  try {
    let received = 0;
    rt.onSink('mo', () => received++);
    const burst = async (n: number): Promise<{ ms: number; ok: number; failed: number; p50Ms: number; p99Ms: number }> => {
      const before = received;
      const r = JSON.parse(await sim.command(`mo-burst ${n} ${job.window}`, job.timeoutMs));
      await until(() => received - before >= r.ok, 'the MOs on smpp-receive', 10_000, 1);
      return r;
    };
    const measure = async (profile: string) => {
      await burst(job.warmup);
      const s0 = await sim.stats();
      const before = received;
      const prof = startProfile(profile);
      const usage = startUsage();
      const r = await burst(job.count);
      const u = usage.stop();
      await prof.stop();
      const s1 = await sim.stats();
      return { r, u, got: received - before, simCpuMs: simCpuMs(s0, s1) };
    };
    const handled = await measure('node-mo');
    // the same flow, Acknowledge MO on arrival
    const flow = flowFor(job, false, true).map((n) => ((n as { id?: string }).id === 'gw1' ? { ...n, ackMo: 'arrival' } : n));
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    await require('node-red').nodes.setFlows([{ id: 't1', type: 'tab', label: 'bench' }, ...flow], { gw1: { systemId: job.smsc.systemId, password: job.smsc.password } }, 'full');
    const boundAgain = (): boolean => {
      try {
        return rt.node<GatewayLike>('gw1').engine?.state === 'bound';
      } catch {
        return false; // not started yet
      }
    };
    await until(boundAgain, 'the gateway to bind again', 10_000);
    const arrival = await measure('node-mo-arrival');
    const { r, u, got } = handled;
    // the rate is the simulator's: from its first deliver_sm to the last deliver_sm_resp
    return {
      case: job.case, count: got, wallMs: r.ms, rate: (got / r.ms) * 1000, p50Ms: r.p50Ms, p99Ms: r.p99Ms,
      cpuMs: u.cpuMs, peakRssMb: peakRssMb(),
      extra: {
        ack: 'when handled', refused: r.failed, simCpuMs: handled.simCpuMs, workerWallMs: u.wallMs,
        arrival: {
          count: arrival.got, wallMs: arrival.r.ms, rate: (arrival.got / arrival.r.ms) * 1000, p50Ms: arrival.r.p50Ms, p99Ms: arrival.r.p99Ms,
          cpuMs: arrival.u.cpuMs, refused: arrival.r.failed, simCpuMs: arrival.simCpuMs,
        },
      },
    };
  } finally {
    await rt.stop();
  }
}

/** Time per message through smpp-send at growing counts, one runtime, after a warm-up. */
export async function runScale(job: Job, sim: SimLink): Promise<CaseResult> {
  const { rt, gw } = await boot(job, false, false);
  try {
    const feeder = new Feeder(rt);
    await feeder.run(job.warmup, job.inFlight, null, job.timeoutMs);
    const runs: { n: number; usPerMsg: number; rate: number; cpuUsPerMsg: number; heapMb: number; rssMb: number; correlations: number; failed: number }[] = [];
    const usage = startUsage();
    let total = 0;
    for (const n of job.sizes) {
      const u0 = startUsage();
      await feeder.run(n, job.inFlight, null, job.timeoutMs);
      const u = u0.stop();
      total += feeder.ok;
      const mem = process.memoryUsage();
      runs.push({
        n, usPerMsg: (u.wallMs * 1000) / n, rate: (n / u.wallMs) * 1000, cpuUsPerMsg: (u.cpuMs * 1000) / n,
        heapMb: mem.heapUsed / 1048576, rssMb: mem.rss / 1048576, correlations: gw.correlation.size, failed: feeder.bad,
      });
    }
    const u = usage.stop();
    void sim;
    return result(job, total, u, null, { runs });
  } finally {
    await rt.stop();
  }
}

/** Latency at a paced rate (job.rate msg/s for job.seconds), input to sent output. */
export async function runPaced(job: Job, sim: SimLink): Promise<CaseResult> {
  const { rt } = await boot(job, false, false);
  try {
    const feeder = new Feeder(rt);
    await feeder.run(job.warmup, job.inFlight, null, job.timeoutMs);
    const total = Math.round(job.rate * job.seconds);
    const lat = new Latencies(total);
    // prime the feeder's counters for `total` messages with nothing in flight beyond what is paced
    const done = feeder.run(total, 0, lat, job.timeoutMs);
    const s0 = await sim.stats();
    const usage = startUsage();
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - t0) * job.rate) / 1000));
        while (feeder.injected < due) feeder.sendOne();
        if (feeder.injected >= total) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
    await done;
    const u = usage.stop();
    const s1 = await sim.stats();
    const [p50, p99, p999, max] = lat.percentiles(50, 99, 99.9, 100);
    return { ...result(job, feeder.ok, u, lat, {}), p50Ms: p50, p99Ms: p99, extra: { p999Ms: p999, maxMs: max, targetRate: job.rate, failed: feeder.bad, simCpuMs: simCpuMs(s0, s1) } };
  } finally {
    await rt.stop();
  }
}

