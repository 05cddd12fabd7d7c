/**
 * Receipts shared between TWO Node-RED instances through Redis: a real
 * redis-server (started here on 127.0.0.1, a free port, no persistence), our
 * SMSC simulator in this process with one account, and two Node-RED 4.1
 * child processes (separate user directories and ports) running the SAME
 * flow, whose gateway names the context store 'redis' (settings.js
 * contextStorage with our redis-context-store module) as its correlation
 * store. The bind mode comes from the environment ('${SMPP_BIND_MODE}'):
 * instance A binds as transmitter and sends, instance B binds as receiver on
 * the same account. The simulator delivers the receipts of A's messages to
 * B (a receiver session of the same system id), and B's smpp-dlr must output
 * them matched with what A's smpp-send remembered.
 *
 * First message: sent while B is not running (the simulator holds the
 * receipt until a receiver binds), so B cannot have it in memory; then live
 * messages, one of them in two parts. Outputs are read through HTTP
 * endpoints of the flow; Redis is inspected with our own client.
 */
import assert from 'node:assert/strict';
import { ChildProcess } from 'child_process';
import { RedisAdmin, redisContextStorage } from '../helpers/redis-server';
import { redChild, RedChild, until } from '../helpers/red-child';
import { SmscSimulator, receiptIdOf } from '../../src/simulator';
import { sendDlrHttpFlow } from '../helpers/send-dlr-http-flow';
import { openRedis, logsOf, closeRig } from './rig';

const PREFIX = 'smpptest:';
const TTL_SECONDS = 73 * 3600;

interface Instance {
  name: string;
  bindMode: string;
  red: RedChild;
}

describe('receipts shared by two Node-RED instances through Redis (redis-context-store)', function () {
  this.timeout(180_000);
  let dir = '';
  let redis: { port: number; proc: ChildProcess } | null = null;
  let admin: RedisAdmin | null = null;
  let sim: SmscSimulator;
  const binds: string[] = [];
  const instances: Instance[] = [];
  const logs = () => logsOf(instances);

  async function makeInstance(name: string, bindMode: string, redisPort: number, simPort: number): Promise<Instance> {
    // the same gateway node (same id, so the same context scope) in both instances
    const flow = sendDlrHttpFlow('tab1', 'shared receipts', {
      name: 'shared gw', host: '127.0.0.1', port: simPort, bindMode: '${SMPP_BIND_MODE}',
      reconnectMin: 100, reconnectMax: 500, heartbeatInterval: 5000, transactionTimeout: 2000, registeredDelivery: '1',
      messageFormat: 'auto', splitMode: 'concatenated', correlationStore: 'redis', messageIdForm: 'auto',
    });
    // settings.js as a user writes it: the store is given as a required module object
    const red = await redChild(flow, { gw1: { systemId: 'esme', password: 'secret1' } }, { settingsJs: redisContextStorage(redisPort, PREFIX, TTL_SECONDS) });
    return { name, bindMode, red };
  }

  function start(inst: Instance): void {
    inst.red.start({ SMPP_BIND_MODE: inst.bindMode });
  }

  async function ready(inst: Instance, mode: string): Promise<void> {
    await until(async () => ((await inst.red.http('GET', '/dlrs')).status === 200 ? true : undefined), `${inst.name} to start`, 45_000, logs);
    await until(() => (binds.includes(mode) ? true : undefined), `${inst.name} to bind as ${mode}`, 20_000, logs);
  }

  async function dlrsOf(inst: Instance): Promise<any[]> {
    const r = await inst.red.http('GET', '/dlrs');
    assert.equal(r.status, 200);
    return r.json;
  }

  const ourKeys = async () => ((await admin!.keys(`${PREFIX}{gw1}smppdlr_*`)) as string[]).sort();

  before(async () => {
    ({ dir, redis, admin } = await openRedis('redis-shared'));
    sim = new SmscSimulator({
      port: 0,
      accounts: [{ systemId: 'esme', password: 'secret1' }],
      receiptDelayMs: 200,
      // a receipt due while the account has no receiver waits for its next receiver bind
      holdReceipts: true,
      messageIdFormat: 'hex',
      receiptIdFormat: 'decimal',
    });
    sim.on('bind', (systemId: string, mode: string) => binds.push(mode));
    await sim.start();
    instances.push(await makeInstance('A', 'transmitter', redis.port, sim.port));
    instances.push(await makeInstance('B', 'receiver', redis.port, sim.port));
  });

  after(() => closeRig({ instances, sim, admin, redis: redis?.proc, dir }));

  it("B's smpp-dlr matches the receipts of the messages A sent", async () => {
    const [A, B] = instances;

    // --- A alone: send; the receipt waits in the SMSC, the message waits in Redis
    start(A);
    await ready(A, 'transmitter');
    const first = await A.red.http('POST', '/send', { text: 'sent by A', to: '+46700000001', correlationId: 'from-A-1' });
    assert.equal(first.status, 200);
    assert.equal(first.json.error, null, JSON.stringify(first.json));
    const firstId: string = first.json.smpp.messageId;
    const stored = await until(async () => {
      const k = await ourKeys();
      return k.length === 2 ? k : undefined;
    }, "A's message in Redis (its record and its id key)", 10_000, logs);
    const recKey = stored.find((k) => k.includes('smppdlr_r_'));
    assert.ok(recKey, stored.join(' '));
    const value = JSON.parse((await admin!.get(recKey)) as string);
    assert.equal(value.remembered.correlationId, 'from-A-1');
    assert.deepEqual(value.partIds, [firstId]);
    for (const k of stored) {
      const pttl = await admin!.pTTL(k);
      assert.ok(pttl > (TTL_SECONDS - 600) * 1000 && pttl <= TTL_SECONDS * 1000, `${k} carries the store's time to live: PTTL ${pttl}`);
    }
    assert.equal(sim.stats().receiptsSent, 0, 'no receiver yet: the receipt is held by the SMSC');

    // --- B starts (it never saw the message) and binds as receiver: the held receipt goes to B
    start(B);
    await ready(B, 'receiver');
    const got = await until(async () => {
      const d = await dlrsOf(B);
      return d.length >= 1 ? d : undefined;
    }, "B's delivery report for A's message", 30_000, logs);
    assert.equal(got.length, 1, JSON.stringify(got));
    assert.equal(got[0].payload.messageId, receiptIdOf(firstId, 'hex', 'decimal'));
    assert.equal(got[0].payload.unmatched, false, JSON.stringify(got[0]));
    assert.equal(got[0].payload.state, 'DELIVERED');
    assert.equal(got[0].sent.correlationId, 'from-A-1');
    assert.equal(got[0].correlationId, 'from-A-1');
    assert.equal(got[0].sent.to, '+46700000001');
    await until(async () => ((await ourKeys()).length === 0 ? true : undefined), 'the final receipt on B to remove the message from Redis', 10_000, logs);

    // --- both running: a short and a two-part message from A, reported on B
    const short = await A.red.http('POST', '/send', { text: 'live', to: '+46700000002', correlationId: 'from-A-2' });
    const long = await A.red.http('POST', '/send', { text: 'L'.repeat(300), to: '+46700000003', correlationId: 'from-A-long' });
    assert.equal(short.json.error, null, JSON.stringify(short.json));
    assert.equal(long.json.error, null, JSON.stringify(long.json));
    const longIds: string[] = long.json.smpp.messageIds;
    assert.equal(longIds.length, 2);
    const all = await until(async () => {
      const d = await dlrsOf(B);
      return d.length >= 3 ? d : undefined;
    }, 'two more delivery reports on B', 30_000, logs);
    const two = all.find((d) => d.sent && d.sent.correlationId === 'from-A-2');
    assert.ok(two, JSON.stringify(all));
    assert.equal(two.payload.unmatched, false);
    assert.equal(two.payload.messageId, receiptIdOf(short.json.smpp.messageId, 'hex', 'decimal'));
    const folded = all.find((d) => d.sent && d.sent.correlationId === 'from-A-long');
    assert.ok(folded, JSON.stringify(all));
    assert.equal(folded.payload.unmatched, false);
    assert.equal(folded.payload.state, 'DELIVERED');
    assert.deepEqual(folded.payload.parts.map((p: any) => p.messageId), longIds, 'both parts folded into one report on B');
    assert.equal(all.length, 3, `nothing unmatched: ${JSON.stringify(all)}`);
    assert.equal(sim.stats().receiptsSent, 4);

    assert.deepEqual(await dlrsOf(A), [], 'A, a transmitter, got no receipt itself');
    await until(async () => ((await ourKeys()).length === 0 ? true : undefined), 'Redis to be empty of the reported messages', 10_000, logs);
    assert.doesNotMatch(A.red.log() + B.red.log(), /context store "redis" \w+ failed|Failed to load context store/, logs());
  });
});
