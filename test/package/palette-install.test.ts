/**
 * The package as a user gets it: `npm pack`, then `npm install <tarball>` into
 * a fresh Node-RED user directory, then a real Node-RED 4.1 process on
 * 127.0.0.1 with the example flow, against our simulator. Checks that every
 * node registers with its editor, help, catalogs and icons, that the example
 * flow deploys, binds and shows translated status texts, and that the
 * password is not in the flow file.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { SmscSimulator } from '../../src/simulator';
import { freePort } from '../helpers/free-port';

const root = path.join(__dirname, '..', '..', '..');
const TYPES = ['smpp-gateway', 'smpp-send', 'smpp-receive', 'smpp-dlr', 'smpp-control'];


async function get(port: number, p: string, accept = 'application/json'): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${p}`, { headers: { Accept: accept } });
  return { status: res.status, text: await res.text() };
}

async function until<T>(fn: () => Promise<T | undefined>, what: string, ms: number): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('palette install from the packed tarball', function () {
  this.timeout(180000);
  let dir: string;
  let red: ChildProcess | null = null;
  let sim: SmscSimulator;
  let log = '';
  let uiPort = 0;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-gw-pack-'));
    const packed = execFileSync('npm', ['pack', '--pack-destination', dir, '--ignore-scripts'], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop() as string;
    const userDir = path.join(dir, 'userdir');
    fs.mkdirSync(userDir);
    fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', path.join(dir, packed)], { cwd: userDir, encoding: 'utf8', stdio: 'pipe' });

    sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'test', password: 'p4ss-Secret' }], receiptDelayMs: 50 });
    await sim.start();
    uiPort = await freePort();
    const flow = JSON.parse(fs.readFileSync(path.join(root, 'examples', 'Send and receive with delivery reports.json'), 'utf8'));
    const gw = flow.find((n: { type: string }) => n.type === 'smpp-gateway');
    gw.port = String(sim.port);
    // a status node feeding an HTTP endpoint, to read the nodes' status texts
    flow.push(
      { id: 'st1', type: 'status', z: flow[0].id, scope: null, wires: [['fn1']] },
      { id: 'fn1', type: 'function', z: flow[0].id, func: "const s = global.get('statuses') || {}; s[msg.status.source.type] = msg.status.text; global.set('statuses', s); return null;", outputs: 1, wires: [[]] },
      { id: 'hi1', type: 'http in', z: flow[0].id, url: '/test-status', method: 'get', wires: [['fn2']] },
      { id: 'fn2', type: 'function', z: flow[0].id, func: "msg.payload = global.get('statuses') || {}; return msg;", outputs: 1, wires: [['ho1']] },
      { id: 'ho1', type: 'http response', z: flow[0].id, wires: [] },
    );
    fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow));
    fs.writeFileSync(path.join(userDir, 'settings.js'), `module.exports = { uiHost: '127.0.0.1', uiPort: ${uiPort}, flowFile: 'flows.json', credentialSecret: 'test-secret', diagnostics: { enabled: false }, telemetry: { enabled: false }, logging: { console: { level: 'debug' } } };`);
    // credentials the way the editor deploys them: through the admin API after start
    red = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], { stdio: ['ignore', 'pipe', 'pipe'] });
    red.stdout?.on('data', (d) => (log += d));
    red.stderr?.on('data', (d) => (log += d));
    await until(async () => ((await get(uiPort, '/settings')).status === 200 ? true : undefined), 'Node-RED to start', 30000);
    const flows = JSON.parse((await get(uiPort, '/flows')).text);
    const gwNode = flows.find((n: { type: string }) => n.type === 'smpp-gateway');
    gwNode.credentials = { systemId: 'test', password: 'p4ss-Secret' };
    const res = await fetch(`http://127.0.0.1:${uiPort}/flows`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' }, body: JSON.stringify(flows) });
    assert.equal(res.status, 204, await res.text());
  });

  after(async () => {
    if (red && red.exitCode === null) {
      red.kill('SIGTERM');
      await new Promise<void>((r) => {
        const t = setTimeout(() => {
          red?.kill('SIGKILL');
          r();
        }, 10000);
        red?.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    }
    await sim?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('registers every node set without errors', async () => {
    const sets = JSON.parse((await get(uiPort, '/nodes')).text).filter((s: { module: string }) => s.module === 'node-red-contrib-smpp-gateway');
    assert.deepEqual(sets.map((s: { types: string[] }) => s.types[0]).sort(), [...TYPES].sort(), log);
    for (const s of sets) {
      assert.equal(s.err, undefined, `${s.id}: ${s.err}`);
      assert.equal(s.enabled, true);
    }
  });

  it('serves each node\'s editor, help, catalogs in en-US and zh-CN, and icon', async () => {
    const html = (await get(uiPort, '/nodes', 'text/html')).text;
    for (const t of TYPES) {
      assert.ok(html.includes(`RED.nodes.registerType('${t}'`) || html.includes(`const TYPE = '${t}'`), `editor of ${t}`);
      assert.ok(html.includes(`data-template-name="${t}"`), `dialog of ${t}`);
      assert.ok(html.includes(`data-help-name="${t}"`), `help of ${t}`);
      for (const lang of ['en-US', 'zh-CN']) {
        const cat = await get(uiPort, `/locales/node-red-contrib-smpp-gateway/${t}?lng=${lang}`);
        assert.equal(cat.status, 200);
        assert.ok(JSON.parse(cat.text)[t], `${lang} catalog of ${t}`);
      }
      const icon = await get(uiPort, `/icons/node-red-contrib-smpp-gateway/${t}.svg`, '*/*');
      assert.equal(icon.status, 200, `icon of ${t}`);
      assert.match(icon.text, /<svg/);
    }
    assert.ok(!html.includes('@@PARAMETERS@@'), 'the parameter table was injected at build time');
  });

  it('lists the examples for Import > Examples', async () => {
    const index = await get(uiPort, '/library/examples/flows/node-red-contrib-smpp-gateway');
    assert.equal(index.status, 200, index.text);
    assert.ok(index.text.includes('Send and receive with delivery reports'), index.text);
    const flow = await get(uiPort, `/library/examples/flows/node-red-contrib-smpp-gateway/${encodeURIComponent('Send and receive with delivery reports')}`);
    assert.equal(flow.status, 200, flow.text);
    const nodes = JSON.parse(flow.text);
    for (const t of TYPES.filter((x) => x !== 'smpp-control')) assert.ok(nodes.some((n: { type: string }) => n.type === t), `the example uses ${t}`);
  });

  it('deploys the example flow: the gateway binds and the nodes show translated status texts', async () => {
    const statuses = await until(async () => {
      const s = JSON.parse((await get(uiPort, '/test-status')).text);
      return s['smpp-send'] && /:smpp-gateway\.canvas\.bound$/.test(s['smpp-send']) ? s : undefined;
    }, 'smpp-send to show "bound as trx"', 30000);
    assert.match(statuses['smpp-dlr'], /:smpp-gateway\.canvas\.bound$/);
    assert.ok(sim.stats().binds >= 1);
    await until(async () => (sim.stats().submits >= 1 ? true : undefined), 'the example to send its first SMS', 15000);
  });

  it('keeps the password out of the flow file and the log', async () => {
    const userDir = path.join(dir, 'userdir');
    const flowFile = fs.readFileSync(path.join(userDir, 'flows.json'), 'utf8');
    assert.ok(!flowFile.includes('p4ss-Secret'));
    const credFile = fs.readFileSync(path.join(userDir, 'flows_cred.json'), 'utf8');
    assert.ok(!credFile.includes('p4ss-Secret'), 'credentials are encrypted with credentialSecret');
    assert.ok(!log.includes('p4ss-Secret'), 'not in the debug-level log');
    const flows = (await get(uiPort, '/flows')).text;
    assert.ok(!flows.includes('p4ss-Secret'), 'not in the flows the editor exports');
  });
});
