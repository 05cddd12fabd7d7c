/** The benchmark's command-line flags. */
import { parseArgs } from 'util';
import type { CaseName } from './jobs';

export const BENCH_USAGE = `Usage: npm run bench -- [options]

  --quick            tiny counts: proves the benchmark runs and prints its table (CI)
  --soak SECONDS     soak mode: mixed traffic with simulator faults, memory at start and end
  --smsc HOST:PORT   use this SMSC instead of starting our simulator (no MO case, no SMSC CPU)
  --system-id ID     with --smsc (default test)
  --password PW      with --smsc (default test)
  --window N         SMPP window for every case (default 64)
  --count N          messages per throughput case (default 100000)
  --in-flight N      Node-RED cases: messages between the source and smpp-send's outputs (default 4 x window)
  --only A,B         run only these cases: ${['raw-naive', 'raw-window', 'node-send', 'node-dlr', 'node-mo', 'memory', 'scale', 'paced'].join(', ')}
  --help             this text
`;

export const ALL_CASES: CaseName[] = ['raw-naive', 'raw-window', 'node-send', 'node-dlr', 'node-mo', 'memory', 'scale', 'paced'];

export interface BenchOptions {
  quick: boolean;
  soakSeconds: number;
  smsc: { host: string; port: number } | null;
  systemId: string;
  password: string;
  window: number;
  count: number;
  /** 0 = 4 x window */
  inFlight: number;
  only: CaseName[] | null;
  help: boolean;
}

function positiveInt(flag: string, v: string | undefined, fallback: number, max: number): number {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw new Error(`${flag} needs a whole number from 1 to ${max}, not '${v}'`);
  return Number(v);
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      quick: { type: 'boolean' },
      soak: { type: 'string' },
      smsc: { type: 'string' },
      'system-id': { type: 'string' },
      password: { type: 'string' },
      window: { type: 'string' },
      count: { type: 'string' },
      'in-flight': { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  let smsc: BenchOptions['smsc'] = null;
  if (values.smsc !== undefined) {
    const m = /^([^:]+):(\d{1,5})$/.exec(values.smsc);
    if (!m || Number(m[2]) > 65535) throw new Error(`--smsc needs HOST:PORT, not '${values.smsc}'`);
    smsc = { host: m[1], port: Number(m[2]) };
  }
  let only: CaseName[] | null = null;
  if (values.only !== undefined) {
    only = values.only.split(',').map((s) => s.trim()) as CaseName[];
    for (const c of only) if (!ALL_CASES.includes(c)) throw new Error(`--only: unknown case '${c}'`);
  }
  return {
    quick: !!values.quick,
    soakSeconds: values.soak === undefined ? 0 : positiveInt('--soak', values.soak, 0, 7 * 24 * 3600),
    smsc,
    systemId: values['system-id'] ?? 'test',
    password: values.password ?? 'test',
    window: positiveInt('--window', values.window, 64, 10000),
    count: positiveInt('--count', values.count, 100_000, 10_000_000),
    inFlight: positiveInt('--in-flight', values['in-flight'], 0, 1_000_000),
    only,
    help: !!values.help,
  };
}
