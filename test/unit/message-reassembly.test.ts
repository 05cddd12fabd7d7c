import assert from 'node:assert/strict';
import { PDU } from 'smpp';
import { classifyInbound, MoMessage } from '../../src/message/inbound';
import { Reassembler, AddResult, WholeMo } from '../../src/message/reassembly';

type Via = 8 | 16 | 'sar';

function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

/** the raw PDU of one part; the MoMessage is read from it as the gateway does */
function partPdu(via: Via | null, ref: number, total: number, seq: number, body: Buffer, extra: Record<string, unknown> = {}): Buffer {
  const fields: Record<string, unknown> = {
    source_addr: '46701234567', destination_addr: '7777', sequence_number: seq, data_coding: 0, ...extra,
  };
  if (via === 8) {
    fields.esm_class = 0x40;
    fields.short_message = Buffer.concat([Buffer.from([5, 0, 3, ref, total, seq]), body]);
  } else if (via === 16) {
    fields.esm_class = 0x40;
    fields.short_message = Buffer.concat([Buffer.from([6, 8, 4, ref >> 8, ref & 0xff, total, seq]), body]);
  } else {
    fields.short_message = body;
    if (via === 'sar') Object.assign(fields, { sar_msg_ref_num: ref, sar_total_segments: total, sar_segment_seqnum: seq });
  }
  return new PDU('deliver_sm', fields).toBuffer();
}

function moOf(raw: Buffer): MoMessage {
  const r = classifyInbound(raw);
  assert.equal(r.kind, 'mo', r.kind === 'invalid' ? r.error : r.kind);
  return r as MoMessage;
}

function part(via: Via | null, ref: number, total: number, seq: number, body: Buffer, extra: Record<string, unknown> = {}): MoMessage {
  return moOf(partPdu(via, ref, total, seq, body, extra));
}

function whole(r: AddResult): WholeMo {
  assert.equal(r.kind, 'whole', `expected a whole message, got ${r.kind}`);
  return (r as { message: WholeMo }).message;
}

const ucs2 = (s: string) => Buffer.from(s, 'utf16le').swap16();
const WAIT = 1000;

describe('MO reassembly (src/message/reassembly.ts)', () => {
  describe('complete messages, parts in any order', () => {
    const cases: { name: string; via: Via; dc: number; bodies: Buffer[]; order: number[]; text: string }[] = [
      { name: '8-bit UDH reference, in order', via: 8, dc: 0, bodies: [Buffer.from('Hello '), Buffer.from('world')], order: [1, 2], text: 'Hello world' },
      { name: '16-bit UDH reference, out of order 3,1,2', via: 16, dc: 0, bodies: [Buffer.from('one '), Buffer.from('two '), Buffer.from('three')], order: [3, 1, 2], text: 'one two three' },
      { name: 'SAR TLVs, out of order 2,3,1', via: 'sar', dc: 3, bodies: [Buffer.from('caf', 'latin1'), Buffer.from('\u00e9 ', 'latin1'), Buffer.from('cr\u00e8me', 'latin1')], order: [2, 3, 1], text: 'caf\u00e9 cr\u00e8me' },
      {
        name: 'GSM escape split across parts (0x1B ends part 1, 0x65 starts part 2) gives one euro sign',
        via: 8, dc: 0, bodies: [Buffer.concat([Buffer.from('price 5'), hex('1b')]), Buffer.concat([hex('65'), Buffer.from(' only')])], order: [2, 1], text: 'price 5\u20ac only',
      },
      {
        name: 'UCS2 surrogate pair split between its two code units',
        via: 16, dc: 8, bodies: [Buffer.concat([ucs2('hi '), hex('d83d')]), Buffer.concat([hex('de00'), ucs2(' ok')])], order: [1, 2], text: 'hi \u{1f600} ok',
      },
      {
        name: 'UCS2 code unit split across parts (odd part length)',
        via: 'sar', dc: 8, bodies: [Buffer.concat([ucs2('A'), hex('00')]), Buffer.concat([hex('42'), ucs2('C')])], order: [2, 1], text: 'ABC',
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const r = new Reassembler({ waitMs: WAIT, maxGroups: 10 });
        const total = c.bodies.length;
        const results = c.order.map((seq) => r.add(part(c.via, 0x2a, total, seq, c.bodies[seq - 1], { data_coding: c.dc }), 0));
        for (const res of results.slice(0, -1)) assert.equal(res.kind, 'held');
        const m = whole(results[results.length - 1]);
        assert.equal(m.payload, c.text);
        assert.equal(m.incomplete, false);
        assert.deepEqual(m.missing, []);
        assert.deepEqual(m.received, Array.from({ length: total }, (_, i) => i + 1));
        assert.equal(m.parts, total);
        assert.deepEqual(m.concat, { ref: 0x2a, total, via: c.via });
        assert.equal(m.dataCoding, c.dc);
        assert.deepEqual(m.body, Buffer.concat(c.bodies));
        assert.equal(r.size, 0, 'the completed group is gone');
        assert.deepEqual(r.counters, { parts: total, reassembled: 1, incomplete: 0, duplicateParts: 0, refusedFull: 0 });
      });
    }

    it('uses the fields, esm_class and UDH of part 1 even when it arrives last', () => {
      const r = new Reassembler({ waitMs: WAIT, maxGroups: 10 });
      assert.equal(r.add(part(8, 9, 2, 2, Buffer.from('b'), { protocol_id: 2 }), 0).kind, 'held');
      const m = whole(r.add(part(8, 9, 2, 1, Buffer.from('a'), { protocol_id: 1 }), 0));
      assert.equal(m.fields.protocol_id, 1);
      assert.equal(m.fields.sequence_number, 1);
      assert.deepEqual(m.udh, hex('05 00 03 09 02 01'));
      assert.equal(m.esmClass, 0x40);
      assert.equal(m.payload, 'ab');
    });

    it('a binary coding (4) gives the joined bytes as a Buffer', () => {
      const r = new Reassembler({ waitMs: WAIT, maxGroups: 10 });
      r.add(part(8, 1, 2, 2, hex('ccdd'), { data_coding: 4 }), 0);
      const m = whole(r.add(part(8, 1, 2, 1, hex('aabb'), { data_coding: 4 }), 0));
      assert.ok(Buffer.isBuffer(m.payload));
      assert.deepEqual(m.payload, hex('aabbccdd'));
    });

    it('keeps copies: reusing the PDU buffer after add does not change the message', () => {
      const r = new Reassembler({ waitMs: WAIT, maxGroups: 10 });
      const raw = partPdu(8, 3, 2, 1, Buffer.from('first '));
      r.add(moOf(raw), 0);
      raw.fill(0x41);
      const m = whole(r.add(part(8, 3, 2, 2, Buffer.from('second')), 0));
      assert.equal(m.payload, 'first second');
      assert.deepEqual(m.udh, hex('05 00 03 03 02 01'));
    });
  });

  describe('groups kept apart', () => {
    const cases: { name: string; a: MoMessage; b: MoMessage }[] = [
      { name: 'another source', a: part(8, 5, 2, 1, Buffer.from('x')), b: part(8, 5, 2, 2, Buffer.from('y'), { source_addr: '46709999999' }) },
      { name: 'another destination', a: part(8, 5, 2, 1, Buffer.from('x')), b: part(8, 5, 2, 2, Buffer.from('y'), { destination_addr: '8888' }) },
      { name: 'another reference', a: part(8, 5, 2, 1, Buffer.from('x')), b: part(8, 6, 2, 2, Buffer.from('y')) },
      { name: 'another total', a: part(8, 5, 2, 1, Buffer.from('x')), b: part(8, 5, 3, 2, Buffer.from('y')) },
      { name: 'another data_coding', a: part(8, 5, 2, 1, Buffer.from('x')), b: part(8, 5, 2, 2, Buffer.from('y'), { data_coding: 3 }) },
      { name: '8-bit against 16-bit reference', a: part(8, 5, 2, 1, Buffer.from('x')), b: part(16, 5, 2, 2, Buffer.from('y')) },
      { name: 'UDH against SAR', a: part(8, 5, 2, 1, Buffer.from('x')), b: part('sar', 5, 2, 2, Buffer.from('y')) },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const r = new Reassembler({ waitMs: WAIT, maxGroups: 10 });
        assert.equal(r.add(c.a, 0).kind, 'held');
        assert.equal(r.add(c.b, 0).kind, 'held');
        assert.equal(r.size, 2);
      });
    }
  });

  it('ignores and counts a duplicate part; the message holds it once', () => {
    const r = new Reassembler({ waitMs: WAIT, maxGroups: 10 });
    assert.equal(r.add(part(16, 0x1234, 2, 1, Buffer.from('ab')), 0).kind, 'held');
    assert.equal(r.add(part(16, 0x1234, 2, 1, Buffer.from('ab')), 0).kind, 'duplicate');
    const m = whole(r.add(part(16, 0x1234, 2, 2, Buffer.from('cd')), 0));
    assert.equal(m.payload, 'abcd');
    assert.equal(m.duplicates, 1);
    assert.equal(r.counters.duplicateParts, 1);
    assert.equal(r.counters.parts, 3);
  });

  describe('missing parts', () => {
    it('expires a group waitMs after its first part: incomplete, parts present and missing listed, text of what arrived', () => {
      const r = new Reassembler({ waitMs: WAIT, maxGroups: 10 });
      r.add(part('sar', 77, 3, 3, Buffer.from(' end')), 100);
      r.add(part('sar', 77, 3, 1, Buffer.from('start')), 600);
      assert.deepEqual(r.expire(100 + WAIT - 1), [], 'not before the wait is over');
      const out = r.expire(100 + WAIT);
      assert.equal(out.length, 1);
      const m = out[0];
      assert.equal(m.incomplete, true);
      assert.deepEqual(m.missing, [2]);
      assert.deepEqual(m.received, [1, 3]);
      assert.equal(m.parts, 3);
      assert.equal(m.payload, 'start end');
      assert.deepEqual(m.concat, { ref: 77, total: 3, via: 'sar' });
      assert.equal(r.size, 0);
      assert.equal(r.counters.incomplete, 1);
      assert.equal(r.counters.reassembled, 0);
      assert.deepEqual(r.expire(100 + 10 * WAIT), [], 'handed out once');
    });

    it('decodes each run of consecutive parts on its own: an escape before a gap does not swallow the next part', () => {
      const r = new Reassembler({ waitMs: WAIT, maxGroups: 10 });
      r.add(part(8, 1, 3, 1, Buffer.concat([Buffer.from('cost 5'), hex('1b')])), 0);
      r.add(part(8, 1, 3, 3, Buffer.from('euro')), 0);
      const [m] = r.expire(WAIT);
      // joined over the gap, 1B 65 would read as a euro sign
      assert.equal(m.payload, 'cost 5euro');
      assert.deepEqual(m.missing, [2]);
    });

    it('expires only the groups old enough, oldest first', () => {
      const r = new Reassembler({ waitMs: WAIT, maxGroups: 10 });
      r.add(part(8, 1, 2, 1, Buffer.from('a')), 0);
      r.add(part(8, 2, 2, 1, Buffer.from('b')), 500);
      r.add(part(8, 3, 2, 2, Buffer.from('c')), 900);
      assert.deepEqual(r.expire(1499).map((m) => m.concat?.ref), [1]);
      assert.deepEqual(r.expire(1900).map((m) => m.concat?.ref), [2, 3]);
      assert.equal(r.size, 0);
    });

    it('flushAll hands out every open group, incomplete', () => {
      const r = new Reassembler({ waitMs: WAIT, maxGroups: 10 });
      r.add(part(8, 1, 2, 1, Buffer.from('a')), 0);
      r.add(part(16, 2, 3, 3, Buffer.from('z')), 0);
      const out = r.flushAll();
      assert.deepEqual(out.map((m) => [m.payload, m.missing]), [['a', [2]], ['z', [1, 2]]]);
      assert.ok(out.every((m) => m.incomplete));
      assert.equal(r.size, 0);
      assert.equal(r.counters.incomplete, 2);
      assert.deepEqual(r.flushAll(), []);
    });
  });

  it('bound on open groups: a part that would open one more is refused, parts of open groups still complete', () => {
    const r = new Reassembler({ waitMs: WAIT, maxGroups: 2 });
    assert.equal(r.add(part(8, 1, 2, 1, Buffer.from('a')), 0).kind, 'held');
    assert.equal(r.add(part(8, 2, 2, 1, Buffer.from('b')), 0).kind, 'held');
    assert.equal(r.add(part(8, 3, 2, 1, Buffer.from('c')), 0).kind, 'full');
    assert.equal(r.size, 2, 'the refused part opened nothing');
    assert.equal(whole(r.add(part(8, 1, 2, 2, Buffer.from('A')), 0)).payload, 'aA');
    assert.equal(r.add(part(8, 3, 2, 1, Buffer.from('c')), 0).kind, 'held', 'room again once a group completed');
    assert.equal(r.counters.refusedFull, 1);
    // a single message never needs room
    assert.equal(r.add(part(null, 0, 0, 1, Buffer.from('single')), 0).kind, 'whole');
  });

  describe('single messages pass straight through', () => {
    it('no concatenation: whole at once, one part, no group opened', () => {
      const r = new Reassembler({ waitMs: WAIT, maxGroups: 1 });
      const m = whole(r.add(part(null, 0, 0, 1, Buffer.from('hello \u00a3', 'latin1'), { data_coding: 3 }), 0));
      assert.equal(m.payload, 'hello \u00a3');
      assert.equal(m.parts, 1);
      assert.equal(m.incomplete, false);
      assert.deepEqual(m.received, [1]);
      assert.deepEqual(m.missing, []);
      assert.equal(m.concat, undefined);
      assert.equal(r.size, 0);
      assert.equal(r.counters.parts, 0);
    });

    it('a UDH that says "1 part of 1" is a whole message with its concat info', () => {
      const r = new Reassembler({ waitMs: WAIT, maxGroups: 1 });
      const m = whole(r.add(part(8, 4, 1, 1, Buffer.from('solo')), 0));
      assert.equal(m.payload, 'solo');
      assert.deepEqual(m.concat, { ref: 4, total: 1, via: 8 });
      assert.deepEqual(m.udh, hex('05 00 03 04 01 01'));
      assert.equal(r.size, 0);
    });
  });

  it('refuses nonsense options', () => {
    assert.throws(() => new Reassembler({ waitMs: 0, maxGroups: 1 }), RangeError);
    assert.throws(() => new Reassembler({ waitMs: 1000, maxGroups: 0 }), RangeError);
  });
});
