/** A redis-server of our own for tests: 127.0.0.1, a free port, no RDB, no AOF, a temp dir. */
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { freePort } from './free-port';

export { freePort } from './free-port';

/** Starts redis-server (the Debian package, see .ci/install-peers.sh) in `dir`, or a new temp dir. */
export async function startRedis(dir?: string): Promise<{ port: number; proc: ChildProcess; dir: string }> {
  const port = await freePort();
  const where = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-redis-'));
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', where, '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`redis-server not ready within 10 s:\n${out}`)), 10_000);
    proc.on('error', (e) => {
      clearTimeout(t);
      reject(new Error(`cannot run redis-server (install it: .ci/install-peers.sh): ${e.message}`));
    });
    proc.on('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`redis-server exited (${code}):\n${out}`));
    });
    const seen = (d: Buffer) => {
      out += d;
      if (/Ready to accept connections/.test(out)) {
        clearTimeout(t);
        resolve();
      }
    };
    proc.stdout?.on('data', seen);
    proc.stderr?.on('data', seen);
  });
  proc.removeAllListeners('exit');
  return { port, proc, dir: where };
}
