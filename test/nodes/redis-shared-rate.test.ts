/**
 * One Max Sending Rate for the account, shared through Redis: a real
 * redis-server, our SMSC simulator (one account) and two Node-RED child
 * processes running the SAME flow, whose gateway has Max Sending Rate 50/s,
 * policy delay, Share Max Sending Rate on and the Redis context store as its
 * correlation store. Each instance is given far more messages than it may
 * send; the simulator's submits are counted by arrival time: together the
 * two stay within 5% of 50/s over 30 s, and when one stops the other takes
 * the whole rate (within 5% over 10 s).
 */
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort, redisContextStorage, startRedis, stopRedis } from '../helpers/redis-server';
import { SmscSimulator } from '../../src/simulator';

const root = path.join(__dirname, '..', '..', '..');
const RATE = 50;
const BURST = 1900;

function stopProc(proc: ChildProcess | null, ms: number): Promise<void> {
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(fn: () => Promise<T | undefined>, what: string, ms: number, log: () => string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch {
      /* not yet */
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}\n--- logs ---\n${log().slice(-5000)}`);
    await sleep(150);
  }
}

interface Instance {
  name: string;
  uiPort: number;
  userDir: string;
  proc: ChildProcess | null;
  log: string;
}

describe('Max Sending Rate shared by two Node-RED instances through Redis (shareSendRate)', function () {
  this.timeout(240_000);
  let dir = '';
  let redis: { port: number; proc: ChildProcess } | null = null;
  let sim: SmscSimulator;
  let binds = 0;
  const submits: number[] = [];
  const instances: Instance[] = [];
  const logs = () => instances.map((i) => `--- ${i.name} ---\n${i.log.slice(-2500)}`).join('\n');

  function makeInstance(name: string, uiPort: number): Instance {
    const userDir = path.join(dir, name);
    fs.mkdirSync(userDir);
    const z = 'tab1';
    const flow = [
      { id: z, type: 'tab', label: 'shared rate' },
      {
        id: 'gw1', type: 'smpp-gateway', name: 'shared gw', host: '127.0.0.1', port: sim.port, bindMode: 'transmitter',
        reconnectMin: 100, reconnectMax: 500, heartbeatInterval: 10000, transactionTimeout: 5000, registeredDelivery: '0',
        maxSendRate: RATE, maxReceiveRate: 1000, trafficPolicy: 'delay', shareSendRate: true, correlationStore: 'redis',
      },
      { id: 'in1', type: 'http in', z, url: '/burst', method: 'post', wires: [['many', 'ok']] },
      { id: 'many', type: 'function', z, outputs: 1, wires: [['s1']],
        func: `for (let i = 0; i < ${BURST}; i++) node.send({ to: '+4670000' + String(i).padStart(4, '0'), payload: 'rate ' + i }); return null;` },
      { id: 'ok', type: 'function', z, outputs: 1, wires: [['out1']], func: "msg.payload = 'ok'; return msg;" },
      { id: 'out1', type: 'http response', z, wires: [] },
      { id: 's1', type: 'smpp-send', z, gateway: 'gw1', wires: [[], []] },
    ];
    fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow));
    fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify({ gw1: { systemId: 'esme', password: 'secret1' } }));
    const plain = {
      uiHost: '127.0.0.1', uiPort, flowFile: 'flows.json', credentialSecret: false, nodesDir: [root],
      diagnostics: { enabled: false }, telemetry: { enabled: false }, logging: { console: { level: 'info' } },
    };
    fs.writeFileSync(path.join(userDir, 'settings.js'), `module.exports = Object.assign(${JSON.stringify(plain)}, {
  ${redisContextStorage(redis!.port, 'ratetest:', 3600)}
});\n`);
    return { name, uiPort, userDir, proc: null, log: '' };
  }

  function start(inst: Instance): void {
    const child = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', inst.userDir, '--settings', path.join(inst.userDir, 'settings.js')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => (inst.log += d));
    child.stderr?.on('data', (d) => (inst.log += d));
    inst.proc = child;
  }

  const burst = async (inst: Instance) => {
    const res = await fetch(`http://127.0.0.1:${inst.uiPort}/burst`, { method: 'POST', signal: AbortSignal.timeout(15000) });
    assert.equal(res.status, 200);
  };
  const countIn = (from: number, to: number) => submits.filter((t) => t >= from && t < to).length;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-gw-redis-rate-'));
    redis = await startRedis(dir);
    sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'esme', password: 'secret1' }] });
    sim.on('bind', () => binds++);
    sim.on('submit', () => submits.push(Date.now()));
    await sim.start();
    instances.push(makeInstance('A', await freePort()));
    instances.push(makeInstance('B', await freePort()));
  });

  after(async () => {
    for (const inst of instances) await stopProc(inst.proc, 10_000);
    await sim?.stop();
    await stopRedis(redis?.proc ?? null);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('two instances together send 50/s within 5% over 30 s; one alone then takes the whole 50/s', async () => {
    const [A, B] = instances;
    start(A);
    start(B);
    await until(async () => (binds >= 2 ? true : undefined), 'both instances to bind', 60_000, logs);
    await burst(A);
    await burst(B);
    // past the start (the bucket's saved-up 200 ms), 30 s with both sending
    await sleep(2000);
    const t0 = Date.now();
    await sleep(30_000);
    const both = countIn(t0, t0 + 30_000);
    console.log(`      two instances, Max Sending Rate ${RATE}/s shared: ${both} submits in 30 s = ${(both / 30).toFixed(2)}/s`);
    assert.ok(Math.abs(both / 30 - RATE) <= RATE * 0.05, `${(both / 30).toFixed(2)}/s is within 5% of ${RATE}/s\n${logs()}`);

    await stopProc(B.proc, 10_000);
    await sleep(2000);
    const t1 = Date.now();
    await sleep(10_000);
    const alone = countIn(t1, t1 + 10_000);
    console.log(`      A alone: ${alone} submits in 10 s = ${(alone / 10).toFixed(2)}/s`);
    assert.ok(Math.abs(alone / 10 - RATE) <= RATE * 0.05, `${(alone / 10).toFixed(2)}/s is within 5% of ${RATE}/s\n${logs()}`);
    assert.doesNotMatch(A.log, /shared sending rate cannot|Share Max Sending Rate needs/, logs());
  });
});
