/**
 * Acknowledge when handled (ackMo 'handled') followed through Node-RED's
 * link nodes: smpp-receive -> link out ... link in -> a node that holds the
 * msg (a slow CRM call), in a real Node-RED runtime (in-process harness)
 * against the simulator. The MO is answered ESME_ROK only once the flow
 * after the link in is done with it; an error there answers ackErrorStatus.
 */
import assert from 'node:assert/strict';
import { SmscSimulator } from '../../src/simulator';
import { helper, NODES, startSimulator, flow, until, CREDS, gw } from './node-harness';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const linkNodes = require('@node-red/nodes/core/common/60-link.js');

const ROK = 0x00;
const RX_T_APPN = 0x64;

interface Held {
  node: string;
  msg: any;
  done: (err?: Error) => void;
}
const held: Held[] = [];

function holdNode(RED: any): void {
  RED.nodes.registerType('hold', function (this: any, def: any) {
    RED.nodes.createNode(this, def);
    this.on('input', (msg: any, _send: any, done: any) => held.push({ node: def.id, msg, done }));
  });
}

/** node-harness's flow, smpp-receive wired to a link out; its link in (on another tab) feeds a hold node */
function linkFlow(port: number): any[] {
  const f = flow(port, { ackMo: 'handled' }) as any[];
  f.find((n) => n.id === 'r1').wires = [['lo']];
  // flow nodes on tabs (Node-RED takes a node without z for a config node)
  for (const n of f) if (n.type !== 'smpp-gateway') n.z = 't1';
  return [
    { id: 't1', type: 'tab', label: 'receive' },
    { id: 't2', type: 'tab', label: 'handle' },
    ...f,
    { id: 'lo', type: 'link out', z: 't1', mode: 'link', links: ['li'], wires: [] },
    { id: 'li', type: 'link in', z: 't2', links: ['lo'], wires: [['h1']] },
    { id: 'h1', type: 'hold', z: 't2' },
  ];
}

function answerWithin(p: Promise<number>, ms: number): Promise<number | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);
}

describe('Acknowledge when handled, through link out / link in', function () {
  this.timeout(20000);
  let sim: SmscSimulator;

  beforeEach(async () => {
    held.length = 0;
    sim = await startSimulator();
    await new Promise<void>((resolve, reject) => helper.load([...NODES, holdNode, linkNodes], linkFlow(sim.port), CREDS, (err: Error | undefined) => (err ? reject(err) : resolve())));
    await until(() => gw().engine?.state === 'bound', 'bound');
  });
  afterEach(async () => {
    await helper.unload();
    await sim.stop();
  });

  it('the MO is answered ESME_ROK only when the node after the link in is done with it', async () => {
    const answer = sim.injectMo({ from: '+46701234567', to: '7777', text: 'LINKED' });
    await until(() => held.length === 1, 'the MO past the link in');
    assert.equal(held[0].msg.payload, 'LINKED');
    assert.equal(await answerWithin(answer, 400), 'pending', 'not answered while the node after the link in holds it');
    assert.equal(gw().flowAck.inFlow(), 1);
    held[0].done();
    assert.equal(await answer, ROK);
    assert.equal(gw().flowAck.inFlow(), 0);
  });

  it('an error after the link in answers ackErrorStatus, so the SMSC sends it again', async () => {
    const answer = sim.injectMo({ from: '+46701234567', to: '7777', text: 'FAIL' });
    await until(() => held.length === 1, 'the MO past the link in');
    assert.equal(await answerWithin(answer, 300), 'pending');
    held[0].done(new Error('CRM down'));
    assert.equal(await answer, RX_T_APPN);
  });
});
