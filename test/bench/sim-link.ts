/**
 * A worker's way to the simulator's control channel: the driver relays
 * 'SIM <command>' lines from the worker's stdout to the simulator and the
 * answers back as 'SIMR <command word> <answer>' lines on the worker's stdin.
 * Against an SMSC that is not ours every command answers 'error unavailable'.
 */
import { LineChannel } from './line-channel';
import type { SimStats } from './sim-process';

export const SIM_REQUEST = 'SIM ';
export const SIM_ANSWER = 'SIMR ';

export class SimLink {
  private readonly channel = new LineChannel(process.stdin, (line) => process.stdout.write(`${SIM_REQUEST}${line}\n`), SIM_ANSWER);

  async command(cmd: string, timeoutMs = 10_000): Promise<string> {
    const answer = await this.channel.request(cmd, timeoutMs);
    if (answer.startsWith('error')) throw new Error(`simulator ${cmd.split(' ')[0]}: ${answer}`);
    return answer;
  }

  /** The simulator's counters and CPU, or null when the SMSC is not our simulator. */
  async stats(): Promise<SimStats | null> {
    try {
      return JSON.parse(await this.command('stats')) as SimStats;
    } catch {
      return null;
    }
  }

  close(): void {
    this.channel.fail(new Error('worker done'));
    process.stdin.destroy();
  }
}

/** Simulator CPU (user + system, ms) between two stats answers, or null. */
export function simCpuMs(a: SimStats | null, b: SimStats | null): number | null {
  if (!a || !b) return null;
  return (b.cpuUserUs + b.cpuSystemUs - a.cpuUserUs - a.cpuSystemUs) / 1000;
}
