/** Runs one job in a worker process, relaying its simulator commands; resolves with its result. */
import { spawn } from 'child_process';
import * as path from 'path';
import { createInterface } from 'readline';
import { CaseResult, Job, RESULT_PREFIX } from './jobs';
import { SIM_ANSWER, SIM_REQUEST } from './sim-link';
import type { SimProcess } from './sim-process';

const WORKER = path.join(__dirname, 'worker.js');

export function runWorker(job: Job, sim: SimProcess | null, onLog: (line: string) => void = () => undefined): Promise<CaseResult> {
  // BENCH_NODE_ARGS: extra node flags for the workers, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof'
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, ['--expose-gc', ...nodeArgs, WORKER, JSON.stringify(job)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let result: CaseResult | null = null;
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
  child.stdin!.on('error', () => undefined);
  const rl = createInterface({ input: child.stdout!, terminal: false });
  rl.on('line', (line) => {
    if (line.startsWith(RESULT_PREFIX)) {
      result = JSON.parse(line.slice(RESULT_PREFIX.length)) as CaseResult;
    } else if (line.startsWith(SIM_REQUEST)) {
      const cmd = line.slice(SIM_REQUEST.length);
      const word = cmd.split(' ', 1)[0];
      const reply = (answer: string) => {
        if (child.stdin!.writable) child.stdin!.write(`${SIM_ANSWER}${word} ${answer}\n`);
      };
      if (!sim) reply('error unavailable (the SMSC is not our simulator)');
      else sim.command(cmd, job.timeoutMs).then(reply, (err: Error) => reply(`error ${err.message}`));
    } else if (line.trim()) {
      onLog(line);
    }
  });
  return new Promise<CaseResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${job.case}: the worker did not finish within ${job.timeoutMs + 60_000} ms`));
    }, job.timeoutMs + 60_000);
    // 'close' comes after the process exited and its output was read to the end
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && result) resolve(result);
      else reject(new Error(`${job.case}: worker exited (${code ?? signal}): ${stderr.trim() || 'no result'}`));
    });
  });
}
