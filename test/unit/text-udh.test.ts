import assert from 'node:assert/strict';
import { parseUdh, segmentMessage, encodeText } from '../../src/text';

function hex(s: string): Buffer {
  return Buffer.from(s.replace(/ /g, ''), 'hex');
}

describe('text/udh parseUdh', () => {
  it('8-bit reference concatenation', () => {
    const r = parseUdh(hex('05 00 03 a7 03 02 68 69'));
    assert.ok(r);
    assert.deepEqual(r.udh, hex('05 00 03 a7 03 02'));
    assert.deepEqual(r.body, Buffer.from('hi'));
    assert.deepEqual(r.concat, { ref: 0xa7, total: 3, seq: 2, refBits: 8 });
  });

  it('16-bit reference concatenation', () => {
    const r = parseUdh(hex('06 08 04 12 34 02 01 00 41'));
    assert.ok(r);
    assert.deepEqual(r.udh, hex('06 08 04 12 34 02 01'));
    assert.deepEqual(r.body, hex('00 41'));
    assert.deepEqual(r.concat, { ref: 0x1234, total: 2, seq: 1, refBits: 16 });
  });

  it('concatenation after a port addressing element', () => {
    const r = parseUdh(hex('0b 05 04 0b 84 23 f0 00 03 2a 02 01 ff'));
    assert.ok(r);
    assert.equal(r.udh.length, 12);
    assert.deepEqual(r.body, hex('ff'));
    assert.deepEqual(r.concat, { ref: 0x2a, total: 2, seq: 1, refBits: 8 });
  });

  it('other elements only: no concat', () => {
    const r = parseUdh(hex('06 05 04 0b 84 23 f0 41 42'));
    assert.ok(r);
    assert.equal(r.concat, undefined);
    assert.deepEqual(r.body, Buffer.from('AB'));
  });

  it('an empty UDH (UDHL 0)', () => {
    const r = parseUdh(hex('00 41'));
    assert.ok(r);
    assert.deepEqual(r.udh, hex('00'));
    assert.deepEqual(r.body, hex('41'));
    assert.equal(r.concat, undefined);
  });

  it('a header with no body', () => {
    const r = parseUdh(hex('05 00 03 01 02 02'));
    assert.ok(r);
    assert.equal(r.body.length, 0);
    assert.deepEqual(r.concat, { ref: 1, total: 2, seq: 2, refBits: 8 });
  });

  it('concat element with the wrong length is ignored', () => {
    const r = parseUdh(hex('04 00 02 01 02 41'));
    assert.ok(r);
    assert.equal(r.concat, undefined);
  });

  it('concat with seq 0, total 0 or seq > total is ignored', () => {
    assert.equal(parseUdh(hex('05 00 03 01 02 00'))!.concat, undefined);
    assert.equal(parseUdh(hex('05 00 03 01 00 00'))!.concat, undefined);
    assert.equal(parseUdh(hex('05 00 03 01 02 03'))!.concat, undefined);
  });

  it('a repeated concat element: the last one counts', () => {
    const r = parseUdh(hex('0a 00 03 01 02 01 00 03 09 04 03'));
    assert.deepEqual(r!.concat, { ref: 9, total: 4, seq: 3, refBits: 8 });
  });

  // issue 12 (contract 3): never refused; split at UDHL (clamped to the content), flagged malformed
  const GARBAGE: Array<[string, string, string, string]> = [
    // name, input, udh, body
    ['empty buffer', '', '', ''],
    ['UDHL past the end', '05 00 03 01', '05 00 03 01', ''],
    ['element length past the header', '04 00 05 01 02 03', '04 00 05 01 02', '03'],
    ['element header cut in two', '01 00 41', '01 00', '41'],
    ['element length past the header, second element', '07 05 01 00 00 03 01 02 41 41', '07 05 01 00 00 03 01 02', '41 41'],
    ['UDHL 255 with a short buffer', 'ff 00 03 01 02 01', 'ff 00 03 01 02 01', ''],
  ];
  for (const [name, bytes, udh, body] of GARBAGE) {
    it(`malformed, split at UDHL: ${name}`, () => {
      const r = parseUdh(hex(bytes));
      assert.ok(r);
      assert.equal(r.malformed, true);
      assert.deepEqual(r.udh, hex(udh));
      assert.deepEqual(r.body, hex(body));
    });
  }

  it('keeps a good concatenation element next to one that cannot be read', () => {
    const r = parseUdh(hex('08 00 03 2a 02 01 70 05 01 48 69'));
    assert.deepEqual(r!.concat, { ref: 0x2a, total: 2, seq: 1, refBits: 8 });
    assert.equal(r!.malformed, true);
    assert.deepEqual(r!.body, Buffer.from('Hi'));
  });

  it('a concatenation element of the wrong length or with bad values is ignored and flagged', () => {
    for (const h of ['04 00 02 01 02 41', '05 00 03 01 02 00', '05 08 03 01 02 01']) {
      const r = parseUdh(hex(h));
      assert.equal(r!.concat, undefined, h);
      assert.equal(r!.malformed, true, h);
    }
    assert.equal(parseUdh(hex('05 00 03 01 02 01'))!.malformed, undefined);
    assert.equal(parseUdh(hex('06 05 04 0b 84 23 f0'))!.malformed, undefined);
  });

  it('reads back what segmentMessage wrote (8 and 16 bit)', () => {
    const e = encodeText('x'.repeat(400), 'gsm7');
    assert.ok(e.ok);
    for (const refBits of [8, 16] as const) {
      const r = segmentMessage(e.bytes, e.unit, { mode: 'concatenated', udhRefBits: refBits, ref: 0x0102 });
      assert.ok(r.ok);
      const bodies: Buffer[] = [];
      r.parts.forEach((p, k) => {
        const u = parseUdh(p.shortMessage);
        assert.ok(u);
        assert.deepEqual(u.concat, { ref: refBits === 8 ? 0x02 : 0x0102, total: r.parts.length, seq: k + 1, refBits });
        bodies.push(u.body);
      });
      assert.deepEqual(Buffer.concat(bodies), e.bytes);
    }
  });

  it('random bytes never throw and always split the input exactly (bounded)', () => {
    let seed = 12345;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed >>> 8;
    };
    let parsed = 0;
    for (let n = 0; n < 3000; n++) {
      const len = next() % 24;
      const buf = Buffer.alloc(len);
      for (let i = 0; i < len; i++) buf[i] = next() & 0xff;
      if (len > 0) buf[0] = buf[0] % 16; // keep UDHL small so some parse
      const r = parseUdh(buf);
      if (r) {
        parsed++;
        assert.equal(r.udh.length + r.body.length, len);
        if (len > 0 && buf[0] + 1 <= len) assert.equal(r.udh.length, buf[0] + 1);
        else assert.equal(r.malformed, true);
      }
    }
    assert.ok(parsed > 0);
  });
});
