/**
 * Product behaviours that once had no test failing when they broke (issue 17), through the
 * nodes' public behaviour: a real Node-RED runtime (node-red-node-test-helper) and our simulator,
 * observed on the wire (the deliver_sm_resp the SMSC gets) and in smpp-control's snapshot.
 *   - a receipt that matches a sent message while no smpp-dlr node is deployed: the SMSC is asked
 *     to retry it later (ESME_RTHROTTLED), and the sent message stays remembered for that retry
 *   - a message that asked for no receipt is not remembered (nothing waits for a receipt)
 *   - the snapshot's correlation.pending is the exact number of messages waiting for a receipt
 */
import assert from 'node:assert/strict';
import { SmscSimulator, SimulatorOptions } from '../../src/simulator';
import { helper, startSimulator, flow, load, until, collect } from '../nodes/node-harness';

const ESME_RTHROTTLED = 0x58;

async function snapshot(ctl: any[]): Promise<any> {
  const before = ctl.filter((m) => m.topic === 'status').length;
  helper.getNode('c1').receive({ payload: 'status' });
  await until(() => ctl.filter((m) => m.topic === 'status').length > before, 'status snapshot');
  return ctl.filter((m) => m.topic === 'status')[before].payload;
}

describe('receipt bookkeeping seen from outside: the SMSC answer, what is remembered, the pending count', function () {
  this.timeout(20000);
  let sim: SmscSimulator | null = null;
  let deliverResps: number[] = [];

  async function start(simOpts: SimulatorOptions, withDlr: boolean) {
    sim = await startSimulator(simOpts);
    deliverResps = [];
    sim.on('deliver_resp', (status: number) => deliverResps.push(status));
    const f = (flow(sim.port) as any[]).filter((n) => withDlr || (n.id !== 'd1' && n.id !== 'dlr'));
    await load(f);
    const out = { ok: collect('ok'), bad: collect('bad'), ctl: collect('ctl') };
    await until(() => helper.getNode('gw1').engine.state === 'bound', 'bound');
    return out;
  }

  afterEach(async () => {
    await helper.unload();
    await sim?.stop();
    sim = null;
  });

  it('no smpp-dlr deployed: a matched receipt is answered ESME_RTHROTTLED and its message stays remembered', async () => {
    const { ok, ctl } = await start({ receipts: 'requested', receiptDelayMs: 20 }, false);
    helper.getNode('s1').receive({ payload: 'receipt please', to: '+4670000001', correlationId: 'nodlr-1' });
    await until(() => ok.length === 1, 'accepted');
    await until(() => deliverResps.length >= 1, 'the receipt answered');
    assert.equal(deliverResps[0], ESME_RTHROTTLED, `the SMSC is asked to retry later (got 0x${deliverResps[0].toString(16)})`);
    assert.equal(sim!.stats().receiptsSent, 1);
    const snap = await snapshot(ctl);
    assert.equal(snap.correlation.pending, 1, 'kept for the SMSC retry');
  });

  it('a message sent with registered_delivery 0 is not remembered; one asking for a receipt is', async () => {
    const { ok, ctl } = await start({ receipts: 'never' }, true);
    helper.getNode('s1').receive({ payload: 'no receipt', to: '+4670000001', smpp: { registered_delivery: 0 } });
    await until(() => ok.length === 1, 'accepted');
    assert.equal((await snapshot(ctl)).correlation.pending, 0, 'nothing remembered for a message with no receipt');
    helper.getNode('s1').receive({ payload: 'receipt please', to: '+4670000001', smpp: { registered_delivery: 1 } });
    await until(() => ok.length === 2, 'accepted');
    assert.equal((await snapshot(ctl)).correlation.pending, 1, 'the one that asked is remembered');
    assert.equal(sim!.stats().submits, 2);
  });

  it('correlation.pending counts exactly the messages still waiting for a receipt (a multipart message once)', async () => {
    const { ok, ctl } = await start({ receipts: 'never' }, true);
    const long = 'x'.repeat(300); // two parts in GSM 7-bit
    const sends = [
      { payload: 'one', to: '+4670000001' },
      { payload: 'two', to: '+4670000002' },
      { payload: long, to: '+4670000003' },
      { payload: 'four', to: '+4670000004' },
      { payload: 'no receipt', to: '+4670000005', smpp: { registered_delivery: 0 } },
    ];
    for (const m of sends) helper.getNode('s1').receive(m);
    await until(() => ok.length === sends.length, 'all accepted');
    assert.equal(sim!.stats().submits, 6, 'six PDUs: the long message in two parts');
    const snap = await snapshot(ctl);
    assert.equal(snap.correlation.pending, 4);
  });

  it('correlation.pending goes down as the final receipts are matched', async () => {
    const { ok, ctl } = await start({ receipts: 'requested', receiptDelayMs: 20 }, true);
    const dlr = collect('dlr');
    for (let i = 0; i < 3; i++) helper.getNode('s1').receive({ payload: `m${i}`, to: '+4670000001' });
    await until(() => ok.length === 3 && dlr.length === 3, 'accepted and reported');
    await until(() => deliverResps.length === 3, 'receipts answered');
    assert.deepEqual(deliverResps, [0, 0, 0]);
    assert.equal((await snapshot(ctl)).correlation.pending, 0);
  });
});
