import assert from 'node:assert/strict';
import { PDU } from 'smpp';
import { parseGatewayConfig, GatewayConfig } from '../../src/config/gateway-config';
import { buildSubmit, BuiltMessage, SendInput } from '../../src/message/build-submit';
import { readInboundPdu as readRawMessage } from '../../src/smpp/inbound-pdu';

function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

/** the reference page's defaults for the two fields whose default we changed (these golden cases were written for them) */
function cfg(over: Record<string, unknown> = {}): GatewayConfig {
  const r = parseGatewayConfig({ host: '127.0.0.1', messageFormat: 'ascii', splitMode: 'disabled', ...over });
  assert.ok(r.config, r.errors.join('; '));
  return r.config;
}

/** A nextRef that returns the given values in turn and counts its calls. */
function refs(...values: number[]) {
  const f = Object.assign(() => {
    const v = values[f.calls] ?? 0;
    f.calls++;
    return v;
  }, { calls: 0 });
  return f;
}

/**
 * Encodes every built PDU with the `smpp` codec and reads it back: the codec
 * must not throw, and the destination, data_coding, short_message and
 * message_payload bytes must come back as built. submit_sm and deliver_sm
 * share a body layout, so a submit_sm is read raw as a deliver_sm.
 */
function assertEncodes(b: BuiltMessage): void {
  for (const f of b.pdus) {
    const buf = new PDU(b.command, { ...f, sequence_number: 7 }).toBuffer();
    const back = new PDU(buf);
    assert.equal(back.command, b.command);
    assert.equal(back.destination_addr, f.destination_addr);
    assert.equal(back.source_addr, f.source_addr);
    assert.equal(back.data_coding, f.data_coding);
    assert.equal(back.esm_class, f.esm_class);
    const copy = Buffer.from(buf);
    if (b.command === 'submit_sm') copy.writeUInt32BE(0x05, 4);
    const raw = readRawMessage(copy);
    assert.ok(raw, 'the encoded PDU reads back');
    assert.equal(raw.dataCoding, f.data_coding);
    assert.equal(raw.esmClass, f.esm_class);
    assert.deepEqual(raw.shortMessage, b.command === 'submit_sm' ? f.short_message : Buffer.alloc(0));
    assert.deepEqual(raw.messagePayload, f.message_payload);
    if (f.sar_msg_ref_num !== undefined) {
      const ref = Buffer.alloc(2);
      ref.writeUInt16BE(f.sar_msg_ref_num as number);
      assert.deepEqual(raw.tlvs.get(0x020c), ref);
      assert.deepEqual(raw.tlvs.get(0x020e), Buffer.from([f.sar_total_segments as number]));
      assert.deepEqual(raw.tlvs.get(0x020f), Buffer.from([f.sar_segment_seqnum as number]));
    }
  }
}

const BASE: SendInput = { payload: 'Hello', to: '+46701234567' };

function ok(input: Partial<SendInput>, over: Record<string, unknown> = {}, nextRef: () => number = refs(1)): BuiltMessage {
  const r = buildSubmit({ ...BASE, ...input }, cfg(over), nextRef);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assertEncodes(r);
  return r;
}

function fails(input: Partial<SendInput>, over: Record<string, unknown> = {}): string {
  const r = buildSubmit({ ...BASE, ...input }, cfg(over), refs(1));
  assert.equal(r.ok, false, 'expected an error');
  return (r as { error: string }).error;
}

describe('message/build-submit buildSubmit: refused inputs name the field', () => {
  const rows: { name: string; input: Partial<SendInput>; config?: Record<string, unknown>; errs: RegExp[] }[] = [
    { name: 'payload missing', input: { payload: undefined }, errs: [/^msg\.payload is empty/] },
    { name: 'payload null', input: { payload: null }, errs: [/^msg\.payload is empty/] },
    { name: 'payload empty string', input: { payload: '' }, errs: [/^msg\.payload is empty/] },
    { name: 'payload empty Buffer', input: { payload: Buffer.alloc(0) }, errs: [/^msg\.payload is empty/] },
    { name: 'payload a number', input: { payload: 42 }, errs: [/^msg\.payload must be a string or a Buffer; got number/] },
    { name: 'payload an object', input: { payload: { text: 'hi' } }, errs: [/^msg\.payload must be a string or a Buffer; got object/] },
    { name: 'payload an array', input: { payload: ['hi'] }, errs: [/^msg\.payload must be a string or a Buffer; got an array/] },
    { name: 'payload a boolean', input: { payload: true }, errs: [/^msg\.payload must be a string or a Buffer; got boolean/] },
    { name: 'msg.to missing', input: { to: undefined }, errs: [/^msg\.to is missing/] },
    { name: 'msg.to empty', input: { to: '' }, errs: [/^msg\.to is missing/] },
    { name: 'msg.to an object', input: { to: { n: 1 } }, errs: [/^msg\.to must be a phone number as text; got object/] },
    { name: "msg.to '12ab'", input: { to: '12ab' }, errs: [/^msg\.to "12ab" is not a phone number/] },
    { name: "msg.to '+'", input: { to: '+' }, errs: [/^msg\.to "\+" is not a phone number/] },
    { name: 'msg.to 25 digits', input: { to: '1'.repeat(25) }, errs: [/^msg\.to "1{25}" is not a phone number/, /at most 20 digits/] },
    { name: 'msg.to 21 digits', input: { to: '+' + '1'.repeat(21) }, errs: [/^msg\.to /, /at most 20 digits/] },
    { name: 'msg.to a number beyond exact integers', input: { to: 12345678901234567890 }, errs: [/^msg\.to /] },
    { name: 'msg.to a negative number', input: { to: -46701234567 }, errs: [/^msg\.to /] },
    { name: 'msg.to a fraction', input: { to: 4670.5 }, errs: [/^msg\.to /] },
    {
      name: 'msg.from not under the Sender ID Prefix', input: { from: '+8678900000000' }, config: { senderIdPrefix: '123;456' },
      errs: [/^msg\.from "\+8678900000000" is not allowed/, /123;456/, /Sender ID Prefix/],
    },
    {
      name: 'national msg.from not under the Sender ID Prefix', input: { from: '78900000000' }, config: { senderIdPrefix: '123;456' },
      errs: [/^msg\.from "78900000000" is not allowed/],
    },
    {
      name: 'alphanumeric msg.from with a numeric Sender ID Prefix', input: { from: 'ACME' }, config: { senderIdPrefix: '123;456' },
      errs: [/^msg\.from "ACME" is not allowed/],
    },
    {
      name: "the node's sender not under the prefix", input: { nodeFrom: '+8678900000000' }, config: { senderIdPrefix: '123' },
      errs: [/^the node's sender "\+8678900000000" is not allowed/],
    },
    {
      name: 'the default sender not under the prefix', input: {}, config: { senderIdPrefix: '123', defaultSenderId: '+8678900000000' },
      errs: [/^the gateway's Default sender ID "\+8678900000000" is not allowed/],
    },
    { name: 'alphanumeric sender of 12 characters', input: { from: 'ABCDEFGHIJKL' }, errs: [/^msg\.from "ABCDEFGHIJKL" is neither/, /at most 11 characters/] },
    { name: 'sender with a forbidden character', input: { from: 'AC!ME' }, errs: [/^msg\.from "AC!ME" is neither/] },
    { name: 'sender an object', input: { from: { id: 1 } }, errs: [/^msg\.from must be text; got object/] },
    {
      name: 'GSM text over Max Content Length, splitMode disabled', input: { payload: 'a'.repeat(161) }, config: { messageFormat: 'auto' },
      errs: [/^msg\.payload: /, /161 septets/, /Max Content Length 140/, /splitMode/],
    },
    {
      name: 'IA5 text over Max Content Length, splitMode disabled', input: { payload: 'a'.repeat(141) }, config: { messageFormat: 'ascii' },
      errs: [/^msg\.payload: /, /141 octets/, /Max Content Length 140/, /splitMode/],
    },
    {
      name: 'UCS2 text over a smaller Max Content Length', input: { payload: '你'.repeat(11) }, config: { messageFormat: 'auto', maxContentLength: 20 },
      errs: [/^msg\.payload: /, /22 octets \(UCS2, 11 characters\)/, /Max Content Length 20/, /splitMode/],
    },
    { name: 'IA5 format with a non-ASCII character', input: { payload: 'café' }, config: { messageFormat: 'ascii' }, errs: [/^msg\.payload: /, /IA5\/ASCII/] },
    { name: "format 'binary' with a string", input: { payload: 'hi' }, config: { messageFormat: 'binary' }, errs: [/^msg\.payload: /, /needs a Buffer/] },
    { name: 'data_coding 0x05 with a string', input: { smpp: { data_coding: 0x05 } }, errs: [/^msg\.payload: /, /data_coding 5/, /Buffer/] },
    { name: 'data_coding 8 with an odd-length Buffer', input: { payload: Buffer.from([1, 2, 3]), smpp: { data_coding: 8 } }, errs: [/^msg\.payload: /, /odd length of 3/] },
    { name: 'msg.smpp unknown field', input: { smpp: { colour: 'red' } }, errs: [/^msg\.smpp\.colour is not an SMPP field/] },
    { name: 'msg.smpp.constructor', input: { smpp: { constructor: 1 } }, errs: [/^msg\.smpp\.constructor is not an SMPP field/] },
    { name: 'msg.smpp.toString', input: { smpp: { toString: 1 } }, errs: [/^msg\.smpp\.toString is not an SMPP field/] },
    { name: 'msg.smpp.__proto__ (from JSON)', input: { smpp: JSON.parse('{"__proto__": 1}') }, errs: [/^msg\.smpp\.__proto__ is not an SMPP field/] },
    { name: 'msg.smpp.destination_addr', input: { smpp: { destination_addr: '123' } }, errs: [/^msg\.smpp\.destination_addr is not an SMPP field/] },
    { name: 'priority_flag 4', input: { smpp: { priority_flag: 4 } }, errs: [/^msg\.smpp\.priority_flag must be a whole number from 0 to 3; got 4/] },
    { name: 'esm_class 300', input: { smpp: { esm_class: 300 } }, errs: [/^msg\.smpp\.esm_class must be a whole number from 0 to 255; got 300/] },
    { name: 'esm_class 1.5', input: { smpp: { esm_class: 1.5 } }, errs: [/^msg\.smpp\.esm_class must be a whole number/] },
    { name: "esm_class '3' (text)", input: { smpp: { esm_class: '3' } }, errs: [/^msg\.smpp\.esm_class must be a whole number.*got "3"/] },
    { name: 'data_coding -1', input: { smpp: { data_coding: -1 } }, errs: [/^msg\.smpp\.data_coding must be a whole number from 0 to 255/] },
    { name: 'sm_default_msg_id 255', input: { smpp: { sm_default_msg_id: 255 } }, errs: [/^msg\.smpp\.sm_default_msg_id must be a whole number from 0 to 254/] },
    { name: "validity_period 'tomorrow'", input: { smpp: { validity_period: 'tomorrow' } }, errs: [/^msg\.smpp\.validity_period must be an SMPP time/] },
    { name: 'schedule_delivery_time of 17 characters', input: { smpp: { schedule_delivery_time: '24010112000000+00' } }, errs: [/^msg\.smpp\.schedule_delivery_time is 17 characters; SMPP allows 16/] },
    { name: 'service_type of 6 characters', input: { smpp: { service_type: 'ABCDEF' } }, errs: [/^msg\.smpp\.service_type is 6 characters; SMPP allows 5/] },
    { name: 'service_type not printable', input: { smpp: { service_type: 'A\u0001' } }, errs: [/^msg\.smpp\.service_type must be printable ASCII/] },
    { name: 'user_message_reference 65536', input: { smpp: { user_message_reference: 65536 } }, errs: [/^msg\.smpp\.user_message_reference must be a whole number from 0 to 65535/] },
    { name: 'callback_num of 20 octets', input: { smpp: { callback_num: Buffer.alloc(20) } }, errs: [/^msg\.smpp\.callback_num is longer than SMPP allows \(19 octets\)/] },
    { name: 'callback_num a number', input: { smpp: { callback_num: 5 } }, errs: [/^msg\.smpp\.callback_num must be a Buffer or text; got number/] },
    { name: 'msg.smpp a string', input: { smpp: 'priority' }, errs: [/^msg\.smpp must be an object of SMPP fields; got string/] },
    { name: 'msg.smpp an array', input: { smpp: [1] }, errs: [/^msg\.smpp must be an object of SMPP fields; got an array/] },
    { name: 'msg.smpp a Buffer', input: { smpp: Buffer.from('x') }, errs: [/^msg\.smpp must be an object of SMPP fields/] },
    { name: 'msg.smpp a number', input: { smpp: 3 }, errs: [/^msg\.smpp must be an object of SMPP fields; got number/] },
    { name: 'reserved short_message', input: { smpp: { short_message: 'x' } }, errs: [/^msg\.smpp\.short_message is set by the gateway's splitter/, /msg\.payload/] },
    { name: 'reserved message_payload', input: { smpp: { message_payload: 'x' } }, errs: [/^msg\.smpp\.message_payload is set by the gateway's splitter/] },
    { name: 'reserved sar_total_segments', input: { smpp: { sar_total_segments: 2 } }, errs: [/^msg\.smpp\.sar_total_segments is set by the gateway's splitter/] },
    { name: 'reserved sar_msg_ref_num', input: { smpp: { sar_msg_ref_num: 2 } }, errs: [/^msg\.smpp\.sar_msg_ref_num is set by the gateway's splitter/] },
    { name: 'data_sm with priority_flag', input: { smpp: { priority_flag: 1 } }, config: { pduType: 'data_sm' }, errs: [/^msg\.smpp\.priority_flag is not a field of data_sm/] },
    {
      name: 'data_sm with validity_period', input: { smpp: { validity_period: '000001000000000R' } }, config: { pduType: 'data_sm' },
      errs: [/^msg\.smpp\.validity_period is not a field of data_sm/],
    },
    { name: 'data_sm with protocol_id', input: { smpp: { protocol_id: 0 } }, config: { pduType: 'data_sm' }, errs: [/^msg\.smpp\.protocol_id is not a field of data_sm/] },
    {
      name: 'too many parts (physical, 1 octet each)', input: { payload: Buffer.alloc(300, 0x41) }, config: { splitMode: 'physical', maxContentLength: 1 },
      errs: [/^msg\.payload: /, /300 parts/, /limit of 255/],
    },
    {
      name: 'too many parts (concatenated)', input: { payload: Buffer.alloc(300, 0x41) }, config: { splitMode: 'concatenated', maxContentLength: 7 },
      errs: [/^msg\.payload: /, /300 parts/, /limit of 255/],
    },
    {
      name: 'Max Content Length too small for the UDH', input: { payload: Buffer.alloc(10, 0x41) }, config: { splitMode: 'concatenated', maxContentLength: 6 },
      errs: [/^msg\.payload: /, /no room/],
    },
  ];

  for (const row of rows) {
    it(row.name, () => {
      const err = fails(row.input, row.config);
      for (const re of row.errs) assert.match(err, re);
    });
  }

  it('the same inputs with the field corrected build (so the table tests the field, not something else)', () => {
    ok({ from: '+8612399999999' }, { senderIdPrefix: '123;456' });
    ok({ from: 'ABCDEFGHIJK' });
    ok({ payload: 'a'.repeat(160) }, { messageFormat: 'auto' });
    ok({ payload: Buffer.from([1, 2]), smpp: { data_coding: 0x05 } });
    ok({ smpp: { priority_flag: 3, esm_class: 255, validity_period: '000001000000000R' } });
    ok({ payload: Buffer.alloc(255, 0x41) }, { splitMode: 'physical', maxContentLength: 1 });
  });
});

describe('message/build-submit buildSubmit: golden PDUs', () => {
  it("GSM text with format 'auto': data_coding 0, unpacked septets, every default field", () => {
    const b = ok({ payload: 'Hi @ 5€' }, { messageFormat: 'auto' });
    assert.equal(b.command, 'submit_sm');
    assert.equal(b.dataCoding, 0);
    assert.equal(b.destination, '46701234567');
    assert.equal(b.source, '');
    assert.equal(b.pdus.length, 1);
    assert.deepEqual(b.pdus[0], {
      service_type: '',
      source_addr_ton: 0,
      source_addr_npi: 0,
      source_addr: '',
      dest_addr_ton: 0,
      dest_addr_npi: 0,
      destination_addr: '46701234567',
      registered_delivery: 2,
      data_coding: 0,
      protocol_id: 0,
      priority_flag: 0,
      schedule_delivery_time: '',
      validity_period: '',
      replace_if_present_flag: 0,
      sm_default_msg_id: 0,
      esm_class: 0,
      short_message: hex('48 69 20 00 20 35 1b 65'),
    });
  });

  const codings: { name: string; payload: string | Buffer; format: string; dc: number; bytes: Buffer }[] = [
    { name: "format 'ascii': IA5, dc 1", payload: 'Hello', format: 'ascii', dc: 1, bytes: Buffer.from('Hello', 'ascii') },
    { name: "format 'gsm7': dc 0", payload: '{x}', format: 'gsm7', dc: 0, bytes: hex('1b 28 78 1b 29') },
    { name: "format 'latin1': dc 3", payload: 'café', format: 'latin1', dc: 3, bytes: hex('63 61 66 e9') },
    { name: "format 'ucs2': dc 8", payload: 'Hi', format: 'ucs2', dc: 8, bytes: hex('00 48 00 69') },
    { name: "format 'auto' with Chinese: UCS2 dc 8", payload: '你好', format: 'auto', dc: 8, bytes: hex('4f 60 59 7d') },
    { name: "format 'auto' with an emoji: UCS2 surrogates", payload: 'a😀', format: 'auto', dc: 8, bytes: hex('00 61 d8 3d de 00') },
    { name: "Buffer with format 'auto': dc 4", payload: hex('de ad be ef'), format: 'auto', dc: 4, bytes: hex('de ad be ef') },
    { name: "Buffer with format 'ascii': dc 4", payload: hex('de ad'), format: 'ascii', dc: 4, bytes: hex('de ad') },
    { name: "Buffer with format 'ucs2': dc 4", payload: hex('00 41'), format: 'ucs2', dc: 4, bytes: hex('00 41') },
    { name: "Buffer with format 'binary': dc 4", payload: hex('00'), format: 'binary', dc: 4, bytes: hex('00') },
  ];
  for (const c of codings) {
    it(c.name, () => {
      const b = ok({ payload: c.payload }, { messageFormat: c.format });
      assert.equal(b.dataCoding, c.dc);
      assert.equal(b.pdus.length, 1);
      assert.equal(b.pdus[0].data_coding, c.dc);
      assert.deepEqual(b.pdus[0].short_message, c.bytes);
    });
  }

  it('msg.smpp.data_coding overrides the format: a Buffer sent with dc 0xF5', () => {
    const b = ok({ payload: hex('01 02'), smpp: { data_coding: 0xf5 } }, { messageFormat: 'auto' });
    assert.equal(b.dataCoding, 0xf5);
    assert.equal(b.pdus[0].data_coding, 0xf5);
    assert.deepEqual(b.pdus[0].short_message, hex('01 02'));
  });

  it('msg.smpp.data_coding 8 encodes a string as UCS2 whatever the format', () => {
    const b = ok({ payload: 'A', smpp: { data_coding: 8 } }, { messageFormat: 'ascii' });
    assert.deepEqual(b.pdus[0].short_message, hex('00 41'));
  });

  it('concatenated 300 GSM characters, 8-bit UDH: 2 PDUs, UDHI, reference from nextRef', () => {
    const nextRef = refs(0x1a7);
    const b = ok({ payload: 'a'.repeat(300) }, { messageFormat: 'auto', splitMode: 'concatenated' }, nextRef);
    assert.equal(nextRef.calls, 1);
    assert.equal(b.pdus.length, 2);
    const [p1, p2] = b.pdus;
    assert.equal(p1.esm_class, 0x40);
    assert.equal(p2.esm_class, 0x40);
    assert.deepEqual(p1.short_message, Buffer.concat([hex('05 00 03 a7 02 01'), Buffer.alloc(153, 0x61)]));
    assert.deepEqual(p2.short_message, Buffer.concat([hex('05 00 03 a7 02 02'), Buffer.alloc(147, 0x61)]));
    assert.equal(p1.sar_msg_ref_num, undefined);
    assert.equal(p1.message_payload, undefined);
  });

  it('concatenated with a configured esm_class keeps its bits and adds UDHI', () => {
    const b = ok({ payload: 'a'.repeat(300) }, { messageFormat: 'auto', splitMode: 'concatenated', esmClass: 3 }, refs(9));
    assert.deepEqual(b.pdus.map((p) => p.esm_class), [0x43, 0x43]);
  });

  it('concatenated UCS2: 67 characters per part with an 8-bit UDH', () => {
    const b = ok({ payload: '你'.repeat(100) }, { messageFormat: 'auto', splitMode: 'concatenated' }, refs(5));
    assert.equal(b.pdus.length, 2);
    assert.equal((b.pdus[0].short_message as Buffer).length, 6 + 134);
    assert.deepEqual((b.pdus[1].short_message as Buffer).subarray(0, 6), hex('05 00 03 05 02 02'));
    assert.equal((b.pdus[1].short_message as Buffer).length, 6 + 66);
  });

  it("16-bit reference (udhReference '16'): 06 08 04 ref ref total seq, 152 septets a part", () => {
    const nextRef = refs(0x1234);
    const b = ok({ payload: 'a'.repeat(300) }, { messageFormat: 'auto', splitMode: 'concatenated', udhReference: '16' }, nextRef);
    assert.equal(nextRef.calls, 1);
    assert.equal(b.pdus.length, 2);
    assert.deepEqual(b.pdus[0].short_message, Buffer.concat([hex('06 08 04 12 34 02 01'), Buffer.alloc(152, 0x61)]));
    assert.deepEqual(b.pdus[1].short_message, Buffer.concat([hex('06 08 04 12 34 02 02'), Buffer.alloc(148, 0x61)]));
    assert.equal(b.pdus[0].esm_class, 0x40);
  });

  it('SAR mode: parts leave room for the header the SMSC adds (153 septets), like UDH parts', () => {
    const b = ok({ payload: 'a'.repeat(300) }, { messageFormat: 'auto', splitMode: 'concatenated', concatMode: 'sar' }, refs(1));
    assert.deepEqual(b.pdus.map((p) => (p.short_message as Buffer).length), [153, 147]);
    assert.ok(b.pdus.every((p) => p.esm_class === 0 && p.sar_total_segments === 2));
    const u = ok({ payload: 'a'.repeat(300) }, { messageFormat: 'auto', splitMode: 'concatenated', concatMode: 'udh' }, refs(1));
    assert.deepEqual(u.pdus.map((p) => (p.short_message as Buffer).length - 6), [153, 147]);
  });

  it('SAR mode with Full SAR Parts: sar_* fields, no UDH and no UDHI', () => {
    const nextRef = refs(0x1beef);
    const b = ok({ payload: 'a'.repeat(300) }, { messageFormat: 'auto', splitMode: 'concatenated', concatMode: 'sar', sarFullParts: true }, nextRef);
    assert.equal(nextRef.calls, 1);
    assert.equal(b.pdus.length, 2);
    b.pdus.forEach((p, i) => {
      assert.equal(p.esm_class, 0);
      assert.equal(p.sar_msg_ref_num, 0xbeef);
      assert.equal(p.sar_total_segments, 2);
      assert.equal(p.sar_segment_seqnum, i + 1);
    });
    assert.deepEqual(b.pdus[0].short_message, Buffer.alloc(160, 0x61));
    assert.deepEqual(b.pdus[1].short_message, Buffer.alloc(140, 0x61));
  });

  it('physical split: 2 independent PDUs, no UDH, no SAR, no reference used', () => {
    const nextRef = refs(77);
    const b = ok({ payload: 'a'.repeat(300) }, { messageFormat: 'auto', splitMode: 'physical' }, nextRef);
    assert.equal(nextRef.calls, 0);
    assert.equal(b.pdus.length, 2);
    assert.deepEqual(b.pdus[0].short_message, Buffer.alloc(160, 0x61));
    assert.deepEqual(b.pdus[1].short_message, Buffer.alloc(140, 0x61));
    for (const p of b.pdus) {
      assert.equal(p.esm_class, 0);
      assert.equal(p.sar_msg_ref_num, undefined);
    }
  });

  it('a message that fits one SMS is one plain PDU in every split mode', () => {
    for (const splitMode of ['disabled', 'none', 'physical', 'concatenated']) {
      const b = ok({ payload: 'a'.repeat(160) }, { messageFormat: 'auto', splitMode });
      assert.equal(b.pdus.length, 1, splitMode);
      assert.equal(b.pdus[0].esm_class, 0, splitMode);
      assert.deepEqual(b.pdus[0].short_message, Buffer.alloc(160, 0x61), splitMode);
    }
  });

  it("splitMode 'none' with 300 octets: empty short_message, 300 octets in message_payload", () => {
    const b = ok({ payload: 'a'.repeat(300) }, { splitMode: 'none' });
    assert.equal(b.pdus.length, 1);
    assert.deepEqual(b.pdus[0].short_message, Buffer.alloc(0));
    assert.deepEqual(b.pdus[0].message_payload, Buffer.alloc(300, 0x61));
  });

  it("splitMode 'none': 254 octets still go in short_message, 255 in message_payload", () => {
    const at = ok({ payload: 'a'.repeat(254) }, { splitMode: 'none' });
    assert.deepEqual(at.pdus[0].short_message, Buffer.alloc(254, 0x61));
    assert.equal(at.pdus[0].message_payload, undefined);
    const over = ok({ payload: 'a'.repeat(255) }, { splitMode: 'none' });
    assert.deepEqual(over.pdus[0].short_message, Buffer.alloc(0));
    assert.deepEqual(over.pdus[0].message_payload, Buffer.alloc(255, 0x61));
  });

  it('pduType data_sm: no short_message and no submit_sm-only fields, text in message_payload', () => {
    const b = ok({ payload: 'Hello', from: 'ACME' }, { pduType: 'data_sm', registeredDelivery: '1' });
    assert.equal(b.command, 'data_sm');
    assert.deepEqual(b.pdus[0], {
      service_type: '',
      source_addr_ton: 0,
      source_addr_npi: 0,
      source_addr: 'ACME',
      dest_addr_ton: 0,
      dest_addr_npi: 0,
      destination_addr: '46701234567',
      registered_delivery: 1,
      data_coding: 1,
      esm_class: 0,
      message_payload: Buffer.from('Hello'),
    });
  });

  it('data_sm concatenated: the UDH leads each message_payload', () => {
    const b = ok({ payload: 'a'.repeat(300) }, { pduType: 'data_sm', messageFormat: 'auto', splitMode: 'concatenated' }, refs(3));
    assert.equal(b.pdus.length, 2);
    assert.deepEqual((b.pdus[0].message_payload as Buffer).subarray(0, 6), hex('05 00 03 03 02 01'));
    assert.equal(b.pdus[0].short_message, undefined);
    assert.equal(b.pdus[0].esm_class, 0x40);
  });

  const tonRows: { name: string; input: Partial<SendInput>; src: [number, number]; dst: [number, number]; source: string; dest: string }[] = [
    { name: "'+4670…' destination, no sender", input: { to: '+46701234567' }, src: [0, 1], dst: [1, 1], source: '', dest: '46701234567' },
    { name: 'national destination', input: { to: '0701234567' }, src: [0, 1], dst: [0, 1], source: '', dest: '0701234567' },
    { name: 'short code destination', input: { to: '12345' }, src: [0, 1], dst: [3, 0], source: '', dest: '12345' },
    { name: 'international sender', input: { from: '+46700000000' }, src: [1, 1], dst: [1, 1], source: '46700000000', dest: '46701234567' },
    { name: 'alphanumeric sender', input: { from: 'ACME Ltd' }, src: [5, 0], dst: [1, 1], source: 'ACME Ltd', dest: '46701234567' },
    { name: 'short code sender', input: { from: '7777' }, src: [3, 0], dst: [1, 1], source: '7777', dest: '46701234567' },
    { name: 'formatted numbers lose spaces, dashes and brackets', input: { from: '+46 (70) 000-0000', to: '+1 415 555-0123' }, src: [1, 1], dst: [1, 1], source: '46700000000', dest: '14155550123' },
    { name: 'a number given as a JS number', input: { to: 46701234567 }, src: [0, 1], dst: [0, 1], source: '', dest: '46701234567' },
  ];
  for (const t of tonRows) {
    it(`TON/NPI auto: ${t.name}`, () => {
      const auto = { sourceAddrTon: 'auto', sourceAddrNpi: 'auto', destAddrTon: 'auto', destAddrNpi: 'auto' };
      const p = ok(t.input, auto).pdus[0];
      assert.deepEqual([p.source_addr_ton, p.source_addr_npi], t.src);
      assert.deepEqual([p.dest_addr_ton, p.dest_addr_npi], t.dst);
      assert.equal(p.source_addr, t.source);
      assert.equal(p.destination_addr, t.dest);
    });
  }

  it('fixed TON/NPI from the config are used whatever the address', () => {
    const p = ok({ from: '+46700000000', to: '12345' }, { sourceAddrTon: 5, sourceAddrNpi: 9, destAddrTon: 2, destAddrNpi: 8 }).pdus[0];
    assert.deepEqual([p.source_addr_ton, p.source_addr_npi, p.dest_addr_ton, p.dest_addr_npi], [5, 9, 2, 8]);
    assert.equal(p.source_addr, '46700000000');
  });

  it('msg.smpp TON/NPI override the config, auto or fixed', () => {
    const p = ok({ smpp: { source_addr_ton: 6, source_addr_npi: 0, dest_addr_ton: 4, dest_addr_npi: 14 } }, { sourceAddrTon: 'auto', destAddrTon: 1 }).pdus[0];
    assert.deepEqual([p.source_addr_ton, p.source_addr_npi, p.dest_addr_ton, p.dest_addr_npi], [6, 0, 4, 14]);
  });

  it('sender precedence: msg.from, then the node sender, then the default sender id', () => {
    const config = { defaultSenderId: 'DEFAULT' };
    assert.equal(ok({ from: 'MSG', nodeFrom: 'NODE' }, config).source, 'MSG');
    assert.equal(ok({ from: '  ', nodeFrom: 'NODE' }, config).source, 'NODE');
    assert.equal(ok({ nodeFrom: '' }, config).source, 'DEFAULT');
  });

  it('Sender ID Prefix 123;456 allows numbers whose national part starts with one of them', () => {
    const config = { senderIdPrefix: '123;456' };
    assert.equal(ok({ from: '+8612399999999' }, config).source, '8612399999999');
    assert.equal(ok({ from: '+8645600000000' }, config).source, '8645600000000');
    assert.equal(ok({ from: '008612399999999' }, config).source, '008612399999999');
    assert.equal(ok({ from: '12399999999' }, config).source, '12399999999');
    assert.equal(ok({ from: 'ACMEcorp' }, { senderIdPrefix: 'ACME' }).source, 'ACMEcorp');
  });

  const rdRows: { config: '0' | '1' | '2'; smpp?: number; want: number }[] = [
    { config: '0', want: 0 },
    { config: '1', want: 1 },
    { config: '2', want: 2 },
    { config: '2', smpp: 1, want: 1 },
    { config: '0', smpp: 17, want: 17 },
  ];
  for (const r of rdRows) {
    it(`registered_delivery: config '${r.config}'${r.smpp === undefined ? '' : `, msg.smpp ${r.smpp}`} -> ${r.want}`, () => {
      const p = ok({ smpp: r.smpp === undefined ? undefined : { registered_delivery: r.smpp } }, { registeredDelivery: r.config }).pdus[0];
      assert.equal(p.registered_delivery, r.want);
    });
  }

  it('submit_sm fields from the config and from msg.smpp', () => {
    const p = ok(
      { smpp: { priority_flag: 2, validity_period: '000001000000000R', schedule_delivery_time: '240101120000004+', service_type: 'CMT', protocol_id: 0x40 } },
      { serviceType: 'WAP', protocolId: 0x3f, replaceIfPresent: '1', smDefaultMsgId: 7 },
    ).pdus[0];
    assert.equal(p.priority_flag, 2);
    assert.equal(p.validity_period, '000001000000000R');
    assert.equal(p.schedule_delivery_time, '240101120000004+');
    assert.equal(p.service_type, 'CMT');
    assert.equal(p.protocol_id, 0x40);
    assert.equal(p.replace_if_present_flag, 1);
    assert.equal(p.sm_default_msg_id, 7);
    const d = ok({}, { serviceType: 'WAP', protocolId: 0x3f }).pdus[0];
    assert.equal(d.service_type, 'WAP');
    assert.equal(d.protocol_id, 0x3f);
  });

  it('TLV passthrough: user_message_reference on every part', () => {
    const b = ok({ payload: 'a'.repeat(300), smpp: { user_message_reference: 4242 } }, { messageFormat: 'auto', splitMode: 'concatenated' });
    assert.equal(b.pdus.length, 2);
    for (const p of b.pdus) {
      assert.equal(p.user_message_reference, 4242);
      const copy = new PDU('submit_sm', p).toBuffer();
      copy.writeUInt32BE(0x05, 4);
      assert.deepEqual(readRawMessage(copy)?.tlvs.get(0x0204), hex('10 92'));
    }
  });

  it("output-only keys smpp-send wrote into msg.smpp are ignored, so a msg can be sent again", () => {
    const b = ok({ smpp: { messageId: 'abc', messageIds: ['abc'], parts: 1, dataCoding: 0, acceptedAt: 1, command: 'submit_sm', priority_flag: 1 } });
    assert.equal(b.pdus[0].priority_flag, 1);
    assert.equal(b.pdus[0].messageId, undefined);
  });

  it('nextRef is called once per concatenated message, not per part', () => {
    const nextRef = refs(1, 2, 3);
    const config = { messageFormat: 'auto', splitMode: 'concatenated' };
    const a = ok({ payload: 'a'.repeat(400) }, config, nextRef);
    const b = ok({ payload: 'b'.repeat(400) }, config, nextRef);
    assert.equal(nextRef.calls, 2);
    assert.equal((a.pdus[2].short_message as Buffer)[3], 1);
    assert.equal((b.pdus[0].short_message as Buffer)[3], 2);
    assert.deepEqual(a.pdus.map((p) => (p.short_message as Buffer).subarray(4, 6)), [hex('03 01'), hex('03 02'), hex('03 03')]);
  });
});
