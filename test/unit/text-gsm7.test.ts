import assert from 'node:assert/strict';
import { gsm7Encode, gsm7Decode, gsm7Length, isGsm7, gsm7InvalidIndex } from '../../src/text';

// GSM 03.38 default alphabet written as code points (0x1B is the escape, listed as null).
const BASE_TABLE: Array<number | null> = [
  0x40, 0xa3, 0x24, 0xa5, 0xe8, 0xe9, 0xf9, 0xec, 0xf2, 0xc7, 0x0a, 0xd8, 0xf8, 0x0d, 0xc5, 0xe5,
  0x394, 0x5f, 0x3a6, 0x393, 0x39b, 0x3a9, 0x3a0, 0x3a8, 0x3a3, 0x398, 0x39e, null, 0xc6, 0xe6, 0xdf, 0xc9,
  0x20, 0x21, 0x22, 0x23, 0xa4, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
  0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
  0xa1, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f,
  0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0xc4, 0xd6, 0xd1, 0xdc, 0xa7,
  0xbf, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
  0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0xe4, 0xf6, 0xf1, 0xfc, 0xe0,
];

const EXTENSION_TABLE: Array<[string, number]> = [
  ['\f', 0x0a], ['^', 0x14], ['{', 0x28], ['}', 0x29], ['\\', 0x2f],
  ['[', 0x3c], ['~', 0x3d], [']', 0x3e], ['|', 0x40], ['€', 0x65],
];

describe('text/gsm7', () => {
  it('the test table has 128 entries', () => {
    assert.equal(BASE_TABLE.length, 128);
  });

  for (let septet = 0; septet < 128; septet++) {
    const cp = BASE_TABLE[septet];
    if (cp === null) continue;
    const ch = String.fromCodePoint(cp);
    it(`base 0x${septet.toString(16).padStart(2, '0')} <-> U+${cp.toString(16).padStart(4, '0')}`, () => {
      assert.deepEqual(gsm7Encode(ch), Buffer.from([septet]));
      assert.equal(gsm7Decode(Buffer.from([septet])), ch);
      assert.equal(gsm7Length(ch), 1);
      assert.equal(isGsm7(ch), true);
    });
  }

  for (const [ch, code] of EXTENSION_TABLE) {
    it(`extension ${JSON.stringify(ch)} <-> 1B ${code.toString(16)}`, () => {
      assert.deepEqual(gsm7Encode(ch), Buffer.from([0x1b, code]));
      assert.equal(gsm7Decode(Buffer.from([0x1b, code])), ch);
      assert.equal(gsm7Length(ch), 2);
      assert.equal(isGsm7(ch), true);
    });
  }

  it('encodes a mixed text byte-exact and decodes it back', () => {
    const text = 'Hi @ £5 {ok} é€\r\n';
    const expected = Buffer.from([
      0x48, 0x69, 0x20, 0x00, 0x20, 0x01, 0x35, 0x20, 0x1b, 0x28, 0x6f, 0x6b, 0x1b, 0x29, 0x20, 0x05, 0x1b, 0x65, 0x0d, 0x0a,
    ]);
    assert.deepEqual(gsm7Encode(text), expected);
    assert.equal(gsm7Decode(expected), text);
    assert.equal(gsm7Length(text), expected.length);
  });

  it('the whole alphabet round-trips as one string', () => {
    let text = '';
    for (const cp of BASE_TABLE) if (cp !== null) text += String.fromCodePoint(cp);
    for (const [ch] of EXTENSION_TABLE) text += ch;
    const bytes = gsm7Encode(text);
    assert.ok(bytes);
    assert.equal(bytes.length, 127 + 2 * EXTENSION_TABLE.length);
    assert.equal(gsm7Decode(bytes), text);
  });

  const NOT_GSM: Array<[string, number]> = [
    ['ł', 0], ['中', 0], ['😀', 0], ['ç', 0], ['`', 0], ['\u001b', 0], ['\t', 0], ['\u00a0', 0],
    ['abcł', 3], ['ok 😀', 3], ['éèł', 2],
  ];
  for (const [text, index] of NOT_GSM) {
    it(`rejects ${JSON.stringify(text)} (first bad index ${index})`, () => {
      assert.equal(gsm7Encode(text), null);
      assert.equal(isGsm7(text), false);
      assert.equal(gsm7Length(text), -1);
      assert.equal(gsm7InvalidIndex(text), index);
    });
  }

  it('empty text is 0 septets', () => {
    assert.deepEqual(gsm7Encode(''), Buffer.alloc(0));
    assert.equal(gsm7Length(''), 0);
    assert.equal(gsm7Decode(Buffer.alloc(0)), '');
    assert.equal(gsm7InvalidIndex('abc'), -1);
  });

  const DECODE_EDGE: Array<[string, number[], string]> = [
    ['unknown escape gives the base character', [0x1b, 0x41, 0x1b, 0x61], 'Aa'],
    ['1B 0D (CR2) gives CR', [0x1b, 0x0d], '\r'],
    ['1B 1B gives a space', [0x41, 0x1b, 0x1b, 0x42], 'A B'],
    ['lone trailing escape gives nothing', [0x41, 0x1b], 'A'],
    ['escape alone gives nothing', [0x1b], ''],
    ['octets above 0x7F give U+FFFD', [0x41, 0x80, 0xff], 'A\ufffd\ufffd'],
    ['escape then octet above 0x7F gives U+FFFD', [0x1b, 0xe5], '\ufffd'],
  ];
  for (const [name, bytes, text] of DECODE_EDGE) {
    it(`decode: ${name}`, () => {
      assert.equal(gsm7Decode(Buffer.from(bytes)), text);
    });
  }
});
