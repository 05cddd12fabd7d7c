import assert from 'node:assert/strict';
import { encodeText, segmentMessage, partCapacity, SegmentOptions, SmsPart, TextUnit } from '../../src/text';

/** Digits cycling, so every boundary is visible in the bytes. */
function digits(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(0x30 + (i % 10));
  return s;
}

function encode(text: string, format: string): { bytes: Buffer; unit: TextUnit } {
  const r = encodeText(text, format);
  if (!r.ok) throw new Error(r.error);
  return { bytes: r.bytes, unit: r.unit };
}

function split(text: string, format: string, options: SegmentOptions): SmsPart[] {
  const { bytes, unit } = encode(text, format);
  const r = segmentMessage(bytes, unit, options);
  if (!r.ok) throw new Error(r.error);
  return r.parts;
}

/** Body of a part = short_message minus its UDH. */
function body(p: SmsPart): Buffer {
  return p.shortMessage.subarray(p.udh ? p.udh.length : 0);
}

function assertBodiesJoin(parts: SmsPart[], bytes: Buffer): void {
  assert.deepEqual(Buffer.concat(parts.map(body)), bytes);
}

const CONCAT8: SegmentOptions = { mode: 'concatenated', concat: 'udh', udhRefBits: 8, ref: 0xa7 };
const CONCAT16: SegmentOptions = { mode: 'concatenated', concat: 'udh', udhRefBits: 16, ref: 0x1234 };

describe('text/segment capacities', () => {
  const TABLE: Array<[TextUnit, number, number, number]> = [
    ['septet', 140, 0, 160], ['septet', 140, 6, 153], ['septet', 140, 7, 152],
    // 139 octets: 158 septets; 6-octet header needs 7 septets with its fill bit
    ['septet', 139, 0, 158], ['septet', 139, 6, 151],
    ['septet', 70, 0, 80], ['septet', 70, 6, 73], ['septet', 6, 6, 0],
    ['ucs2', 140, 0, 140], ['ucs2', 140, 6, 134], ['ucs2', 140, 7, 132], ['ucs2', 141, 0, 140], ['ucs2', 1, 0, 0],
    ['octet', 140, 0, 140], ['octet', 140, 6, 134], ['octet', 140, 7, 133], ['octet', 5, 6, 0],
  ];
  for (const [unit, max, header, want] of TABLE) {
    it(`${unit}, ${max} octets, ${header}-octet header -> ${want} octets`, () => {
      assert.equal(partCapacity(unit, max, header), want);
    });
  }
});

describe('text/segment concatenated, UDH 8-bit reference', () => {
  it('GSM 160 septets is one plain part', () => {
    const { bytes } = encode(digits(160), 'gsm7');
    const parts = split(digits(160), 'gsm7', CONCAT8);
    assert.equal(parts.length, 1);
    assert.deepEqual(parts[0], { shortMessage: bytes, esmClassUdhi: false });
  });

  it('GSM 161 septets is 153 + 8 with exact UDH bytes', () => {
    const { bytes } = encode(digits(161), 'gsm7');
    const parts = split(digits(161), 'gsm7', CONCAT8);
    assert.equal(parts.length, 2);
    assert.deepEqual(parts[0].udh, Buffer.from([0x05, 0x00, 0x03, 0xa7, 0x02, 0x01]));
    assert.deepEqual(parts[1].udh, Buffer.from([0x05, 0x00, 0x03, 0xa7, 0x02, 0x02]));
    assert.equal(parts[0].shortMessage.length, 6 + 153);
    assert.equal(parts[1].shortMessage.length, 6 + 8);
    assert.deepEqual(parts[1].shortMessage, Buffer.from('050003a70202' + Buffer.from('34567890').toString('hex'), 'hex'));
    assert.ok(parts.every((p) => p.esmClassUdhi && p.sar === undefined));
    assertBodiesJoin(parts, bytes);
  });

  it('GSM 306 septets is 153 + 153', () => {
    const parts = split(digits(306), 'gsm7', CONCAT8);
    assert.deepEqual(parts.map((p) => body(p).length), [153, 153]);
    assert.deepEqual(parts.map((p) => p.udh![5]), [1, 2]);
    assert.ok(parts.every((p) => p.udh![4] === 2));
  });

  it('GSM 307 septets is 153 + 153 + 1', () => {
    const { bytes } = encode(digits(307), 'gsm7');
    const parts = split(digits(307), 'gsm7', CONCAT8);
    assert.deepEqual(parts.map((p) => body(p).length), [153, 153, 1]);
    assert.deepEqual(parts[2].shortMessage, Buffer.from([0x05, 0x00, 0x03, 0xa7, 0x03, 0x03, 0x36]));
    assertBodiesJoin(parts, bytes);
  });

  it('the reference is masked to 8 bits', () => {
    const parts = split(digits(161), 'gsm7', { ...CONCAT8, ref: 0x1ff });
    assert.equal(parts[0].udh![3], 0xff);
  });

  it('UCS2 70 characters is one part of 140 octets', () => {
    const parts = split(digits(70), 'ucs2', CONCAT8);
    assert.equal(parts.length, 1);
    assert.equal(parts[0].shortMessage.length, 140);
    assert.equal(parts[0].udh, undefined);
  });

  it('UCS2 71 characters is 67 + 4', () => {
    const { bytes } = encode(digits(71), 'ucs2');
    const parts = split(digits(71), 'ucs2', CONCAT8);
    assert.deepEqual(parts.map((p) => p.shortMessage.length), [6 + 134, 6 + 8]);
    assert.deepEqual(parts[1].shortMessage.toString('hex'), '050003a70202' + '0037003800390030');
    assertBodiesJoin(parts, bytes);
  });

  it('UCS2 134 characters is 67 + 67; 135 is 67 + 67 + 1', () => {
    assert.deepEqual(split(digits(134), 'ucs2', CONCAT8).map((p) => body(p).length), [134, 134]);
    assert.deepEqual(split(digits(135), 'ucs2', CONCAT8).map((p) => body(p).length), [134, 134, 2]);
  });

  it('8-bit 141 octets is 134 + 7', () => {
    const data = Buffer.alloc(141, 0xee);
    const r = segmentMessage(data, 'octet', CONCAT8);
    assert.ok(r.ok);
    assert.deepEqual(r.parts.map((p) => p.shortMessage.length), [140, 13]);
  });

  it('an escape pair across the boundary moves whole to the next part', () => {
    const text = digits(152) + '€' + digits(10); // 152 + 2 + 10 septets
    const { bytes } = encode(text, 'gsm7');
    const parts = split(text, 'gsm7', CONCAT8);
    assert.deepEqual(parts.map((p) => body(p).length), [152, 12]);
    assert.deepEqual(body(parts[1]).subarray(0, 2), Buffer.from([0x1b, 0x65]));
    assertBodiesJoin(parts, bytes);
  });

  it('an escape pair ending on the boundary stays in the part', () => {
    const text = digits(151) + '€' + digits(10);
    const parts = split(text, 'gsm7', CONCAT8);
    assert.deepEqual(parts.map((p) => body(p).length), [153, 10]);
    assert.deepEqual(body(parts[0]).subarray(151), Buffer.from([0x1b, 0x65]));
  });

  it('a run of escape pairs splits on pair boundaries', () => {
    const text = '€'.repeat(81); // 162 septets
    const { bytes } = encode(text, 'gsm7');
    const parts = split(text, 'gsm7', CONCAT8);
    assert.deepEqual(parts.map((p) => body(p).length), [152, 10]);
    assert.equal(body(parts[1])[0], 0x1b);
    assertBodiesJoin(parts, bytes);
  });

  it('a surrogate pair across the boundary moves whole to the next part', () => {
    const text = digits(66) + '😀' + digits(5); // 73 UTF-16 units
    const { bytes } = encode(text, 'ucs2');
    const parts = split(text, 'ucs2', CONCAT8);
    assert.deepEqual(parts.map((p) => body(p).length), [132, 14]);
    assert.deepEqual(body(parts[1]).subarray(0, 4), Buffer.from([0xd8, 0x3d, 0xde, 0x00]));
    assertBodiesJoin(parts, bytes);
  });

  it('a surrogate pair ending on the boundary stays in the part', () => {
    const text = digits(65) + '😀' + digits(5);
    const parts = split(text, 'ucs2', CONCAT8);
    assert.deepEqual(parts.map((p) => body(p).length), [134, 10]);
  });
});

describe('text/segment concatenated, UDH 16-bit reference', () => {
  it('GSM 161 septets is 152 + 9 with exact UDH bytes', () => {
    const { bytes } = encode(digits(161), 'gsm7');
    const parts = split(digits(161), 'gsm7', CONCAT16);
    assert.deepEqual(parts.map((p) => p.udh), [
      Buffer.from([0x06, 0x08, 0x04, 0x12, 0x34, 0x02, 0x01]),
      Buffer.from([0x06, 0x08, 0x04, 0x12, 0x34, 0x02, 0x02]),
    ]);
    assert.deepEqual(parts.map((p) => body(p).length), [152, 9]);
    assertBodiesJoin(parts, bytes);
  });

  it('GSM 304 septets is 152 + 152, 305 is three parts', () => {
    assert.deepEqual(split(digits(304), 'gsm7', CONCAT16).map((p) => body(p).length), [152, 152]);
    assert.deepEqual(split(digits(305), 'gsm7', CONCAT16).map((p) => body(p).length), [152, 152, 1]);
  });

  it('UCS2 71 characters is 66 + 5', () => {
    assert.deepEqual(split(digits(71), 'ucs2', CONCAT16).map((p) => body(p).length), [132, 10]);
  });

  it('the reference is masked to 16 bits', () => {
    const parts = split(digits(161), 'gsm7', { ...CONCAT16, ref: 0x1abcd });
    assert.deepEqual(parts[0].udh!.subarray(3, 5), Buffer.from([0xab, 0xcd]));
  });
});

describe('text/segment concatenated, SAR', () => {
  // issue 12: the SMSC turns sar_* into a 6-octet UDH over the air (TS 23.040 9.2.3.24.1):
  // by default SAR parts are cut as UDH parts are; sarFullParts keeps the old full parts
  it('GSM 161 septets is 153 + 8 by default, like UDH parts', () => {
    const { bytes } = encode(digits(161), 'gsm7');
    const parts = split(digits(161), 'gsm7', { mode: 'concatenated', concat: 'sar', ref: 0x12345 });
    assert.deepEqual(parts, [
      { shortMessage: bytes.subarray(0, 153), esmClassUdhi: false, sar: { ref: 0x2345, total: 2, seq: 1 } },
      { shortMessage: bytes.subarray(153), esmClassUdhi: false, sar: { ref: 0x2345, total: 2, seq: 2 } },
    ]);
  });

  it('default SAR capacities match UDH ones: GSM 153/152, UCS2 67/66 characters, 8-bit 134/133 octets', () => {
    const sizes = (text: string, format: string, refBits: 8 | 16) =>
      split(text, format, { mode: 'concatenated', concat: 'sar', udhRefBits: refBits, ref: 1 }).map((p) => p.shortMessage.length);
    assert.deepEqual(sizes(digits(400), 'gsm7', 8), [153, 153, 94]);
    assert.deepEqual(sizes(digits(400), 'gsm7', 16), [152, 152, 96]);
    assert.deepEqual(sizes(digits(140), 'ucs2', 8), [134, 134, 12]);
    assert.deepEqual(sizes(digits(140), 'ucs2', 16), [132, 132, 16]);
  });

  it('Max Content Length too small for the SMSC header in SAR mode is a clear error', () => {
    const r = segmentMessage(Buffer.alloc(10, 0x41), 'octet', { mode: 'concatenated', concat: 'sar', maxContentLength: 6 });
    assert.equal(r.ok, false);
    assert.match((r as { error: string }).error, /6-octet concatenation header the SMSC adds for SAR parts/);
  });

  it('sarFullParts: GSM 161 septets is 160 + 1 with sar values and no UDH', () => {
    const { bytes } = encode(digits(161), 'gsm7');
    const parts = split(digits(161), 'gsm7', { mode: 'concatenated', concat: 'sar', ref: 0x12345, sarFullParts: true });
    assert.deepEqual(parts, [
      { shortMessage: bytes.subarray(0, 160), esmClassUdhi: false, sar: { ref: 0x2345, total: 2, seq: 1 } },
      { shortMessage: bytes.subarray(160), esmClassUdhi: false, sar: { ref: 0x2345, total: 2, seq: 2 } },
    ]);
  });

  it('sarFullParts: UCS2 141 characters is 70 + 70 + 1', () => {
    const parts = split(digits(141), 'ucs2', { mode: 'concatenated', concat: 'sar', ref: 7, sarFullParts: true });
    assert.deepEqual(parts.map((p) => [p.shortMessage.length, p.sar]), [
      [140, { ref: 7, total: 3, seq: 1 }], [140, { ref: 7, total: 3, seq: 2 }], [2, { ref: 7, total: 3, seq: 3 }],
    ]);
  });

  it('a message that fits has no sar values', () => {
    const parts = split(digits(160), 'gsm7', { mode: 'concatenated', concat: 'sar', ref: 1 });
    assert.equal(parts.length, 1);
    assert.equal(parts[0].sar, undefined);
  });
});

describe('text/segment physical', () => {
  it('GSM 161 septets is two independent parts 160 + 1', () => {
    const { bytes } = encode(digits(161), 'gsm7');
    const parts = split(digits(161), 'gsm7', { mode: 'physical' });
    assert.deepEqual(parts, [
      { shortMessage: bytes.subarray(0, 160), esmClassUdhi: false },
      { shortMessage: bytes.subarray(160), esmClassUdhi: false },
    ]);
  });

  it('UCS2 physical parts keep surrogate pairs whole', () => {
    const text = digits(69) + '😀';
    const parts = split(text, 'ucs2', { mode: 'physical' });
    assert.deepEqual(parts.map((p) => p.shortMessage.length), [138, 4]);
  });

  it('physical follows Max Content Length', () => {
    const parts = split(digits(100), 'latin1', { mode: 'physical', maxContentLength: 30 });
    assert.deepEqual(parts.map((p) => p.shortMessage.length), [30, 30, 30, 10]);
  });

  it('physical is not held to 255 parts when maxParts allows more', () => {
    const r = segmentMessage(Buffer.alloc(300), 'octet', { mode: 'physical', maxContentLength: 1, maxParts: 1000 });
    assert.ok(r.ok);
    assert.equal(r.parts.length, 300);
  });
});

describe('text/segment disabled and none', () => {
  it('disabled: a message that fits is one part', () => {
    const parts = split(digits(160), 'gsm7', { mode: 'disabled' });
    assert.equal(parts.length, 1);
  });

  const ERRORS: Array<[string, string, string, SegmentOptions, string]> = [
    ['GSM', digits(201), 'gsm7', { mode: 'disabled' },
      'message is 201 octets (GSM 7-bit, 201 septets), over Max Content Length 140 (160 septets); ' +
      'set Oversized SMS Splitting Mode (splitMode) to concatenated or physical'],
    ['UCS2', digits(71), 'ucs2', { mode: 'disabled' },
      'message is 142 octets (UCS2, 71 characters), over Max Content Length 140 (70 characters); ' +
      'set Oversized SMS Splitting Mode (splitMode) to concatenated or physical'],
    ['8-bit', digits(51), 'ascii', { mode: 'disabled', maxContentLength: 50 },
      'message is 51 octets (8-bit), over Max Content Length 50; ' +
      'set Oversized SMS Splitting Mode (splitMode) to concatenated or physical'],
  ];
  for (const [name, text, format, options, error] of ERRORS) {
    it(`disabled: ${name} over the limit names length, limit and setting`, () => {
      const { bytes, unit } = encode(text, format);
      assert.deepEqual(segmentMessage(bytes, unit, options), { ok: false, error });
    });
  }

  it('none: one part as is, however long', () => {
    const { bytes } = encode(digits(500), 'gsm7');
    const r = segmentMessage(bytes, 'septet', { mode: 'none' });
    assert.ok(r.ok);
    assert.equal(r.parts.length, 1);
    assert.equal(r.parts[0].shortMessage, bytes);
    assert.equal(r.parts[0].esmClassUdhi, false);
  });
});

describe('text/segment limits', () => {
  it('more parts than maxParts is an error naming both', () => {
    const { bytes } = encode(digits(307), 'gsm7');
    assert.deepEqual(segmentMessage(bytes, 'septet', { ...CONCAT8, maxParts: 2 }),
      { ok: false, error: 'message needs 3 parts, over the limit of 2 parts' });
  });

  it('exactly maxParts is fine', () => {
    const { bytes } = encode(digits(306), 'gsm7');
    const r = segmentMessage(bytes, 'septet', { ...CONCAT8, maxParts: 2 });
    assert.ok(r.ok);
    assert.equal(r.parts.length, 2);
  });

  it('concatenation stops at 255 parts even when maxParts is higher', () => {
    const ok = segmentMessage(Buffer.alloc(134 * 255, 1), 'octet', { ...CONCAT8, maxParts: 1000 });
    assert.ok(ok.ok);
    assert.equal(ok.parts.length, 255);
    assert.deepEqual(ok.parts[254].udh, Buffer.from([0x05, 0x00, 0x03, 0xa7, 0xff, 0xff]));
    assert.deepEqual(segmentMessage(Buffer.alloc(134 * 255 + 1, 1), 'octet', { ...CONCAT8, maxParts: 1000 }),
      { ok: false, error: 'message needs 256 parts, over the limit of 255 parts (concatenation carries at most 255)' });
    assert.deepEqual(segmentMessage(Buffer.alloc(134 * 255 + 1, 1), 'octet', CONCAT8),
      { ok: false, error: 'message needs 256 parts, over the limit of 255 parts' });
  });

  it('a Max Content Length that leaves no room next to the UDH is an error', () => {
    assert.deepEqual(segmentMessage(Buffer.alloc(20), 'octet', { ...CONCAT8, maxContentLength: 6 }),
      { ok: false, error: 'Max Content Length 6 leaves no room for content next to the 6-octet concatenation header in one SMS' });
  });

  it('a part too small for a GSM escape pair is an error, not a loop', () => {
    const { bytes } = encode('€€', 'gsm7');
    assert.deepEqual(segmentMessage(bytes, 'septet', { mode: 'physical', maxContentLength: 1 }),
      { ok: false, error: 'Max Content Length 1 is too small to hold one GSM escape pair (2 septets)' });
  });

  it('a part too small for a surrogate pair is an error, not a loop', () => {
    const { bytes } = encode('😀', 'ucs2');
    assert.deepEqual(segmentMessage(bytes, 'ucs2', { mode: 'physical', maxContentLength: 3 }),
      { ok: false, error: 'Max Content Length 3 is too small to hold one UCS2 surrogate pair (4 octets)' });
  });

  it('bad Max Content Length is an error', () => {
    assert.deepEqual(segmentMessage(Buffer.alloc(2), 'octet', { mode: 'physical', maxContentLength: 0 }),
      { ok: false, error: 'Max Content Length (maxContentLength) must be a whole number of at least 1, got 0' });
  });

  // speed is measured by the benchmark, never asserted in a test
  it('splits 25,000 typical messages into the expected number of parts', function () {
    const texts = [digits(120), digits(200) + '€', 'Привет, мир! ' + digits(80), digits(400)];
    let parts = 0;
    for (let i = 0; i < 25000; i++) {
      const e = encodeText(texts[i & 3], 'auto');
      if (!e.ok) throw new Error(e.error);
      const r = segmentMessage(e.bytes, e.unit, { mode: 'concatenated', ref: i & 0xff });
      if (!r.ok) throw new Error(r.error);
      parts += r.parts.length;
    }
    assert.equal(parts, 6250 * (1 + 2 + 2 + 3));
  });
});
