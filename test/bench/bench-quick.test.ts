/**
 * The benchmark's quick mode (CI): `node dist/test/bench/run.js --quick`
 * runs every case with tiny counts against the simulator in its own process
 * and prints the report. This proves that it runs, that each case produced
 * its row, and that no child process is left behind. It asserts nothing about
 * speed: the figures of a quick run mean nothing.
 */
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as net from 'net';
import * as path from 'path';
import { parseBenchArgs } from './options';

const RUN = path.join(__dirname, 'run.js');

function runBench(args: string[], timeoutMs: number): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the benchmark did not finish within ${timeoutMs} ms; stderr: ${err.slice(-2000)}`));
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

describe('benchmark (npm run bench), quick mode', function () {
  this.timeout(240_000);

  it('runs every case and prints the results, the memory, growth and latency figures and the targets', async () => {
    const { code, out, err } = await runBench(['--quick'], 200_000);
    assert.equal(code, 0, `exit code; stderr: ${err.slice(-3000)}`);
    for (const heading of ['# node-red-contrib-smpp-gateway benchmark (quick mode', '- machine: ', '- command: npm run bench -- --quick', '## Throughput', '## Memory, growth, latency', '## Targets']) {
      assert.ok(out.includes(heading), `output has '${heading}':\n${out}`);
    }
    const rows = ['client, one at a time (naive)', 'client, window (baseline)', 'smpp-send, counted on sent output', 'matched on smpp-dlr', 'counted on smpp-receive'];
    for (const r of rows) {
      const line = out.split('\n').find((l) => l.includes(r));
      assert.ok(line, `a row for '${r}'`);
      // messages, msg/s, ratio, p50, p99 are figures
      const cells = line!.split('|').map((c) => c.trim());
      assert.match(cells[2], /^[\d,]+$/, `messages in ${line}`);
      assert.match(cells[3], /^\*\*[\d,]+\*\*$/, `msg/s in ${line}`);
      assert.match(cells[4], /^\d+\.\d\dx$/, `ratio in ${line}`);
    }
    assert.match(out, /memory per pending correlation .*: \*\*\d+ bytes\*\*/);
    assert.match(out, /latency at a paced 200 msg\/s .* \*\*p99 [\d.]+ ms\*\*/);
    assert.match(out, /\| 1,000 \| [\d.]+ \| [\d,]+ \|/, 'the growth table has its largest run');
    assert.ok(!out.includes('FAILED'), out);
    assert.ok(out.includes('not judged (quick mode)'));
    // every child is gone: the simulator's port no longer answers
    const m = /on 127\.0\.0\.1:(\d+), receipts/.exec(out);
    assert.ok(m, 'the simulator port is printed');
    assert.ok(await refused(Number(m![1])), 'the simulator process was stopped');
  });

  it('refuses bad flags with its usage and reads the good ones', async () => {
    const { code, err } = await runBench(['--bogus'], 20_000);
    assert.equal(code, 2);
    assert.match(err, /Usage: npm run bench/);
    const o = parseBenchArgs(['--smsc', 'smsc.example:2775', '--window', '32', '--only', 'raw-window,node-send', '--soak', '60']);
    assert.deepEqual(o.smsc, { host: 'smsc.example', port: 2775 });
    assert.equal(o.window, 32);
    assert.deepEqual(o.only, ['raw-window', 'node-send']);
    assert.equal(o.soakSeconds, 60);
    assert.throws(() => parseBenchArgs(['--smsc', 'nohost']), /HOST:PORT/);
    assert.throws(() => parseBenchArgs(['--only', 'everything']), /unknown case/);
    assert.throws(() => parseBenchArgs(['--window', '0']), /--window/);
  });
});
