/**
 * A real Node-RED (the devDependency, 4.1) in a child process on 127.0.0.1,
 * with this package in a fresh user directory (node_modules/<package> links
 * to the working tree, so the built dist/ is what runs). For tests that
 * deploy flows through the admin API or drive the editor.
 */
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { freePort } from '../helpers/free-port';

export const ROOT = path.join(__dirname, '..', '..', '..');
export const PACKAGE = 'node-red-contrib-smpp-gateway';

export { freePort } from '../helpers/free-port';

/** Polls `fn` every 200 ms until it returns something other than undefined; rejects after `ms`. */
export async function until<T>(fn: () => Promise<T | undefined>, what: string, ms: number): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export class RedProcess {
  readonly dir: string;
  readonly userDir: string;
  port = 0;
  log = '';
  private child: ChildProcess | null = null;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-gw-red-'));
    this.userDir = path.join(this.dir, 'userdir');
    fs.mkdirSync(path.join(this.userDir, 'node_modules'), { recursive: true });
    fs.writeFileSync(path.join(this.userDir, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true, dependencies: { [PACKAGE]: '*' } }));
    fs.symlinkSync(ROOT, path.join(this.userDir, 'node_modules', PACKAGE), 'dir');
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts Node-RED with `flows` (default none) and resolves once its admin API answers; `extraSettings`: more settings.js properties (e.g. adminAuth). */
  async start(flows: object[] = [], extraSettings = ''): Promise<void> {
    this.port = await freePort();
    fs.writeFileSync(path.join(this.userDir, 'flows.json'), JSON.stringify(flows));
    fs.writeFileSync(
      path.join(this.userDir, 'settings.js'),
      `module.exports = { uiHost: '127.0.0.1', uiPort: ${this.port}, flowFile: 'flows.json', credentialSecret: 'test-secret', ` +
        `diagnostics: { enabled: false }, telemetry: { enabled: false }, externalModules: { palette: { allowInstall: false } }, ` +
        `editorTheme: { tours: false, projects: { enabled: false } }, logging: { console: { level: 'info' } }${extraSettings ? `, ${extraSettings}` : ''} };`,
    );
    const child = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', this.userDir, '--settings', path.join(this.userDir, 'settings.js')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (d) => (this.log += d));
    child.stderr?.on('data', (d) => (this.log += d));
    await until(async () => {
      if (child.exitCode !== null) throw new Error(`Node-RED exited with ${child.exitCode}:\n${this.log}`);
      // with adminAuth on, /settings answers 401 until the editor logs in: the server is up either way
      return [200, 401].includes((await fetch(`${this.url}/settings`)).status) ? true : undefined;
    }, 'Node-RED to start', 60000);
  }

  async get(p: string, accept = 'application/json'): Promise<{ status: number; text: string }> {
    const res = await fetch(`${this.url}${p}`, { headers: { Accept: accept } });
    return { status: res.status, text: await res.text() };
  }

  /** A full deploy through the admin API, as the editor's Deploy button does. */
  async deploy(flows: object[]): Promise<void> {
    const res = await fetch(`${this.url}/flows`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify(flows),
    });
    if (res.status !== 204) throw new Error(`deploy answered ${res.status}: ${await res.text()}`);
  }

  /** SIGTERM, SIGKILL after 10 s; then removes the temporary directory. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 10000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    // the link first, on its own, so that nothing can ever follow it into the working tree
    try {
      fs.unlinkSync(path.join(this.userDir, 'node_modules', PACKAGE));
    } catch {
      // already gone
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
