/**
 * A peer program (an SMSC we did not write) run as a child process: its
 * output is kept for assertion messages, every wait is bounded, and stop()
 * ends it with SIGTERM, then SIGKILL after a bound.
 */
import { ChildProcess, spawn } from 'child_process';
import { waitFor } from './wait-for';

export interface PeerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class PeerProcess {
  readonly child: ChildProcess;
  private out = '';
  private stdoutText = '';
  private exitInfo: PeerExit | null = null;
  private spawnError: Error | null = null;
  readonly exited: Promise<PeerExit>;

  constructor(readonly label: string, command: string, args: string[], cwd?: string) {
    this.child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (c: Buffer) => {
      const text = c.toString('latin1');
      this.out += text;
      this.stdoutText += text;
    });
    this.child.stderr?.on('data', (c: Buffer) => (this.out += c.toString('latin1')));
    this.exited = new Promise((resolve) => {
      this.child.on('error', (e) => {
        this.spawnError = e;
        this.exitInfo = { code: null, signal: null };
        resolve(this.exitInfo);
      });
      // 'close', not 'exit': by then its stdout and stderr have been read to the end
      this.child.on('close', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  /** stdout alone (for peers that print their report there and warnings on stderr) */
  get stdout(): string {
    return this.stdoutText;
  }

  /** stdout and stderr as they came */
  get output(): string {
    return this.out;
  }

  get exit(): PeerExit | null {
    return this.exitInfo;
  }

  /** the peer's output, for assertion messages (the tail when long) */
  describe(maxChars = 6000): string {
    const o = this.out.length > maxChars ? `...${this.out.slice(-maxChars)}` : this.out;
    const state = this.spawnError ? `failed to start: ${this.spawnError.message}` : this.exitInfo ? `exited ${JSON.stringify(this.exitInfo)}` : 'running';
    return `\n--- ${this.label} (${state}) output ---\n${o}\n--- end of ${this.label} output ---`;
  }

  /** Waits for a line of output matching `re`; fails early if the peer exits. */
  async waitForOutput(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return waitFor(
      () => {
        const m = this.out.match(re);
        if (m) return m;
        if (this.exitInfo) throw new Error(`${this.label} exited before printing ${re}${this.describe()}`);
        return null;
      },
      timeoutMs,
      () => `${this.label} to print ${re}${this.describe()}`,
    );
  }

  /** Waits until `check()` holds; fails early if the peer exits. */
  async waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    await waitFor(
      () => {
        if (check()) return true;
        if (this.exitInfo) throw new Error(`${this.label} exited while waiting for ${what}${this.describe()}`);
        return false;
      },
      timeoutMs,
      () => `${what}${this.describe()}`,
    );
  }

  /** Waits at most `timeoutMs` for the peer to end by itself; null if it did not. */
  async waitForExit(timeoutMs: number): Promise<PeerExit | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((r) => (timer = setTimeout(() => r(null), timeoutMs)));
    const result = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    return result;
  }

  /** Ends the peer: SIGTERM, then SIGKILL if it is still there after `graceMs`. Never rejects. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.exitInfo) return;
    this.child.kill('SIGTERM');
    if (await this.waitForExit(graceMs)) return;
    this.child.kill('SIGKILL');
    await this.waitForExit(2000);
  }
}
