/**
 * The benchmark's independent SMSC (net-smpp-bench-smsc.pl, Net::SMPP) in its own process:
 * started, read (its MARK / BOUND / CLOSED lines), and asked for the submit rate a connection
 * reached at the SMSC: submits counted there, from the first mark past the warm-up to the last.
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { createInterface } from 'readline';

const SCRIPT = path.join(__dirname, '..', '..', '..', 'test', 'bench', 'net-smpp-bench-smsc.pl');

export interface Mark {
  conn: number;
  submits: number;
  at: number;
}

export class NetSmppBenchSmsc {
  readonly marks: Mark[] = [];
  readonly closed = new Map<number, string>();
  bound = 0;
  log = '';
  private constructor(private readonly child: ChildProcess, readonly port: number) {}

  static start(markEvery: number): Promise<NetSmppBenchSmsc> {
    const child = spawn('perl', [SCRIPT, '--receipts', '--mark', String(markEvery), '--max-seconds', '7200'], { stdio: ['ignore', 'pipe', 'pipe'] });
    return new Promise((resolve, reject) => {
      let smsc: NetSmppBenchSmsc | null = null;
      const timer = setTimeout(() => reject(new Error('Net::SMPP bench SMSC: not listening within 10 s')), 10_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (!smsc) reject(new Error(`Net::SMPP bench SMSC exited (${code}): ${stderr.slice(-500)}`));
      });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const [word, a, b, c] = line.split(' ');
        if (word === 'LISTENING') {
          clearTimeout(timer);
          smsc = new NetSmppBenchSmsc(child, Number(a));
          resolve(smsc);
        } else if (!smsc) return;
        else if (word === 'MARK') smsc.marks.push({ conn: Number(a), submits: Number(b), at: Number(c) });
        else if (word === 'BOUND') smsc.bound++;
        else if (word === 'CLOSED') smsc.closed.set(Number(a), line);
        if (smsc && word !== 'MARK') smsc.log = (smsc.log + line + '\n').slice(-4000);
      });
    });
  }

  /** The newest connection that has marks. */
  lastConn(): number {
    return this.marks.length ? this.marks[this.marks.length - 1].conn : 0;
  }

  /** Submits per second at the SMSC on connection `conn`, past the first `warmup` submits. */
  rate(conn: number, warmup: number): { rate: number; submits: number; seconds: number } | null {
    const m = this.marks.filter((x) => x.conn === conn);
    const from = m.find((x) => x.submits >= warmup);
    const to = m[m.length - 1];
    if (!from || !to || to.submits === from.submits) return null;
    const seconds = to.at - from.at;
    return { rate: (to.submits - from.submits) / seconds, submits: to.submits - from.submits, seconds };
  }

  /** Resolves when connection `conn` is closed (its CLOSED line), or after `ms`. */
  async waitClosed(conn: number, ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (!this.closed.has(conn) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    return this.closed.has(conn);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}
