/**
 * A real Node-RED as a child process for tests, the one helper for every test that spawns red.js:
 * the devDependency (4.1) or the version matrix's (test/run.js --node-red), run by this process's
 * Node.js or by SMPP_GW_RED_NODE (the matrix runs Node-RED 3.1 on Node.js 18 while the browser
 * driver needs 20). A fresh user directory gets the flow, its credentials and a settings.js on
 * 127.0.0.1 and a free port; our package is loaded from this repository through nodesDir, or
 * (`linkPackage`) through node_modules/<package> linked to the working tree, or (`prepare`)
 * however the test installs it. `settingsJs` is extra JavaScript source for settings.js
 * properties (so the settings can hold functions or required modules, e.g. a context store);
 * `nodeArgs` go to node itself (e.g. --expose-gc). The child can be stopped and started again
 * on the same user directory. test/package/red-process.ts builds on spawnRed and stopChild.
 */
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from './free-port';

export const ROOT = path.join(__dirname, '..', '..', '..');
export const PACKAGE = 'node-red-contrib-smpp-gateway';

/** Polls `fn` every `every` ms until it returns something other than undefined; rejects after `ms`, with the tail of `log` when given. */
export async function until<T>(fn: () => Promise<T | undefined> | T | undefined, what: string, ms: number, log?: () => string, every = 150): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}${log ? `\n--- Node-RED log ---\n${log().slice(-5000)}` : ''}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** red.js on `userDir` (its settings.js), by SMPP_GW_RED_NODE or this Node.js; stdout and stderr go to `onOutput`. */
export function spawnRed(userDir: string, onOutput: (d: string) => void, env: Record<string, string> = {}, nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.env.SMPP_GW_RED_NODE || process.execPath, [...nodeArgs, require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  child.stdout?.on('data', (d) => onOutput(String(d)));
  child.stderr?.on('data', (d) => onOutput(String(d)));
  return child;
}

/** Stops `child` with `signal` (null or already gone: nothing); SIGKILL after `ms`; resolves with the exit code (null when killed). */
export function stopChild(child: ChildProcess | null, signal: NodeJS.Signals = 'SIGTERM', ms = 10000): Promise<number | null> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve(child?.exitCode ?? null);
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, ms);
    child.once('exit', (code) => {
      clearTimeout(t);
      resolve(code);
    });
    child.kill(signal);
  });
}

/** Links node_modules/<package> in `userDir` to the working tree (its built dist/ is what runs), as an installed package. */
export function linkPackage(userDir: string): void {
  fs.mkdirSync(path.join(userDir, 'node_modules'), { recursive: true });
  fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true, dependencies: { [PACKAGE]: '*' } }));
  fs.symlinkSync(ROOT, path.join(userDir, 'node_modules', PACKAGE), 'dir');
}

/** Removes a temporary directory made for Node-RED: the package link first, on its own, so that nothing can ever follow it into the working tree. */
export function removeRedDir(dir: string, userDir: string): void {
  try {
    fs.unlinkSync(path.join(userDir, 'node_modules', PACKAGE));
  } catch {
    // none, or already gone
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface RedChildOptions {
  /** extra settings.js properties as JavaScript source */
  settingsJs?: string;
  /** more or other plain settings (a property set to undefined is left out, e.g. nodesDir) */
  settings?: Record<string, unknown>;
  /** arguments for node itself */
  nodeArgs?: string[];
  /** prepares the user directory (e.g. installs the package) before the flow is written */
  prepare?: (userDir: string, dir: string) => void;
}

export interface RedChild {
  readonly uiPort: number;
  readonly userDir: string;
  /** everything the child printed, over every start */
  log(): string;
  start(env?: Record<string, string>): void;
  /** stops with `signal`; SIGKILL after `ms`; resolves with the exit code (null when killed) */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<number | null>;
  http(method: string, p: string, body?: unknown): Promise<{ status: number; json: any }>;
  /** GET `p` with `accept`, the body as text */
  get(p: string, accept?: string): Promise<{ status: number; text: string }>;
  /** resolves once the flow answers GET `p` with 200 */
  ready(p: string, ms?: number): Promise<void>;
  /** stops the child if running and removes the user directory */
  dispose(): Promise<void>;
}

/** A Node-RED child with `flow` and `creds` (null: no credentials file) in a new user directory; not started yet. */
export async function redChild(flow: object[], creds: Record<string, unknown> | null, opts: RedChildOptions = {}): Promise<RedChild> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-gw-red-'));
  const userDir = path.join(dir, 'userdir');
  fs.mkdirSync(userDir);
  opts.prepare?.(userDir, dir);
  const uiPort = await freePort();
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow));
  if (creds) fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(creds));
  const settings = {
    uiHost: '127.0.0.1', uiPort, flowFile: 'flows.json', credentialSecret: false, nodesDir: [ROOT],
    diagnostics: { enabled: false }, telemetry: { enabled: false }, logging: { console: { level: 'info' } },
    ...opts.settings,
  };
  fs.writeFileSync(path.join(userDir, 'settings.js'), `module.exports = Object.assign(${JSON.stringify(settings)}, {${opts.settingsJs ?? ''}});\n`);
  let child: ChildProcess | null = null;
  let out = '';

  const http = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${uiPort}${p}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15000),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };

  const stop = (signal: NodeJS.Signals = 'SIGINT', ms = 20000): Promise<number | null> => {
    const c = child;
    child = null;
    return stopChild(c, signal, ms);
  };

  return {
    uiPort,
    userDir,
    log: () => out,
    start(env = {}) {
      child = spawnRed(userDir, (d) => (out += d), env, opts.nodeArgs);
    },
    stop,
    http,
    async get(p, accept = 'application/json') {
      const res = await fetch(`http://127.0.0.1:${uiPort}${p}`, { headers: { Accept: accept } });
      return { status: res.status, text: await res.text() };
    },
    async ready(p, ms = 40000) {
      await until(async () => ((await http('GET', p)).status === 200 ? true : undefined), `Node-RED to answer GET ${p}`, ms, () => out);
    },
    async dispose() {
      await stop('SIGTERM', 10000);
      removeRedDir(dir, userDir);
    },
  };
}
