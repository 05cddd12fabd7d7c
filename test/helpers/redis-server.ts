/**
 * A redis-server of our own for tests: 127.0.0.1, a free port, no RDB, no AOF, a temp dir;
 * an admin client on it, and the settings.js contextStorage that names our Redis context store.
 */
import { spawn, ChildProcess } from 'child_process';
import { createClient } from 'redis';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from './free-port';

export { freePort } from './free-port';

/**
 * Starts redis-server (the Debian package, see .ci/install-peers.sh) in `dir`, or a new temp dir;
 * `opts.port` (a restart on the same port), `opts.args` (more options, later ones win, e.g. --appendonly yes).
 */
export async function startRedis(dir?: string, opts: { port?: number; args?: string[] } = {}): Promise<{ port: number; proc: ChildProcess; dir: string }> {
  const port = opts.port ?? (await freePort());
  const where = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-redis-'));
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', where, '--daemonize', 'no', ...(opts.args ?? [])], {
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

/** SIGTERM to a redis-server (null or already gone: nothing); SIGKILL after `ms`. */
export function stopRedis(proc: ChildProcess | null, ms = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const t = setTimeout(() => {
      proc.kill('SIGKILL');
      resolve();
    }, ms);
    proc.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

/** A connected client on the test's redis-server, to inspect what the store wrote; its errors are ignored. */
export async function redisAdmin(port: number) {
  const admin = createClient({ url: `redis://127.0.0.1:${port}` });
  admin.on('error', () => undefined);
  await admin.connect();
  return admin;
}

export type RedisAdmin = Awaited<ReturnType<typeof redisAdmin>>;

/** Our Redis context store as built (dist/nodes/context-store/redis.js), as settings.js requires it. */
export const REDIS_STORE_MODULE = path.join(__dirname, '..', '..', 'nodes', 'context-store', 'redis.js');

/** settings.js source for a `contextStorage` property: memory by default, store 'redis' on the test's redis-server. */
export function redisContextStorage(port: number, prefix: string, ttlSeconds: number): string {
  return `contextStorage: {
    default: { module: 'memory' },
    redis: { module: require(${JSON.stringify(REDIS_STORE_MODULE)}), config: { url: 'redis://127.0.0.1:${port}', prefix: ${JSON.stringify(prefix)}, ttlSeconds: ${ttlSeconds} } },
  },`;
}
