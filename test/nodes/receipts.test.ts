/**
 * smpp-dlr in a real Node-RED runtime (in-process harness) against our
 * simulator: receipts in TLV and text form, message id forms with
 * messageIdForm auto and fixed (a wrong fixed form reports the receipt
 * unmatched, never drops it), multipart folding, unmatched receipts, and the
 * correlation store option (unknown store -> memory; a named store is written
 * through and cleaned up).
 */
import assert from 'node:assert/strict';
import { SmscSimulator, SimulatorOptions, MessageIdFormat, ReceiptIdFormat, receiptIdOf, MESSAGE_STATE } from '../../src/simulator';
import { receiptDeliverSm } from '../../src/simulator/pdu-builder';
import { receiptText, ReceiptState } from '../../src/simulator/receipt-format';
import { KEY_PREFIX } from '../../src/correlation/context-record';
import { helper, startSimulator, flow, load, until, collect } from './node-harness';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const contextModule = require('@node-red/runtime/lib/nodes/context');

function gw(): any {
  return helper.getNode('gw1');
}

/** A receipt deliver_sm as an SMSC would send it for message id `id`. */
function receiptPdu(id: string, state: ReceiptState, fields: 'both' | 'text' | 'tlv' = 'both', seq = 7001): Buffer {
  return receiptDeliverSm(seq, {
    srcTon: 1, srcNpi: 1, src: '4670000001', dstTon: 0, dstNpi: 0, dst: 'ACME',
    receiptId: id,
    messageState: MESSAGE_STATE[state],
    text: receiptText(id, '2401021200', '2401021201', state, 'hello'),
    fields,
  });
}

describe('smpp-dlr: receipts matched to what was sent', function () {
  this.timeout(20000);
  let sim: SmscSimulator | null = null;
  let deliverResps: number[] = [];

  async function start(simOpts: SimulatorOptions, gwOpts: Record<string, unknown> = {}) {
    sim = await startSimulator(simOpts);
    deliverResps = [];
    sim.on('deliver_resp', (status: number) => deliverResps.push(status));
    await load(flow(sim.port, gwOpts));
    const out = { ok: collect('ok'), bad: collect('bad'), dlr: collect('dlr') };
    await until(() => gw().engine.state === 'bound', 'bound');
    return out;
  }

  afterEach(async () => {
    await helper.unload();
    await sim?.stop();
    sim = null;
    helper.settings({});
  });

  it('matches receipts that carry only TLVs (receipted_message_id, message_state; no text)', async () => {
    const { ok, dlr } = await start({ receiptFields: 'tlv' });
    helper.getNode('s1').receive({ payload: 'tlv please', to: '+4670000001', correlationId: 'tlv-1' });
    await until(() => dlr.length === 1, 'delivery report');
    const d = dlr[0];
    assert.equal(d.payload.source, 'tlv');
    assert.equal(d.payload.unmatched, false);
    assert.equal(d.payload.state, 'DELIVERED');
    assert.equal(d.payload.submitDate, null, 'no text: no dates');
    assert.equal(d.payload.messageId, ok[0].smpp.messageId);
    assert.equal(d.sent.correlationId, 'tlv-1');
    assert.equal(d.correlationId, 'tlv-1');
    await until(() => deliverResps.length === 1, 'deliver_sm_resp');
    assert.deepEqual(deliverResps, [0]);
  });

  it('matches receipts that carry only the text (id: sub: dlvrd: ... stat: err:)', async () => {
    const { ok, dlr } = await start({ receiptFields: 'text', receiptState: 'UNDELIV' });
    helper.getNode('s1').receive({ payload: 'text please', to: '+4670000001', correlationId: 'txt-1' });
    await until(() => dlr.length === 1, 'delivery report');
    const d = dlr[0];
    assert.equal(d.payload.source, 'text');
    assert.equal(d.payload.unmatched, false);
    assert.equal(d.payload.state, 'UNDELIVERABLE');
    assert.equal(d.payload.delivered, false);
    assert.equal(d.payload.errorCode, '001');
    assert.ok(d.payload.submitDate instanceof Date, 'dates from the text');
    assert.equal(d.payload.messageId, ok[0].smpp.messageId);
    assert.equal(d.sent.correlationId, 'txt-1');
    assert.equal(d.topic, 'UNDELIVERABLE');
  });

  const FORMS: { form: string; ids: MessageIdFormat; inReceipt: ReceiptIdFormat; match: boolean }[] = [
    { form: 'auto', ids: 'hex', inReceipt: 'same', match: true },
    { form: 'auto', ids: 'hex', inReceipt: 'decimal', match: true },
    { form: 'auto', ids: 'decimal', inReceipt: 'hex-upper-padded', match: true },
    { form: 'exact', ids: 'hex', inReceipt: 'same', match: true },
    { form: 'receipt-decimal', ids: 'hex', inReceipt: 'decimal', match: true },
    { form: 'receipt-hex', ids: 'decimal', inReceipt: 'hex-upper-padded', match: true },
    { form: 'exact', ids: 'hex', inReceipt: 'decimal', match: false },
    { form: 'receipt-hex', ids: 'hex', inReceipt: 'decimal', match: false },
    { form: 'receipt-decimal', ids: 'decimal', inReceipt: 'hex-upper-padded', match: false },
  ];
  for (const f of FORMS) {
    it(`messageIdForm ${f.form}: ${f.ids} ids, ${f.inReceipt} in receipts -> ${f.match ? 'matched' : 'output unmatched, not dropped'}`, async () => {
      const { ok, dlr } = await start({ messageIdFormat: f.ids, receiptIdFormat: f.inReceipt }, { messageIdForm: f.form });
      helper.getNode('s1').receive({ payload: 'id forms', to: '+4670000001', correlationId: 'form-1' });
      await until(() => dlr.length === 1, 'delivery report');
      const sentId: string = ok[0].smpp.messageId;
      const d = dlr[0];
      assert.equal(d.payload.messageId, receiptIdOf(sentId, f.ids, f.inReceipt), 'the id as the receipt wrote it');
      if (f.inReceipt !== 'same') assert.notEqual(d.payload.messageId, sentId);
      assert.equal(d.payload.unmatched, !f.match);
      assert.equal(d.payload.state, 'DELIVERED');
      if (f.match) assert.equal(d.sent.correlationId, 'form-1');
      else {
        assert.equal(d.sent, null);
        assert.equal(d.correlationId, undefined);
        assert.equal(gw().correlation.size, 1, 'the sent message still waits for its receipt');
      }
      await until(() => deliverResps.length === 1, 'deliver_sm_resp');
      assert.deepEqual(deliverResps, [0], 'the SMSC got ESME_ROK either way');
    });
  }

  it('folds the receipts of a multipart message into one outcome with the parts\' detail', async () => {
    const { ok, dlr } = await start({ receiptFields: 'text', messageIdFormat: 'hex', receiptIdFormat: 'decimal' }, { messageIdForm: 'receipt-decimal' });
    helper.getNode('s1').receive({ payload: 'y'.repeat(400), to: '+4670000002', correlationId: 'long-1' });
    await until(() => ok.length === 1, 'sent');
    const ids: string[] = ok[0].smpp.messageIds;
    assert.equal(ids.length, 3);
    await until(() => deliverResps.length === 3, 'three part receipts answered');
    await until(() => dlr.length === 1, 'one folded report');
    const d = dlr[0];
    assert.equal(d.payload.state, 'DELIVERED');
    assert.equal(d.payload.delivered, true);
    assert.equal(d.payload.messageId, ids[0]);
    assert.deepEqual(d.payload.parts.map((p: any) => [p.messageId, p.state]), ids.map((id) => [id, 'DELIVERED']));
    assert.equal(d.sent.correlationId, 'long-1');
    assert.equal(d.sent.parts, 3);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(dlr.length, 1, 'one report for the message');
    assert.equal(gw().correlation.size, 0);
  });

  it('a multipart message fails as soon as one part fails; the other parts\' receipts are taken, not reported unmatched', async () => {
    const { ok, dlr } = await start({ receipts: 'never' });
    helper.getNode('s1').receive({ payload: 'z'.repeat(300), to: '+4670000002', correlationId: 'long-2' });
    await until(() => ok.length === 1, 'sent');
    const ids: string[] = ok[0].smpp.messageIds;
    assert.equal(ids.length, 2);
    sim!.injectRaw(receiptPdu(ids[1].toUpperCase(), 'UNDELIV', 'both', 7001));
    await until(() => dlr.length === 1, 'the failed outcome');
    assert.equal(dlr[0].payload.state, 'UNDELIVERABLE');
    assert.equal(dlr[0].payload.final, true);
    assert.deepEqual(dlr[0].payload.parts.map((p: any) => p.state), [null, 'UNDELIVERABLE']);
    assert.equal(dlr[0].sent.correlationId, 'long-2');
    sim!.injectRaw(receiptPdu(ids[0], 'DELIVRD', 'both', 7002));
    await until(() => deliverResps.length === 2, 'both receipts answered');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(dlr.length, 1, 'no second report, matched or unmatched');
    assert.deepEqual(deliverResps, [0, 0]);
    assert.equal(gw().correlation.size, 0, 'forgotten once every part reported');
  });

  it('outputs a receipt that matches nothing, flagged unmatched, and acknowledges it', async () => {
    const { dlr } = await start({ receipts: 'never' });
    sim!.injectRaw(receiptPdu('deadbeef42', 'EXPIRED', 'tlv'));
    await until(() => dlr.length === 1, 'the unmatched report');
    assert.equal(dlr[0].payload.unmatched, true);
    assert.equal(dlr[0].payload.messageId, 'deadbeef42');
    assert.equal(dlr[0].payload.state, 'EXPIRED');
    assert.equal(dlr[0].sent, null);
    assert.equal(dlr[0].topic, 'EXPIRED');
    await until(() => deliverResps.length === 1, 'deliver_sm_resp');
    assert.deepEqual(deliverResps, [0]);
  });

  it('a correlation store missing from settings.js: a clear error, then memory; receipts still match', async () => {
    const { dlr } = await start({}, { correlationStore: 'nosuchstore' });
    const errors = helper.log().args.map((a: any[]) => a[0]).filter((e: any) => e.level === helper.log().ERROR).map((e: any) => String(e.msg));
    assert.ok(errors.some((e: string) => /"nosuchstore" is not in settings\.js contextStorage/.test(e) && /IN MEMORY ONLY/.test(e)), errors.join('\n'));
    assert.equal(gw().correlation.stored, null);
    helper.getNode('s1').receive({ payload: 'still works', to: '+4670000001', correlationId: 'mem-1' });
    await until(() => dlr.length === 1, 'delivery report');
    assert.equal(dlr[0].sent.correlationId, 'mem-1');
  });

  it('a correlation store named in settings.js: each sent message is written to it and deleted on its final receipt', async () => {
    helper.settings({ contextStorage: { default: { module: 'memory' }, corr: { module: 'memory' } } });
    const { ok, dlr } = await start({ receipts: 'never' }, { correlationStore: 'corr' });
    await contextModule.load(); // the harness does not open the configured stores itself
    assert.ok(gw().correlation.stored, 'the context path is on');
    const keys = (store: string) =>
      new Promise<string[]>((resolve, reject) => gw().context().keys(store, (err: Error | null, k?: string[]) => (err ? reject(err) : resolve((k ?? []).filter((x) => x.startsWith(KEY_PREFIX))))));
    helper.getNode('s1').receive({ payload: 'remember me', to: '+4670000001', correlationId: 'ctx-1' });
    await until(() => ok.length === 1, 'sent');
    const id: string = ok[0].smpp.messageId;
    const stored = await keys('corr');
    assert.equal(stored.length, 2, `a record and its id key: ${stored.join(' ')}`);
    assert.deepEqual(await keys('default'), [], 'not in the default store');
    sim!.injectRaw(receiptPdu(id, 'DELIVRD'));
    await until(() => dlr.length === 1, 'delivery report');
    assert.equal(dlr[0].sent.correlationId, 'ctx-1');
    assert.deepEqual(await keys('corr'), [], 'deleted with the final receipt');
  });
});
