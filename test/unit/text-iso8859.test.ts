// Issue 12 item 4: data_coding 6 (ISO-8859-5) and 7 (ISO-8859-8) are text, and
// reserved codings are read as the GSM 7-bit default alphabet (TS 23.038 clause 4).
import assert from 'node:assert/strict';
import { iso8859Decode, iso8859Encode, iso8859InvalidIndex } from '../../src/text/iso8859';
import { decodeByDataCoding, encodeText } from '../../src/text';
import { moPayload } from '../../src/message/inbound';

const ALL = Uint8Array.from({ length: 256 }, (_, i) => i);

function webDecoder(label: string): { decode(b: Uint8Array): string } | null {
  try {
    return new TextDecoder(label);
  } catch {
    return null; // a Node built with small-icu
  }
}

describe('text/iso8859', () => {
  for (const [part, label] of [[5, 'iso-8859-5'], [8, 'iso-8859-8']] as const) {
    it(`${label}: every octet as the WHATWG/ICU decoder reads it (when this Node has one)`, function () {
      const d = webDecoder(label);
      if (!d) this.skip();
      assert.equal(iso8859Decode(ALL, part), d.decode(ALL));
    });
  }

  it('ISO-8859-5: Cyrillic letters and the specials', () => {
    assert.equal(iso8859Decode(Uint8Array.from([0xbf, 0xe0, 0xd8, 0xd2, 0xd5, 0xe2]), 5), 'Привет');
    assert.equal(iso8859Decode(Uint8Array.from([0xa1, 0xf1, 0xf0, 0xfd, 0xad, 0xa0]), 5), 'Ёё№§\u00ad\u00a0');
  });

  it('ISO-8859-8: Hebrew letters, marks, and U+FFFD where the set has no character', () => {
    assert.equal(iso8859Decode(Uint8Array.from([0xf9, 0xec, 0xe5, 0xed]), 8), 'שלום');
    assert.equal(iso8859Decode(Uint8Array.from([0xaa, 0xba, 0xdf, 0xfd, 0xfe]), 8), '×÷‗\u200e\u200f');
    assert.equal(iso8859Decode(Uint8Array.from([0xa1, 0xc0, 0xfb, 0xff]), 8), '\ufffd\ufffd\ufffd\ufffd');
  });

  it('encodes what it decodes, refuses what the set lacks', () => {
    for (const part of [5, 8] as const) {
      const text = iso8859Decode(ALL, part).replace(/\ufffd/g, '');
      const bytes = iso8859Encode(text, part);
      assert.ok(bytes);
      assert.equal(iso8859Decode(bytes, part), text);
    }
    assert.equal(iso8859Encode('Привет €', 5), null);
    assert.equal(iso8859InvalidIndex('Привет €', 5), 7);
    assert.equal(iso8859InvalidIndex('שלום', 8), -1);
    assert.equal(iso8859InvalidIndex('Ж', 8), 0);
  });
});

describe('data_coding 6 and 7 as text', () => {
  it('decodeByDataCoding and the MO payload give text, not bytes', () => {
    assert.deepEqual(decodeByDataCoding(Buffer.from([0xbf, 0xe0, 0xd8, 0xd2, 0xd5, 0xe2]), 6), { text: 'Привет' });
    assert.deepEqual(decodeByDataCoding(Buffer.from([0xf9, 0xec, 0xe5, 0xed]), 7), { text: 'שלום' });
    assert.equal(moPayload(6, Buffer.from([0xb4, 0xd0])), 'Да');
    assert.equal(moPayload(7, Buffer.from([0xeb, 0xef])), 'כן');
  });

  it('msg.smpp.data_coding 6 / 7 encodes a string, or says clearly which character does not fit', () => {
    assert.deepEqual(encodeText('Привет', 6), { ok: true, dataCoding: 6, bytes: Buffer.from([0xbf, 0xe0, 0xd8, 0xd2, 0xd5, 0xe2]), unit: 'octet' });
    assert.deepEqual(encodeText('שלום', 7), { ok: true, dataCoding: 7, bytes: Buffer.from([0xf9, 0xec, 0xe5, 0xed]), unit: 'octet' });
    const bad = encodeText('Привет שלום', 6);
    assert.equal(bad.ok, false);
    assert.match((bad as { error: string }).error, /character 'ש' \(U\+05E9\) at position 8 is not in the ISO-8859-5 \(Cyrillic\) alphabet/);
  });
});

describe('reserved codings read as GSM 7-bit (TS 23.038 clause 4)', () => {
  for (const dc of [0x0b, 0x0c, 0x0f, 0x1c, 0x5f, 0x80, 0x9a, 0xbf]) {
    it(`0x${dc.toString(16).padStart(2, '0')}`, () => {
      assert.deepEqual(decodeByDataCoding(Buffer.from([0x48, 0x69, 0x00]), dc), { text: 'Hi@' });
      assert.equal(moPayload(dc, Buffer.from('ok')), 'ok');
    });
  }

  it('codings that are defined but not text stay bytes', () => {
    for (const dc of [0x02, 0x04, 0x05, 0x09, 0x0a, 0x0d, 0x0e, 0x14, 0x24, 0xf4]) {
      assert.ok('binary' in decodeByDataCoding(Buffer.from('x'), dc), String(dc));
    }
  });
});
