/**
 * The wire layer's codec (src/smpp/submit-deliver-codec.ts and
 * inbound-pdu.ts, on the benchmark's hot path) against the `smpp` package
 * they stand in for: the same bytes for submit_sm, the same PDU object for
 * submit_sm_resp, null (the package is used) for everything outside the fast
 * path, and for deliver_sm the same fields the package reads, as bytes.
 */
import assert from 'node:assert/strict';
import { PDU } from 'smpp';
import { decodeSubmitSmResp, encodeResponse, encodeSubmitSm } from '../../src/smpp/submit-deliver-codec';
import { InboundPdu, readInboundPdu } from '../../src/smpp/inbound-pdu';
import { receiptDeliverSm } from '../../src/simulator/pdu-builder';
import { buildMoPdu } from '../../src/simulator/mo-message';
import { buildSubmit } from '../../src/message/build-submit';
import { parseGatewayConfig } from '../../src/config/gateway-config';

/** The fields readInboundPdu gives are those the package decodes (its short_message as the raw octets). */
function sameAsPackage(mine: InboundPdu, pkg: PDU, buf: Buffer): void {
  const p = pkg as unknown as Record<string, unknown>;
  const want: Record<string, unknown> = {
    service_type: mine.serviceType, source_addr_ton: mine.sourceAddrTon, source_addr_npi: mine.sourceAddrNpi, source_addr: mine.sourceAddr,
    dest_addr_ton: mine.destAddrTon, dest_addr_npi: mine.destAddrNpi, destination_addr: mine.destinationAddr, esm_class: mine.esmClass,
    protocol_id: mine.protocolId, priority_flag: mine.priorityFlag, registered_delivery: mine.registeredDelivery, data_coding: mine.dataCoding,
    sequence_number: mine.sequenceNumber,
  };
  for (const [k, v] of Object.entries(want)) assert.equal(v, p[k], `${k} of ${buf.toString('hex')}`);
  // the package's own reading of the message octets: the PDU's sm_length octets after sm_length
  const smStart = buf.length - mine.shortMessage.length - [...mine.tlvs.values()].reduce((n, t) => n + 4 + t.length, 0);
  assert.equal(buf[smStart - 1], mine.shortMessage.length);
  if (p.receipted_message_id !== undefined) assert.equal(mine.tlvs.get(0x001e)?.toString('ascii').replace(/\0$/, ''), p.receipted_message_id);
  if (p.message_state !== undefined) assert.deepEqual(mine.tlvs.get(0x0427), Buffer.from([p.message_state as number]));
  if (p.message_payload !== undefined) assert.deepEqual(mine.messagePayload, Buffer.isBuffer(p.message_payload) ? p.message_payload : mine.messagePayload);
}

function packageBytes(fields: Record<string, unknown>, seq: number): Buffer {
  const pdu = new PDU('submit_sm', fields);
  pdu.sequence_number = seq;
  return pdu.toBuffer();
}

function configWith(over: Record<string, unknown>) {
  const { config, errors } = parseGatewayConfig({ host: '127.0.0.1', port: 2775, ...over });
  assert.ok(config, errors.join('; '));
  return config;
}

describe('the wire codec (engine hot path) matches the smpp package', () => {
  it('encodes what buildSubmit makes, byte for byte, for texts, encodings, parts and addresses', () => {
    const cases: { payload: unknown; to: string; from?: string; smpp?: Record<string, unknown>; cfg?: Record<string, unknown> }[] = [
      { payload: 'Benchmark message, code 123456', to: '4670000001' },
      { payload: 'Hello', to: '+4670000001', from: 'ACME' },
      { payload: 'Hello', to: '+4670000001', from: '+15550001111', smpp: { registered_delivery: 1, priority_flag: 2, protocol_id: 0x40 } },
      { payload: 'Grüße € ñ', to: '4670000001', cfg: { messageFormat: 'auto' } },
      { payload: '你好，世界', to: '4670000001', cfg: { messageFormat: 'auto' } },
      { payload: 'x'.repeat(400), to: '4670000002', cfg: { splitMode: 'concatenated', messageFormat: 'auto' } },
      { payload: Buffer.from([0, 1, 2, 255]), to: '4670000003', cfg: { messageFormat: 'binary' } },
      { payload: 'svc', to: '123', cfg: { serviceType: 'CMT', sourceAddrTon: 5, destAddrNpi: 1, esmClass: 3 } },
    ];
    let seq = 1;
    let checked = 0;
    for (const c of cases) {
      const built = buildSubmit({ payload: c.payload, to: c.to, from: c.from, smpp: c.smpp }, configWith(c.cfg ?? {}), () => 0x42);
      assert.ok(built.ok, JSON.stringify(c));
      if (!built.ok) continue;
      for (const fields of built.pdus) {
        const fast = encodeSubmitSm(fields, seq);
        assert.ok(fast, `fast path taken for ${JSON.stringify(c)}`);
        assert.deepEqual(fast, packageBytes(fields, seq));
        seq = seq * 7 + 1;
        checked++;
      }
    }
    assert.ok(checked >= cases.length + 2, 'the long text gave several parts');
  });

  it('encodes random mandatory fields (and missing ones) exactly as the package', () => {
    let r = 12345;
    const rnd = (n: number) => ((r = (r * 1103515245 + 12345) & 0x7fffffff) % n);
    const str = () => Array.from({ length: rnd(21) }, () => String.fromCharCode(32 + rnd(95))).join('');
    const keys = ['service_type', 'source_addr_ton', 'source_addr_npi', 'source_addr', 'dest_addr_ton', 'dest_addr_npi', 'destination_addr', 'esm_class', 'protocol_id', 'priority_flag', 'registered_delivery', 'replace_if_present_flag', 'data_coding', 'sm_default_msg_id'];
    for (let i = 0; i < 500; i++) {
      const f: Record<string, unknown> = {};
      for (const k of keys) {
        if (rnd(4) === 0) continue; // missing: the package's default
        f[k] = k.endsWith('addr') || k === 'service_type' ? str() : rnd(256);
      }
      if (rnd(3)) f.short_message = Buffer.from(Array.from({ length: rnd(256) }, () => rnd(256)));
      if (rnd(5) === 0) f.schedule_delivery_time = '';
      const seq = 1 + rnd(0x7ffffffe);
      const fast = encodeSubmitSm(f, seq);
      assert.ok(fast, JSON.stringify(f));
      assert.deepEqual(fast, packageBytes(f, seq), JSON.stringify(f));
    }
  });

  it('leaves to the package what is outside the fast path', () => {
    const base = { destination_addr: '4670000001', short_message: Buffer.from('hi') };
    const outside: Record<string, unknown>[] = [
      { ...base, message_payload: Buffer.from('x') }, // a TLV
      { ...base, validity_period: '000001000000000R' }, // time filter
      { ...base, schedule_delivery_time: new Date() },
      { ...base, short_message: 'a string' }, // message filter encodes it
      { ...base, short_message: Buffer.alloc(256) },
      { ...base, esm_class: 256 },
      { ...base, esm_class: -1 },
      { ...base, esm_class: 1.5 },
      { ...base, data_coding: null },
      { ...base, source_addr: undefined },
      { ...base, source_addr: Buffer.from('x') },
      { ...base, command_status: 0 },
    ];
    for (const f of outside) assert.equal(encodeSubmitSm(f, 1), null, JSON.stringify(f));
  });

  it('decodes submit_sm_resp into the same PDU object as the package', () => {
    const resps = [
      new PDU('submit_sm_resp', { sequence_number: 7, message_id: 'a1b2c3d4' }).toBuffer(),
      new PDU('submit_sm_resp', { sequence_number: 0x7fffffff, message_id: '' }).toBuffer(),
      new PDU('submit_sm_resp', { sequence_number: 9, command_status: 0x58 }).toBuffer(), // header only
      Buffer.concat([new PDU('submit_sm_resp', { sequence_number: 10, command_status: 0x45 }).toBuffer().subarray(0, 16), Buffer.from('id\0')]),
    ];
    resps[3].writeUInt32BE(19, 0);
    for (const buf of resps) {
      const fast = decodeSubmitSmResp(buf);
      const pkg = new PDU(buf);
      assert.ok(fast);
      assert.deepEqual(fast, pkg);
      assert.deepEqual(Object.keys(fast), Object.keys(pkg));
      assert.ok(fast instanceof PDU);
    }
  });

  it('does not decode other PDUs or a submit_sm_resp with TLVs or a short message_id', () => {
    const withTlv = Buffer.concat([new PDU('submit_sm_resp', { sequence_number: 1, message_id: 'x' }).toBuffer(), Buffer.from([0x04, 0x20, 0, 1, 0])]);
    withTlv.writeUInt32BE(withTlv.length, 0);
    const unterminated = Buffer.concat([new PDU('submit_sm_resp', { sequence_number: 1 }).toBuffer().subarray(0, 16), Buffer.from('abc')]);
    unterminated.writeUInt32BE(unterminated.length, 0);
    for (const buf of [withTlv, unterminated, new PDU('enquire_link_resp', { sequence_number: 1 }).toBuffer(), new PDU('data_sm_resp', { sequence_number: 1, message_id: 'x' }).toBuffer(), Buffer.alloc(8)]) {
      assert.equal(decodeSubmitSmResp(buf), null);
    }
  });

  it('reads deliver_sm (MOs, receipts, random text and TLVs) with the same fields as the package, the message as bytes', () => {
    let r = 777;
    const rnd = (n: number) => ((r = (r * 1103515245 + 12345) & 0x7fffffff) % n);
    const bufs: Buffer[] = [
      buildMoPdu(1, { from: '+15550001111', to: '12345', text: 'hello from the simulator' }),
      buildMoPdu(2, { from: 'ACME', to: '4670000001', text: 'curly {braces} [and] ~tilde~ | euro \u20ac ^' }),
      receiptDeliverSm(3, { srcTon: 1, srcNpi: 1, src: '4670000001', dstTon: 5, dstNpi: 0, dst: 'ACME', receiptId: 'a1b2c3', messageState: 2, text: 'id:a1b2c3 sub:001 dlvrd:001 submit date:2511211200 done date:2511211200 stat:DELIVRD err:000 text:hello' }),
      receiptDeliverSm(4, { srcTon: 0, srcNpi: 1, src: '123', dstTon: 0, dstNpi: 1, dst: '', receiptId: 'ffff', messageState: 5, text: 'x', fields: 'tlv' }),
      receiptDeliverSm(5, { srcTon: 0, srcNpi: 1, src: '123', dstTon: 0, dstNpi: 1, dst: '', receiptId: 'ffff', messageState: 5, text: 'only text', fields: 'text' }),
    ];
    for (let i = 0; i < 400; i++) {
      const f: Record<string, unknown> = {
        sequence_number: 1 + rnd(1000000), source_addr: String(rnd(1e9)), destination_addr: String(rnd(1e6)), source_addr_ton: rnd(7), esm_class: rnd(2) ? 0 : 4, data_coding: rnd(2) ? 0 : 0xf0,
        // any octet with ESC (0x1b) sequences, or plain letters, digits and spaces (the text most messages are)
        short_message: rnd(2)
          ? Buffer.from(Array.from({ length: rnd(160) }, () => (rnd(8) === 0 ? 0x1b : rnd(256))))
          : Buffer.from(Array.from({ length: rnd(160) }, () => 'abcXYZ019 :.,'.charCodeAt(rnd(13)))),
      };
      if (rnd(2)) f.receipted_message_id = rnd(1e9).toString(16);
      if (rnd(2)) f.message_state = 1 + rnd(8);
      if (rnd(3) === 0) f.network_error_code = Buffer.from([3, 0, rnd(256)]);
      if (rnd(3) === 0) f.user_message_reference = rnd(65536);
      bufs.push(new PDU('deliver_sm', f).toBuffer());
    }
    for (const buf of bufs) {
      const mine = readInboundPdu(buf);
      assert.ok(mine, buf.toString('hex'));
      sameAsPackage(mine, new PDU(buf), buf);
    }
  });

  it('reads what the package leaves as bytes or cannot read as text: UCS2, a UDH, message_payload, time fields, unknown and repeated TLVs', () => {
    const base = { sequence_number: 1, source_addr: '123', destination_addr: '456', short_message: Buffer.from('hi') };
    const bufs: Buffer[] = [
      new PDU('deliver_sm', { ...base, data_coding: 8, short_message: Buffer.from([0, 0x41]) }).toBuffer(),
      new PDU('deliver_sm', { ...base, esm_class: 0x40, short_message: Buffer.from([5, 0, 3, 1, 2, 1, 0x41]) }).toBuffer(),
      new PDU('deliver_sm', { ...base, short_message: Buffer.alloc(0), message_payload: Buffer.from('long text') }).toBuffer(),
      new PDU('deliver_sm', { ...base, validity_period: '000001000000000R' }).toBuffer(),
    ];
    for (const buf of bufs) sameAsPackage(readInboundPdu(buf) as InboundPdu, new PDU(buf), buf);
    const unknownTlv = Buffer.concat([new PDU('deliver_sm', base).toBuffer(), Buffer.from([0x14, 0x00, 0, 1, 7])]);
    unknownTlv.writeUInt32BE(unknownTlv.length, 0);
    assert.deepEqual(readInboundPdu(unknownTlv)?.tlvs.get(0x1400), Buffer.from([7]));
    assert.equal(readInboundPdu(new PDU('submit_sm', base).toBuffer()), null);
  });

  it('a deliver_sm cut short after any field is null (never a partial read that could lose a TLV)', () => {
    const full = new PDU('deliver_sm', { sequence_number: 9, source_addr: '123', destination_addr: '456', short_message: Buffer.from('hi'), message_state: 2 }).toBuffer();
    for (let len = 16; len < full.length; len++) {
      const cut = Buffer.from(full.subarray(0, len));
      cut.writeUInt32BE(len, 0);
      const r = readInboundPdu(cut);
      // a cut exactly between the mandatory part and the TLVs is a whole deliver_sm without TLVs
      if (r) assert.equal(r.tlvs.size, 0, `cut at ${len}`);
    }
    assert.ok(readInboundPdu(full));
  });

  it('encodes the answers to deliver_sm, data_sm and enquire_link as the package does', () => {
    for (const command of ['deliver_sm', 'data_sm', 'enquire_link']) {
      for (const status of [0, 0x08, 0x58, 0x64, 0xffffffff]) {
        const req = new PDU(command, { sequence_number: 0x1234567 });
        assert.deepEqual(encodeResponse(command, 0x1234567, status), req.response({ command_status: status }).toBuffer(), `${command} ${status}`);
      }
    }
    assert.equal(encodeResponse('unbind', 1, 0), null);
    assert.equal(encodeResponse('deliver_sm', 1, -1), null);
  });
});

