/**
 * Soak mode (issue 7; not in CI): mixed traffic for job.seconds through a
 * real Node-RED runtime — short, long (concatenated) and UCS2 messages with
 * receipts, MO bursts — while the simulator cycles through its failure modes
 * and drops the connection. Reports memory at the start and the end, and
 * checks that every message that entered smpp-send left it exactly once.
 */
import type { NodeMessage } from '../../nodes/red-types';
import type { CaseResult, Job } from './jobs';
import { peakRssMb, sleep, startUsage, until } from './measure';
import { gatewayNode, startRuntime } from './red-runtime';
import type { SimLink } from './sim-link';

const TEXTS = ['Soak short message 0001', 'Long soak message '.repeat(18), 'Soak unicode \u4f60\u597d \u043f\u0440\u0438\u0432\u0435\u0442'];

/** One step of the fault cycle: a simulator command and how long to keep it. */
const FAULTS: { cmd: string; ms: number }[] = [
  { cmd: 'failure {"kind":"none"}', ms: 8000 },
  { cmd: 'failure {"kind":"throttle","everyN":50}', ms: 4000 },
  { cmd: 'failure {"kind":"none"}', ms: 4000 },
  { cmd: 'failure {"kind":"late","delayMs":300}', ms: 3000 },
  { cmd: 'failure {"kind":"reject","status":69}', ms: 2000 },
  { cmd: 'failure {"kind":"garbage","everyN":200}', ms: 3000 },
  { cmd: 'failure {"kind":"none"}', ms: 3000 },
  { cmd: 'drop', ms: 4000 },
  { cmd: 'failure {"kind":"silent"}', ms: 1500 },
];

interface Mem {
  heapMb: number;
  rssMb: number;
  correlations: number;
}

function memNow(correlations: number): Mem {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  const m = process.memoryUsage();
  return { heapMb: m.heapUsed / 1048576, rssMb: m.rss / 1048576, correlations };
}

export async function runSoak(job: Job, sim: SimLink): Promise<CaseResult> {
  const flow = [
    gatewayNode(job.smsc, job.window, { registeredDelivery: '1', transactionTimeout: 2000, reconnectMin: 100, reconnectMax: 1000, maxErrorPackets: 50 }),
    { id: 'src1', type: 'bench-source', z: 't1', wires: [['s1']] },
    { id: 's1', type: 'smpp-send', z: 't1', gateway: 'gw1', wires: [['ok'], ['bad']] },
    { id: 'ok', type: 'bench-sink', z: 't1', wires: [] },
    { id: 'bad', type: 'bench-sink', z: 't1', wires: [] },
    { id: 'd1', type: 'smpp-dlr', z: 't1', gateway: 'gw1', wires: [['dlr']] },
    { id: 'dlr', type: 'bench-sink', z: 't1', wires: [] },
    { id: 'r1', type: 'smpp-receive', z: 't1', gateway: 'gw1', wires: [['mo']] },
    { id: 'mo', type: 'bench-sink', z: 't1', wires: [] },
  ];
  const rt = await startRuntime(flow, job.smsc);
  const gw = rt.node<{ engine: { state: string } | null; correlation: { size: number } }>('gw1');
  try {
    await until(() => gw.engine?.state === 'bound', 'the gateway to bind', 10_000);
    const c = { injected: 0, ok: 0, bad: 0, dlr: 0, dlrMatched: 0, mo: 0, skipped: 0, faults: 0, moBursts: 0 };
    const seen = new Set<number>();
    let duplicates = 0;
    const leave = (msg: NodeMessage) => {
      const n = msg.n as number;
      if (!seen.delete(n)) duplicates++;
    };
    rt.onSink('ok', (m) => { c.ok++; leave(m); });
    rt.onSink('bad', (m) => { c.bad++; leave(m); });
    rt.onSink('dlr', (m) => { c.dlr++; if (m.sent) c.dlrMatched++; });
    rt.onSink('mo', () => c.mo++);

    await sleep(1000);
    const start = memNow(gw.correlation.size);
    const usage = startUsage();
    const endAt = Date.now() + job.seconds * 1000;
    const src = rt.source('src1');
    const t0 = performance.now();
    let paced = 0;
    const traffic = setInterval(() => {
      const due = Math.floor(((performance.now() - t0) * job.rate) / 1000);
      for (; paced < due; paced++) {
        if (c.injected - c.ok - c.bad >= 5000) {
          c.skipped++; // the gateway is down or slow: do not pile up without bound
          continue;
        }
        const n = c.injected++;
        seen.add(n);
        src.send({ payload: TEXTS[n % TEXTS.length], to: `+4670${1000000 + (n % 1000)}`, n, correlationId: `soak-${n}` } as NodeMessage);
      }
    }, 2);
    let step = 0;
    let moAt = Date.now() + 5000;
    try {
      while (Date.now() < endAt) {
        const f = FAULTS[step++ % FAULTS.length];
        await sim.command(f.cmd).catch(() => undefined);
        c.faults++;
        const until = Math.min(endAt, Date.now() + f.ms);
        while (Date.now() < until) {
          if (Date.now() >= moAt) {
            moAt = Date.now() + 5000;
            c.moBursts++;
            sim.command('mo-burst 200 16', 60_000).catch(() => undefined);
          }
          await sleep(100);
        }
      }
    } finally {
      clearInterval(traffic);
      await sim.command('failure {"kind":"none"}').catch(() => undefined);
    }
    // every message that entered must leave: wait for the last ones (timeouts are 2 s)
    await until(() => c.ok + c.bad >= c.injected, 'every message to leave smpp-send', 60_000, 50).catch(() => undefined);
    await sleep(2000);
    const end = memNow(gw.correlation.size);
    const u = usage.stop();
    return {
      case: 'soak', count: c.injected, wallMs: u.wallMs, rate: (c.injected / u.wallMs) * 1000, p50Ms: null, p99Ms: null,
      cpuMs: u.cpuMs, peakRssMb: peakRssMb(),
      extra: { ...c, stillInside: seen.size, duplicates, memoryStart: start, memoryEnd: end },
    };
  } finally {
    await rt.stop();
  }
}
