/**
 * What every several-instance test here sets up and takes down: a temp
 * dir, a real redis-server in it with an admin client, the Node-RED child
 * processes, and (most tests) our simulator; plus the instances' last log
 * lines for a failure message.
 */
import { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RedisAdmin, redisAdmin, startRedis, stopRedis } from '../helpers/redis-server';
import type { RedChild } from '../helpers/red-child';

/** redis-server options that keep what it held across a restart (append-only file, written at once) */
export const APPEND_ONLY = ['--appendonly', 'yes', '--appendfsync', 'always'];

export interface RigRedis {
  dir: string;
  redis: { port: number; proc: ChildProcess };
  admin: RedisAdmin;
}

/** A temp dir named for the test, a redis-server in it (`args`: more options) and an admin client. */
export async function openRedis(tag: string, args: string[] = []): Promise<RigRedis> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `smpp-gw-${tag}-`));
  const redis = await startRedis(dir, { args });
  return { dir, redis, admin: await redisAdmin(redis.port) };
}

/** The last log lines of each instance, for an assertion's message. */
export function logsOf(instances: { name: string; red: RedChild }[]): string {
  return instances.map((i) => `--- ${i.name} ---\n${i.red.log().slice(-2500)}`).join('\n');
}

/** Takes down whatever of it was set up (each part may be missing: a before() that failed half-way). */
export async function closeRig(parts: {
  instances?: { red: RedChild }[];
  sim?: { stop(): Promise<unknown> } | null;
  admin?: RedisAdmin | null;
  redis?: ChildProcess | null;
  dir?: string;
}): Promise<void> {
  await Promise.all((parts.instances ?? []).map((i) => i.red.dispose()));
  await parts.sim?.stop();
  await parts.admin?.close().catch(() => undefined);
  await stopRedis(parts.redis ?? null);
  if (parts.dir) fs.rmSync(parts.dir, { recursive: true, force: true });
}
