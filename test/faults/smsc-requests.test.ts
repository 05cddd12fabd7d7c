/**
 * What an SMSC may send that an ESME does not serve, over a real socket:
 * requests we do not support (query_sm, replace_sm, cancel_sm, submit_multi,
 * binds, submit_sm, broadcast_sm) and unknown command ids get generic_nack
 * ESME_RINVCMDID with their sequence number (SMPP 3.4 §4.3: generic_nack for
 * an unknown or invalid command_id); alert_notification and outbind get no
 * answer (they have no response PDU); responses with sequence numbers we
 * never used are dropped; a generic_nack for an outstanding submit fails that
 * submit with its status; enquire_link gets enquire_link_resp; unbind gets
 * unbind_resp and the gateway binds again. The link stays healthy: a submit
 * works after each step.
 */
import assert from 'node:assert/strict';
import { PDU } from 'smpp';
import { CMD, FakeSmsc, FakeSession, header } from '../helpers/fake-smsc';
import { realEngine, until } from './real-engine';

const ESME_RINVCMDID = 0x03;
const ESME_RSYSERR = 0x08;

describe('faults: requests and responses from the SMSC that we do not expect', function () {
  this.timeout(15_000);
  let smsc: FakeSmsc;
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    await smsc?.stop();
  });

  it('answers per SMPP 3.4 and keeps the link healthy', async () => {
    smsc = new FakeSmsc();
    await smsc.start();
    const { engine, states, submit } = realEngine(smsc.port, { heartbeatInterval: 5000, transactionTimeout: 1000, receiveTimeout: 20000 });
    close = () => engine.close();
    engine.start();
    const s: FakeSession = await smsc.waitBound();
    await until(() => engine.state === 'bound', 'bound');
    const healthy = async (what: string) => {
      const r = await submit(what);
      assert.equal(r.err, null, `a submit works after ${what}`);
    };

    // requests an ESME does not serve
    const unsupported: [string, Record<string, unknown>][] = [
      ['query_sm', { message_id: 'abc' }],
      ['replace_sm', { message_id: 'abc', short_message: Buffer.from('x') }],
      ['cancel_sm', { message_id: 'abc', destination_addr: '123' }],
      ['submit_multi', { dest_address: [{ dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4670000001' }], short_message: Buffer.from('x') }],
      ['submit_sm', { destination_addr: '4670000001', short_message: Buffer.from('x') }],
      ['bind_transceiver', { system_id: 'esme', password: 'secret1' }],
      ['bind_receiver', { system_id: 'esme', password: 'secret1' }],
      ['broadcast_sm', { message_id: 'x' }],
    ];
    for (const [command, fields] of unsupported) {
      const r = await s.request(command, fields);
      assert.ok(r, `${command} answered`);
      assert.equal(r.commandId, CMD.generic_nack, `${command}: generic_nack`);
      assert.equal(r.status, ESME_RINVCMDID, `${command}: ESME_RINVCMDID`);
    }
    await healthy('unsupported requests');

    // unknown command ids (each is also an error packet)
    for (const id of [0x00000077, 0x0000ffff, 0x7fffffff]) {
      const seq = s.nextSeq();
      const r = await s.requestRaw(header(id, 0, seq), seq);
      assert.ok(r, `0x${id.toString(16)} answered`);
      assert.equal(r.commandId, CMD.generic_nack);
      assert.equal(r.status, ESME_RINVCMDID);
    }
    assert.equal(engine.counters.errorPackets, 3);
    await healthy('unknown command ids');

    // requests without a response PDU: nothing comes back
    const silentSeqs: number[] = [];
    for (const command of ['alert_notification', 'outbind']) {
      const seq = s.nextSeq();
      silentSeqs.push(seq);
      s.write(new PDU(command, { sequence_number: seq, system_id: 'SMSC', source_addr: '123', esme_addr: '456' }).toBuffer());
    }
    const probe = await s.request('enquire_link');
    assert.equal(probe?.commandId, (CMD.enquire_link | CMD.RESP) >>> 0, 'enquire_link_resp');
    assert.equal(probe?.status, 0);
    assert.ok(!s.received.some((r) => silentSeqs.includes(r.seq)), 'no answer to alert_notification or outbind');

    // responses to requests we never sent: dropped without a word on the wire
    const before = s.received.length;
    s.write(new PDU('submit_sm_resp', { sequence_number: 999_999, message_id: 'ghost' }).toBuffer());
    s.write(header(CMD.generic_nack, ESME_RSYSERR, 888_888));
    s.write(header((CMD.enquire_link | CMD.RESP) >>> 0, 0, 777_777));
    s.write(header((CMD.deliver_sm | CMD.RESP) >>> 0, 0, 666_666));
    s.write(header((CMD.unbind | CMD.RESP) >>> 0, 0, 555_555));
    const probe2 = await s.request('enquire_link');
    assert.equal(probe2?.status, 0);
    assert.equal(s.received.length, before + 1, 'only the enquire_link was answered');
    assert.equal(engine.counters.errorPackets, 3, 'stray responses are not error packets');
    await healthy('responses with unknown sequence numbers');

    // a generic_nack for an outstanding submit fails that submit with its status
    smsc.submitAnswer = 'never';
    const pending = submit('nacked');
    await until(() => s.received.some((r) => r.commandId === CMD.submit_sm && r.pdu.short_message?.message === 'nacked'), 'the submit at the SMSC');
    const sub = s.received.filter((r) => r.commandId === CMD.submit_sm).pop()!;
    s.write(header(CMD.generic_nack, ESME_RSYSERR, sub.seq));
    const nacked = await pending;
    assert.equal(nacked.err?.status, 'ESME_RSYSERR');
    assert.match(nacked.err!.message, /generic_nack/);
    smsc.submitAnswer = 'ok';
    await healthy('a generic_nack');
    assert.ok(!states.some((st) => st.state === 'retrying'), 'the link never dropped');

    // unbind from the SMSC: unbind_resp with its sequence number, then a new bind
    const unbound = await s.request('unbind');
    assert.equal(unbound?.commandId, (CMD.unbind | CMD.RESP) >>> 0);
    assert.equal(unbound?.status, 0);
    await until(() => states.some((st) => st.state === 'retrying'), 'link down after unbind');
    assert.equal(states.find((st) => st.state === 'retrying')!.code, 'peer-unbind');
    await until(() => s.closed, 'the gateway closed the unbound connection');
    const s2 = await smsc.waitBound();
    assert.notEqual(s2, s);
    await until(() => engine.state === 'bound', 'bound again');
    await healthy('an unbind');
  });
});
