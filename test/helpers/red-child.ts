/**
 * Node-RED 4.1 as a real child process for tests: our package loaded from
 * this repository through nodesDir, a flow and its credentials written to a
 * fresh user directory, an HTTP port on 127.0.0.1 for the flow's endpoints.
 * `settingsJs` is extra JavaScript source for settings.js properties (so the
 * settings can hold functions, e.g. functionGlobalContext); `nodeArgs` go to
 * node itself (e.g. --expose-gc). The child can be stopped and started again
 * on the same user directory.
 */
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from './free-port';

const root = path.join(__dirname, '..', '..', '..');

export interface RedChild {
  readonly uiPort: number;
  readonly userDir: string;
  /** everything the child printed, over every start */
  log(): string;
  start(env?: Record<string, string>): void;
  /** stops with `signal`; SIGKILL after `ms`; resolves with the exit code (null when killed) */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<number | null>;
  http(method: string, p: string, body?: unknown): Promise<{ status: number; json: any }>;
  /** resolves once the flow answers GET `p` with 200 */
  ready(p: string, ms?: number): Promise<void>;
  /** stops the child if running and removes the user directory */
  dispose(): Promise<void>;
}

export async function redChild(flow: object[], creds: Record<string, unknown>, settingsJs = '', nodeArgs: string[] = []): Promise<RedChild> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-gw-red-'));
  const userDir = path.join(dir, 'userdir');
  fs.mkdirSync(userDir);
  const uiPort = await freePort();
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow));
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(creds));
  const settings = {
    uiHost: '127.0.0.1', uiPort, flowFile: 'flows.json', credentialSecret: false, nodesDir: [root],
    diagnostics: { enabled: false }, telemetry: { enabled: false }, logging: { console: { level: 'info' } },
  };
  fs.writeFileSync(path.join(userDir, 'settings.js'), `module.exports = Object.assign(${JSON.stringify(settings)}, {${settingsJs}});\n`);
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
    return new Promise((resolve) => {
      if (!c || c.exitCode !== null || c.signalCode !== null) return resolve(c?.exitCode ?? null);
      const t = setTimeout(() => {
        c.kill('SIGKILL');
        resolve(null);
      }, ms);
      c.once('exit', (code) => {
        clearTimeout(t);
        resolve(code);
      });
      c.kill(signal);
    });
  };

  return {
    uiPort,
    userDir,
    log: () => out,
    start(env = {}) {
      child = spawn(process.execPath, [...nodeArgs, require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...env },
      });
      child.stdout?.on('data', (d) => (out += d));
      child.stderr?.on('data', (d) => (out += d));
    },
    stop,
    http,
    async ready(p, ms = 40000) {
      const end = Date.now() + ms;
      let last: unknown;
      for (;;) {
        try {
          if ((await http('GET', p)).status === 200) return;
        } catch (e) {
          last = e;
        }
        if (Date.now() > end) throw new Error(`Node-RED did not answer GET ${p} within ${ms} ms${last ? `: ${String(last)}` : ''}\n${out.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    },
    async dispose() {
      await stop('SIGTERM', 10000);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
