import assert from 'node:assert/strict';
import {
  asciiEncode, asciiDecode, asciiInvalidIndex, latin1Encode, latin1Decode, latin1InvalidIndex,
} from '../../src/text';

describe('text/ascii (IA5)', () => {
  it('encodes 0x00..0x7F one octet each', () => {
    let text = '';
    for (let i = 0; i < 128; i++) text += String.fromCharCode(i);
    const bytes = asciiEncode(text);
    assert.ok(bytes);
    assert.equal(bytes.length, 128);
    for (let i = 0; i < 128; i++) assert.equal(bytes[i], i);
    assert.equal(asciiDecode(bytes), text);
  });

  const BAD: Array<[string, number]> = [['é', 0], ['abcé', 3], ['x€', 1], ['😀', 0], ['\u0080', 0]];
  for (const [text, index] of BAD) {
    it(`rejects ${JSON.stringify(text)} at index ${index}`, () => {
      assert.equal(asciiEncode(text), null);
      assert.equal(asciiInvalidIndex(text), index);
    });
  }

  it('decodes octets above 0x7F as U+FFFD', () => {
    assert.equal(asciiDecode(Buffer.from([0x41, 0xe9, 0x42, 0xff])), 'A\ufffdB\ufffd');
  });
});

describe('text/latin1', () => {
  it('encodes U+0000..U+00FF one octet each and round-trips', () => {
    let text = '';
    for (let i = 0; i < 256; i++) text += String.fromCharCode(i);
    const bytes = latin1Encode(text);
    assert.ok(bytes);
    assert.equal(bytes.length, 256);
    for (let i = 0; i < 256; i++) assert.equal(bytes[i], i);
    assert.equal(latin1Decode(bytes), text);
  });

  it('é is 0xE9', () => {
    assert.deepEqual(latin1Encode('café'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  });

  const BAD: Array<[string, number]> = [['€', 0], ['abcł', 3], ['😀', 0], ['ÿĀ', 1]];
  for (const [text, index] of BAD) {
    it(`rejects ${JSON.stringify(text)} at index ${index}`, () => {
      assert.equal(latin1Encode(text), null);
      assert.equal(latin1InvalidIndex(text), index);
    });
  }
});
