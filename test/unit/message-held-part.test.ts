import assert from 'node:assert/strict';
import { PDU } from 'smpp';
import { classifyInbound, ConcatInfo, MoMessage } from '../../src/message/inbound';
import { assemble, groupKeyOf, Reassembler, WholeMo } from '../../src/message/reassembly';
import { decodeHeader, decodePart, encodeHeader, encodePart, groupFromFields } from '../../src/message/held-part';

type Via = 8 | 16 | 'sar';
type Part = MoMessage & { concat: ConcatInfo };

function part(via: Via, ref: number, total: number, seq: number, body: Buffer, extra: Record<string, unknown> = {}, udhExtra: Buffer = Buffer.alloc(0)): Part {
  const fields: Record<string, unknown> = { source_addr: '46701234567', source_addr_ton: 1, destination_addr: '7777', sequence_number: seq, data_coding: 0, ...extra };
  if (via === 8 || via === 16) {
    const ie = via === 8 ? Buffer.from([0, 3, ref, total, seq]) : Buffer.from([8, 4, ref >> 8, ref & 0xff, total, seq]);
    const head = Buffer.concat([ie, udhExtra]);
    fields.esm_class = 0x40;
    fields.short_message = Buffer.concat([Buffer.from([head.length]), head, body]);
  } else {
    fields.short_message = body;
    Object.assign(fields, { sar_msg_ref_num: ref, sar_total_segments: total, sar_segment_seqnum: seq });
  }
  const command = (extra.command as string) ?? 'deliver_sm';
  delete fields.command;
  if (command === 'data_sm') {
    fields.message_payload = fields.short_message;
    delete fields.short_message;
  }
  const r = classifyInbound(new PDU(command, fields).toBuffer());
  assert.equal(r.kind, 'mo', r.kind === 'invalid' ? r.error : r.kind);
  return r as Part;
}

/** the group's fields as a store keeps them: header, d, p<seq> */
function stored(parts: Part[], duplicates = 0): Record<string, string> {
  const f: Record<string, string> = { h: encodeHeader(parts[0]), n: String(parts.length), d: String(duplicates), c: '123' };
  for (const p of parts) f[`p${p.concat.seq}`] = encodePart(p);
  return f;
}

const ucs2 = (s: string) => Buffer.from(s, 'utf16le').swap16();

describe('MO parts held as text for a shared store (src/message/held-part.ts)', () => {
  describe('a group read back assembles as the in-memory reassembly does', () => {
    const cases: { name: string; parts: Part[] }[] = [
      { name: '8-bit reference, GSM escape split across parts', parts: [part(8, 5, 2, 1, Buffer.from('price 5\x1b')), part(8, 5, 2, 2, Buffer.from('e only'))] },
      { name: '16-bit reference, UCS2 surrogate pair split', parts: [part(16, 0x1234, 2, 1, Buffer.concat([ucs2('hi '), Buffer.from([0xd8, 0x3d])]), { data_coding: 8 }), part(16, 0x1234, 2, 2, Buffer.concat([Buffer.from([0xde, 0x00]), ucs2(' ok')]), { data_coding: 8 })] },
      { name: 'SAR TLVs, Latin-1, three parts', parts: [1, 2, 3].map((s) => part('sar', 77, 3, s, Buffer.from(['caf', '\u00e9 ', 'cr\u00e8me'][s - 1], 'latin1'), { data_coding: 3 })) },
      { name: 'binary coding', parts: [part(8, 1, 2, 1, Buffer.from([0xcc]), { data_coding: 4 }), part(8, 1, 2, 2, Buffer.from([0xdd]), { data_coding: 4 })] },
      { name: 'a UDH with a malformed element after the concatenation one', parts: [part(8, 2, 2, 1, Buffer.from('a'), {}, Buffer.from([0x24, 5, 1])), part(8, 2, 2, 2, Buffer.from('b'))] },
      { name: 'data_sm parts', parts: [part('sar', 3, 2, 1, Buffer.from('x'), { command: 'data_sm' }), part('sar', 3, 2, 2, Buffer.from('y'), { command: 'data_sm' })] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const r = new Reassembler({ waitMs: 1000, maxGroups: 10 });
        let inMemory: WholeMo | undefined;
        for (const p of c.parts) {
          const res = r.add(p, 0);
          if (res.kind === 'whole') inMemory = res.message;
        }
        assert.ok(inMemory);
        const read = groupFromFields(stored([...c.parts].reverse()));
        assert.ok(read);
        assert.equal(read.unreadable, 0);
        assert.deepEqual(assemble(read.group), inMemory);
        assert.ok(inMemory.body.length > 0);
        assert.equal(inMemory.command, c.parts[0].command);
      });
    }
  });

  it('a group missing parts assembles incomplete, with the duplicates the store counted', () => {
    const p = [1, 2, 3, 4].map((s) => part(8, 9, 4, s, Buffer.from(`p${s} `)));
    const read = groupFromFields(stored([p[0], p[2]], 2));
    assert.ok(read);
    const m = assemble(read.group);
    assert.equal(m.incomplete, true);
    assert.deepEqual(m.received, [1, 3]);
    assert.deepEqual(m.missing, [2, 4]);
    assert.equal(m.payload, 'p1 p3 ');
    assert.equal(m.duplicates, 2);
  });

  it('groupKeyOf: the parts of one message share a key; another reference, total, coding, source or way of splitting does not', () => {
    const k = groupKeyOf(part(8, 9, 3, 1, Buffer.from('a')));
    assert.equal(groupKeyOf(part(8, 9, 3, 3, Buffer.from('c'))), k);
    assert.equal(k, '8|46701234567|7777|9|3|0');
    for (const other of [part(8, 10, 3, 1, Buffer.from('a')), part(8, 9, 4, 1, Buffer.from('a')), part(8, 9, 3, 1, Buffer.from('a'), { data_coding: 3 }),
      part(8, 9, 3, 1, Buffer.from('a'), { source_addr: '1' }), part(16, 9, 3, 1, Buffer.from('a')), part('sar', 9, 3, 1, Buffer.from('a'))]) {
      assert.notEqual(groupKeyOf(other), k);
    }
  });

  describe('what it did not write is refused (null), never thrown', () => {
    const good = JSON.parse(encodePart(part(8, 1, 2, 1, Buffer.from('a'))));
    const badParts: [string, unknown][] = [
      ['not a string', 42], ['not JSON', '{'], ['an array', '[]'], ['null', 'null'],
      ['unknown command', JSON.stringify({ ...good, c: 'submit_sm' })], ['esm_class out of range', JSON.stringify({ ...good, e: 256 })],
      ['body not a string', JSON.stringify({ ...good, b: 1 })], ['fields not an object', JSON.stringify({ ...good, f: [] })],
      ['udh not a string', JSON.stringify({ ...good, u: 5 })],
    ];
    for (const [name, v] of badParts) it(`part: ${name}`, () => assert.equal(decodePart(v), null));
    const h = JSON.parse(encodeHeader(part(8, 1, 2, 1, Buffer.from('a'))));
    const badHeaders: [string, unknown][] = [
      ['missing', undefined], ['total 1', JSON.stringify({ ...h, total: 1 })], ['total 256', JSON.stringify({ ...h, total: 256 })],
      ['reference over 16 bits', JSON.stringify({ ...h, ref: 0x10000 })], ['unknown via', JSON.stringify({ ...h, via: 7 })], ['from not a string', JSON.stringify({ ...h, from: 1 })],
    ];
    for (const [name, v] of badHeaders) it(`header: ${name}`, () => assert.equal(decodeHeader(v), null));
    it('header and part read back as written', () => {
      const p = part(8, 1, 2, 1, Buffer.from('a'), {}, Buffer.from([0x24, 5, 1]));
      assert.deepEqual(decodeHeader(encodeHeader(p)), { from: '46701234567', to: '7777', dataCoding: 0, concat: { ref: 1, total: 2, via: 8 } });
      const d = decodePart(encodePart(p));
      assert.ok(d);
      assert.deepEqual(d.body, p.body);
      assert.deepEqual(d.udh, p.udh);
      assert.equal(d.udhMalformed, true);
      assert.deepEqual(d.fields, p.fields);
    });
    it('a group: unreadable parts and seqnums outside 1..total are left out and counted; no header or no part gives null', () => {
      const p = [part(8, 4, 3, 1, Buffer.from('a')), part(8, 4, 3, 2, Buffer.from('b'))];
      const f = stored(p);
      const read = groupFromFields({ ...f, p2: '{', p4: f.p1, p0: f.p1 });
      assert.ok(read);
      assert.equal(read.unreadable, 3);
      assert.deepEqual(assemble(read.group).received, [1]);
      assert.equal(groupFromFields({ ...f, h: 'x' }), null);
      assert.equal(groupFromFields({ h: f.h, d: '0' }), null);
      assert.equal(groupFromFields({ ...f, d: 'x' })?.group.duplicates, 0);
    });
  });
});
