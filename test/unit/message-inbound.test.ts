import assert from 'node:assert/strict';
import { PDU } from 'smpp';
import { classifyInbound, moPayload, MoMessage, ReceiptMessage, Inbound } from '../../src/message/inbound';
import { readInboundPdu as readRawMessage } from '../../src/smpp/inbound-pdu';
import { inboundMessageType, isReceiptType } from '../../src/smpp/esm-class';

function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

function pdu(command: 'deliver_sm' | 'data_sm', fields: Record<string, unknown>): Buffer {
  return new PDU(command, { source_addr: '46701234567', destination_addr: '7777', sequence_number: 9, ...fields }).toBuffer();
}

function classify(buf: Buffer): Inbound {
  return classifyInbound(buf);
}

function mo(buf: Buffer): MoMessage {
  const r = classify(buf);
  assert.equal(r.kind, 'mo', r.kind === 'invalid' ? r.error : r.kind);
  return r as MoMessage;
}

function receipt(buf: Buffer): ReceiptMessage {
  const r = classify(buf);
  assert.equal(r.kind, 'receipt', r.kind === 'invalid' ? r.error : r.kind);
  return r as ReceiptMessage;
}

/** A deliver_sm written by hand from SMPP 3.4 §4.6.1, with a receipted_message_id TLV. */
const HAND_DELIVER = hex(
  '00000032 00000005 00000000 00000001' +
  '00' + // service_type
  '01 01 34363730 00' + // source ton, npi, "4670"
  '00 00 37373737 00' + // dest ton, npi, "7777"
  '04 00 00' + // esm_class, protocol_id, priority_flag
  '00 00' + // schedule_delivery_time, validity_period
  '00 00 03 00' + // registered_delivery, replace_if_present_flag, data_coding, sm_default_msg_id
  '02 6869' + // sm_length, "hi"
  '001e 0003 374200', // receipted_message_id "7B"
);

describe('smpp/inbound-pdu readInboundPdu', () => {
  it('a hand-written deliver_sm', () => {
    assert.equal(HAND_DELIVER.length, 0x32);
    const r = readRawMessage(HAND_DELIVER);
    assert.ok(r);
    assert.equal(r.command, 'deliver_sm');
    assert.equal(r.esmClass, 0x04);
    assert.equal(r.dataCoding, 3);
    assert.deepEqual(r.shortMessage, Buffer.from('hi'));
    assert.equal(r.messagePayload, undefined);
    assert.deepEqual([...r.tlvs.keys()], [0x001e]);
    assert.deepEqual(r.tlvs.get(0x001e), hex('374200'));
  });

  it('deliver_sm from the codec, with every cstring set and TLVs', () => {
    const buf = pdu('deliver_sm', {
      service_type: 'CMT', source_addr: 'ACME', destination_addr: '123456789012345',
      esm_class: 0x40, protocol_id: 0x7f, priority_flag: 1,
      schedule_delivery_time: '000001000000000R', validity_period: '240101120000004+',
      registered_delivery: 1, data_coding: 8, short_message: hex('05 00 03 01 02 01 00 41'),
      user_message_reference: 5, source_port: 80,
    });
    const r = readRawMessage(buf);
    assert.ok(r);
    assert.equal(r.command, 'deliver_sm');
    assert.equal(r.esmClass, 0x40);
    assert.equal(r.dataCoding, 8);
    assert.deepEqual(r.shortMessage, hex('05 00 03 01 02 01 00 41'));
    assert.deepEqual(r.tlvs.get(0x0204), hex('0005'));
    assert.deepEqual(r.tlvs.get(0x020a), hex('0050'));
    assert.equal(r.tlvs.size, 2);
  });

  it('deliver_sm with an empty short_message and message_payload', () => {
    const r = readRawMessage(pdu('deliver_sm', { data_coding: 4, short_message: Buffer.alloc(0), message_payload: Buffer.alloc(300, 7) }));
    assert.ok(r);
    assert.deepEqual(r.shortMessage, Buffer.alloc(0));
    assert.deepEqual(r.messagePayload, Buffer.alloc(300, 7));
  });

  it('a data_coding the codec would get wrong (1) comes back as sent', () => {
    const r = readRawMessage(pdu('deliver_sm', { data_coding: 1, short_message: Buffer.from('@') }));
    assert.ok(r);
    assert.equal(r.dataCoding, 1);
    assert.deepEqual(r.shortMessage, Buffer.from('@'));
  });

  it('data_sm with message_payload and TLVs', () => {
    const buf = pdu('data_sm', { esm_class: 0x40, registered_delivery: 1, data_coding: 0xf5, message_payload: hex('05 00 03 09 02 02 de ad'), source_port: 9200, sar_msg_ref_num: 1 });
    const r = readRawMessage(buf);
    assert.ok(r);
    assert.equal(r.command, 'data_sm');
    assert.equal(r.esmClass, 0x40);
    assert.equal(r.dataCoding, 0xf5);
    assert.deepEqual(r.shortMessage, Buffer.alloc(0));
    assert.deepEqual(r.messagePayload, hex('05 00 03 09 02 02 de ad'));
    assert.deepEqual(r.tlvs.get(0x020a), hex('23f0'));
    assert.deepEqual(r.tlvs.get(0x020c), hex('0001'));
  });

  it('bytes after command_length are not read', () => {
    const buf = Buffer.concat([HAND_DELIVER, hex('0424 0002 ffff')]);
    const r = readRawMessage(buf);
    assert.ok(r);
    assert.equal(r.messagePayload, undefined);
    assert.equal(r.tlvs.size, 1);
  });

  const notOurs: [string, Buffer][] = [
    ['empty', Buffer.alloc(0)],
    ['15 octets', Buffer.alloc(15)],
    ['a submit_sm', (() => { const b = Buffer.from(HAND_DELIVER); b.writeUInt32BE(0x04, 4); return b; })()],
    ['a deliver_sm_resp', new PDU('deliver_sm_resp', { sequence_number: 1 }).toBuffer()],
    ['an enquire_link', new PDU('enquire_link', { sequence_number: 1 }).toBuffer()],
    ['command_length under the header', (() => { const b = Buffer.from(HAND_DELIVER); b.writeUInt32BE(8, 0); return b; })()],
    ['a cstring without its NUL', hex('00000014 00000005 00000000 00000001 41424344')],
  ];
  for (const [name, buf] of notOurs) {
    it(`null for ${name}`, () => assert.equal(readRawMessage(buf), null));
  }

  const samples: [string, Buffer][] = [
    ['hand-written deliver_sm', HAND_DELIVER],
    ['deliver_sm with TLVs', pdu('deliver_sm', { short_message: Buffer.from('hello'), user_message_reference: 1, receipted_message_id: 'abc', message_state: 2 })],
    ['data_sm with message_payload', pdu('data_sm', { message_payload: Buffer.from('hello'), source_port: 1 })],
  ];
  for (const [name, full] of samples) {
    it(`${name}: a buffer cut short at every length is null and never throws`, () => {
      for (let n = 0; n < full.length; n++) {
        assert.equal(readRawMessage(full.subarray(0, n)), null, `cut at ${n}`);
      }
      assert.ok(readRawMessage(full));
    });

    it(`${name}: a command_length cut short at every length never throws, and reads only whole fields`, () => {
      const whole = readRawMessage(full);
      assert.ok(whole);
      const bodyEnd = full.length - [...whole.tlvs.values()].reduce((s, v) => s + 4 + v.length, 0);
      for (let n = 0; n < full.length; n++) {
        const cut = Buffer.from(full.subarray(0, n));
        if (n >= 4) cut.writeUInt32BE(n, 0);
        const r = readRawMessage(cut);
        if (n < bodyEnd) {
          assert.equal(r, null, `cut at ${n}`);
        } else if (r) {
          // only at a TLV boundary: a prefix of the TLVs, each whole
          assert.ok(r.tlvs.size < whole.tlvs.size, `cut at ${n}`);
          for (const [tag, v] of r.tlvs) assert.deepEqual(v, whole.tlvs.get(tag));
        }
      }
    });
  }
});

describe('message/inbound classifyInbound: receipts', () => {
  it('esm_class 0x04 with a receipt text', () => {
    const text = 'id:0000123 sub:001 dlvrd:001 submit date:2401011200 done date:2401011201 stat:DELIVRD err:000 text:Hello';
    const r = receipt(pdu('deliver_sm', { esm_class: 0x04, data_coding: 0, short_message: Buffer.from(text) }));
    assert.equal(r.command, 'deliver_sm');
    assert.equal(r.from, '46701234567');
    assert.equal(r.to, '7777');
    assert.equal(r.receipt.messageId, '0000123');
    assert.equal(r.receipt.state, 'DELIVERED');
    assert.equal(r.receipt.final, true);
    assert.equal(r.receipt.delivered, true);
    assert.equal(r.receipt.kind, 'smsc-receipt');
    assert.equal(r.receipt.source, 'text');
    assert.equal(r.receipt.errorCode, '000');
    assert.equal(r.fields.esm_class, 0x04);
    assert.equal(r.fields.short_message, undefined);
  });

  it('a failed receipt in message_payload, labelled binary', () => {
    const text = 'id:77 sub:001 dlvrd:000 submit date:2401011200 done date:2401011201 stat:UNDELIV err:034 text:';
    const r = receipt(pdu('deliver_sm', { esm_class: 0x04, data_coding: 4, short_message: Buffer.alloc(0), message_payload: Buffer.from(text) }));
    assert.equal(r.receipt.messageId, '77');
    assert.equal(r.receipt.state, 'UNDELIVERABLE');
    assert.equal(r.receipt.delivered, false);
    assert.equal(r.receipt.final, true);
  });

  it('TLVs alone (esm_class 0x04, no text)', () => {
    const r = receipt(pdu('deliver_sm', { esm_class: 0x04, short_message: Buffer.alloc(0), receipted_message_id: '7B', message_state: 2, network_error_code: hex('03 00 22') }));
    assert.equal(r.receipt.messageId, '7B');
    assert.equal(r.receipt.state, 'DELIVERED');
    assert.equal(r.receipt.kind, 'smsc-receipt');
    assert.equal(r.receipt.source, 'tlv');
    assert.deepEqual(r.receipt.networkError, { type: 3, typeName: 'GSM', code: 0x22 });
    assert.equal(r.fields.receipted_message_id, '7B');
    assert.equal(r.fields.message_state, 2);
  });

  it('an MO (message type 0) with a receipted_message_id TLV stays an MO, its text kept (SMPP 3.4 5.2.12)', () => {
    const m = mo(pdu('deliver_sm', { esm_class: 0, data_coding: 0, short_message: Buffer.from('hello'), receipted_message_id: '7B', message_state: 2 }));
    assert.equal(moPayload(m.dataCoding, m.body), 'hello');
    assert.equal(m.fields.receipted_message_id, '7B');
  });

  it('esm_class 0x18 (conversation abort) is not a receipt, even with receipt text', () => {
    const m = mo(pdu('deliver_sm', { esm_class: 0x18, data_coding: 0, short_message: Buffer.from('id:5 stat:DELIVRD') }));
    assert.equal(m.esmClass, 0x18);
  });

  for (const dc of [8, 4, 3, 0xf6]) {
    it(`a receipt labelled data_coding ${dc} never becomes an MO`, () => {
      // the text the SMSC wrote is ASCII whatever the label: an id it cannot read makes it invalid, never an MO
      const r = classify(pdu('deliver_sm', { esm_class: 0x04, data_coding: dc, short_message: Buffer.from('id:ab12 sub:001 dlvrd:001 stat:DELIVRD err:000') }));
      assert.notEqual(r.kind, 'mo');
      if (r.kind === 'invalid') assert.equal(r.receipt, true);
    });
  }

  it('a receipt type whose id cannot be read is invalid (counted as a receipt), never an MO', () => {
    const r = classify(pdu('deliver_sm', { esm_class: 0x04, data_coding: 0, short_message: Buffer.from('no id here') }));
    assert.equal(r.kind, 'invalid');
    assert.equal((r as { receipt?: boolean }).receipt, true);
  });

  it('the hand-written deliver_sm (esm_class 0x04 and the TLV)', () => {
    const r = receipt(HAND_DELIVER);
    assert.equal(r.receipt.messageId, '7B');
    assert.equal(r.from, '4670');
  });

  it('a data_sm receipt', () => {
    const r = receipt(pdu('data_sm', { esm_class: 0x04, receipted_message_id: 'abc-1', message_state: 5 }));
    assert.equal(r.command, 'data_sm');
    assert.equal(r.receipt.messageId, 'abc-1');
    assert.equal(r.receipt.state, 'UNDELIVERABLE');
  });

  it('an intermediate notification (0x20) is a receipt that is not final', () => {
    const r = receipt(pdu('deliver_sm', { esm_class: 0x20, short_message: Buffer.from('id:5 stat:ENROUTE') }));
    assert.equal(r.receipt.kind, 'intermediate');
    assert.equal(r.receipt.final, false);
  });
});

describe('message/inbound classifyInbound: MO messages', () => {
  const texts: { name: string; dc: number; sm: Buffer; text: string }[] = [
    { name: 'GSM dc 0 with an extension character', dc: 0, sm: hex('48 69 20 1b 65 20 00 20 1b 3c 7e 1b 3e'), text: 'Hi € @ [ü]' },
    { name: 'UCS2 dc 8 with an emoji surrogate pair', dc: 8, sm: hex('00 6f 00 6b 00 20 d8 3d de 00'), text: 'ok 😀' },
    { name: 'IA5 dc 1', dc: 1, sm: Buffer.from('Hello @home'), text: 'Hello @home' },
    { name: 'Latin-1 dc 3', dc: 3, sm: hex('63 61 66 e9'), text: 'café' },
    { name: 'GSM coding group 0xF0 (class 0)', dc: 0xf0, sm: Buffer.from('Flash'), text: 'Flash' },
  ];
  for (const t of texts) {
    it(`${t.name} -> text`, () => {
      const m = mo(pdu('deliver_sm', { data_coding: t.dc, short_message: t.sm }));
      assert.equal(m.command, 'deliver_sm');
      assert.equal(m.from, '46701234567');
      assert.equal(m.to, '7777');
      assert.equal(m.dataCoding, t.dc);
      assert.deepEqual(m.body, t.sm);
      assert.equal(m.udh, undefined);
      assert.equal(m.concat, undefined);
      assert.equal(moPayload(m.dataCoding, m.body), t.text);
    });
  }

  const binaries: { name: string; dc: number }[] = [
    { name: 'binary dc 4', dc: 4 },
    { name: 'binary dc 2', dc: 2 },
    { name: 'unknown dc 0x05 (JIS)', dc: 0x05 },
    { name: '8-bit coding group 0xF6', dc: 0xf6 },
  ];
  for (const b of binaries) {
    it(`${b.name} -> a Buffer copy from moPayload`, () => {
      const sm = hex('de ad be ef 00 ff');
      const m = mo(pdu('deliver_sm', { data_coding: b.dc, short_message: sm }));
      const p = moPayload(m.dataCoding, m.body);
      assert.ok(Buffer.isBuffer(p));
      assert.deepEqual(p, sm);
      (p as Buffer)[0] = 0;
      assert.equal(m.body[0], 0xde, 'the payload does not share memory with the PDU');
    });
  }

  it('MO in a data_sm message_payload', () => {
    const m = mo(pdu('data_sm', { data_coding: 0, message_payload: Buffer.from('long text') }));
    assert.equal(m.command, 'data_sm');
    assert.equal(moPayload(m.dataCoding, m.body), 'long text');
  });

  it('message_payload wins over an empty short_message in a deliver_sm', () => {
    const m = mo(pdu('deliver_sm', { data_coding: 0, short_message: Buffer.alloc(0), message_payload: Buffer.from('payload') }));
    assert.deepEqual(m.body, Buffer.from('payload'));
  });

  it('the decoded fields are copied without the message bytes', () => {
    const m = mo(pdu('deliver_sm', { source_addr_ton: 1, source_addr_npi: 1, data_coding: 0, short_message: Buffer.from('x'), user_message_reference: 3, source_port: 2948, language_indicator: 1 }));
    assert.equal(m.fields.source_addr_ton, 1);
    assert.equal(m.fields.source_addr, '46701234567');
    assert.equal(m.fields.user_message_reference, 3);
    assert.equal(m.fields.source_port, 2948);
    assert.equal(m.fields.language_indicator, 1);
    assert.equal(m.fields.short_message, undefined);
    assert.equal(m.fields.message_payload, undefined);
  });

  it('destination_port and its_session_info come out under their SMPP names and as numbers, as smpp-send takes them', () => {
    const m = mo(pdu('deliver_sm', { data_coding: 0, short_message: Buffer.from('x'), dest_port: 9200, its_session_info: hex('0a 01') }));
    assert.equal(m.fields.destination_port, 9200);
    assert.equal(m.fields.its_session_info, 0x0a01);
  });

  const concats: { name: string; command: 'deliver_sm' | 'data_sm'; fields: Record<string, unknown>; concat: MoMessage['concat']; body: Buffer; udh?: Buffer }[] = [
    {
      name: '8-bit UDH', command: 'deliver_sm',
      fields: { esm_class: 0x40, data_coding: 0, short_message: hex('05 00 03 2a 02 01 48 69') },
      concat: { ref: 0x2a, total: 2, seq: 1, via: 8 }, body: Buffer.from('Hi'), udh: hex('05 00 03 2a 02 01'),
    },
    {
      name: '16-bit UDH', command: 'deliver_sm',
      fields: { esm_class: 0x40, data_coding: 8, short_message: hex('06 08 04 12 34 03 02 00 41') },
      concat: { ref: 0x1234, total: 3, seq: 2, via: 16 }, body: hex('00 41'), udh: hex('06 08 04 12 34 03 02'),
    },
    {
      name: 'UDH in a data_sm message_payload', command: 'data_sm',
      fields: { esm_class: 0x40, data_coding: 0, message_payload: hex('05 00 03 07 02 02 41') },
      concat: { ref: 7, total: 2, seq: 2, via: 8 }, body: Buffer.from('A'), udh: hex('05 00 03 07 02 02'),
    },
    {
      name: 'a UDH with a port element and no concatenation', command: 'deliver_sm',
      fields: { esm_class: 0x40, data_coding: 4, short_message: hex('06 05 04 0b 84 23 f0 ff') },
      concat: undefined, body: hex('ff'), udh: hex('06 05 04 0b 84 23 f0'),
    },
    {
      name: 'SAR TLVs', command: 'deliver_sm',
      fields: { data_coding: 0, short_message: Buffer.from('part'), sar_msg_ref_num: 0xbeef, sar_total_segments: 3, sar_segment_seqnum: 3 },
      concat: { ref: 0xbeef, total: 3, seq: 3, via: 'sar' }, body: Buffer.from('part'),
    },
    {
      name: 'SAR TLVs in a data_sm', command: 'data_sm',
      fields: { data_coding: 0, message_payload: Buffer.from('part'), sar_msg_ref_num: 1, sar_total_segments: 2, sar_segment_seqnum: 1 },
      concat: { ref: 1, total: 2, seq: 1, via: 'sar' }, body: Buffer.from('part'),
    },
    {
      name: 'SAR with total 1 is not a concatenation', command: 'deliver_sm',
      fields: { data_coding: 0, short_message: Buffer.from('x'), sar_msg_ref_num: 1, sar_total_segments: 1, sar_segment_seqnum: 1 },
      concat: undefined, body: Buffer.from('x'),
    },
    {
      name: 'SAR with seq beyond total is ignored', command: 'deliver_sm',
      fields: { data_coding: 0, short_message: Buffer.from('x'), sar_msg_ref_num: 1, sar_total_segments: 2, sar_segment_seqnum: 3 },
      concat: undefined, body: Buffer.from('x'),
    },
    {
      name: 'SAR without its seqnum is ignored', command: 'deliver_sm',
      fields: { data_coding: 0, short_message: Buffer.from('x'), sar_msg_ref_num: 1, sar_total_segments: 2 },
      concat: undefined, body: Buffer.from('x'),
    },
  ];
  for (const c of concats) {
    it(`concatenated MO: ${c.name}`, () => {
      const m = mo(pdu(c.command, c.fields));
      assert.deepEqual(m.concat, c.concat);
      assert.deepEqual(m.body, c.body);
      assert.deepEqual(m.udh, c.udh);
    });
  }

  // a malformed UDH is no longer refused (issue 12, contract 3): see message-inbound-udh.test.ts

  it('a PDU cut short -> invalid, never a throw', () => {
    const full = pdu('deliver_sm', { data_coding: 0, short_message: Buffer.from('hello'), source_port: 1 });
    for (let n = 0; n < full.length; n++) {
      const r = classifyInbound(full.subarray(0, n));
      assert.equal(r.kind, 'invalid', `cut at ${n}`);
    }
  });
});

describe('smpp/esm-class: the message type of SMPP 3.4 section 5.2.12', () => {
  const table: [number, string, boolean][] = [
    [0x00, 'default', false], [0x04, 'smsc-receipt', true], [0x08, 'sme-delivery-ack', true], [0x10, 'sme-manual-ack', true],
    [0x18, 'conversation-abort', false], [0x20, 'intermediate', true], [0x0c, 'reserved', false], [0x14, 'reserved', false],
    [0x1c, 'reserved', false], [0x3c, 'reserved', false], [0x44, 'smsc-receipt', true], [0x43, 'default', false], [0x80 | 0x20, 'intermediate', true],
  ];
  for (const [esm, type, receipt] of table) {
    it(`esm_class 0x${esm.toString(16)}: ${type}${receipt ? ', a receipt' : ''}`, () => {
      assert.equal(inboundMessageType(esm), type);
      assert.equal(isReceiptType(esm), receipt);
    });
  }
});
