/**
 * The Redis context store's clean, which Node-RED runs on start and after
 * EVERY deploy (full, flows or nodes), with two real Node-RED processes on
 * one redis-server and one prefix, deploys made through the admin API
 * (POST /flows with Node-RED-Deployment-Type) as the editor's Deploy button
 * does. The store is given no time to live (ttlSeconds 0): the case where
 * clean could delete records, since keys with one are left to Redis.
 *
 * The observation: a deploy of other flows on ANY instance deleted
 * every instance's pending correlation records in Redis, and the receipts
 * that followed came out unmatched. Here A and B bind as transmitters and
 * send (their records wait in Redis; the simulator holds the receipts until
 * a receiver binds); B deploys flows without the gateway, then its flows
 * again, then a changed other flow; A deploys a changed node; a full deploy
 * on B. After each deploy every record is still in Redis, and when B's
 * gateway is redeployed as a receiver, all three receipts come out matched.
 */
import assert from 'node:assert/strict';
import { ChildProcess } from 'child_process';
import { RedisAdmin, redisContextStorage } from '../helpers/redis-server';
import { redChild, RedChild, until } from '../helpers/red-child';
import { SmscSimulator } from '../../src/simulator';
import { sendDlrHttpFlow } from '../helpers/send-dlr-http-flow';
import { openRedis, logsOf, closeRig } from './rig';

const PREFIX = 'cleantest:';
const CREDS = { gw1: { systemId: 'esme', password: 'secret1' } };

interface Instance {
  name: string;
  red: RedChild;
}

/** the gateway's flow (tab1) and another flow (tab2) whose function node's name says its version */
function flows(simPort: number, bindMode: string, other: string, withGateway = true): object[] {
  const tab2 = [
    { id: 'tab2', type: 'tab', label: 'other flow' },
    { id: 'f2', type: 'function', z: 'tab2', name: other, func: 'return msg;', outputs: 1, wires: [[]] },
  ];
  if (!withGateway) return tab2;
  const gateway = sendDlrHttpFlow('tab1', 'gateway', {
    name: 'clean gw', host: '127.0.0.1', port: simPort, bindMode,
    reconnectMin: 100, reconnectMax: 500, heartbeatInterval: 5000, transactionTimeout: 2000, registeredDelivery: '1',
    correlationStore: 'redis',
  });
  // a deploy carries the credentials as the editor does after they were typed (they were deleted with the node)
  (gateway.find((n: any) => n.id === 'gw1') as any).credentials = CREDS.gw1;
  return [...gateway, ...tab2];
}

describe('Redis store clean after deploys on two real Node-RED instances', function () {
  this.timeout(120_000);
  let dir = '';
  let redis: { port: number; proc: ChildProcess } | null = null;
  let admin: RedisAdmin | null = null;
  let sim: SmscSimulator;
  const binds: string[] = [];
  const instances: Instance[] = [];
  const logs = () => logsOf(instances);
  const records = async () => ((await admin!.keys(`${PREFIX}{gw1}smppdlr_*`)) as string[]).sort();

  async function deploy(inst: Instance, type: 'full' | 'flows' | 'nodes', flow: object[]): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${inst.red.uiPort}/flows`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': type },
      body: JSON.stringify(flow),
      signal: AbortSignal.timeout(15000),
    });
    assert.equal(res.status, 204, `${inst.name} ${type} deploy: ${await res.text()}`);
  }
  /** the flow runs again after a deploy: tab2's function node has the new name */
  async function running(inst: Instance, other: string): Promise<void> {
    await until(async () => {
      const r = await inst.red.http('GET', '/flows');
      return r.status === 200 && r.json.some((n: any) => n.id === 'f2' && n.name === other) ? true : undefined;
    }, `${inst.name} to run '${other}'`, 20_000, logs);
  }
  async function send(inst: Instance, correlationId: string): Promise<void> {
    const r = await inst.red.http('POST', '/send', { text: `from ${inst.name}`, to: '+46700000001', correlationId });
    assert.equal(r.status, 200);
    assert.equal(r.json.error, null, JSON.stringify(r.json));
  }

  before(async () => {
    ({ dir, redis, admin } = await openRedis('redis-clean'));
    sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'esme', password: 'secret1' }], receiptDelayMs: 100, holdReceipts: true });
    sim.on('bind', (_id: string, mode: string) => binds.push(mode));
    await sim.start();
    const made = await Promise.all(['A', 'B'].map(() =>
      redChild(flows(sim.port, 'transmitter', 'v1'), CREDS, { settingsJs: redisContextStorage(redis!.port, PREFIX, 0) })));
    made.forEach((red, i) => instances.push({ name: 'AB'[i], red }));
    for (const inst of instances) inst.red.start();
    await Promise.all(instances.map((inst) => inst.red.ready('/dlrs', 60_000)));
    await until(() => (binds.length >= 2 ? true : undefined), 'both instances to bind', 20_000, logs);
  });

  after(() => closeRig({ instances, sim, admin, redis: redis?.proc, dir }));

  it("no deploy on either instance deletes another's pending records; the receipts that follow are matched", async () => {
    const [A, B] = instances;
    await send(A, 'A-1');
    await send(A, 'A-2');
    const ofA = await until(async () => {
      const k = await records();
      return k.length === 4 ? k : undefined;
    }, "A's two messages in Redis (a record and an id key each)", 10_000, logs);
    for (const k of ofA) assert.equal(await admin!.pTTL(k), -1, `${k} has no time to live (ttlSeconds 0)`);

    // B deploys flows without the gateway (other flows only), then its flows again
    await deploy(B, 'full', flows(sim.port, 'transmitter', 'v2', false));
    await running(B, 'v2');
    assert.deepEqual(await records(), ofA, "B's deploy of other flows left A's records");
    await deploy(B, 'full', flows(sim.port, 'transmitter', 'v3'));
    await running(B, 'v3');
    await B.red.ready('/dlrs');
    await until(() => (binds.length >= 3 ? true : undefined), 'B to bind again', 20_000, logs);
    await send(B, 'B-1');
    const all = await until(async () => {
      const k = await records();
      return k.length === 6 ? k : undefined;
    }, "B's message in Redis too", 10_000, logs);

    // deploys of another flow (flows), of a changed node (nodes), and full
    await deploy(B, 'flows', flows(sim.port, 'transmitter', 'v4'));
    await running(B, 'v4');
    await deploy(A, 'nodes', flows(sim.port, 'transmitter', 'v5'));
    await running(A, 'v5');
    await deploy(A, 'full', flows(sim.port, 'transmitter', 'v6'));
    await running(A, 'v6');
    assert.deepEqual(await records(), all, 'every record is still in Redis after deploys of every type on both');
    assert.equal(sim.stats().receiptsSent, 0, 'no receiver yet: the SMSC holds the receipts');

    // B's gateway redeployed as a receiver: the three held receipts come to B, each matched
    await deploy(B, 'nodes', flows(sim.port, 'receiver', 'v7'));
    const dlrs = await until(async () => {
      const d = (await B.red.http('GET', '/dlrs')).json as any[];
      return d.length >= 3 ? d : undefined;
    }, 'three delivery reports on B', 30_000, logs);
    assert.deepEqual(dlrs.map((d) => [d.payload.unmatched, d.correlationId]).sort(), [[false, 'A-1'], [false, 'A-2'], [false, 'B-1']], JSON.stringify(dlrs));
    await until(async () => ((await records()).length === 0 ? true : undefined), 'the final receipts to remove the records', 10_000, logs);
  });
});
