// Issue 12 item 3: receipt text as real SMSCs write it. Each block is an
// observation of the issue; every one of these failed against the parser before.
import assert from 'node:assert/strict';
import { parseReceipt } from '../../src/receipt/receipt';
import { parseReceiptText, parseReceiptBytes } from '../../src/receipt/receipt-text';
import { parseReceiptDate, parseReceiptDatePair } from '../../src/receipt/receipt-date';
import { STAT_WORDS, STATE_BY_STAT_WORD } from '../../src/receipt/stat-words';
import { stateFromStat, isFinal } from '../../src/receipt/receipt-state';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const utc = (iso: string): Date => new Date(iso + 'Z');

describe('receipt text as octets (textBytes)', () => {
  it('keeps @ $ _ in ids: the octets are ASCII, never GSM 7-bit', () => {
    const r = parseReceipt({ esmClass: 0x04, textBytes: ascii('id:msg_01@x$ stat:DELIVRD err:000') });
    assert.equal(r?.messageId, 'msg_01@x$');
    assert.equal(r?.state, 'DELIVERED');
  });

  it('strips trailing NULs first: the last field is err:000, not 000@', () => {
    const r = parseReceipt({ esmClass: 0x04, textBytes: ascii('id:42 stat:UNDELIV err:000\0') });
    assert.equal(r?.errorCode, '000');
    const p = parseReceiptBytes(ascii('id:42 stat:DELIVRD err:001\0\0\0'));
    assert.equal(p?.err, '001');
  });

  it('reads octets above 0x7F one to one (latin1) and never throws', () => {
    const p = parseReceiptBytes(Uint8Array.from([...ascii('id:1 stat:DELIVRD text:'), 0x84, 0x41, 0xff]));
    assert.equal(p?.text, '\u0084A\u00ff');
    assert.equal(parseReceiptBytes(new Uint8Array(0)), null);
    assert.equal(parseReceiptBytes(new Uint8Array([0, 0])), null);
  });

  it('textBytes wins over text', () => {
    const r = parseReceipt({ esmClass: 0x04, text: 'id:1¡ stat:DELIVRD', textBytes: ascii('id:1_ stat:DELIVRD') });
    assert.equal(r?.messageId, '1_');
  });
});

describe('receipt fields in any order', () => {
  it('text: before stat: keeps the state (cloudhopper DeliveryReceiptTest order)', () => {
    const p = parseReceiptText('sub:001 id:74e02ee1 err:000 dlvrd:001 done date:110206193110 submit date:110206193041 text: stat:DELIVRD');
    assert.equal(p?.stat, 'DELIVRD');
    assert.equal(p?.state, 'DELIVERED');
    assert.equal(p?.text, undefined);
    assert.deepEqual(p?.doneDate, utc('2011-02-06T19:31:10'));
  });

  it('a text value before later fields ends at the next known field not seen yet', () => {
    const p = parseReceiptText('id:7 text:Hello world stat:EXPIRED err:027');
    assert.equal(p?.text, 'Hello world');
    assert.equal(p?.state, 'EXPIRED');
    assert.equal(p?.err, '027');
    // the label right after text: is part of the text; stat: after it is a field
    assert.deepEqual(parseReceiptText('text:id:5 stat:DELIVRD'), { stat: 'DELIVRD', state: 'DELIVERED', text: 'id:5' });
  });

  it('fields already seen stay inside the text', () => {
    const p = parseReceiptText('id:1 stat:DELIVRD text:my id: 9 stat: ok err:5');
    assert.equal(p?.text, 'my id: 9 stat: ok');
    assert.equal(p?.err, '5');
  });
});

describe('receipt dates in every form', () => {
  it('14 digits YYYYMMDDhhmmss', () => {
    assert.deepEqual(parseReceiptDate('20110314181534'), utc('2011-03-14T18:15:34'));
    assert.equal(parseReceiptDate('20111314181534'), undefined);
  });

  it('SMPP absolute time YYMMDDhhmmsstnnp gives the true instant', () => {
    assert.deepEqual(parseReceiptDate('180711070003912+'), new Date('2018-07-11T04:00:03.900Z'));
    assert.deepEqual(parseReceiptDate('180711070000000-'), utc('2018-07-11T07:00:00'));
    assert.deepEqual(parseReceiptDate('240101003000004-'), utc('2024-01-01T01:30:00'));
    assert.equal(parseReceiptDate('000000001000000R'), undefined); // relative: not a date
    assert.equal(parseReceiptDate('180711070003949+'), undefined); // more than 12 h offset
    assert.equal(parseReceiptDate('181311070003912+'), undefined);
  });

  it('12 digits: YYMMDDhhmmss, else YYYYMMDDhhmm (Jasmin #195)', () => {
    assert.deepEqual(parseReceiptDate('141023215253'), utc('2014-10-23T21:52:53'));
    assert.deepEqual(parseReceiptDate('201506201641'), utc('2015-06-20T16:41:00'));
  });

  it('12 digits ambiguous in both readings: the partner date decides, else YYMMDDhhmmss', () => {
    // 201201151230 is 2020-12-01 15:12:30 or 2012-01-15 12:30
    assert.deepEqual(parseReceiptDatePair('201201151230', '201501151230'), [utc('2012-01-15T12:30:00'), utc('2015-01-15T12:30:00')]);
    assert.deepEqual(parseReceiptDatePair('201201151230', '201201151231'), [utc('2020-12-01T15:12:30'), utc('2020-12-01T15:12:31')]);
    assert.deepEqual(parseReceiptDatePair('201201151230', undefined), [utc('2020-12-01T15:12:30'), undefined]);
    const p = parseReceiptText('id:1 submit date:201201151230 done date:201501151231 stat:DELIVRD');
    assert.deepEqual(p?.submitDate, utc('2012-01-15T12:30:00'));
  });

  it('reads the dates in receipt text', () => {
    const p = parseReceiptText('id:rdwjwxns18krxr9936ey96ymcw sub:000 dlvrd:000 submit date:180711070003912+ done date:180711070000012+ stat:UNDELIV err:000');
    assert.deepEqual(p?.submitDate, new Date('2018-07-11T04:00:03.900Z'));
    assert.deepEqual(p?.doneDate, new Date('2018-07-11T04:00:00.000Z'));
  });
});

describe('receipt states: the stat words in use', () => {
  it('has a source for every word, no word twice, all upper case', () => {
    const words = STAT_WORDS.map((r) => r.word);
    assert.equal(new Set(words).size, words.length);
    for (const r of STAT_WORDS) {
      assert.ok(r.source.length > 0, r.word);
      assert.equal(r.word, r.word.toUpperCase());
      assert.equal(STATE_BY_STAT_WORD.get(r.word), r.state);
    }
  });

  it("Kannel's and Jasmin's intermediate words are not final", () => {
    for (const w of ['ACKED', 'BUFFRED', 'BUFFERD', 'BUFFERED', 'ENROUTE', 'ACCEPTD', 'ACCEPTED', 'SCHEDULED', 'ENQUEUD', 'SENT']) {
      const r = parseReceipt({ esmClass: 0x04, textBytes: ascii(`id:77 stat:${w} err:000`) });
      assert.equal(r?.final, false, w);
      assert.equal(r?.delivered, false, w);
    }
  });

  it('the final words are final', () => {
    const table: Array<[string, string]> = [
      ['DELIVRD', 'DELIVERED'], ['EXPIRED', 'EXPIRED'], ['DELETED', 'DELETED'], ['UNDELIV', 'UNDELIVERABLE'],
      ['REJECTD', 'REJECTED'], ['FAILED', 'UNDELIVERABLE'], ['UNDELIVERED', 'UNDELIVERABLE'],
    ];
    for (const [w, state] of table) {
      const r = parseReceipt({ esmClass: 0x04, textBytes: ascii(`id:77 stat:${w}`) });
      assert.equal(r?.state, state, w);
      assert.equal(r?.final, true, w);
    }
  });

  it('an unknown word is UNKNOWN, not final, the word kept', () => {
    const r = parseReceipt({ esmClass: 0x04, textBytes: ascii('id:77 stat:WEIRDO err:000') });
    assert.equal(r?.state, 'UNKNOWN');
    assert.equal(r?.final, false);
    assert.equal(r?.stat, 'WEIRDO');
    assert.equal(stateFromStat('WEIRDO'), undefined);
  });

  it('message_state 6 (ACCEPTED) is not final by default; acceptedIsFinal makes it final', () => {
    const input = { esmClass: 0x04, receiptedMessageId: 'a1', messageState: 6 };
    assert.equal(parseReceipt(input)?.final, false);
    assert.equal(parseReceipt(input, { acceptedIsFinal: true })?.final, true);
    assert.equal(parseReceipt({ esmClass: 0x04, text: 'id:1 stat:ACCEPTD' }, { acceptedIsFinal: true })?.final, true);
    // the option changes nothing else
    assert.equal(parseReceipt({ esmClass: 0x04, text: 'id:1 stat:ENROUTE' }, { acceptedIsFinal: true })?.final, false);
    assert.equal(isFinal('UNKNOWN', true), false);
  });

  it('message_state 7 (UNKNOWN) is not final', () => {
    assert.equal(parseReceipt({ esmClass: 0x04, receiptedMessageId: 'a1', messageState: 7 })?.final, false);
  });
});
