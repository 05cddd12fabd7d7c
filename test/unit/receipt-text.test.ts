import assert from 'node:assert/strict';
import { parseReceiptText, parseReceiptDate, ReceiptText } from '../../src/receipt/receipt-text';

const utc = (iso: string): Date => new Date(iso + 'Z');

// Receipt texts as SMSCs and libraries send them (several taken from public
// bug reports and provider documentation), each with its exact expected parse.
const CASES: Array<[string, string, ReceiptText]> = [
  [
    'node-smpp SMSC, 12-digit dates, id with leading zeros, empty text',
    'id:0000029095 sub:001 dlvrd:001 submit date:211125034959 done date:211125035001 stat:DELIVRD err:000 text:',
    { id: '0000029095', sub: '001', dlvrd: '001', submitDate: utc('2021-11-25T03:49:59'), doneDate: utc('2021-11-25T03:50:01'),
      stat: 'DELIVRD', state: 'DELIVERED', err: '000' },
  ],
  [
    'Nexmo documentation example',
    'id:0000000012345678 sub:001 dlvrd:001 submit date:1601010100 done date:1601010101 stat:DELIVRD err:000 text:none',
    { id: '0000000012345678', sub: '001', dlvrd: '001', submitDate: utc('2016-01-01T01:00:00'), doneDate: utc('2016-01-01T01:01:00'),
      stat: 'DELIVRD', state: 'DELIVERED', err: '000', text: 'none' },
  ],
  [
    '20-digit id, 12-digit dates, text with a space',
    'id:64567564356765435676 sub:001 dlvrd:001 submit date:190608165232 done date:190608165237 stat:DELIVRD err:000 text:Hello World',
    { id: '64567564356765435676', sub: '001', dlvrd: '001', submitDate: utc('2019-06-08T16:52:32'), doneDate: utc('2019-06-08T16:52:37'),
      stat: 'DELIVRD', state: 'DELIVERED', err: '000', text: 'Hello World' },
  ],
  [
    'no text field at all',
    'id:40072910491427628 sub:001 dlvrd:001 submit date:1007291049 done date:1007291049 stat:DELIVRD err:000',
    { id: '40072910491427628', sub: '001', dlvrd: '001', submitDate: utc('2010-07-29T10:49:00'), doneDate: utc('2010-07-29T10:49:00'),
      stat: 'DELIVRD', state: 'DELIVERED', err: '000' },
  ],
  [
    'Text: capitalised, UNDELIV, short err',
    'id:45013692 sub:0 dlvrd:28 submit date:1908121157 done date:1908121158 stat:UNDELIV err:21 Text:*100#',
    { id: '45013692', sub: '0', dlvrd: '28', submitDate: utc('2019-08-12T11:57:00'), doneDate: utc('2019-08-12T11:58:00'),
      stat: 'UNDELIV', state: 'UNDELIVERABLE', err: '21', text: '*100#' },
  ],
  [
    'Jasmin: uuid id, no sub/dlvrd/text',
    'id:fa9542be-3c16-44bb-9a8c-d277ea1851ef submit date:1911211739 done date:1911211741 stat:DELIVRD err:002',
    { id: 'fa9542be-3c16-44bb-9a8c-d277ea1851ef', submitDate: utc('2019-11-21T17:39:00'), doneDate: utc('2019-11-21T17:41:00'),
      stat: 'DELIVRD', state: 'DELIVERED', err: '002' },
  ],
  [
    '4-digit err, GSM escape character left in text',
    'id:117062714244798261 sub:001 dlvrd:001 submit date:1706271624 done date:1706271624 stat:DELIVRD err:0000 text:H\u001bello world',
    { id: '117062714244798261', sub: '001', dlvrd: '001', submitDate: utc('2017-06-27T16:24:00'), doneDate: utc('2017-06-27T16:24:00'),
      stat: 'DELIVRD', state: 'DELIVERED', err: '0000', text: 'H\u001bello world' },
  ],
  [
    'hex id (SMPP 3.3 habit), EXPIRED',
    'id:2f4e1a9c sub:001 dlvrd:000 submit date:0412081522 done date:0412101522 stat:EXPIRED err:000 text:Test message',
    { id: '2f4e1a9c', sub: '001', dlvrd: '000', submitDate: utc('2004-12-08T15:22:00'), doneDate: utc('2004-12-10T15:22:00'),
      stat: 'EXPIRED', state: 'EXPIRED', err: '000', text: 'Test message' },
  ],
  [
    'upper-case hex id with leading zeros',
    'id:00A1B2C3D4 sub:001 dlvrd:001 submit date:2301311259 done date:2302010001 stat:DELIVRD err:000 text:Hi',
    { id: '00A1B2C3D4', sub: '001', dlvrd: '001', submitDate: utc('2023-01-31T12:59:00'), doneDate: utc('2023-02-01T00:01:00'),
      stat: 'DELIVRD', state: 'DELIVERED', err: '000', text: 'Hi' },
  ],
  [
    'stat word in lower case',
    'id:123 sub:001 dlvrd:001 submit date:2203151200 done date:2203151201 stat:delivrd err:000 text:x',
    { id: '123', sub: '001', dlvrd: '001', submitDate: utc('2022-03-15T12:00:00'), doneDate: utc('2022-03-15T12:01:00'),
      stat: 'delivrd', state: 'DELIVERED', err: '000', text: 'x' },
  ],
  [
    'all field names in upper case, REJECTD',
    'ID:77 SUB:001 DLVRD:000 SUBMIT DATE:2203151200 DONE DATE:2203151300 STAT:REJECTD ERR:088 TEXT:BLOCKED',
    { id: '77', sub: '001', dlvrd: '000', submitDate: utc('2022-03-15T12:00:00'), doneDate: utc('2022-03-15T13:00:00'),
      stat: 'REJECTD', state: 'REJECTED', err: '088', text: 'BLOCKED' },
  ],
  [
    'submit_date / done_date with underscores',
    'id:5001 sub:001 dlvrd:001 submit_date:2406011010 done_date:2406011011 stat:DELIVRD err:000 text:ok',
    { id: '5001', sub: '001', dlvrd: '001', submitDate: utc('2024-06-01T10:10:00'), doneDate: utc('2024-06-01T10:11:00'),
      stat: 'DELIVRD', state: 'DELIVERED', err: '000', text: 'ok' },
  ],
  [
    'fields in another order',
    'stat:EXPIRED err:027 id:9988776655 done date:2312312359 submit date:2312301200 dlvrd:000 sub:001 text:Happy new year',
    { id: '9988776655', sub: '001', dlvrd: '000', submitDate: utc('2023-12-30T12:00:00'), doneDate: utc('2023-12-31T23:59:00'),
      stat: 'EXPIRED', state: 'EXPIRED', err: '027', text: 'Happy new year' },
  ],
  [
    'text containing colons and field-like words',
    'id:31337 sub:001 dlvrd:001 submit date:2402291200 done date:2402291201 stat:DELIVRD err:000 text:Your code: 1234. Time: 12:30 id:fake stat:REJECTD',
    { id: '31337', sub: '001', dlvrd: '001', submitDate: utc('2024-02-29T12:00:00'), doneDate: utc('2024-02-29T12:01:00'),
      stat: 'DELIVRD', state: 'DELIVERED', err: '000', text: 'Your code: 1234. Time: 12:30 id:fake stat:REJECTD' },
  ],
  [
    'trailing NUL terminators',
    'id:42 sub:001 dlvrd:001 submit date:2101010000 done date:2101010001 stat:DELIVRD err:000\0\0',
    { id: '42', sub: '001', dlvrd: '001', submitDate: utc('2021-01-01T00:00:00'), doneDate: utc('2021-01-01T00:01:00'),
      stat: 'DELIVRD', state: 'DELIVERED', err: '000' },
  ],
  [
    'trailing garbage after the last value',
    'id:43 sub:001 dlvrd:000 submit date:2101010000 done date:2101010001 stat:UNDELIV err:034 ###garbage###',
    { id: '43', sub: '001', dlvrd: '000', submitDate: utc('2021-01-01T00:00:00'), doneDate: utc('2021-01-01T00:01:00'),
      stat: 'UNDELIV', state: 'UNDELIVERABLE', err: '034' },
  ],
  [
    'UTF-8 text (already decoded)',
    'id:1 sub:001 dlvrd:001 submit date:2205051200 done date:2205051201 stat:DELIVRD err:000 text:Привет, мир 😀',
    { id: '1', sub: '001', dlvrd: '001', submitDate: utc('2022-05-05T12:00:00'), doneDate: utc('2022-05-05T12:01:00'),
      stat: 'DELIVRD', state: 'DELIVERED', err: '000', text: 'Привет, мир 😀' },
  ],
  [
    'extra spaces after colons and between fields',
    'id: 12345  sub: 001  dlvrd: 001  submit date: 2105051200  done date: 2105051201  stat: DELIVRD  err: 000  text: hello ',
    { id: '12345', sub: '001', dlvrd: '001', submitDate: utc('2021-05-05T12:00:00'), doneDate: utc('2021-05-05T12:01:00'),
      stat: 'DELIVRD', state: 'DELIVERED', err: '000', text: 'hello' },
  ],
  [
    'extra unknown fields (mccmnc, price)',
    'id:555 sub:001 dlvrd:000 submit date:2207010101 done date:2207010102 stat:UNDELIV err:001 mccmnc:23415 price:0.05 text:test',
    { id: '555', sub: '001', dlvrd: '000', submitDate: utc('2022-07-01T01:01:00'), doneDate: utc('2022-07-01T01:02:00'),
      stat: 'UNDELIV', state: 'UNDELIVERABLE', err: '001', text: 'test' },
  ],
  [
    'ACCEPTD on submit with an empty done date',
    'id:8f3c sub:001 dlvrd:000 submit date:2011150930 done date: stat:ACCEPTD err:000 text:',
    { id: '8f3c', sub: '001', dlvrd: '000', submitDate: utc('2020-11-15T09:30:00'), stat: 'ACCEPTD', state: 'ACCEPTED', err: '000' },
  ],
  [
    'impossible dates (30 February, month 13) are left out',
    'id:1 sub:001 dlvrd:001 submit date:2302301200 done date:2313011200 stat:DELIVRD err:000',
    { id: '1', sub: '001', dlvrd: '001', stat: 'DELIVRD', state: 'DELIVERED', err: '000' },
  ],
  [
    'intermediate ENROUTE',
    'id:1000 sub:001 dlvrd:000 submit date:2404011200 done date:2404011200 stat:ENROUTE err:000 text:',
    { id: '1000', sub: '001', dlvrd: '000', submitDate: utc('2024-04-01T12:00:00'), doneDate: utc('2024-04-01T12:00:00'),
      stat: 'ENROUTE', state: 'ENROUTE', err: '000' },
  ],
  [
    'missing err and text',
    'id:3344 sub:001 dlvrd:001 submit date:1912010800 done date:1912010801 stat:DELIVRD',
    { id: '3344', sub: '001', dlvrd: '001', submitDate: utc('2019-12-01T08:00:00'), doneDate: utc('2019-12-01T08:01:00'),
      stat: 'DELIVRD', state: 'DELIVERED' },
  ],
  [
    'DELETED',
    'id:99 sub:001 dlvrd:000 submit date:2001010000 done date:2001020000 stat:DELETED err:000 text:',
    { id: '99', sub: '001', dlvrd: '000', submitDate: utc('2020-01-01T00:00:00'), doneDate: utc('2020-01-02T00:00:00'),
      stat: 'DELETED', state: 'DELETED', err: '000' },
  ],
  [
    'UNKNOWN',
    'id:100 sub:001 dlvrd:000 submit date:2001010000 done date:2001010005 stat:UNKNOWN err:000',
    { id: '100', sub: '001', dlvrd: '000', submitDate: utc('2020-01-01T00:00:00'), doneDate: utc('2020-01-01T00:05:00'),
      stat: 'UNKNOWN', state: 'UNKNOWN', err: '000' },
  ],
  [
    'full words instead of abbreviations',
    'id:abc123 stat:UNDELIVERABLE err:1',
    { id: 'abc123', stat: 'UNDELIVERABLE', state: 'UNDELIVERABLE', err: '1' },
  ],
  ['full word DELIVERED', 'id:7 stat:Delivered', { id: '7', stat: 'Delivered', state: 'DELIVERED' }],
  ['full word ACCEPTED', 'id:8 stat:ACCEPTED', { id: '8', stat: 'ACCEPTED', state: 'ACCEPTED' }],
  ['full word REJECTED', 'id:9 stat:rejected', { id: '9', stat: 'rejected', state: 'REJECTED' }],
  ['unknown stat word: raw kept, no state', 'id:12 stat:PENDING', { id: '12', stat: 'PENDING' }],
  ['numeric message_state in stat', 'id:5 stat:2', { id: '5', stat: '2', state: 'DELIVERED' }],
  ['stat without id', 'stat:DELIVRD err:000', { stat: 'DELIVRD', state: 'DELIVERED', err: '000' }],
  [
    'fields on separate lines',
    'id:1\r\nsub:001\r\ndlvrd:001\r\nsubmit date:2001010000\r\ndone date:2001010001\r\nstat:DELIVRD\r\nerr:000',
    { id: '1', sub: '001', dlvrd: '001', submitDate: utc('2020-01-01T00:00:00'), doneDate: utc('2020-01-01T00:01:00'),
      stat: 'DELIVRD', state: 'DELIVERED', err: '000' },
  ],
  [
    'first of two id fields counts',
    'id:111 id:222 stat:DELIVRD',
    { id: '111', stat: 'DELIVRD', state: 'DELIVERED' },
  ],
];

describe('receipt-text: parseReceiptText', () => {
  it('holds at least 20 real-world variants', () => {
    assert.ok(CASES.length >= 20);
  });

  for (const [name, text, expected] of CASES) {
    it(name, () => {
      assert.deepEqual(parseReceiptText(text), expected);
    });
  }

  it('returns null for texts that are not receipts', () => {
    const notReceipts = [
      '',
      'Hello world',
      'Meet me at 10:30',
      'identity:x status:ok',
      'http://example.com/id:4 stat',
      'Reply STOP:to 12345',
      '\0\0\0',
    ];
    for (const t of notReceipts) assert.equal(parseReceiptText(t), null, JSON.stringify(t));
  });

  it('returns null for a non-string input', () => {
    assert.equal(parseReceiptText(undefined as unknown as string), null);
    assert.equal(parseReceiptText(42 as unknown as string), null);
  });

  it('an id: field with an empty value still makes a receipt, without id', () => {
    assert.deepEqual(parseReceiptText('id: stat:'), {});
  });

  it('is not confused by a key name lookalike such as "constructor"', () => {
    assert.deepEqual(parseReceiptText('id:1 stat:constructor'), { id: '1', stat: 'constructor' });
    assert.deepEqual(parseReceiptText('id:1 __proto__:x stat:toString'), { id: '1', stat: 'toString' });
  });

  it('never throws and never yields an Invalid Date on random latin1 garbage', function () {
    this.timeout(10000);
    let seed = 0x9e3779b9;
    const rnd = (): number => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pieces = ['id:', 'stat:', 'submit date:', 'done date:', 'text:', 'err:', ' ', '  ', ':', '0', '9', '2302291200', '999999999999', 'DELIVRD', '\0', '\n', '_'];
    let receipts = 0;
    for (let n = 0; n < 3000; n++) {
      let s = '';
      const len = Math.floor(rnd() * 200);
      for (let i = 0; i < len; i++) {
        s += rnd() < 0.3 ? pieces[Math.floor(rnd() * pieces.length)] : String.fromCharCode(Math.floor(rnd() * 256));
      }
      const r = parseReceiptText(s);
      if (r === null) continue;
      receipts++;
      for (const d of [r.submitDate, r.doneDate]) {
        if (d !== undefined) assert.ok(d instanceof Date && !Number.isNaN(d.getTime()), JSON.stringify(s));
      }
      for (const v of [r.id, r.sub, r.dlvrd, r.stat, r.err]) {
        if (v !== undefined) assert.ok(v.length > 0 && !/\s/.test(v), JSON.stringify(s));
      }
    }
    // the generator must actually exercise the receipt path, not only the null path
    assert.ok(receipts > 100, `only ${receipts} random strings parsed as receipts`);
  });
});

describe('receipt-text: parseReceiptDate', () => {
  it('reads 10 and 12 digits as UTC, century 20YY', () => {
    assert.deepEqual(parseReceiptDate('2402291259'), utc('2024-02-29T12:59:00'));
    assert.deepEqual(parseReceiptDate('991231235959'), utc('2099-12-31T23:59:59'));
    assert.deepEqual(parseReceiptDate('0001010000'), utc('2000-01-01T00:00:00'));
  });

  it('rejects impossible or malformed dates', () => {
    for (const v of ['2302291200', '2304311200', '2300101200', '2301001200', '2301012400', '2301011260', '230101120060',
      '230101120', '23010112000', '2301011200000', 'abcdefghij', '23-01-0112', '', undefined]) {
      assert.equal(parseReceiptDate(v), undefined, String(v));
    }
  });
});
