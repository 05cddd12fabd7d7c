/**
 * Receipt or MO by SMPP 3.4 section 5.2.12 in a real Node-RED runtime, from
 * an SMSC that sends what carriers send (FakeSmsc on 127.0.0.1): the esm_class
 * message type alone decides. An MO that carries a receipted_message_id TLV
 * reaches smpp-receive with its text (it used to become a receipt, text lost,
 * acknowledged with status 0); a receipt whose data_coding says UCS2 over
 * ASCII text never reaches smpp-receive; esm_class 0x18 is a message.
 */
import assert from 'node:assert/strict';
import { FakeSmsc, FakeSession } from '../helpers/fake-smsc';
import { helper, flow, load, collect, until } from '../nodes/node-harness';

describe('faults: receipt or MO, by the esm_class message type only', function () {
  this.timeout(15_000);
  let smsc: FakeSmsc | null = null;
  afterEach(async () => {
    await helper.unload();
    await smsc?.stop();
    smsc = null;
  });

  async function setUp(): Promise<{ s: FakeSession; mo: any[]; dlr: any[] }> {
    smsc = new FakeSmsc();
    await smsc.start();
    await load(flow(smsc.port));
    const mo = collect('mo');
    const dlr = collect('dlr');
    const s = await smsc.waitBound();
    await until(() => helper.getNode('gw1').engine.state === 'bound', 'bound');
    return { s, mo, dlr };
  }

  it('an MO (message type 0) with a receipted_message_id TLV reaches smpp-receive with its text', async () => {
    const { s, mo, dlr } = await setUp();
    const r = await s.request('deliver_sm', { source_addr: '46700000001', destination_addr: '7777', esm_class: 0, data_coding: 0, short_message: Buffer.from('hello there'), receipted_message_id: 'A1B2' });
    assert.equal(r?.status, 0);
    await until(() => mo.length === 1, 'the MO on smpp-receive');
    assert.equal(mo[0].payload, 'hello there');
    assert.equal(dlr.length, 0, 'not a receipt');
    const counters = helper.getNode('gw1').engine.counters;
    assert.equal(counters.mos, 1);
    assert.equal(counters.receipts, 0);
  });

  it('a receipt labelled UCS2 over ASCII text never comes out of smpp-receive; esm_class 0x18 is a message', async () => {
    const { s, mo } = await setUp();
    await s.request('deliver_sm', { source_addr: '46700000001', destination_addr: '7777', esm_class: 0x04, data_coding: 8, short_message: Buffer.from('id:ab12 sub:001 dlvrd:001 submit date:2401011200 done date:2401011201 stat:DELIVRD err:000 text:x') });
    const r = await s.request('deliver_sm', { source_addr: '46700000001', destination_addr: '7777', esm_class: 0x18, data_coding: 0, short_message: Buffer.from('abort') });
    assert.equal(r?.status, 0);
    await until(() => mo.length === 1, 'the 0x18 message on smpp-receive');
    assert.equal(mo[0].payload, 'abort', 'only the 0x18 message: the receipt is not an MO');
    const counters = helper.getNode('gw1').engine.counters;
    assert.equal(counters.receipts, 1, 'the engine counts the receipt as the routing sees it');
    assert.equal(counters.mos, 1);
  });
});
