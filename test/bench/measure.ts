/** Latency samples, percentiles and this process's CPU and memory, for the benchmark. */

/** Latencies in ms, kept in a preallocated array (no allocation per sample). */
export class Latencies {
  private readonly samples: Float64Array;
  private n = 0;

  constructor(capacity: number) {
    this.samples = new Float64Array(Math.max(1, capacity));
  }

  get count(): number {
    return this.n;
  }

  add(ms: number): void {
    if (this.n < this.samples.length) this.samples[this.n++] = ms;
  }

  /** p in 0..100; nearest-rank; null without samples. */
  percentiles(...ps: number[]): (number | null)[] {
    if (this.n === 0) return ps.map(() => null);
    const sorted = this.samples.slice(0, this.n).sort();
    return ps.map((p) => sorted[Math.min(this.n - 1, Math.max(0, Math.ceil((p / 100) * this.n) - 1))]);
  }
}

export interface Usage {
  /** user + system CPU time, ms */
  cpuMs: number;
  wallMs: number;
}

/** CPU and wall time of this process from now until stop(). */
export function startUsage(): { stop(): Usage } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return {
    stop(): Usage {
      const cpu = process.cpuUsage(cpu0);
      return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0 };
    },
  };
}

/** Peak resident set size of this process so far, MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves when check() is true (polled every `every` ms); rejects after `ms` with `what`. */
export async function until(check: () => boolean, what: string, ms: number, every = 5): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

/**
 * With BENCH_PROFILE_DIR set, profiles this process's measured part only and
 * writes <dir>/<name>.cpuprofile (inspector CPU profiler; read it with
 * profile-summary.js), or with BENCH_PROFILE_KIND=heap <dir>/<name>.heapprofile
 * (sampled allocations, including objects already collected). Without it,
 * does nothing.
 */
export function startProfile(name: string): { stop(): Promise<void> } {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir) return { stop: async () => undefined };
  const heap = process.env.BENCH_PROFILE_KIND === 'heap';
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const inspector = require('inspector') as typeof import('inspector');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const fs = require('fs') as typeof import('fs');
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  const started = heap
    ? post('HeapProfiler.enable').then(() => post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }))
    : post('Profiler.enable').then(() => post('Profiler.setSamplingInterval', { interval: 200 })).then(() => post('Profiler.start'));
  return {
    async stop() {
      await started;
      const { profile } = await post(heap ? 'HeapProfiler.stopSampling' : 'Profiler.stop');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(`${dir}/${name}.${heap ? 'heapprofile' : 'cpuprofile'}`, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
