/**
 * `npm start` (scripts/demo.js) in a child process, in a temporary user
 * directory (SMPP_DEMO_DIR) on free ports (PORT, SMSC_PORT):
 * - a busy port: exit status 1 and a message naming the port and its variable;
 * - no flow yet: the example is deployed; a flow of the user's: kept as it is;
 * - the simulator killed: restarted (and said so) while Node-RED stays up.
 */
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { freePort, ROOT, until } from '../package/red-process';

const DEMO = path.join(ROOT, 'scripts', 'demo.js');

interface Demo {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function startDemo(env: Record<string, string>): Demo {
  let out = '';
  const child = spawn(process.execPath, [DEMO], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, exited };
}

async function stopDemo(d: Demo): Promise<number | null> {
  if (d.child.exitCode === null) d.child.kill('SIGTERM');
  const timer = setTimeout(() => d.child.kill('SIGKILL'), 15000);
  const code = await d.exited;
  clearTimeout(timer);
  return code;
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

async function flows(port: number): Promise<any[]> {
  const res = await fetch(`http://127.0.0.1:${port}/flows`, { headers: { Accept: 'application/json' } });
  if (res.status !== 200) throw new Error(`GET /flows: ${res.status}`);
  return res.json() as Promise<any[]>;
}

describe('npm start (scripts/demo.js)', function () {
  this.timeout(180000);
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-demo-'));
  });
  afterEach(() => {
    // the package link first, so that nothing follows it into the working tree
    try { fs.unlinkSync(path.join(dir, 'node_modules', 'node-red-contrib-smpp-gateway')); } catch { /* not made */ }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const variable of ['PORT', 'SMSC_PORT']) {
    it(`a busy ${variable}: exits with status 1 and says which port and which variable`, async () => {
      const busy = net.createServer();
      await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
      const port = (busy.address() as net.AddressInfo).port;
      try {
        const other = String(await freePort());
        const d = startDemo({ SMPP_DEMO_DIR: dir, PORT: variable === 'PORT' ? String(port) : other, SMSC_PORT: variable === 'SMSC_PORT' ? String(port) : other });
        const timer = setTimeout(() => d.child.kill('SIGKILL'), 30000);
        const code = await d.exited;
        clearTimeout(timer);
        assert.equal(code, 1, d.out());
        assert.match(d.out(), new RegExp(`port ${port} on 127\\.0\\.0\\.1 .*already in use.*${variable}=`));
        assert.ok(!fs.existsSync(path.join(dir, 'flows.json')), 'nothing written');
      } finally {
        busy.close();
      }
    });
  }

  it('deploys the example when there is no flow; keeps a flow of the user\'s; restarts a killed simulator while Node-RED stays up', async () => {
    const uiPort = await freePort();
    const smscPort = await freePort();
    const env = { SMPP_DEMO_DIR: dir, PORT: String(uiPort), SMSC_PORT: String(smscPort) };

    // 1. no flow yet: the example, pointed at SMSC_PORT
    let d = startDemo(env);
    try {
      const first = await until(async () => {
        const f = await flows(uiPort);
        return f.length ? f : undefined;
      }, 'Node-RED with the example', 60000);
      assert.ok(first.some((n) => n.type === 'tab' && n.label === 'Send and receive with delivery reports'), JSON.stringify(first.slice(0, 3)));
      assert.equal(first.find((n) => n.type === 'smpp-gateway')?.port, String(smscPort));
    } finally {
      assert.equal(await stopDemo(d), 0, d.out());
    }

    // 2. the user's own flow: kept, not overwritten
    const mine = [{ id: 'mytab', type: 'tab', label: 'my own flow' }, { id: 'mycomment', type: 'comment', z: 'mytab', name: 'built by me', x: 100, y: 40, wires: [] }];
    fs.writeFileSync(path.join(dir, 'flows.json'), JSON.stringify(mine));
    d = startDemo(env);
    try {
      const f = await until(async () => {
        const x = await flows(uiPort);
        return x.length ? x : undefined;
      }, 'Node-RED with the user flow', 60000);
      assert.deepEqual(f.map((n) => n.id).sort(), ['mycomment', 'mytab']);
      assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'flows.json'), 'utf8')), mine);
      assert.match(d.out(), /keeping the flows/);

      // 3. the simulator dies: restarted, said so; Node-RED keeps answering
      await until(async () => ((await connects(smscPort)) ? true : undefined), 'the simulator listening', 30000);
      const pid = Number(/SMSC simulator started \(pid (\d+)\)/.exec(d.out())?.[1]);
      assert.ok(pid > 0, d.out());
      process.kill(pid, 'SIGKILL');
      await until(async () => (/simulator exited .*restarting it/.test(d.out()) ? true : undefined), 'the restart notice', 20000);
      await until(async () => {
        const pids = Array.from(d.out().matchAll(/SMSC simulator started \(pid (\d+)\)/g)).map((m) => Number(m[1]));
        return pids.length >= 2 && pids[1] !== pid && (await connects(smscPort)) ? true : undefined;
      }, 'a new simulator listening', 30000);
      assert.equal(d.child.exitCode, null, 'the demo still runs');
      assert.deepEqual((await flows(uiPort)).map((n) => n.id).sort(), ['mycomment', 'mytab'], 'Node-RED still answers');
    } finally {
      assert.equal(await stopDemo(d), 0, d.out());
    }
  });
});
