#!/usr/bin/env node
// `npm test` after the build: checks the Debian peers (installing them when it can), fetches the
// Node.js and Node-RED versions of the matrix from npm, then runs one job per version:
//   every suite once on Node-RED 4.1 (the devDependency) with Node.js 20;
//   the Node-RED-facing suites (profiles 'runtime' and 'editor' of test/guards/expected.json) on
//   Node-RED 5.0 with Node.js 22 and on Node-RED 3.1 (the oldest we declare) with Node.js 18;
//   the several-instance suites (profile 'shared', real Node-RED processes on one redis-server)
//   also on 5.0, the release users have today.
//   (playwright-core needs Node.js 20: on 3.1 the browser test runs on 20 and the Node-RED it
//   starts on 18, through SMPP_GW_RED_NODE.)
// Each run is a child `test/run.js` with a whole-run time limit: past it, its process group is
// killed and the run fails. Usage: node test/matrix/run-all.js [job ...]  (4.1 5.0 3.1; default all)
'use strict';
const { spawn, spawnSync } = require('child_process');
const path = require('path');
const fs = require('fs');
const { nodeBinary, nodeRedInstall } = require('./fetch');

const ROOT = path.join(__dirname, '..', '..');
// a run: Node-RED version, the Node.js that runs test/run.js, the one that runs a spawned
// Node-RED (redNode, default the same), the profile, the time limit
const JOBS = [
  { name: '4.1', nodeRed: '4.1', node: 20, profile: 'full', limitMin: 20 },
  { name: '5.0', nodeRed: '5.0', node: 22, profile: 'runtime', limitMin: 8 },
  { name: '5.0', nodeRed: '5.0', node: 22, profile: 'editor', limitMin: 5 },
  { name: '5.0', nodeRed: '5.0', node: 22, profile: 'shared', limitMin: 8 },
  { name: '3.1', nodeRed: '3.1', node: 18, profile: 'runtime', limitMin: 8 },
  { name: '3.1', nodeRed: '3.1', node: 20, redNode: 18, profile: 'editor', limitMin: 5 },
];

function peers() {
  const script = path.join(ROOT, '.ci', 'install-peers.sh');
  if (spawnSync('bash', [script, '--check'], { stdio: 'inherit' }).status === 0) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!root || !apt) {
    console.error(`\nnpm test: the Debian peers above are missing. Run this once, then npm test again:\n\n    sudo bash .ci/install-peers.sh\n`);
    process.exit(1);
  }
  console.log('npm test: installing the missing Debian peers with .ci/install-peers.sh');
  if (spawnSync('bash', [script], { stdio: 'inherit' }).status !== 0) {
    console.error('npm test: .ci/install-peers.sh failed (see above)');
    process.exit(1);
  }
}

function runJob(job, bin, redBin, install) {
  const args = [path.join(ROOT, 'test', 'run.js'), '--profile', job.profile];
  if (install) args.push('--node-red', install);
  const env = { ...process.env };
  if (redBin !== bin) env.SMPP_GW_RED_NODE = redBin;
  else delete env.SMPP_GW_RED_NODE;
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(bin, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    let tail = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      tail = (tail + d).slice(-4000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\nmatrix: job Node-RED ${job.nodeRed} passed its time limit of ${job.limitMin} min: killing it`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, job.limitMin * 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // the job's Node-RED children too, if a test left one behind
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // none left
      }
      const line = (tail.match(/^tests: .*$/m) || ['(no result line)'])[0];
      resolve({ job, ok: code === 0 && !timedOut, code, signal, timedOut, seconds: Math.round((Date.now() - started) / 1000), line });
    });
  });
}

async function main() {
  const wanted = process.argv.slice(2);
  const jobs = wanted.length ? JOBS.filter((j) => wanted.includes(j.name)) : JOBS;
  if (!jobs.length) throw new Error(`no such job: ${wanted.join(' ')} (jobs: ${JOBS.map((j) => j.name).join(' ')})`);
  peers();
  const devVersion = JSON.parse(fs.readFileSync(require.resolve('node-red/package.json', { paths: [ROOT] }), 'utf8')).version;
  const plan = jobs.map((job) => ({ job, bin: nodeBinary(job.node), redBin: nodeBinary(job.redNode ?? job.node), install: nodeRedInstall(job.nodeRed, devVersion) }));
  const results = [];
  for (const { job, bin, redBin, install } of plan) {
    const on = job.redNode ? `Node.js ${job.node} (the Node-RED it starts on ${job.redNode})` : `Node.js ${job.node}`;
    console.log(`\n=== matrix: Node-RED ${job.nodeRed} with ${on}, profile ${job.profile}, limit ${job.limitMin} min ===`);
    results.push(await runJob(job, bin, redBin, install));
  }
  console.log('\n=== matrix summary ===');
  for (const r of results) {
    const how = r.timedOut ? `KILLED after ${r.job.limitMin} min` : r.ok ? 'passed' : `FAILED (exit ${r.code ?? r.signal})`;
    const on = r.job.redNode ? `${r.job.node}, Node-RED on ${r.job.redNode}` : `${r.job.node}`;
    console.log(`Node-RED ${r.job.nodeRed} / Node.js ${on} [${r.job.profile}]: ${how} in ${r.seconds} s; ${r.line}`);
  }
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}

module.exports = { JOBS };
if (require.main === module) {
  main().catch((e) => {
    console.error(`matrix: ${e.message}`);
    process.exit(1);
  });
}
