// Issue 12 item 4 (contract 3): an MO is never lost to a malformed UDH. The SMSC
// used to get a permanent error and drop the message; now the content is split
// at the UDHL octet, the unreadable element ignored, the text delivered, flagged.
import assert from 'node:assert/strict';
import { PDU } from 'smpp';
import { classifyInbound, MoMessage, Inbound } from '../../src/message/inbound';
import { Reassembler, WholeMo } from '../../src/message/reassembly';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function pdu(fields: Record<string, unknown>): Buffer {
  return new PDU('deliver_sm', { source_addr: '46701234567', destination_addr: '7777', sequence_number: 9, ...fields }).toBuffer();
}

function classify(buf: Buffer): Inbound {
  return classifyInbound(buf);
}

function mo(buf: Buffer): MoMessage {
  const r = classify(buf);
  assert.equal(r.kind, 'mo', r.kind === 'invalid' ? r.error : r.kind);
  return r as MoMessage;
}

describe('inbound MO with a malformed UDH', () => {
  const cases: Array<[string, string, string, string]> = [
    // name, short_message, udh, body
    ['UDHL past the end', '05 00 03 2a', '05 00 03 2a', ''],
    ['element length past the UDH', '03 00 05 2a 41 42', '03 00 05 2a', '41 42'],
    ['an empty short_message', '', '', ''],
    ['element header cut in two', '01 00 48 69', '01 00', '48 69'],
  ];
  for (const [name, sm, udh, body] of cases) {
    it(`is delivered, flagged (${name})`, () => {
      const m = mo(pdu({ esm_class: 0x40, data_coding: 0, short_message: hex(sm) }));
      assert.equal(m.udhMalformed, true);
      assert.deepEqual(m.udh, hex(udh));
      assert.deepEqual(m.body, hex(body));
    });
  }

  it('a concatenated MO with a malformed element keeps its concatenation and its text', () => {
    // 00 03 2a 02 01: part 1 of 2, ref 0x2a; then IEI 0x70 claims 5 octets, 1 is there
    const m = mo(pdu({ esm_class: 0x40, data_coding: 0, short_message: hex('08 00 03 2a 02 01 70 05 01 48 69') }));
    assert.deepEqual(m.concat, { ref: 0x2a, total: 2, seq: 1, via: 8 });
    assert.deepEqual(m.body, Buffer.from('Hi'));
    assert.equal(m.udhMalformed, true);
  });

  it('the flag survives reassembly when any part had it', () => {
    const r = new Reassembler({ waitMs: 1000, maxGroups: 4 });
    const p1 = mo(pdu({ esm_class: 0x40, data_coding: 0, short_message: hex('08 00 03 2a 02 01 70 05 01 48 69') }));
    const p2 = mo(pdu({ esm_class: 0x40, data_coding: 0, short_message: hex('05 00 03 2a 02 02 21') }));
    assert.equal(p2.udhMalformed, undefined);
    assert.equal(r.add(p2, 0).kind, 'held');
    const res = r.add(p1, 0);
    assert.equal(res.kind, 'whole');
    const whole = (res as { message: WholeMo }).message;
    assert.equal(whole.payload, 'Hi!');
    assert.equal(whole.udhMalformed, true);
  });

  it('a well-formed UDH is not flagged', () => {
    const m = mo(pdu({ esm_class: 0x40, data_coding: 0, short_message: hex('05 00 03 2a 02 01 48 69') }));
    assert.equal(m.udhMalformed, undefined);
    const single = new Reassembler({ waitMs: 1000, maxGroups: 4 }).add(mo(pdu({ data_coding: 0, short_message: Buffer.from('x') })), 0);
    assert.equal((single as { message: WholeMo }).message.udhMalformed, undefined);
  });
});
