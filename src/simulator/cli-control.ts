/**
 * The smsc-simulator command's control channel (--control): one command per
 * line on stdin, one answer line on stdout, so that a benchmark or a soak run
 * can drive the simulator in its own process.
 *
 *   stats                       -> stats {counters, cpu and memory of this process}
 *   mo-burst COUNT WINDOW       -> mo-burst {sent, ok, failed, ms, p50Ms, p99Ms}
 *                                  COUNT MOs to the bound receivers, at most WINDOW unanswered
 *   failure JSON                -> failure ok | failure error TEXT   (a FailureMode)
 *   drop                        -> drop ok   (destroys every client connection)
 *   field JSON                  -> field ok | field error TEXT       (a FieldMode, see field-modes.ts;
 *                                  replaces the last one, {} = back to the textbook SMSC)
 *   field-mo KIND               -> field-mo [statuses] | field-mo error TEXT
 *                                  the MOs of KIND (field-mos.ts) to one bound receiver
 *   help                        -> help TEXT (these commands, on one line)
 *
 * Every MO has the simulator's own response timeout, so a burst always ends.
 */
import { createInterface } from 'readline';
import type { Readable } from 'stream';
import { RECEIPT_TIMINGS } from './field-modes';
import { FIELD_MO_KINDS, FieldMoKind } from './field-mos';
import { buildMoPdu } from './mo-message';
import type { FailureMode, FieldMode, MoOptions, SmscSimulator } from './smsc-simulator';

export const CONTROL_HELP =
  'commands: stats | mo-burst COUNT WINDOW | failure JSON | drop | ' +
  `field JSON (receiptTiming ${RECEIPT_TIMINGS.join('/')}, gapMs, receiptCopies, receiptDataCoding, receiptTrailingNul, ` +
  'receiptFieldOrder, receiptDateForm, receiptState, intermediateState, statWord, messageIdFormat, receiptIdFormat) | ' +
  `field-mo ${FIELD_MO_KINDS.join('|')} | help`;

const BURST_MO: MoOptions = { from: '+15550001111', to: '12345', text: 'burst from the simulator' };
const MAX_BURST = 10_000_000;

export interface BurstResult {
  sent: number;
  ok: number;
  failed: number;
  ms: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Sends `count` MOs with at most `window` unanswered; resolves when each has its answer or its timeout. */
export function moBurst(sim: SmscSimulator, count: number, window: number, mo: MoOptions = BURST_MO): Promise<BurstResult> {
  const started = performance.now();
  const latencies = new Float64Array(count);
  let sent = 0;
  let answered = 0;
  let ok = 0;
  let failed = 0;
  const pdu = buildMoPdu(0, mo); // encoded once; each MO is a copy with its own sequence number
  return new Promise<BurstResult>((resolve) => {
    const finish = () => {
      const sorted = latencies.subarray(0, ok).sort();
      resolve({ sent, ok, failed, ms: performance.now() - started, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) });
    };
    const sendOne = () => {
      sent++;
      const t0 = performance.now();
      sim.injectMoPdu(pdu, mo.systemId).then(
        (status) => {
          if (status === 0) latencies[ok++] = performance.now() - t0;
          else failed++;
          next();
        },
        () => {
          failed++;
          next();
        },
      );
    };
    const next = () => {
      answered++;
      if (answered === count) finish();
      else if (sent < count) sendOne();
    };
    if (count <= 0) return finish();
    for (let i = 0; i < Math.min(window, count); i++) sendOne();
  });
}

export function attachControl(sim: SmscSimulator, input: Readable, out: (line: string) => void): void {
  const rl = createInterface({ input, terminal: false });
  rl.on('line', (line) => {
    const [cmd, ...rest] = line.trim().split(/\s+/);
    try {
      switch (cmd) {
        case 'stats': {
          const cpu = process.cpuUsage();
          const mem = process.memoryUsage();
          out(`stats ${JSON.stringify({ ...sim.stats(), cpuUserUs: cpu.user, cpuSystemUs: cpu.system, rss: mem.rss, maxRss: process.resourceUsage().maxRSS * 1024, heapUsed: mem.heapUsed })}`);
          return;
        }
        case 'mo-burst': {
          const count = Number(rest[0]);
          const window = Number(rest[1] ?? 1);
          if (!Number.isInteger(count) || count < 0 || count > MAX_BURST || !Number.isInteger(window) || window < 1) {
            out('mo-burst error needs COUNT (0..10000000) and WINDOW (>= 1)');
            return;
          }
          moBurst(sim, count, window).then((r) => out(`mo-burst ${JSON.stringify(r)}`));
          return;
        }
        case 'failure':
          sim.setFailure(JSON.parse(rest.join(' ')) as FailureMode);
          out('failure ok');
          return;
        case 'drop':
          sim.dropConnections();
          out('drop ok');
          return;
        case 'field':
          sim.setFieldMode(JSON.parse(rest.join(' ') || '{}') as FieldMode);
          out('field ok');
          return;
        case 'field-mo': {
          const kind = rest[0] as FieldMoKind;
          if (!FIELD_MO_KINDS.includes(kind)) {
            out(`field-mo error needs one of ${FIELD_MO_KINDS.join(', ')}`);
            return;
          }
          sim.injectFieldMo(kind).then(
            (statuses) => out(`field-mo ${JSON.stringify(statuses)}`),
            (err: Error) => out(`field-mo error ${err.message}`),
          );
          return;
        }
        case 'help':
          out(`help ${CONTROL_HELP}`);
          return;
        case '':
        case undefined:
          return;
        default:
          out(`${cmd} error unknown command`);
      }
    } catch (err) {
      out(`${cmd} error ${(err as Error).message}`);
    }
  });
}
