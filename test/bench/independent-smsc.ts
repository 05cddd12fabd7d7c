#!/usr/bin/env node
/**
 * The benchmark's side-by-side section: Kannel's bearerbox (fed by mtbatch), the raw `smpp` client
 * and smpp-send in Node-RED, one after the other, at the same window, against the same independent
 * SMSC (Net::SMPP: net-smpp-bench-smsc.pl), each rate counted at that SMSC (submit_sm per second past
 * the warm-up) and given as a ratio of Kannel's in the same run; plus smpp-send with a receipt per
 * message from that SMSC, matched on smpp-dlr. Kannel missing: its row says so and no ratio is given.
 * Run by `npm run bench` (run.ts); alone: node dist/test/bench/independent-smsc.js [--quick] [--window N]
 */
import type { CaseName, CaseResult, Job } from './jobs';
import { kannelMissing, runKannel } from './kannel-case';
import { NetSmppBenchSmsc } from './net-smpp-bench-smsc';
import { runWorker } from './worker-process';

interface Row {
  label: string;
  smscRate: number | null;
  esmeRate: number | null;
  cpu: string;
  /** CPU µs per message of the ESME process */
  cpuUs: number | null;
  note: string;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function independentSection(opts: { quick: boolean; window: number }, say: (line?: string) => void, failures: string[]): Promise<void> {
  const q = opts.quick;
  const mark = q ? 100 : 1000;
  const warmup = q ? 100 : 3000;
  const count = q ? 300 : 30_000;
  const smsc = await NetSmppBenchSmsc.start(mark);
  const rows: Row[] = [];
  let kannelRate: number | null = null;
  let kannelNote = '';
  try {
    const target = { host: '127.0.0.1', port: smsc.port, systemId: 'bench', password: 'bench' };
    const base: Omit<Job, 'case'> = { smsc: target, window: opts.window, count, warmup, inFlight: opts.window * 4, rate: 0, seconds: 0, sizes: [], timeoutMs: q ? 60_000 : 300_000 };

    const missing = kannelMissing();
    if (missing) {
      kannelNote = `not run: ${missing}`;
      process.stderr.write(`bench: Kannel case skipped: ${missing}\n`);
    } else {
      process.stderr.write('bench: kannel (bearerbox + mtbatch, Net::SMPP SMSC) ...\n');
      try {
        const k = await runKannel(smsc, opts.window, warmup + count, base.timeoutMs);
        await smsc.waitClosed(k.conn, 15_000);
        const r = smsc.rate(k.conn, warmup);
        kannelRate = r?.rate ?? null;
        const cpu = k.bearerboxCpuMs !== null ? `bearerbox ${Math.round((k.bearerboxCpuMs / k.wallMs) * 100)}% (${((k.bearerboxCpuMs * 1000) / k.total).toFixed(0)} µs/msg)` : '';
        rows.push({ label: 'Kannel 1.4.5 bearerbox (max-pending-submits = window), fed by mtbatch', smscRate: kannelRate, esmeRate: null, cpu, cpuUs: k.bearerboxCpuMs !== null ? (k.bearerboxCpuMs * 1000) / k.total : null, note: `mtbatch handed over ${fmt(warmup + count)} in ${(k.mtbatchMs / 1000).toFixed(1)} s` });
        process.stderr.write(`bench: kannel: ${kannelRate ? fmt(kannelRate) : '?'} submit_sm/s at the SMSC\n`);
      } catch (err) {
        kannelNote = `FAILED: ${(err as Error).message.slice(0, 300)}`;
        failures.push(`Kannel case: ${(err as Error).message}`);
      }
    }

    const cases: { c: CaseName; label: string }[] = [
      { c: 'raw-window', label: '`smpp` 0.5.1 client, window' },
      { c: 'node-send', label: '**smpp-send** in Node-RED, counted on its sent output' },
      { c: 'node-dlr', label: '**smpp-send + a receipt per message from the SMSC, matched on smpp-dlr**' },
    ];
    for (const { c, label } of cases) {
      process.stderr.write(`bench: ${c} (Net::SMPP SMSC) ...\n`);
      try {
        const bound = smsc.bound;
        const r: CaseResult = await runWorker({ ...base, case: c }, null);
        const conn = bound + 1;
        await smsc.waitClosed(conn, 15_000);
        const at = smsc.rate(conn, warmup);
        const cpu = `${Math.round((r.cpuMs / r.wallMs) * 100)}% (${((r.cpuMs * 1000) / r.count).toFixed(0)} µs/msg)`;
        const note = c === 'node-dlr' ? `ESME-side: receipts matched on smpp-dlr per second (${String(r.extra.unmatched)} unmatched, ${String(r.extra.failed)} failed); ${smsc.closed.get(conn)?.replace(/^CLOSED \d+ /, 'SMSC: ') ?? ''}` : '';
        rows.push({ label, smscRate: at?.rate ?? null, esmeRate: r.rate, cpu, cpuUs: (r.cpuMs * 1000) / r.count, note, c } as Row & { c: CaseName });
        process.stderr.write(`bench: ${c}: ${at ? fmt(at.rate) : '?'} submit_sm/s at the SMSC, ${fmt(r.rate)}/s on our side\n`);
      } catch (err) {
        failures.push(`${c} (Net::SMPP SMSC): ${(err as Error).message}`);
      }
    }
  } finally {
    await smsc.stop();
  }
  say();
  say(`## Side by side on an independent SMSC: Kannel, the raw client, smpp-send`);
  say();
  say(`- SMSC: Net::SMPP ${'(libnet-smpp-perl)'} in its own process (test/bench/net-smpp-bench-smsc.pl), answering each submit_sm at once; the same process for every row, one ESME connection at a time`);
  say(`- window ${opts.window} for every ESME; ${fmt(warmup)} warm-up then ${fmt(count)} measured messages each; **submit_sm/s counted at the SMSC** (Net::SMPP's decoding costs CPU there: these rates are lower than with our simulator and the SMSC shares the 2 cores)`);
  say(`- CPU of the ESME process: Kannel's bearerbox over its whole run (warm-up included; mtbatch, the injector, not counted); ours over the measured part (the Node-RED process includes the upstream node that injects)`);
  say();
  say('| ESME | submit_sm/s at the SMSC | vs Kannel | our side, msg/s | CPU of the ESME process | |');
  say('|---|--:|--:|--:|--:|---|');
  if (kannelRate === null) say(`| Kannel 1.4.5 bearerbox fed by mtbatch | - | - | - | - | ${kannelNote} |`);
  for (const r of rows) {
    const ratio = r.smscRate !== null && kannelRate ? `${(r.smscRate / kannelRate).toFixed(2)}x` : '-';
    say(`| ${r.label} | **${r.smscRate !== null ? fmt(r.smscRate) : '?'}** | ${ratio} | ${r.esmeRate !== null ? fmt(r.esmeRate) : '-'} | ${r.cpu} | ${r.note} |`);
  }
  const kannel = kannelRate !== null ? rows[0] : null;
  const send = rows.find((r) => (r as Row & { c?: CaseName }).c === 'node-send');
  const raw = rows.find((r) => (r as Row & { c?: CaseName }).c === 'raw-window');
  if (kannel && send && raw && kannel.smscRate && send.smscRate && raw.smscRate) {
    const rates = [kannel.smscRate, send.smscRate, raw.smscRate];
    const spread = Math.max(...rates) / Math.min(...rates);
    say();
    say(`smpp-send / Kannel: **${(send.smscRate / kannel.smscRate).toFixed(2)}x** in submit_sm/s, raw client / Kannel: ${(raw.smscRate / kannel.smscRate).toFixed(2)}x` +
      (kannel.cpuUs !== null && send.cpuUs !== null ? `; CPU per message: smpp-send ${send.cpuUs.toFixed(0)} µs, Kannel's bearerbox ${kannel.cpuUs.toFixed(0)} µs (${(send.cpuUs / kannel.cpuUs).toFixed(2)}x)` : '') + '.');
    if (spread < 1.15) say(`The three rates are within ${Math.round((spread - 1) * 100)}% of one another: at this rate the Net::SMPP SMSC, not the ESMEs, sets the pace.`);
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const wi = argv.indexOf('--window');
  const window = wi >= 0 ? Number(argv[wi + 1]) : 64;
  const failures: string[] = [];
  independentSection({ quick: argv.includes('--quick'), window }, (l = '') => process.stdout.write(`${l}\n`), failures).then(
    () => {
      for (const f of failures) process.stdout.write(`- FAILED: ${f}\n`);
      process.exit(failures.length ? 1 : 0);
    },
    (err) => {
      process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
