/**
 * The SMSC for the benchmark: our simulator's CLI in its own process, driven
 * through its --control channel (stats, mo-burst, failure, drop).
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { LineChannel } from './line-channel';

const CLI = path.join(__dirname, '..', '..', 'src', 'simulator', 'cli.js');
const READY = /SMSC simulator listening on ([^\s:]+):(\d+)/;

export interface SimStats {
  submits: number;
  receiptsSent: number;
  mosSent: number;
  sessions: number;
  cpuUserUs: number;
  cpuSystemUs: number;
  rss: number;
  maxRss: number;
  heapUsed: number;
  [key: string]: number;
}

export class SimProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly host: string,
    readonly port: number,
    private readonly channel: LineChannel,
    readonly output: () => string,
  ) {}

  static start(extraArgs: string[] = []): Promise<SimProcess> {
    const child = spawn(process.execPath, [CLI, '--host', '127.0.0.1', '--port', '0', '--accept-any', '--quiet', '--control', ...extraArgs], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let log = '';
    child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    return new Promise<SimProcess>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the simulator printed no ready line within 10 s: ${log}`));
      }, 10_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the simulator exited (${code}) before it was ready: ${log}`));
      });
      let sim: SimProcess | null = null;
      const channel = new LineChannel(child.stdout!, (line) => child.stdin!.write(`${line}\n`), '', (line) => {
        const m = READY.exec(line);
        if (m && !sim) {
          clearTimeout(timer);
          sim = new SimProcess(child, m[1], Number(m[2]), channel, () => log);
          resolve(sim);
        } else {
          log = (log + line + '\n').slice(-4000);
        }
      });
    });
  }

  /** A control command; resolves with the answer after the command word. */
  async command(cmd: string, timeoutMs = 10_000): Promise<string> {
    const answer = await this.channel.request(cmd, timeoutMs);
    if (answer.startsWith('error')) throw new Error(`simulator: ${cmd.split(' ')[0]}: ${answer}`);
    return answer;
  }

  async stats(): Promise<SimStats> {
    return JSON.parse(await this.command('stats')) as SimStats;
  }

  /** SIGTERM, then SIGKILL if it has not exited within 3 s. */
  stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    this.channel.fail(new Error('simulator stopped'));
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 3000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
