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
import { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { redisContextStorage, startRedis, stopRedis } from '../helpers/redis-server';
import { redChild, RedChild, until } from '../helpers/red-child';
import { SmscSimulator } from '../../src/simulator';

const RATE = 50;
const BURST = 1900;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Instance {
  name: string;
  red: RedChild;
}

describe('Max Sending Rate shared by two Node-RED instances through Redis (shareInstances)', function () {
  this.timeout(240_000);
  let dir = '';
  let redis: { port: number; proc: ChildProcess } | null = null;
  let sim: SmscSimulator;
  let binds = 0;
  const submits: number[] = [];
  const instances: Instance[] = [];
  const logs = () => instances.map((i) => `--- ${i.name} ---\n${i.red.log().slice(-2500)}`).join('\n');

  async function makeInstance(name: string): Promise<Instance> {
    const z = 'tab1';
    const flow = [
      { id: z, type: 'tab', label: 'shared rate' },
      {
        id: 'gw1', type: 'smpp-gateway', name: 'shared gw', host: '127.0.0.1', port: sim.port, bindMode: 'transmitter',
        reconnectMin: 100, reconnectMax: 500, heartbeatInterval: 10000, transactionTimeout: 5000, registeredDelivery: '0',
        maxSendRate: RATE, maxReceiveRate: 1000, trafficPolicy: 'delay', shareInstances: true, correlationStore: 'redis',
      },
      { id: 'in1', type: 'http in', z, url: '/burst', method: 'post', wires: [['many', 'ok']] },
      { id: 'many', type: 'function', z, outputs: 1, wires: [['s1']],
        func: `for (let i = 0; i < ${BURST}; i++) node.send({ to: '+4670000' + String(i).padStart(4, '0'), payload: 'rate ' + i }); return null;` },
      { id: 'ok', type: 'function', z, outputs: 1, wires: [['out1']], func: "msg.payload = 'ok'; return msg;" },
      { id: 'out1', type: 'http response', z, wires: [] },
      { id: 's1', type: 'smpp-send', z, gateway: 'gw1', wires: [[], []] },
    ];
    const red = await redChild(flow, { gw1: { systemId: 'esme', password: 'secret1' } }, { settingsJs: redisContextStorage(redis!.port, 'ratetest:', 3600) });
    return { name, red };
  }

  const burst = async (inst: Instance) => {
    const res = await fetch(`http://127.0.0.1:${inst.red.uiPort}/burst`, { method: 'POST', signal: AbortSignal.timeout(15000) });
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
    instances.push(await makeInstance('A'));
    instances.push(await makeInstance('B'));
  });

  after(async () => {
    for (const inst of instances) await inst.red.dispose();
    await sim?.stop();
    await stopRedis(redis?.proc ?? null);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('two instances together send 50/s within 5% over 30 s; one alone then takes the whole 50/s', async () => {
    const [A, B] = instances;
    A.red.start();
    B.red.start();
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

    await B.red.stop('SIGTERM', 10_000);
    await sleep(2000);
    const t1 = Date.now();
    await sleep(10_000);
    const alone = countIn(t1, t1 + 10_000);
    console.log(`      A alone: ${alone} submits in 10 s = ${(alone / 10).toFixed(2)}/s`);
    assert.ok(Math.abs(alone / 10 - RATE) <= RATE * 0.05, `${(alone / 10).toFixed(2)}/s is within 5% of ${RATE}/s\n${logs()}`);
    assert.doesNotMatch(A.red.log(), /shared sending rate cannot|Share Max Sending Rate needs/, logs());
  });
});
