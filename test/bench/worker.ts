/**
 * One benchmark case in its own process (so that its CPU time and peak RSS
 * are its own): node dist/test/bench/worker.js '<job JSON>'. Prints
 * 'RESULT <json>' last; exits 0, or 1 with the error on stderr.
 */
import { CaseResult, Job, RESULT_PREFIX } from './jobs';
import { runMemory } from './memory-case';
import { runNodeDlr, runNodeMo, runNodeSend, runPaced, runScale } from './node-cases';
import { runRaw } from './raw-client';
import { SimLink } from './sim-link';
import { runSoak } from './soak';

async function run(job: Job, sim: SimLink): Promise<CaseResult> {
  switch (job.case) {
    case 'raw-naive':
    case 'raw-window':
      return runRaw(job, sim);
    case 'node-send':
      return runNodeSend(job, sim);
    case 'node-dlr':
      return runNodeDlr(job, sim);
    case 'node-mo':
      return runNodeMo(job, sim);
    case 'scale':
      return runScale(job, sim);
    case 'paced':
      return runPaced(job, sim);
    case 'memory':
      return runMemory(job);
    case 'soak':
      return runSoak(job, sim);
  }
}

if (require.main === module) {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job;
  const sim = new SimLink();
  // the job's own bound: a worker never outlives it, whatever hangs
  const guard = setTimeout(() => {
    process.stderr.write(`bench worker ${job.case}: over its time limit of ${job.timeoutMs + 30_000} ms\n`);
    process.exit(1);
  }, job.timeoutMs + 30_000);
  guard.unref();
  run(job, sim).then(
    (r) => {
      process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(r)}\n`, () => process.exit(0));
    },
    (err: Error) => {
      process.stderr.write(`bench worker ${job.case}: ${err.stack ?? err}\n`);
      process.exit(1);
    },
  );
}
