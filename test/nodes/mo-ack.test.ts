/**
 * Acknowledge MO and receipts (ackMo): in a real Node-RED runtime (in-process
 * harness) against the simulator, the deliver_sm_resp the simulator reads
 * goes back when the nodes the msg reached are done with it (when handled,
 * the default), or at once (on arrival). Test nodes that hold each msg until
 * the test lets them call done() stand for a slow database or CRM call.
 */
import assert from 'node:assert/strict';
import { SmscSimulator, MESSAGE_STATE } from '../../src/simulator';
import { receiptDeliverSm } from '../../src/simulator/pdu-builder';
import { receiptText } from '../../src/simulator/receipt-format';
import { helper, NODES, startSimulator, flow, until, collect, CREDS } from './node-harness';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const functionNode = require('@node-red/nodes/core/function/10-function.js');

const ROK = 0x00;
const RSYSERR = 0x08;
const RTHROTTLED = 0x58;
const RX_T_APPN = 0x64;

interface Held {
  node: string;
  msg: any;
  send: (m: any) => void;
  done: (err?: Error) => void;
}
const held: Held[] = [];

/** hold: keeps every msg until the test calls its send/done; legacy: an input handler without done */
function testNodes(RED: any): void {
  RED.nodes.registerType('hold', function (this: any, def: any) {
    RED.nodes.createNode(this, def);
    this.on('input', (msg: any, send: any, done: any) => held.push({ node: def.id, msg, send, done }));
  });
  RED.nodes.registerType('legacy', function (this: any, def: any) {
    RED.nodes.createNode(this, def);
    this.on('input', (msg: any) => held.push({ node: def.id, msg, send: () => undefined, done: () => undefined }));
  });
}

function gw(): any {
  return helper.getNode('gw1');
}

/** node-harness's flow with r1 and d1 wired to other nodes, and those nodes added */
function ackFlow(port: number, gwOpts: Record<string, unknown>, r1: string[][], d1: string[][], extra: object[]): any[] {
  const f = flow(port, gwOpts) as any[];
  f.find((n) => n.id === 'r1').wires = r1;
  f.find((n) => n.id === 'd1').wires = d1;
  return [...f, ...extra];
}

async function start(f: any[]): Promise<void> {
  await new Promise<void>((resolve, reject) => helper.load([...NODES, testNodes, functionNode], f, CREDS, (err: Error | undefined) => (err ? reject(err) : resolve())));
  await until(() => gw().engine?.state === 'bound', 'bound');
}

/** resolves with the status, or 'pending' if none came within ms */
function answerWithin(p: Promise<number>, ms: number): Promise<number | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);
}

const MO = { from: '+46701234567', to: '7777', text: 'STOP' };

async function snapshot(): Promise<any> {
  const ctl = collect('ctl');
  helper.getNode('c1').receive({ payload: 'status' });
  await until(() => ctl.some((m) => m.topic === 'status'), 'status snapshot');
  return ctl.find((m) => m.topic === 'status').payload;
}

describe('Acknowledge MO and receipts (ackMo)', function () {
  this.timeout(20000);
  let sim: SmscSimulator;

  beforeEach(async () => {
    held.length = 0;
    sim = await startSimulator();
  });
  afterEach(async () => {
    await helper.unload();
    await sim.stop();
  });

  it('when handled (default): the MO is answered ESME_ROK only once the node it reached calls done', async () => {
    await start(ackFlow(sim.port, {}, [['h1']], [['dlr']], [{ id: 'h1', type: 'hold' }]));
    const answer = sim.injectMo(MO);
    await until(() => held.length === 1, 'the MO in the flow');
    assert.equal(held[0].msg.payload, 'STOP');
    assert.equal(await answerWithin(answer, 300), 'pending', 'not answered while the flow holds it');
    assert.equal((await snapshot()).flow.mos, 1, 'the snapshot shows it in the flow');
    held[0].done();
    assert.equal(await answer, ROK);
    assert.equal((await snapshot()).flow.mos, 0);
  });

  it('a msg sent on to two nodes (cloned) is handled when both are done, and only then', async () => {
    await start(ackFlow(sim.port, {}, [['h1']], [['dlr']], [{ id: 'h1', type: 'hold', wires: [['h2', 'h3']] }, { id: 'h2', type: 'hold' }, { id: 'h3', type: 'hold' }]));
    const answer = sim.injectMo(MO);
    await until(() => held.length === 1, 'the MO in h1');
    held[0].send(held[0].msg);
    held[0].done();
    await until(() => held.length === 3, 'the MO in h2 and h3');
    assert.equal(await answerWithin(answer, 200), 'pending', 'h2 and h3 still hold it');
    held.find((h) => h.node === 'h2')!.done();
    assert.equal(await answerWithin(answer, 200), 'pending', 'h3 still holds it');
    held.find((h) => h.node === 'h3')!.done();
    assert.equal(await answer, ROK);
  });

  it('followed through a function node that returns a new object', async () => {
    await start(ackFlow(sim.port, {}, [['f1']], [['dlr']], [
      { id: 'f1', type: 'function', func: 'return { payload: msg.payload.toLowerCase() };', outputs: 1, wires: [['h1']] },
      { id: 'h1', type: 'hold' },
    ]));
    const answer = sim.injectMo(MO);
    await until(() => held.length === 1, 'the MO at the end of the flow');
    assert.equal(held[0].msg.payload, 'stop', 'the function node\'s new object');
    assert.equal(await answerWithin(answer, 300), 'pending', 'the last node still holds it');
    held[0].done();
    assert.equal(await answer, ROK);
  });

  it('done(err) answers ackErrorStatus (ESME_RX_T_APPN by default, or the one configured), so the SMSC retries', async () => {
    await start(ackFlow(sim.port, {}, [['h1']], [['dlr']], [{ id: 'h1', type: 'hold' }]));
    const answer = sim.injectMo(MO);
    await until(() => held.length === 1, 'the MO in the flow');
    held[0].done(new Error('the CRM is down'));
    assert.equal(await answer, RX_T_APPN);
    assert.equal((await snapshot()).flow.failed.mo, 1);
    await helper.unload();
    held.length = 0;
    await start(ackFlow(sim.port, { ackErrorStatus: 'ESME_RSYSERR' }, [['h1']], [['dlr']], [{ id: 'h1', type: 'hold' }]));
    const again = sim.injectMo(MO);
    await until(() => held.length === 1, 'the MO in the flow');
    held[0].done(new Error('still down'));
    assert.equal(await again, RSYSERR);
  });

  it('a msg never completed is answered ESME_ROK at the time limit, and counted', async () => {
    await start(ackFlow(sim.port, { ackTimeLimit: 300 }, [['h1']], [['dlr']], [{ id: 'h1', type: 'hold' }]));
    const answer = sim.injectMo(MO);
    await until(() => held.length === 1, 'the MO in the flow');
    assert.equal(await answer, ROK);
    const snap = await snapshot();
    assert.deepEqual(snap.flow.ackedByTimeLimit, { mo: 1, receipt: 0 });
    assert.equal(snap.flow.mos, 0);
  });

  it('a deploy that stops the node holding the MO (modified nodes only): answered ackErrorStatus, so the SMSC sends it again', async () => {
    const f = ackFlow(sim.port, {}, [['h1']], [['dlr']], [{ id: 'h1', type: 'hold' }]);
    await start(f);
    const answer = sim.injectMo(MO);
    await until(() => held.length === 1, 'the MO in h1');
    // h1 changed: Node-RED stops it (it drops the msg without done) and starts a new one; the gateway keeps running
    await helper.setFlows(f.map((n) => (n.id === 'h1' ? { ...n, name: 'changed' } : n)), 'nodes', CREDS);
    assert.equal(await answerWithin(answer, 3000), RX_T_APPN);
    assert.equal(gw().engine.state, 'bound', 'the gateway was not redeployed');
  });

  it('on arrival: answered ESME_ROK while the flow still holds it', async () => {
    await start(ackFlow(sim.port, { ackMo: 'arrival' }, [['h1']], [['dlr']], [{ id: 'h1', type: 'hold' }]));
    const answer = sim.injectMo(MO);
    assert.equal(await answer, ROK);
    await until(() => held.length === 1, 'the MO in the flow');
    assert.equal((await snapshot()).flow.ack, 'arrival');
  });

  it('nothing wired, or a node whose input handler takes no done: handled at once', async () => {
    await start(ackFlow(sim.port, {}, [[]], [['dlr']], []));
    assert.equal(await answerWithin(sim.injectMo(MO), 2000), ROK);
    await helper.unload();
    await start(ackFlow(sim.port, {}, [['l1']], [['dlr']], [{ id: 'l1', type: 'legacy' }]));
    assert.equal(await answerWithin(sim.injectMo(MO), 2000), ROK);
    assert.equal(held.length, 1);
  });

  it('Receiving Thread Pool Queue Length bounds the MOs in the flow: beyond it ESME_RTHROTTLED', async () => {
    await start(ackFlow(sim.port, { receiveQueueLength: 2 }, [['h1']], [['dlr']], [{ id: 'h1', type: 'hold' }]));
    const a = sim.injectMo({ ...MO, text: 'one' });
    const b = sim.injectMo({ ...MO, text: 'two' });
    await until(() => held.length === 2, 'two MOs in the flow');
    assert.equal(await sim.injectMo({ ...MO, text: 'three' }), RTHROTTLED);
    assert.equal((await snapshot()).flow.mos, 2);
    for (const h of held) h.done();
    assert.deepEqual(await Promise.all([a, b]), [ROK, ROK]);
    const c = sim.injectMo({ ...MO, text: 'three' });
    await until(() => held.length === 3, 'the third in the flow');
    held[2].done();
    assert.equal(await c, ROK);
  });

  it('the bound is for the whole gateway: with two links, two MOs in the flow make the third ESME_RTHROTTLED, counted', async () => {
    await start(ackFlow(sim.port, { receiveQueueLength: 2, links: 2 }, [['h1']], [['dlr']], [{ id: 'h1', type: 'hold' }]));
    await until(() => sim.stats().sessions === 2, 'two links bound');
    // the simulator takes its bound sessions in turn: one MO on each link
    const a = sim.injectMo({ ...MO, text: 'one' });
    const b = sim.injectMo({ ...MO, text: 'two' });
    await until(() => held.length === 2, 'two MOs in the flow');
    assert.equal(await sim.injectMo({ ...MO, text: 'three' }), RTHROTTLED);
    assert.equal(gw().moCounters.moRefusedQueue, 1, 'refused by the gateway, not by a link');
    for (const h of held) h.done();
    assert.deepEqual(await Promise.all([a, b]), [ROK, ROK]);
  });

  it('MOs and receipts share the bound: with an MO in the flow and a queue length of 1, a receipt gets ESME_RTHROTTLED', async () => {
    await sim.stop();
    sim = await startSimulator({ receipts: 'never' });
    await start(ackFlow(sim.port, { receiveQueueLength: 1 }, [['h1']], [['dlr']], [{ id: 'h1', type: 'hold' }]));
    const mo = sim.injectMo(MO);
    await until(() => held.length === 1, 'the MO in the flow');
    const pdu = receiptDeliverSm(7002, {
      srcTon: 1, srcNpi: 1, src: '4670000001', dstTon: 0, dstNpi: 0, dst: 'ACME', receiptId: 'abc123',
      messageState: MESSAGE_STATE.DELIVRD, text: receiptText('abc123', '2401021200', '2401021201', 'DELIVRD', 'hello'), fields: 'both',
    });
    assert.equal(await sim.injectMoPdu(pdu), RTHROTTLED);
    held[0].done();
    assert.equal(await mo, ROK);
  });

  it('receipts: answered once smpp-dlr\'s flow is done; an error keeps the correlation so the SMSC\'s retry matches', async () => {
    await sim.stop();
    sim = await startSimulator({ receipts: 'never' });
    await start(ackFlow(sim.port, {}, [['mo']], [['h1']], [{ id: 'h1', type: 'hold' }]));
    const ok = collect('ok');
    helper.getNode('s1').receive({ payload: 'hello', to: '+4670000001', correlationId: 'c-1' });
    await until(() => ok.length === 1, 'sent');
    const id: string = ok[0].smpp.messageIds[0];
    const pdu = receiptDeliverSm(7001, {
      srcTon: 1, srcNpi: 1, src: '4670000001', dstTon: 0, dstNpi: 0, dst: 'ACME', receiptId: id,
      messageState: MESSAGE_STATE.DELIVRD, text: receiptText(id, '2401021200', '2401021201', 'DELIVRD', 'hello'), fields: 'both',
    });
    const first = sim.injectMoPdu(pdu);
    await until(() => held.length === 1, 'the receipt in the flow');
    assert.equal(await answerWithin(first, 200), 'pending');
    assert.equal((await snapshot()).flow.receipts, 1);
    held[0].done(new Error('database down'));
    assert.equal(await first, RX_T_APPN);
    assert.equal(gw().correlation.size, 1, 'the record is kept for the retry');
    const retry = sim.injectMoPdu(pdu);
    await until(() => held.length === 2, 'the retried receipt in the flow');
    const again = held[1];
    assert.equal(again.msg.payload.unmatched, false, 'the retry matches');
    assert.equal(again.msg.correlationId, 'c-1');
    again.done();
    assert.equal(await retry, ROK);
    await until(() => gw().correlation.size === 0, 'the record finished once handled');
  });
});


