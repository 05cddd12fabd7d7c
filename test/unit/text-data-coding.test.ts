import assert from 'node:assert/strict';
import { encodeText, decodeByDataCoding, alphabetOfDataCoding } from '../../src/text';

type Ok = { dc: number; hex: string; unit: 'septet' | 'octet' | 'ucs2' };

describe('text/data-coding encodeText', () => {
  const OK_CASES: Array<[string, string | Buffer, string | number, Ok]> = [
    ['gsm7 text', 'Hi€', 'gsm7', { dc: 0, hex: '48691b65', unit: 'septet' }],
    ['gsm7 é is 0x05', 'é', 'gsm7', { dc: 0, hex: '05', unit: 'septet' }],
    ['ascii text', 'Hi{', 'ascii', { dc: 1, hex: '48697b', unit: 'octet' }],
    ['latin1 text', 'café', 'latin1', { dc: 3, hex: '636166e9', unit: 'octet' }],
    ['binary Buffer', Buffer.from([0x00, 0xff, 0x80]), 'binary', { dc: 4, hex: '00ff80', unit: 'octet' }],
    ['ucs2 text', 'Hi😀', 'ucs2', { dc: 8, hex: '00480069d83dde00', unit: 'ucs2' }],
    ['auto picks GSM when it fits', 'Price: 5€ [ok]', 'auto', { dc: 0, hex: '50726963653a20351b65201b3c6f6b1b3e', unit: 'septet' }],
    ['auto picks UCS2 for Cyrillic', 'Да', 'auto', { dc: 8, hex: '04140430', unit: 'ucs2' }],
    ['auto picks UCS2 for ł', 'ł', 'auto', { dc: 8, hex: '0142', unit: 'ucs2' }],
    ['auto picks UCS2 for emoji', 'ok😀', 'auto', { dc: 8, hex: '006f006bd83dde00', unit: 'ucs2' }],
    ['auto empty text is GSM', '', 'auto', { dc: 0, hex: '', unit: 'septet' }],
    ['auto Buffer is binary', Buffer.from([1, 2]), 'auto', { dc: 4, hex: '0102', unit: 'octet' }],
    ['format names ignore case', 'A', 'UCS2', { dc: 8, hex: '0041', unit: 'ucs2' }],
    ['numeric 0', '@', 0, { dc: 0, hex: '00', unit: 'septet' }],
    ['numeric 1', 'A', 1, { dc: 1, hex: '41', unit: 'octet' }],
    ['numeric 3', 'é', 3, { dc: 3, hex: 'e9', unit: 'octet' }],
    ['numeric 8', 'A', 8, { dc: 8, hex: '0041', unit: 'ucs2' }],
    ['numeric string "8"', 'A', '8', { dc: 8, hex: '0041', unit: 'ucs2' }],
    ['class group 0xF0 uses GSM', '€', 0xf0, { dc: 0xf0, hex: '1b65', unit: 'septet' }],
    ['coding group 0x18 uses UCS2', 'A', 0x18, { dc: 0x18, hex: '0041', unit: 'ucs2' }],
    ['unknown dc with a Buffer is sent as is', Buffer.from([0xa4, 0xa2]), 5, { dc: 5, hex: 'a4a2', unit: 'octet' }],
    ['8-bit class 0xF4 with a Buffer', Buffer.from([0x7f]), 0xf4, { dc: 0xf4, hex: '7f', unit: 'octet' }],
    ['pre-encoded gsm7 Buffer', Buffer.from([0x1b, 0x65]), 'gsm7', { dc: 0, hex: '1b65', unit: 'septet' }],
    ['pre-encoded ucs2 Buffer', Buffer.from([0x00, 0x41]), 'ucs2', { dc: 8, hex: '0041', unit: 'ucs2' }],
    ['Uint8Array payload', new Uint8Array([9, 8]) as Buffer, 'binary', { dc: 4, hex: '0908', unit: 'octet' }],
  ];
  for (const [name, payload, format, want] of OK_CASES) {
    it(name, () => {
      const r = encodeText(payload, format);
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.equal(r.dataCoding, want.dc);
      assert.equal(r.bytes.toString('hex'), want.hex);
      assert.equal(r.unit, want.unit);
    });
  }

  const ERROR_CASES: Array<[string, string | Buffer, string | number, string]> = [
    ['é is not IA5', 'Café', 'ascii',
      "character 'é' (U+00E9) at position 4 is not in the IA5/ASCII alphabet; choose ucs2 or auto"],
    ['ł is not GSM', 'Zażółć', 'gsm7',
      "character 'ż' (U+017C) at position 3 is not in the GSM 7-bit alphabet; choose ucs2 or auto"],
    ['position counts an emoji once', 'a😀bł', 'latin1',
      "character '😀' (U+1F600) at position 2 is not in the Latin-1 alphabet; choose ucs2 or auto"],
    ['emoji is not GSM', 'hi 😀', 'gsm7',
      "character '😀' (U+1F600) at position 4 is not in the GSM 7-bit alphabet; choose ucs2 or auto"],
    ['control char shown by code', 'a\u001b', 'gsm7',
      'character U+001B at position 2 is not in the GSM 7-bit alphabet; choose ucs2 or auto'],
    ['numeric dc advice', 'ł', 0,
      "character 'ł' (U+0142) at position 1 is not in the GSM 7-bit alphabet; choose data_coding 8 (UCS2) or message format auto"],
    ['binary needs a Buffer', 'abc', 'binary', "message format 'binary' needs a Buffer payload, got a string"],
    ['dc 4 needs a Buffer', 'abc', 4,
      'data_coding 4 (binary) is not a text coding this gateway encodes; give the payload as a Buffer'],
    ['JIS needs a Buffer', 'abc', 5,
      'data_coding 5 (JIS) is not a text coding this gateway encodes; give the payload as a Buffer'],
    ['compressed group needs a Buffer', 'abc', 0x24,
      'data_coding 36 (coding group 0x24) is not a text coding this gateway encodes; give the payload as a Buffer'],
    ['dc out of range', 'a', 256, 'data_coding 256 is out of range; use 0..255'],
    ['dc negative', 'a', -1, 'data_coding -1 is out of range; use 0..255'],
    ['dc not whole', 'a', 1.5, 'data_coding 1.5 is out of range; use 0..255'],
    ['unknown format name', 'a', 'utf8',
      "unknown message format 'utf8'; use gsm7, ascii, latin1, binary, ucs2, auto or a data_coding 0..255"],
    ['numeric string out of range', 'a', '300',
      "unknown message format '300'; use gsm7, ascii, latin1, binary, ucs2, auto or a data_coding 0..255"],
    ['gsm7 Buffer with an octet above 0x7F', Buffer.from([0x41, 0x80]), 'gsm7',
      'byte 0x80 at offset 1 is not a GSM 7-bit septet (data_coding 0)'],
    ['ascii Buffer with an octet above 0x7F', Buffer.from([0xe9]), 'ascii',
      'byte 0xE9 at offset 0 is not IA5/ASCII (data_coding 1)'],
    ['ucs2 Buffer of odd length', Buffer.from([0x00, 0x41, 0x00]), 'ucs2',
      'UCS2 payload has an odd length of 3 octets (data_coding 8)'],
  ];
  for (const [name, payload, format, error] of ERROR_CASES) {
    it(`error: ${name}`, () => {
      assert.deepEqual(encodeText(payload, format), { ok: false, error });
    });
  }

  it('error: payload neither string nor Buffer', () => {
    const r = encodeText(null as unknown as string, 'auto');
    assert.deepEqual(r, { ok: false, error: 'payload must be a string or a Buffer, got null' });
    const n = encodeText(42 as unknown as string, 'gsm7');
    assert.deepEqual(n, { ok: false, error: 'payload must be a string or a Buffer, got number' });
  });
});

describe('text/data-coding decodeByDataCoding (whole byte)', () => {
  // 00 41: GSM -> '@A', UCS2 -> 'A', IA5/Latin-1 -> '\0A'
  const SAMPLE = Buffer.from([0x00, 0x41]);
  const GSM = { text: '@A' };
  const UCS2 = { text: 'A' };
  const OCTET = { text: '\u0000A' };
  const BIN = { binary: SAMPLE };
  const TABLE: Array<[number, object, string]> = [
    [0x00, GSM, 'gsm7'], [0x01, OCTET, 'ia5'], [0x02, BIN, 'binary'], [0x03, OCTET, 'latin1'],
    [0x04, BIN, 'binary'], [0x05, BIN, 'binary'], [0x06, OCTET, 'iso-8859-5'], [0x07, OCTET, 'iso-8859-8'],
    [0x08, UCS2, 'ucs2'], [0x09, BIN, 'binary'], [0x0a, BIN, 'binary'], [0x0b, GSM, 'gsm7'],
    [0x0c, GSM, 'gsm7'], [0x0d, BIN, 'binary'], [0x0e, BIN, 'binary'], [0x0f, GSM, 'gsm7'],
    // general data coding group 00xx
    [0x10, GSM, 'gsm7'], [0x11, GSM, 'gsm7'], [0x12, GSM, 'gsm7'], [0x13, GSM, 'gsm7'],
    [0x14, BIN, 'binary'], [0x15, BIN, 'binary'], [0x18, UCS2, 'ucs2'], [0x19, UCS2, 'ucs2'],
    [0x1c, GSM, 'gsm7'], [0x1f, GSM, 'gsm7'],
    [0x20, BIN, 'binary'], [0x24, BIN, 'binary'], [0x28, BIN, 'binary'], [0x31, BIN, 'binary'], [0x38, BIN, 'binary'],
    // automatic deletion group 01xx
    [0x40, GSM, 'gsm7'], [0x44, BIN, 'binary'], [0x48, UCS2, 'ucs2'], [0x51, GSM, 'gsm7'], [0x60, BIN, 'binary'],
    // reserved groups: GSM 7-bit (TS 23.038 clause 4)
    [0x80, GSM, 'gsm7'], [0x9a, GSM, 'gsm7'], [0xbf, GSM, 'gsm7'],
    // message waiting indication groups
    [0xc0, GSM, 'gsm7'], [0xcf, GSM, 'gsm7'], [0xd0, GSM, 'gsm7'], [0xdb, GSM, 'gsm7'],
    [0xe0, UCS2, 'ucs2'], [0xef, UCS2, 'ucs2'],
    // data coding / message class group
    [0xf0, GSM, 'gsm7'], [0xf1, GSM, 'gsm7'], [0xf2, GSM, 'gsm7'], [0xf3, GSM, 'gsm7'],
    [0xf4, BIN, 'binary'], [0xf5, BIN, 'binary'], [0xf6, BIN, 'binary'], [0xf7, BIN, 'binary'],
    [0xf8, GSM, 'gsm7'], [0xfc, BIN, 'binary'], [0xff, BIN, 'binary'],
  ];
  for (const [dc, want, alphabet] of TABLE) {
    it(`0x${dc.toString(16).padStart(2, '0')} -> ${alphabet}`, () => {
      assert.deepEqual(decodeByDataCoding(SAMPLE, dc), want);
      assert.equal(alphabetOfDataCoding(dc), alphabet);
    });
  }

  it('binary results are the input bytes', () => {
    const r = decodeByDataCoding(SAMPLE, 4);
    assert.ok('binary' in r);
    assert.equal(r.binary, SAMPLE);
  });

  for (const dc of [256, -1, 1.5, NaN]) {
    it(`out-of-range data_coding ${dc} -> binary`, () => {
      assert.deepEqual(decodeByDataCoding(SAMPLE, dc), BIN);
      assert.equal(alphabetOfDataCoding(dc), 'binary');
    });
  }

  it('text codings decode real content', () => {
    assert.deepEqual(decodeByDataCoding(Buffer.from([0x48, 0x1b, 0x65]), 0), { text: 'H€' });
    assert.deepEqual(decodeByDataCoding(Buffer.from([0x63, 0xe9]), 3), { text: 'cé' });
    assert.deepEqual(decodeByDataCoding(Buffer.from([0x63, 0xe9]), 1), { text: 'c\ufffd' });
    assert.deepEqual(decodeByDataCoding(Buffer.from([0xd8, 0x3d, 0xde, 0x00]), 8), { text: '😀' });
    assert.deepEqual(decodeByDataCoding(Buffer.from([0x04, 0x14, 0x04]), 0x18), { text: 'Д\ufffd' });
  });

  it('every byte value with garbage content never throws', () => {
    const garbage = Buffer.from([0x1b, 0xff, 0xd8, 0x00, 0x1b]);
    let texts = 0;
    for (let dc = 0; dc < 256; dc++) {
      const r = decodeByDataCoding(garbage, dc);
      if ('text' in r) {
        assert.equal(typeof r.text, 'string');
        texts++;
      } else {
        assert.equal(r.binary, garbage);
      }
    }
    // 0,1,3,6,7,8 and the reserved 0x0B,0x0C,0x0F; 0x10..0x1F and 0x40..0x5F with bits 3..2 = 00, 10
    // or 11 (12 + 24); 0x80..0xBF reserved (64); 0xC0..0xEF (48); 0xF0..0xFF with bit 2 clear (8)
    assert.equal(texts, 9 + 36 + 64 + 48 + 8);
  });

  it('encode then decode round-trips for each text format', () => {
    for (const [text, format] of [['Hi {x}', 'gsm7'], ['Hi', 'ascii'], ['ça', 'latin1'], ['中😀', 'ucs2'], ['€', 'auto'], ['ł', 'auto']]) {
      const r = encodeText(text, format);
      assert.ok(r.ok);
      assert.deepEqual(decodeByDataCoding(r.bytes, r.dataCoding), { text });
    }
  });
});
