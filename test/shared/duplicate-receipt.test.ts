/**
 * A receipt the SMSC sends again (its acknowledgement was lost) reaching a
 * DIFFERENT Node-RED instance is reported matched once across all instances.
 *
 * A real redis-server, our SMSC simulator and two Node-RED child processes
 * running the SAME flow (gateway gw1, correlation store 'redis' with our
 * context-store module). To choose which instance gets each copy, each
 * instance binds with its own system id: A (transceiver, 'esmeA') sends, B
 * (receiver, 'esmeB') only receives. The simulator's own receipts are
 * delayed beyond the test; the test sends the receipt itself: first to B
 * (which finds A's message in Redis, reports it and deletes the record), then
 * the same receipt again to A (which still has its own memory copy), then to
 * B once more. Exactly one matched report must come out, nothing unmatched,
 * and every copy is answered ESME_ROK (taken, not retried).
 */
import assert from 'node:assert/strict';
import { ChildProcess } from 'child_process';
import { RedisAdmin, redisContextStorage } from '../helpers/redis-server';
import { redChild, RedChild, until } from '../helpers/red-child';
import { SmscSimulator, receiptIdOf } from '../../src/simulator';
import { receiptDeliverSm } from '../../src/simulator/pdu-builder';
import { sendDlrHttpFlow } from '../helpers/send-dlr-http-flow';
import { openRedis, logsOf, closeRig } from './rig';

const PREFIX = 'smppdup:';

interface Instance {
  name: string;
  systemId: string;
  red: RedChild;
}

describe('a resent receipt reaching another Node-RED instance is reported once (Redis claims)', function () {
  this.timeout(180_000);
  let dir = '';
  let redis: { port: number; proc: ChildProcess } | null = null;
  let admin: RedisAdmin | null = null;
  let sim: SmscSimulator;
  const binds: string[] = [];
  const instances: Instance[] = [];
  const logs = () => logsOf(instances);

  async function makeInstance(name: string, systemId: string, bindMode: string, simPort: number): Promise<Instance> {
    const flow = sendDlrHttpFlow('tab1', 'resent receipts', {
      name: 'shared gw', host: '127.0.0.1', port: simPort, bindMode,
      reconnectMin: 100, reconnectMax: 500, heartbeatInterval: 5000, transactionTimeout: 2000, registeredDelivery: '1',
      messageFormat: 'auto', splitMode: 'concatenated', correlationStore: 'redis', messageIdForm: 'auto',
    });
    const red = await redChild(flow, { gw1: { systemId, password: 'secret1' } }, { settingsJs: redisContextStorage(redis!.port, PREFIX, 3600) });
    return { name, systemId, red };
  }

  function start(inst: Instance): void {
    inst.red.start();
  }

  async function ready(inst: Instance): Promise<void> {
    await until(async () => ((await inst.red.http('GET', '/dlrs')).status === 200 ? true : undefined), `${inst.name} to start`, 45_000, logs);
    await until(async () => (binds.includes(inst.systemId) ? true : undefined), `${inst.name} to bind`, 20_000, logs);
  }

  const dlrsOf = async (inst: Instance): Promise<any[]> => (await inst.red.http('GET', '/dlrs')).json;

  before(async () => {
    ({ dir, redis, admin } = await openRedis('redis-dup'));
    sim = new SmscSimulator({
      port: 0,
      accounts: [{ systemId: 'esmeA', password: 'secret1' }, { systemId: 'esmeB', password: 'secret1' }],
      // the simulator's own receipt comes long after this test: the test sends the copies itself
      receiptDelayMs: 3600_000,
      messageIdFormat: 'hex',
      receiptIdFormat: 'decimal',
    });
    sim.on('bind', (systemId: string) => binds.push(systemId));
    await sim.start();
    instances.push(await makeInstance('A', 'esmeA', 'transceiver', sim.port));
    instances.push(await makeInstance('B', 'esmeB', 'receiver', sim.port));
  });

  after(() => closeRig({ instances, sim, admin, redis: redis?.proc, dir }));

  it('B reports the first copy; the copies that reach A (which still remembers the message) and B again are answered, not reported', async () => {
    const [A, B] = instances;
    start(A);
    start(B);
    await ready(A);
    await ready(B);

    const sent = await A.red.http('POST', '/send', { text: 'sent by A', to: '+46700000001', correlationId: 'dup-1' });
    assert.equal(sent.json.error, null, JSON.stringify(sent.json));
    const receiptId = receiptIdOf(sent.json.smpp.messageId as string, 'hex', 'decimal');
    await until(async () => ((await admin!.keys(`${PREFIX}{gw1}smppdlr_r_*`)).length === 1 ? true : undefined), "A's message in Redis", 10_000, logs);

    const pdu = receiptDeliverSm(1, {
      srcTon: 1, srcNpi: 1, src: '46700000001', dstTon: 0, dstNpi: 0, dst: '',
      receiptId, messageState: 2,
      text: `id:${receiptId} sub:001 dlvrd:001 submit date:2601010000 done date:2601010000 stat:DELIVRD err:000 text:sent by A`,
    });
    // first copy to B: matched from Redis, reported, the record deleted
    assert.equal(await sim.injectMoPdu(pdu, 'esmeB'), 0);
    const first = await until(async () => {
      const d = await dlrsOf(B);
      return d.length >= 1 ? d : undefined;
    }, "B's report", 20_000, logs);
    assert.equal(first[0].payload.unmatched, false, JSON.stringify(first));
    assert.equal(first[0].sent.correlationId, 'dup-1');
    await until(async () => ((await admin!.keys(`${PREFIX}{gw1}smppdlr_*`)).length === 0 ? true : undefined), 'the record to leave Redis', 10_000, logs);

    // the SMSC sends it again: to A (which still has its own copy in memory), then to B
    assert.equal(await sim.injectMoPdu(pdu, 'esmeA'), 0, 'A answers the copy ESME_ROK');
    assert.equal(await sim.injectMoPdu(pdu, 'esmeB'), 0, 'B answers the copy ESME_ROK');
    // a marker receipt to each, unmatched, sent after the copies: once it is out, the copy before it was handled
    const marker = receiptDeliverSm(1, {
      srcTon: 1, srcNpi: 1, src: '46700000001', dstTon: 0, dstNpi: 0, dst: '', receiptId: '999999', messageState: 2,
      text: 'id:999999 sub:001 dlvrd:001 submit date:2601010000 done date:2601010000 stat:DELIVRD err:000 text:marker',
    });
    assert.equal(await sim.injectMoPdu(marker, 'esmeA'), 0);
    assert.equal(await sim.injectMoPdu(marker, 'esmeB'), 0);
    const [onA, onB] = await until(async () => {
      const a = await dlrsOf(A);
      const b = await dlrsOf(B);
      const markers = (x: any[]) => x.filter((d) => d.payload.messageId === '999999').length;
      return markers(a) === 1 && markers(b) === 1 ? [a, b] : undefined;
    }, 'the marker receipts on A and B', 20_000, logs);
    const matched = [...onA, ...onB].filter((d) => d.payload.messageId === receiptId);
    assert.equal(matched.length, 1, `the receipt is reported once across A and B: ${JSON.stringify({ onA, onB })}`);
    assert.equal(matched[0].payload.unmatched, false);
    const claims = await admin!.keys(`${PREFIX}{gw1:smpp-claims}*`);
    assert.equal(claims.length, 1, `one claim for the receipt: ${claims.join(' ')}`);
    const pttl = await admin!.pTTL(claims[0]);
    assert.ok(pttl > 0 && pttl <= 3600_000 * 73, `the claim expires (PTTL ${pttl})`);
  });
});
