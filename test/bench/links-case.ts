/**
 * Throughput against the number of links (binds) to the same SMSC, through
 * Node-RED: a real runtime (red-runtime.ts) with bench-source -> smpp-send ->
 * bench-sink, the gateway redeployed with links = 1, 2, 4 in turn (a full
 * deploy through the runtime API; same window per link, same messages kept
 * in flight for every row). Counted on smpp-send's outputs; no receipts.
 *
 *   runLinksCase({ smsc: { host, port, systemId, password } }) -> LinksRow[]
 *
 * or on its own against a running simulator:
 *   node dist/test/bench/links-case.js --port 2775 [--host 127.0.0.1] [--messages 20000] [--window 64]
 */
import type { NodeMessage } from '../../nodes/red-types';
import type { SmscTarget } from './jobs';
import { until } from './measure';
import { BENCH_TEXT, BENCH_TO } from './raw-client';
import { gatewayNode, Runtime, startRuntime } from './red-runtime';

export interface LinksRow {
  links: number;
  /** messages out of smpp-send's sent output in the measured part */
  messages: number;
  seconds: number;
  perSecond: number;
  /** messages out of the failure output (should be 0) */
  failed: number;
  /** accepted per link during the measured part (one entry with links = 1) */
  perLink: number[];
}

export interface LinksCaseOptions {
  smsc: SmscTarget;
  /** default [1, 2, 4] */
  links?: readonly number[];
  /** measured messages per row; default 20,000, at most 1,000,000 */
  messages?: number;
  /** unmeasured messages before each row; default 2,000 */
  warmup?: number;
  /** Sliding Window Size of each link; default 64 */
  window?: number;
  /** messages between the source and the outputs at most; default window x 4 x the largest links */
  inFlight?: number;
  /** the longest one row may take; default 120 s */
  timeoutMs?: number;
}

interface EngineView {
  state: string;
  counters: { accepted: number };
  snapshot(): Record<string, unknown>;
}

function flowFor(smsc: SmscTarget, window: number, links: number): object[] {
  return [
    { id: 't1', type: 'tab', label: 'bench' },
    gatewayNode(smsc, window, { registeredDelivery: '0', links }),
    { id: 'src1', type: 'bench-source', z: 't1', wires: [['s1']] },
    { id: 's1', type: 'smpp-send', z: 't1', gateway: 'gw1', wires: [['ok'], ['bad']] },
    { id: 'ok', type: 'bench-sink', z: 't1', wires: [] },
    { id: 'bad', type: 'bench-sink', z: 't1', wires: [] },
  ];
}

/** Accepted per link: from the pool's snapshot, or the one engine's counter. */
function acceptedPerLink(engine: EngineView): number[] {
  const links = engine.snapshot().links as { accepted: number }[] | undefined;
  return links ? links.map((l) => l.accepted) : [engine.counters.accepted];
}

function allBound(engine: EngineView | null | undefined): boolean {
  if (!engine || engine.state !== 'bound') return false;
  const links = engine.snapshot().links as { state: string }[] | undefined;
  return !links || links.every((l) => l.state === 'bound');
}

/** Keeps at most `inFlight` messages between the source and smpp-send's outputs until `total` are out. */
function feed(rt: Runtime, total: number, inFlight: number, timeoutMs: number): Promise<{ ok: number; bad: number; firstError: string }> {
  let ok = 0;
  let bad = 0;
  let injected = 0;
  let firstError = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`links case: ${ok + bad} of ${total} messages out within ${timeoutMs} ms`)), timeoutMs);
    const step = () => {
      if (ok + bad >= total) {
        clearTimeout(timer);
        resolve({ ok, bad, firstError });
        return;
      }
      const src = rt.source('src1');
      while (injected < total && injected - ok - bad < inFlight) {
        injected++;
        src.send({ payload: BENCH_TEXT, to: BENCH_TO } as NodeMessage);
      }
    };
    rt.onSink('ok', () => {
      ok++;
      step();
    });
    rt.onSink('bad', (msg) => {
      bad++;
      if (!firstError) firstError = JSON.stringify(msg.error);
      step();
    });
    step();
  });
}

export async function runLinksCase(o: LinksCaseOptions): Promise<LinksRow[]> {
  const linkCounts = o.links ?? [1, 2, 4];
  const messages = Math.min(1_000_000, Math.max(1, o.messages ?? 20_000));
  const warmup = Math.min(100_000, Math.max(0, o.warmup ?? 2_000));
  const window = o.window ?? 64;
  const inFlight = o.inFlight ?? window * 4 * Math.max(...linkCounts);
  const timeoutMs = o.timeoutMs ?? 120_000;
  if (!linkCounts.length || linkCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 16)) throw new RangeError('links must be whole numbers from 1 to 16');

  const first = flowFor(o.smsc, window, linkCounts[0]);
  const rt = await startRuntime(first.slice(1), o.smsc);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const RED = require('node-red');
  const rows: LinksRow[] = [];
  try {
    for (let i = 0; i < linkCounts.length; i++) {
      const links = linkCounts[i];
      if (i > 0) {
        // a full deploy replaces the gateway (the old one unbinds) with the new number of links
        await RED.runtime.flows.setFlows({
          flows: { flows: flowFor(o.smsc, window, links), credentials: { gw1: { systemId: o.smsc.systemId, password: o.smsc.password } } },
          deploymentType: 'full',
        });
      }
      const engineOf = (): EngineView | null => {
        try {
          return rt.node<{ engine: EngineView | null }>('gw1').engine;
        } catch {
          return null; // the deploy is still starting the new nodes
        }
      };
      await until(() => allBound(engineOf()), `${links} link(s) bound`, 20_000);
      if (warmup) await feed(rt, warmup, inFlight, timeoutMs);
      const engine = engineOf() as EngineView;
      const before = acceptedPerLink(engine);
      const t0 = performance.now();
      const r = await feed(rt, messages, inFlight, timeoutMs);
      const seconds = (performance.now() - t0) / 1000;
      const after = acceptedPerLink(engine);
      if (r.bad && r.firstError) process.stderr.write(`links case: links ${links}: ${r.bad} failed, first: ${r.firstError}\n`);
      rows.push({ links, messages: r.ok, seconds, perSecond: r.ok / seconds, failed: r.bad, perLink: after.map((n, k) => n - (before[k] ?? 0)) });
    }
  } finally {
    await rt.stop();
  }
  return rows;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const arg = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const port = Number(arg('port'));
  if (!Number.isInteger(port) || port <= 0) {
    process.stderr.write('usage: node dist/test/bench/links-case.js --port PORT [--host 127.0.0.1] [--system-id bench] [--password bench] [--messages 20000] [--warmup 2000] [--window 64] [--links 1,2,4]\n');
    process.exit(2);
  }
  const guard = setTimeout(() => {
    process.stderr.write('links case: over 15 minutes, giving up\n');
    process.exit(1);
  }, 15 * 60_000);
  guard.unref();
  runLinksCase({
    smsc: { host: arg('host') ?? '127.0.0.1', port, systemId: arg('system-id') ?? 'bench', password: arg('password') ?? 'bench' },
    links: arg('links')?.split(',').map(Number),
    messages: arg('messages') ? Number(arg('messages')) : undefined,
    warmup: arg('warmup') ? Number(arg('warmup')) : undefined,
    window: arg('window') ? Number(arg('window')) : undefined,
  }).then(
    (rows) => {
      for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (err: Error) => {
      process.stderr.write(`links case: ${err.stack ?? err}\n`);
      process.exit(1);
    },
  );
}
