/** The benchmark's printed report: header, results table, targets. Markdown, so it reads in a terminal and in the README. */
import type { CaseName, CaseResult } from './jobs';

export const LABELS: Record<CaseName, string> = {
  'raw-naive': '`smpp` 0.5.1 client, one at a time (naive)',
  'raw-window': '`smpp` 0.5.1 client, window (baseline)',
  'node-send': 'Node-RED: smpp-send, counted on sent output',
  'node-dlr': 'Node-RED: + receipt for every message, matched on smpp-dlr',
  'node-mo': 'Node-RED: MO burst, counted on smpp-receive',
  memory: 'correlation memory',
  scale: 'time per message',
  paced: 'paced latency',
  soak: 'soak',
};

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtMs = (n: number | null) => (n === null ? 'n/a' : n < 10 ? n.toFixed(2) : n.toFixed(1));

function cpu(cpuMs: number | null | undefined, wallMs: number, count: number): string {
  if (cpuMs === null || cpuMs === undefined) return 'n/a';
  return `${Math.round((cpuMs / wallMs) * 100)}% (${((cpuMs * 1000) / Math.max(1, count)).toFixed(1)} µs/msg)`;
}

export function resultsTable(results: CaseResult[], window: number): string[] {
  const base = results.find((r) => r.case === 'raw-window');
  const rows = [
    `| case (window ${window}) | messages | msg/s | vs baseline | p50 ms | p99 ms | CPU, our process | CPU, SMSC | peak RSS MB |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of results) {
    if (!['raw-naive', 'raw-window', 'node-send', 'node-dlr', 'node-mo'].includes(r.case)) continue;
    const ratio = base ? `${(r.rate / base.rate).toFixed(2)}x` : 'n/a';
    const simCpu = r.extra.simCpuMs as number | null | undefined;
    rows.push(`| ${LABELS[r.case]} | ${fmtInt(r.count)} | **${fmtInt(r.rate)}** | ${ratio} | ${fmtMs(r.p50Ms)} | ${fmtMs(r.p99Ms)} | ${cpu(r.cpuMs, r.wallMs, r.count)} | ${cpu(simCpu, r.wallMs, r.count)} | ${r.peakRssMb.toFixed(0)} |`);
  }
  return rows;
}

export function scaleTable(r: CaseResult): string[] {
  const runs = r.extra.runs as { n: number; usPerMsg: number; rate: number; cpuUsPerMsg: number; heapMb: number; rssMb: number; correlations: number; failed: number }[];
  const rows = ['| messages through smpp-send | µs per message | msg/s | CPU µs per message | heap after, MB | RSS after, MB | pending correlations |', '|--:|--:|--:|--:|--:|--:|--:|'];
  for (const x of runs) {
    rows.push(`| ${fmtInt(x.n)} | ${x.usPerMsg.toFixed(1)} | ${fmtInt(x.rate)} | ${x.cpuUsPerMsg.toFixed(1)} | ${x.heapMb.toFixed(0)} | ${x.rssMb.toFixed(0)} | ${fmtInt(x.correlations)} |`);
  }
  return rows;
}

export interface Target {
  what: string;
  measured: string;
  ok: boolean | null;
}

export function targets(results: CaseResult[]): Target[] {
  const get = (c: CaseName) => results.find((r) => r.case === c);
  const out: Target[] = [];
  const send = get('node-send');
  const naive = get('raw-naive');
  if (send) {
    out.push({ what: 'smpp-send >= 25,000 submit_sm/s', measured: `${fmtInt(send.rate)}/s`, ok: send.rate >= 25_000 });
    if (naive) out.push({ what: 'smpp-send above the naive raw client', measured: `${fmtInt(send.rate)} vs ${fmtInt(naive.rate)}/s`, ok: send.rate > naive.rate });
    // beside Kannel: measured in the same run, in the side-by-side section (independent-smsc.ts), not a target here
  }
  const dlr = get('node-dlr');
  if (dlr) out.push({ what: 'receipts matched on smpp-dlr >= 9,000/s', measured: `${fmtInt(dlr.rate)}/s`, ok: dlr.rate >= 9_000 });
  const mo = get('node-mo');
  if (mo) out.push({ what: 'MO through smpp-receive >= 20,000/s', measured: `${fmtInt(mo.rate)}/s`, ok: mo.rate >= 20_000 });
  const mem = get('memory');
  if (mem) out.push({ what: `< 1 KB per pending correlation (at ${fmtInt(mem.count)})`, measured: `${Math.round(mem.extra.bytesPerEntry as number)} bytes`, ok: (mem.extra.bytesPerEntry as number) < 1024 });
  const scale = get('scale');
  if (scale) {
    const runs = scale.extra.runs as { n: number; usPerMsg: number }[];
    const first = runs[0];
    const last = runs[runs.length - 1];
    const growth = last.usPerMsg / first.usPerMsg;
    out.push({ what: `time per message flat from ${fmtInt(first.n)} to ${fmtInt(last.n)} (within 1.25x)`, measured: `${first.usPerMsg.toFixed(1)} -> ${last.usPerMsg.toFixed(1)} µs (${growth.toFixed(2)}x)`, ok: growth <= 1.25 });
  }
  const paced = get('paced');
  if (paced) out.push({ what: `p99 < 5 ms at ${fmtInt(paced.extra.targetRate as number)} msg/s`, measured: `p99 ${fmtMs(paced.p99Ms)} ms (p50 ${fmtMs(paced.p50Ms)}, p99.9 ${fmtMs(paced.extra.p999Ms as number)}, max ${fmtMs(paced.extra.maxMs as number)})`, ok: paced.p99Ms !== null && paced.p99Ms < 5 });
  return out;
}

/** `judged` false (quick mode): the figures are listed without met / missed. */
export function targetLines(ts: Target[], judged = true): string[] {
  const verdict = (t: Target) => (!judged ? 'not judged (quick mode)' : t.ok === null ? '' : t.ok ? 'met' : '**missed**');
  return ['| target | measured | |', '|---|---|---|', ...ts.map((t) => `| ${t.what} | ${t.measured} | ${verdict(t)} |`)];
}
