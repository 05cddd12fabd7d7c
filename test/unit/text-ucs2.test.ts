import assert from 'node:assert/strict';
import { ucs2Encode, ucs2Decode } from '../../src/text';

const CASES: Array<[string, number[]]> = [
  ['A', [0x00, 0x41]],
  ['é', [0x00, 0xe9]],
  ['中文', [0x4e, 0x2d, 0x65, 0x87]],
  ['Привет', [0x04, 0x1f, 0x04, 0x40, 0x04, 0x38, 0x04, 0x32, 0x04, 0x35, 0x04, 0x42]],
  ['😀', [0xd8, 0x3d, 0xde, 0x00]],
  ['a😀b', [0x00, 0x61, 0xd8, 0x3d, 0xde, 0x00, 0x00, 0x62]],
  ['𝄞', [0xd8, 0x34, 0xdd, 0x1e]],
  ['', []],
];

describe('text/ucs2', () => {
  for (const [text, bytes] of CASES) {
    it(`${JSON.stringify(text)} <-> ${Buffer.from(bytes).toString('hex') || '(empty)'}`, () => {
      assert.deepEqual(ucs2Encode(text), Buffer.from(bytes));
      assert.equal(ucs2Decode(Buffer.from(bytes)), text);
    });
  }

  it('a surrogate pair is 4 octets', () => {
    assert.equal(ucs2Encode('😀').length, 4);
    assert.equal(ucs2Encode('😀😀x').length, 10);
  });

  it('a lone surrogate passes through as one code unit', () => {
    const text = 'a\ud83d';
    const bytes = ucs2Encode(text);
    assert.deepEqual(bytes, Buffer.from([0x00, 0x61, 0xd8, 0x3d]));
    assert.equal(ucs2Decode(bytes), text);
  });

  it('an odd trailing octet becomes U+FFFD and never throws', () => {
    assert.equal(ucs2Decode(Buffer.from([0x00, 0x41, 0x00])), 'A\ufffd');
    assert.equal(ucs2Decode(Buffer.from([0x4e])), '\ufffd');
  });

  it('decoding leaves the input untouched', () => {
    const input = Buffer.from([0x00, 0x41, 0x4e, 0x2d]);
    ucs2Decode(input);
    assert.deepEqual(input, Buffer.from([0x00, 0x41, 0x4e, 0x2d]));
  });

  it('decodes a view into a larger buffer', () => {
    const big = Buffer.from([0xff, 0x00, 0x42, 0xff]);
    assert.equal(ucs2Decode(big.subarray(1, 3)), 'B');
  });
});
