/**
 * Kannel 1.4.5 (Debian package `kannel`) as the ESME beside ours: bearerbox bound in transceiver
 * mode to the benchmark's independent SMSC with max-pending-submits = our window, fed by mtbatch
 * (Kannel's own MT injector, connected to bearerbox's smsbox port: one message per receiver line).
 * Its rate is counted at the SMSC, as ours is in the same section. Nothing here is estimated: when
 * bearerbox or mtbatch is missing the case is not run and the report says so.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from '../helpers/free-port';
import type { NetSmppBenchSmsc } from './net-smpp-bench-smsc';
import { BENCH_TEXT } from './raw-client';

export const BEARERBOX = '/usr/sbin/bearerbox';
export const MTBATCH = '/usr/bin/mtbatch';

/** Why Kannel cannot run here, or null when it can. */
export function kannelMissing(): string | null {
  for (const bin of [BEARERBOX, MTBATCH]) {
    try {
      fs.accessSync(bin, fs.constants.X_OK);
    } catch {
      return `${bin} is not installed (Debian package kannel: \`sudo bash .ci/install-peers.sh\`)`;
    }
  }
  return null;
}

/** user + system CPU of a live process, ms (from /proc). */
function cpuMsOf(pid: number | undefined): number | null {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

function until(check: () => boolean, ms: number, what: string, child?: ChildProcess, log?: () => string): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (child && child.exitCode !== null) return reject(new Error(`Kannel case: ${what}: the process exited (${child.exitCode}) ${log?.() ?? ''}`));
      if (Date.now() > end) return reject(new Error(`Kannel case: ${what} not within ${ms} ms ${log?.() ?? ''}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface KannelResult {
  conn: number;
  total: number;
  /** bearerbox's CPU from its bind to the last message counted at the SMSC (warm-up included), ms */
  bearerboxCpuMs: number | null;
  /** the same span, wall clock, ms */
  wallMs: number;
  mtbatchMs: number;
}

/** Sends `total` messages through bearerbox to `smsc` (bound as bench/bench); resolves when the SMSC counted them all. */
export async function runKannel(smsc: NetSmppBenchSmsc, window: number, total: number, timeoutMs: number): Promise<KannelResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-gw-kannel-'));
  const [adminPort, boxPort] = [await freePort(), await freePort()];
  const conf = path.join(dir, 'kannel.conf');
  fs.writeFileSync(
    conf,
    [
      'group = core', `admin-port = ${adminPort}`, 'admin-password = bench', `smsbox-port = ${boxPort}`, 'box-allow-ip = 127.0.0.1',
      `log-file = "${path.join(dir, 'bearerbox.log')}"`, 'log-level = 3', 'dlr-storage = internal', 'sms-incoming-queue-limit = -1', '',
      'group = smsbox', 'bearerbox-host = 127.0.0.1', '',
      'group = smsc', 'smsc = smpp', 'smsc-id = bench', 'host = 127.0.0.1', `port = ${smsc.port}`, 'transceiver-mode = true',
      'smsc-username = bench', 'smsc-password = bench', 'system-type = ""', `max-pending-submits = ${window}`, 'enquire-link-interval = 30', 'log-level = 3', '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'content.txt'), `${BENCH_TEXT}\n`);
  fs.writeFileSync(path.join(dir, 'receivers.txt'), Array.from({ length: total }, (_, i) => `4670${String(i).padStart(7, '0')}`).join('\n') + '\n');
  let bbLog = '';
  const boundBefore = smsc.bound;
  const bb = spawn(BEARERBOX, ['-v', '3', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  bb.stdout!.on('data', (d: Buffer) => (bbLog = (bbLog + d.toString()).slice(-3000)));
  bb.stderr!.on('data', (d: Buffer) => (bbLog = (bbLog + d.toString()).slice(-3000)));
  let mt: ChildProcess | null = null;
  try {
    await until(() => smsc.bound > boundBefore, 20_000, 'bearerbox bound to the SMSC', bb, () => bbLog);
    const conn = smsc.bound; // one bind per connection: the n-th bind is connection n
    const cpu0 = cpuMsOf(bb.pid);
    const t0 = Date.now();
    let mtLog = '';
    mt = spawn(MTBATCH, ['-v', '3', '-b', '127.0.0.1', '-p', String(boxPort), '-f', 'ACME', '-r', 'bench', path.join(dir, 'content.txt'), path.join(dir, 'receivers.txt')], { stdio: ['ignore', 'pipe', 'pipe'] });
    mt.stdout!.on('data', (d: Buffer) => (mtLog = (mtLog + d.toString()).slice(-3000)));
    mt.stderr!.on('data', (d: Buffer) => (mtLog = (mtLog + d.toString()).slice(-3000)));
    const mtDone = new Promise<number>((resolve) => mt!.once('exit', () => resolve(Date.now() - t0)));
    const last = () => smsc.marks.filter((m) => m.conn === conn).pop()?.submits ?? 0;
    await until(() => last() >= total, timeoutMs, `the SMSC to count ${total} submits from bearerbox (got ${last()})`, bb, () => `\nbearerbox: ${bbLog}\nmtbatch: ${mtLog}`);
    const cpu1 = cpuMsOf(bb.pid);
    const mtbatchMs = await Promise.race([mtDone, new Promise<number>((r) => setTimeout(() => r(-1), 10_000))]);
    const wallMs = Date.now() - t0;
    return { conn, total, bearerboxCpuMs: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null, wallMs, mtbatchMs };
  } finally {
    if (mt) await stop(mt);
    await stop(bb);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
