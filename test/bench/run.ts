#!/usr/bin/env node
/**
 * `npm run bench`: how fast the gateway is on this machine, next to the raw
 * `smpp` client in the same run. The SMSC (our simulator, or --smsc) runs in
 * its own process, and so does each case. Prints a Markdown report; a full
 * run also writes it to test/bench/results/last-run.txt. See options.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CaseName, CaseResult, Job, SmscTarget } from './jobs';
import { ALL_CASES, BENCH_USAGE, BenchOptions, parseBenchArgs } from './options';
import { LABELS, resultsTable, scaleTable, targetLines, targets } from './report';
import { SimProcess } from './sim-process';
import { runWorker } from './worker-process';
import { execFile } from 'child_process';
import type { LinksRow } from './links-case';

const ROOT = path.join(__dirname, '..', '..', '..');
const LAST_RUN = path.join(ROOT, 'test', 'bench', 'results', 'last-run.txt');
const RECEIPT_DELAY_MS = 100;

function versionOf(pkg: string): string {
  try {
    return (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`, { paths: [ROOT] }), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

function load(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' ');
}

function jobsFor(o: BenchOptions, smsc: SmscTarget): Job[] {
  const q = o.quick;
  const count = q ? 300 : o.count;
  const warmup = q ? 50 : Math.min(10_000, Math.ceil(count / 10));
  const base = { smsc, window: o.window, count, warmup, inFlight: o.inFlight || o.window * 4, rate: 0, seconds: 0, sizes: [], timeoutMs: q ? 60_000 : Math.max(120_000, count * 2) };
  const jobs: Record<CaseName, Job> = {
    'raw-naive': { ...base, case: 'raw-naive', count: q ? count : Math.ceil(count / 5), warmup: Math.ceil(warmup / 5) },
    'raw-window': { ...base, case: 'raw-window' },
    'node-send': { ...base, case: 'node-send' },
    'node-dlr': { ...base, case: 'node-dlr' },
    'node-mo': { ...base, case: 'node-mo' },
    memory: { ...base, case: 'memory', count: q ? 2000 : 100_000 },
    scale: { ...base, case: 'scale', sizes: q ? [100, 300, 1000] : [10_000, 100_000, 1_000_000], warmup: q ? 50 : 50_000, timeoutMs: q ? 60_000 : 900_000 },
    paced: { ...base, case: 'paced', rate: q ? 200 : 1000, seconds: q ? 1 : 20, warmup: q ? 50 : 2000 },
    soak: { ...base, case: 'soak', rate: 500, seconds: o.soakSeconds, timeoutMs: o.soakSeconds * 1000 + 180_000 },
  };
  if (o.soakSeconds) return [jobs.soak];
  let names = o.only ?? ALL_CASES;
  if (o.smsc) names = names.filter((n) => n !== 'node-mo');
  return names.map((n) => jobs[n]);
}

async function main(argv: string[]): Promise<number> {
  let o: BenchOptions;
  try {
    o = parseBenchArgs(argv);
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n\n${BENCH_USAGE}`);
    return 2;
  }
  if (o.help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  const out: string[] = [];
  const say = (line = '') => {
    out.push(line);
    process.stdout.write(`${line}\n`);
  };
  const loadStart = load();
  let sim: SimProcess | null = null;
  const failures: string[] = [];
  const results: CaseResult[] = [];
  try {
    let smsc: SmscTarget;
    if (o.smsc) {
      smsc = { ...o.smsc, systemId: o.systemId, password: o.password };
    } else {
      sim = await SimProcess.start(['--receipt-delay', String(RECEIPT_DELAY_MS)]);
      smsc = { host: sim.host, port: sim.port, systemId: 'bench', password: 'bench' };
    }
    const cpus = os.cpus();
    say(`# node-red-contrib-smpp-gateway benchmark${o.quick ? ' (quick mode: tiny counts, figures mean nothing)' : ''}${o.soakSeconds ? ` (soak, ${o.soakSeconds} s)` : ''}`);
    say();
    say(`- date: ${new Date().toISOString()}`);
    say(`- machine: ${cpus[0]?.model ?? '?'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`);
    say(`- software: Node.js ${process.version}, Node-RED ${versionOf('node-red')}, smpp ${versionOf('smpp')}`);
    say(`- command: npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`);
    say(`- SMSC: ${o.smsc ? `${o.smsc.host}:${o.smsc.port} (given with --smsc)` : `our simulator (dist/src/simulator/cli.js) in its own process on ${smsc.host}:${smsc.port}, receipts ${RECEIPT_DELAY_MS} ms after the submit`}`);
    say(`- window ${o.window} for every case; each case runs in its own process after a warm-up; the Node-RED cases run a real Node-RED runtime (embedded with require('node-red'), default asynchronous delivery), messages sent from an upstream node into smpp-send with at most ${o.inFlight || o.window * 4} between its input and its outputs (the gateway queues what the window cannot take)`);
    say(`- latency: raw client from submit to submit_sm_resp; Node-RED from the upstream node's send to the arrival on smpp-send's sent output; MO from the simulator's deliver_sm to its deliver_sm_resp`);
    say(`- CPU: % of one core over the measured part (and per message); the SMSC's from its own report`);
    say(`- load average (1, 5, 15 min) at the start: ${loadStart}`);
    if (o.smsc && !o.soakSeconds) say('- the MO case is left out: it needs our simulator to send the burst');
    say();
    for (const job of jobsFor(o, smsc)) {
      process.stderr.write(`bench: ${job.case} (${LABELS[job.case]}) ...\n`);
      let logLines = 0;
      const log = (line: string) => {
        // the worker's own log (Node-RED errors of failed messages in the soak, ...): the first lines only
        if (++logLines <= 20) process.stderr.write(`  ${job.case}: ${line}\n`);
      };
      try {
        const r = await runWorker(job, sim, log);
        if (logLines > 20) process.stderr.write(`  ${job.case}: ... ${logLines - 20} more log lines\n`);
        results.push(r);
        process.stderr.write(`bench: ${job.case}: ${Math.round(r.rate)} msg/s\n`);
      } catch (err) {
        failures.push((err as Error).message);
        process.stderr.write(`bench: ${(err as Error).message}\n`);
      }
    }
    report(o, results, say);
    if (!o.soakSeconds && !o.only) await linksSection(o, smsc, sim, say, failures);
  } finally {
    await sim?.stop();
  }
  say();
  say(`- load average at the end: ${load()}`);
  for (const f of failures) say(`- FAILED: ${f}`);
  if (!o.quick && !o.only && !o.soakSeconds && !o.smsc) {
    fs.mkdirSync(path.dirname(LAST_RUN), { recursive: true });
    fs.writeFileSync(LAST_RUN, `${out.join('\n')}\n`);
    process.stderr.write(`bench: written to ${path.relative(process.cwd(), LAST_RUN)}\n`);
  }
  return failures.length ? 1 : 0;
}

/** One links case run (links 1, 2, 4) in its own process; JSON rows on its stdout. */
function runLinks(smsc: SmscTarget, args: string[]): Promise<LinksRow[]> {
  const script = path.join(__dirname, 'links-case.js');
  const argv = [script, '--host', smsc.host, '--port', String(smsc.port), '--system-id', smsc.systemId, '--password', smsc.password, ...args];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, argv, { timeout: 16 * 60_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`links case: ${err.message} ${stderr.slice(-500)}`));
      resolve(stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as LinksRow));
    });
  });
}

/**
 * Throughput against the number of links on the same SMSC: once with the
 * simulator answering at once (the CPU is the limit) and once answering
 * after 20 ms (the SMSC's response time limits each link).
 */
async function linksSection(o: BenchOptions, smsc: SmscTarget, sim: SimProcess | null, say: (line?: string) => void, failures: string[]): Promise<void> {
  const q = o.quick;
  const links = q ? '1,2' : '1,1,2,4';
  const variants: { name: string; failure: string | null; messages: number; window: number }[] = [
    { name: 'SMSC answering at once', failure: null, messages: q ? 300 : 40_000, window: o.window },
  ];
  if (sim) variants.push({ name: 'SMSC answering after 20 ms', failure: '{"kind":"late","delayMs":20}', messages: q ? 100 : 6_000, window: 32 });
  const rows: string[] = [];
  for (const v of variants) {
    process.stderr.write(`bench: links (${v.name}) ...\n`);
    try {
      if (v.failure && sim) await sim.command(`failure ${v.failure}`);
      const got = await runLinks(smsc, ['--links', links, '--messages', String(v.messages), '--warmup', String(q ? 50 : 2000), '--window', String(v.window)]);
      // the first row only warms the process up (JIT): reported, marked
      got.forEach((r, i) => rows.push(`| ${v.name}, window ${v.window} per link | ${r.links}${!q && i === 0 ? ' (warm-up row)' : ''} | ${r.messages.toLocaleString('en-US')} | **${Math.round(r.perSecond).toLocaleString('en-US')}** | ${r.failed} | ${r.perLink.join(' / ')} |`));
    } catch (err) {
      failures.push((err as Error).message);
      process.stderr.write(`bench: ${(err as Error).message}\n`);
    } finally {
      if (v.failure && sim) await sim.command('failure {"kind":"none"}').catch(() => undefined);
    }
  }
  if (!rows.length) return;
  say();
  say('## Throughput against the number of links (smpp-send through Node-RED, no receipts)');
  say();
  say('| SMSC | links | messages | msg/s | failed | accepted per link |');
  say('|---|--:|--:|--:|--:|---|');
  rows.forEach((r) => say(r));
}

function report(o: BenchOptions, results: CaseResult[], say: (line?: string) => void): void {
  const soak = results.find((r) => r.case === 'soak');
  if (soak) {
    const e = soak.extra as Record<string, any>;
    say('| soak | |');
    say('|---|---|');
    say(`| duration | ${(soak.wallMs / 1000).toFixed(0)} s, ${soak.count} messages into smpp-send (${soak.rate.toFixed(0)}/s), ${e.skipped} not sent because ${5000} were already inside |`);
    say(`| left smpp-send | ${e.ok} sent + ${e.bad} failed; still inside at the end: ${e.stillInside}; left twice: ${e.duplicates} |`);
    say(`| receipts | ${e.dlr} on smpp-dlr, ${e.dlrMatched} matched |`);
    say(`| MO | ${e.mo} on smpp-receive from ${e.moBursts} bursts |`);
    say(`| faults | ${e.faults} simulator fault steps (throttle, late, reject, garbage, dropped connections, silent) |`);
    say(`| memory at the start | heap ${e.memoryStart.heapMb.toFixed(1)} MB, RSS ${e.memoryStart.rssMb.toFixed(1)} MB, ${e.memoryStart.correlations} pending correlations |`);
    say(`| memory at the end | heap ${e.memoryEnd.heapMb.toFixed(1)} MB, RSS ${e.memoryEnd.rssMb.toFixed(1)} MB, ${e.memoryEnd.correlations} pending correlations |`);
    say(`| CPU | ${Math.round((soak.cpuMs / soak.wallMs) * 100)}% of one core; peak RSS ${soak.peakRssMb.toFixed(0)} MB |`);
    return;
  }
  const main = resultsTable(results, o.window);
  if (main.length > 2) {
    say('## Throughput');
    say();
    main.forEach((l) => say(l));
    say();
  }
  const dlr = results.find((r) => r.case === 'node-dlr');
  if (dlr) say(`Receipts: msg/s counts receipts matched on smpp-dlr from the first send to the last receipt (${dlr.extra.unmatched} unmatched, ${dlr.extra.failed} failed); its latency columns are for the submit part.`);
  const mo = results.find((r) => r.case === 'node-mo');
  if (mo) say(`MO: the simulator sends with at most ${o.window} deliver_sm unanswered; msg/s and latency are from its side (its first deliver_sm to its last deliver_sm_resp).`);
  const moArrival = mo?.extra.arrival as { rate: number; p50Ms: number; p99Ms: number; count: number } | undefined;
  if (mo && moArrival) {
    const n = (x: number) => Math.round(x).toLocaleString('en-US');
    const ms = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));
    say(`MO, both Acknowledge MO modes: when handled (the default, the row above: each deliver_sm_resp waits until the flow is done with the MO) ${n(mo.rate)} msg/s, p50 ${ms(mo.p50Ms)} ms, p99 ${ms(mo.p99Ms)} ms; on arrival ${n(moArrival.rate)} msg/s, p50 ${ms(moArrival.p50Ms)} ms, p99 ${ms(moArrival.p99Ms)} ms (${n(moArrival.count)} MOs).`);
  }
  const mem = results.find((r) => r.case === 'memory');
  const scale = results.find((r) => r.case === 'scale');
  const paced = results.find((r) => r.case === 'paced');
  if (mem || scale || paced) {
    say();
    say('## Memory, growth, latency');
    say();
  }
  if (mem) say(`- memory per pending correlation (memory store, through the matcher's expect() and accepted(), ${mem.count.toLocaleString('en-US')} pending, heap after full GC): **${Math.round(mem.extra.bytesPerEntry as number)} bytes**`);
  if (paced) say(`- latency at a paced ${(paced.extra.targetRate as number).toLocaleString('en-US')} msg/s through smpp-send (${paced.count.toLocaleString('en-US')} messages): p50 ${paced.p50Ms?.toFixed(2)} ms, **p99 ${paced.p99Ms?.toFixed(2)} ms**, p99.9 ${(paced.extra.p999Ms as number).toFixed(2)} ms, max ${(paced.extra.maxMs as number).toFixed(2)} ms`);
  if (scale) {
    say();
    scaleTable(scale).forEach((l) => say(l));
  }
  const ts = targets(results);
  if (ts.length) {
    say();
    say('## Targets');
    say();
    targetLines(ts, !o.quick).forEach((l) => say(l));
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
