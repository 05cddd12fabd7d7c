/**
 * A real Node-RED (the devDependency, 4.1, or the version matrix's: test/run.js --node-red)
 * in a child process on 127.0.0.1, run by this process's Node.js or by SMPP_GW_RED_NODE
 * (the matrix runs Node-RED 3.1 on Node.js 18 while the browser driver needs 20),
 * with this package in a fresh user directory (node_modules/<package> links
 * to the working tree, so the built dist/ is what runs). For tests that
 * deploy flows through the admin API or drive the editor.
 */
import { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from '../helpers/free-port';
import { linkPackage, removeRedDir, spawnRed, stopChild, until as poll } from '../helpers/red-child';

export { ROOT, PACKAGE } from '../helpers/red-child';
export { freePort } from '../helpers/free-port';

/** Polls `fn` every 200 ms until it returns something other than undefined; rejects after `ms`. */
export function until<T>(fn: () => Promise<T | undefined>, what: string, ms: number): Promise<T> {
  return poll(fn, what, ms, undefined, 200);
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
    fs.mkdirSync(this.userDir);
    linkPackage(this.userDir);
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
    const child = spawnRed(this.userDir, (d) => (this.log += d));
    this.child = child;
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
    await stopChild(child, 'SIGTERM', 10000);
    removeRedDir(this.dir, this.userDir);
  }
}
