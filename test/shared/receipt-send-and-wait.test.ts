/**
 * Send-and-wait and multipart receipts across Node-RED instances sharing one
 * account through Redis (shareInstances): a real redis-server, our SMSC
 * simulator (one account; receiptsTo 'any-receiver': each receipt goes to the
 * account's receiving sessions in turn, as an SMSC spreads them over binds),
 * and three Node-RED child processes running the SAME flow
 * (test/shared/receipt-flow.ts), restarted with other bind modes per case:
 *  (a) A transmitter + B receiver: 20 send-and-wait messages from A, every
 *      receipt arrives at B;
 *  (b) A and B transceivers: 20 send-and-wait messages from both, the
 *      receipts spread over both;
 *  (c) A, B and C transceivers: 20 send-and-wait messages spread over the
 *      three, and 10 three-part messages whose part receipts reach
 *      different instances.
 * Each message must end on its smpp-send's delivered output (none timed
 * out), be output once by smpp-dlr across the instances (on the instance
 * that received the receipt), each three-part message exactly once,
 * folded; afterwards no instance counts a pending message and Redis holds no
 * record.
 */
import assert from 'node:assert/strict';
import { ChildProcess } from 'child_process';
import { RedisAdmin, redisContextStorage } from '../helpers/redis-server';
import { redChild, RedChild, until } from '../helpers/red-child';
import { SmscSimulator } from '../../src/simulator';
import { sharedReceiptFlow } from './receipt-flow';
import { openRedis, logsOf, closeRig } from './rig';

const PREFIX = 'smppsaw:';
const WAIT_MS = 20_000;

interface Instance {
  name: string;
  red: RedChild;
}

describe('send-and-wait and multipart receipts across instances (shareInstances, Redis)', function () {
  this.timeout(240_000);
  let dir = '';
  let redis: { port: number; proc: ChildProcess } | null = null;
  let admin: RedisAdmin | null = null;
  let sim: SmscSimulator;
  let binds = 0;
  const instances: Instance[] = [];
  const logs = () => logsOf(instances);

  const get = async (inst: Instance, p: string): Promise<any> => {
    const r = await inst.red.http('GET', p);
    assert.equal(r.status, 200, `${inst.name} GET ${p}`);
    return r.json;
  };

  /** (re)starts the given instances with these bind modes, the others stopped; resolves once all are bound */
  async function run(modes: string[]): Promise<Instance[]> {
    await Promise.all(instances.map((i) => i.red.stop('SIGTERM', 10_000)));
    const used = instances.slice(0, modes.length);
    const before = binds;
    used.forEach((inst, i) => inst.red.start({ SMPP_BIND_MODE: modes[i] }));
    for (const inst of used) await until(async () => ((await inst.red.http('GET', '/dlrs')).status === 200 ? true : undefined), `${inst.name} to start`, 60_000, logs);
    await until(() => (binds - before >= used.length ? true : undefined), 'every instance to bind', 30_000, logs);
    return used;
  }

  async function waitAll(from: Instance[], n: number, tag: string): Promise<void> {
    for (let i = 0; i < n; i++) {
      const inst = from[i % from.length];
      const r = await inst.red.http('POST', '/wait', { text: `wait ${tag} ${i}`, to: `+4670100${String(i).padStart(4, '0')}`, correlationId: `${tag}-${i}` });
      assert.equal(r.status, 200);
    }
  }

  /** every instance's /waited once they hold n entries in all */
  async function waited(used: Instance[], n: number): Promise<any[]> {
    return until(async () => {
      const all = (await Promise.all(used.map((i) => get(i, '/waited')))).flat();
      return all.length >= n ? all : undefined;
    }, `${n} send-and-wait messages to leave smpp-send`, WAIT_MS + 30_000, logs, 250);
  }

  async function checkAfter(used: Instance[], tag: string, n: number): Promise<void> {
    const out = await waited(used, n);
    const byOutcome: Record<string, number> = {};
    for (const w of out) byOutcome[w.outcome] = (byOutcome[w.outcome] ?? 0) + 1;
    console.log(`      ${tag}: ${JSON.stringify(byOutcome)} of ${n} send-and-wait`);
    assert.deepEqual(byOutcome, { delivered: n }, `every send-and-wait on the delivered output: ${JSON.stringify(out.filter((w) => w.outcome !== 'delivered').slice(0, 3))}`);
    assert.deepEqual(out.map((w) => w.correlationId).sort(), Array.from({ length: n }, (_, i) => `${tag}-${i}`).sort());
    // one smpp-dlr output per message, across the instances, matched
    const dlrs = (await Promise.all(used.map((i) => get(i, '/dlrs')))).flat().filter((d) => String(d.correlationId ?? d.payload?.messageId).startsWith(`${tag}-`) || d.payload?.unmatched);
    assert.equal(dlrs.filter((d) => d.payload.unmatched).length, 0, `nothing unmatched: ${JSON.stringify(dlrs.filter((d) => d.payload.unmatched).slice(0, 2))}`);
    assert.deepEqual(dlrs.map((d) => d.correlationId).sort(), Array.from({ length: n }, (_, i) => `${tag}-${i}`).sort(), 'each message output once by smpp-dlr');
  }

  async function pendingEverywhere(used: Instance[]): Promise<number[]> {
    return until(async () => {
      const p = await Promise.all(used.map(async (i) => (await get(i, '/status')).correlation.pending as number));
      return p.every((x) => x === 0) ? p : undefined;
    }, 'every instance to count 0 pending messages', 15_000, logs);
  }

  const records = async () => (await admin!.keys(`${PREFIX}{gw1}smppdlr_r_*`)).length;

  before(async () => {
    ({ dir, redis, admin } = await openRedis('saw'));
    sim = new SmscSimulator({
      port: 0,
      accounts: [{ systemId: 'esme', password: 'secret1' }],
      receiptDelayMs: 300,
      holdReceipts: true,
      receiptsTo: 'any-receiver',
      messageIdFormat: 'hex',
      receiptIdFormat: 'decimal',
    });
    sim.on('bind', () => binds++);
    await sim.start();
    const flow = sharedReceiptFlow({
      name: 'shared gw', host: '127.0.0.1', port: sim.port, bindMode: '${SMPP_BIND_MODE}',
      reconnectMin: 100, reconnectMax: 500, heartbeatInterval: 5000, transactionTimeout: 2000, registeredDelivery: '1',
      messageFormat: 'auto', splitMode: 'concatenated', messageIdForm: 'auto',
    }, WAIT_MS);
    const made = await Promise.all(['A', 'B', 'C'].map(async (name) => ({
      name,
      red: await redChild(flow, { gw1: { systemId: 'esme', password: 'secret1' } }, { settingsJs: redisContextStorage(redis!.port, PREFIX, 3600) }),
    })));
    instances.push(...made);
  });

  after(() => closeRig({ instances, sim, admin, redis: redis?.proc, dir }));

  it('(a) A transmitter, B receiver: 20 of 20 send-and-wait on A end delivered, reported once on B', async () => {
    const used = await run(['transmitter', 'receiver']);
    const [A, B] = used;
    const t0 = Date.now();
    await waitAll([A], 20, 'a');
    await checkAfter(used, 'a', 20);
    console.log(`      (a) 20 send-and-wait delivered in ${Date.now() - t0} ms`);
    assert.equal((await get(A, '/dlrs')).length, 0, 'A, a transmitter, output no receipt');
    assert.equal((await get(B, '/dlrs')).length, 20);
    await pendingEverywhere(used);
    assert.equal(await records(), 0, 'no record left in Redis');
  });

  it('(b) two transceivers, receipts spread over both: 20 of 20 send-and-wait end delivered, each reported once', async () => {
    const used = await run(['transceiver', 'transceiver']);
    // two of three from A: the receipts, going to A and B in turn, do not simply follow their senders
    await waitAll([used[0], used[0], used[1]], 20, 'b');
    await checkAfter(used, 'b', 20);
    const onEach = await Promise.all(used.map((i) => get(i, '/dlrs').then((d) => d.length)));
    assert.ok(onEach.every((n) => n > 0), `the receipts reached both instances: ${onEach}`);
    await pendingEverywhere(used);
    assert.equal(await records(), 0);
  });

  it('(c) three transceivers: 10 three-part messages spread over them get one report each; 20 of 20 send-and-wait delivered', async () => {
    const used = await run(['transceiver', 'transceiver', 'transceiver']);
    // 10 three-part messages, sent from A; their 30 part receipts go to A, B and C in turn
    const sent: { correlationId: string; ids: string[] }[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await used[0].red.http('POST', '/send', { text: `${'long '.repeat(66)}${i}`, to: `+4670200${String(i).padStart(4, '0')}`, correlationId: `m-${i}` });
      assert.equal(r.json.error, null, JSON.stringify(r.json));
      assert.equal(r.json.smpp.messageIds.length, 3);
      sent.push({ correlationId: `m-${i}`, ids: r.json.smpp.messageIds });
    }
    const reports = await until(async () => {
      const all = (await Promise.all(used.map((i) => get(i, '/dlrs').then((d: any[]) => d.map((x) => ({ ...x, on: i.name }))))))
        .flat().filter((d) => String(d.correlationId).startsWith('m-') || d.payload.unmatched);
      return all.length >= 10 ? all : undefined;
    }, 'the reports of the 10 three-part messages', 30_000, logs);
    // anything late would show up now
    await new Promise((r) => setTimeout(r, 1500));
    const again = (await Promise.all(used.map((i) => get(i, '/dlrs')))).flat().filter((d) => String(d.correlationId).startsWith('m-') || d.payload.unmatched);
    assert.equal(again.length, 10, `exactly one report per message, nothing unmatched: ${JSON.stringify(again.map((d) => [d.correlationId, d.payload.unmatched]))}`);
    for (const s of sent) {
      const mine = reports.filter((d) => d.correlationId === s.correlationId);
      assert.equal(mine.length, 1, s.correlationId);
      assert.equal(mine[0].payload.state, 'DELIVERED');
      assert.deepEqual(mine[0].payload.parts.map((p: any) => p.messageId), s.ids, 'folded over the three parts');
    }
    const where = new Set(reports.map((d) => d.on));
    console.log(`      (c) 10 three-part messages: ${reports.length} reports, output on ${[...where].sort().join(', ')}`);
    await waitAll(used, 20, 'c');
    await checkAfter(used, 'c', 20);
    await pendingEverywhere(used);
    assert.equal(await records(), 0);
    const parts = await admin!.keys(`${PREFIX}{gw1:smpp-parts}*`);
    assert.deepEqual(parts, [], 'the part states were deleted with their records');
  });
});
