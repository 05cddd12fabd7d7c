import assert from 'node:assert/strict';
import { parseReceipt, isReceipt, receiptKind, decodeNetworkError } from '../../src/receipt/receipt';

const DLR = 'id:0000029095 sub:001 dlvrd:001 submit date:211125034959 done date:211125035001 stat:DELIVRD err:000 text:Hello';

describe('receipt: esm_class', () => {
  it('recognises the four receipt types in bits 2..5', () => {
    assert.equal(isReceipt(0x04), true);
    assert.equal(isReceipt(0x08), true);
    assert.equal(isReceipt(0x10), true);
    assert.equal(isReceipt(0x20), true);
  });

  it('ignores the other esm_class bits (UDHI, reply path, mode)', () => {
    assert.equal(isReceipt(0x44), true);
    assert.equal(isReceipt(0x84 | 0x03), true);
    assert.equal(isReceipt(0x40), false);
    assert.equal(isReceipt(0x03), false);
  });

  it('rejects ordinary messages, conversation abort and mixed bits', () => {
    for (const esm of [0x00, 0x18, 0x0c, 0x3c, 0x14, 0x28]) assert.equal(isReceipt(esm), false, esm.toString(16));
  });

  it('a receipted_message_id TLV alone does not make a receipt (SMPP 3.4 5.2.12: the message type decides)', () => {
    assert.equal(parseReceipt({ esmClass: 0x00, receiptedMessageId: 'a1', messageState: 2 }), null);
    assert.equal(parseReceipt({ esmClass: 0x18, receiptedMessageId: 'a1', messageState: 2 }), null);
    assert.notEqual(parseReceipt({ esmClass: 0x04, receiptedMessageId: 'a1', messageState: 2 }), null);
  });

  it('names the kind', () => {
    assert.deepEqual([0x04, 0x08, 0x10, 0x20, 0x00, 0x18].map(receiptKind),
      ['smsc-receipt', 'sme-delivery-ack', 'sme-manual-ack', 'intermediate', null, null]);
  });
});

describe('receipt: network_error_code', () => {
  it('decodes type and big-endian code', () => {
    assert.deepEqual(decodeNetworkError(Buffer.from([3, 0x00, 0x22])), { type: 3, typeName: 'GSM', code: 34 });
    assert.deepEqual(decodeNetworkError(Buffer.from([8, 0x01, 0x02])), { type: 8, typeName: 'MC specific', code: 258 });
    assert.deepEqual(decodeNetworkError(Buffer.from([1, 0xff, 0xff])), { type: 1, typeName: 'ANSI-136', code: 65535 });
    assert.deepEqual(decodeNetworkError(Buffer.from([0, 0, 1])), { type: 0, typeName: 'reserved', code: 1 });
    assert.deepEqual(decodeNetworkError(Buffer.from([200, 0, 1])), { type: 200, typeName: 'reserved', code: 1 });
  });

  it('ignores extra octets and refuses fewer than 3', () => {
    assert.deepEqual(decodeNetworkError(Buffer.from([2, 0, 5, 9])), { type: 2, typeName: 'IS-95', code: 5 });
    assert.equal(decodeNetworkError(Buffer.from([3, 0])), undefined);
    assert.equal(decodeNetworkError(Buffer.alloc(0)), undefined);
    assert.equal(decodeNetworkError(undefined), undefined);
  });
});

describe('receipt: parseReceipt', () => {
  it('reads a text-only receipt', () => {
    assert.deepEqual(parseReceipt({ esmClass: 0x04, text: DLR }), {
      messageId: '0000029095', state: 'DELIVERED', final: true, delivered: true, kind: 'smsc-receipt',
      stat: 'DELIVRD', errorCode: '000',
      submitDate: new Date('2021-11-25T03:49:59Z'), doneDate: new Date('2021-11-25T03:50:01Z'),
      submitted: 1, dlvrdCount: 1, text: 'Hello', source: 'text',
    });
  });

  it('reads a TLV-only receipt', () => {
    assert.deepEqual(parseReceipt({
      esmClass: 0x04, receiptedMessageId: '42', messageState: 5, networkErrorCode: Buffer.from([3, 0, 27]),
    }), {
      messageId: '42', state: 'UNDELIVERABLE', final: true, delivered: false, kind: 'smsc-receipt',
      networkError: { type: 3, typeName: 'GSM', code: 27 }, source: 'tlv',
    });
  });

  it('lets the TLVs win over the text for id and state, and keeps the rest of the text', () => {
    const r = parseReceipt({ esmClass: 0x04, text: DLR, receiptedMessageId: '6F1E', messageState: 3 });
    assert.ok(r);
    assert.equal(r.messageId, '6F1E');
    assert.equal(r.state, 'EXPIRED');
    assert.equal(r.delivered, false);
    assert.equal(r.stat, 'DELIVRD');
    assert.equal(r.errorCode, '000');
    assert.equal(r.submitted, 1);
    assert.deepEqual(r.doneDate, new Date('2021-11-25T03:50:01Z'));
    assert.equal(r.source, 'both');
  });

  it('falls back to the text state when message_state is out of range', () => {
    const r = parseReceipt({ esmClass: 0x04, text: DLR, receiptedMessageId: 'x1', messageState: 42 });
    assert.equal(r?.state, 'DELIVERED');
    assert.equal(r?.messageId, 'x1');
    assert.equal(r?.source, 'both');
  });

  it('cleans NUL and space padding from receipted_message_id; an empty one is absent', () => {
    assert.equal(parseReceipt({ esmClass: 0x04, receiptedMessageId: ' 77\0', messageState: 2 })?.messageId, '77');
    assert.equal(parseReceipt({ esmClass: 0x00, receiptedMessageId: '\0', text: DLR }), null);
    assert.equal(parseReceipt({ esmClass: 0x04, receiptedMessageId: '', text: DLR })?.messageId, '0000029095');
  });

  it('is null for a non-receipt PDU even with receipt-like text', () => {
    assert.equal(parseReceipt({ esmClass: 0x00, text: DLR }), null);
    assert.equal(parseReceipt({ esmClass: 0x18, text: DLR }), null);
  });

  it('is null when no message id can be found', () => {
    assert.equal(parseReceipt({ esmClass: 0x04, text: 'stat:DELIVRD err:000' }), null);
    assert.equal(parseReceipt({ esmClass: 0x04 }), null);
    assert.equal(parseReceipt({ esmClass: 0x04, text: 'hello', messageState: 2 }), null);
  });

  // issue 12: an unknown word or no state at all is UNKNOWN and NOT final (the real outcome may follow)
  it('uses UNKNOWN (not final) when no state is given, and keeps an unknown stat word', () => {
    const a = parseReceipt({ esmClass: 0x04, text: 'id:5 err:000' });
    assert.equal(a?.state, 'UNKNOWN');
    assert.equal(a?.final, false);
    const b = parseReceipt({ esmClass: 0x04, text: 'id:5 stat:PENDING' });
    assert.equal(b?.state, 'UNKNOWN');
    assert.equal(b?.stat, 'PENDING');
  });

  it('never marks an intermediate notification final', () => {
    for (const stat of ['ENROUTE', 'ACCEPTD', 'DELIVRD']) {
      const r = parseReceipt({ esmClass: 0x20, text: `id:9 stat:${stat}` });
      assert.equal(r?.final, false, stat);
      assert.equal(r?.kind, 'intermediate');
    }
    assert.equal(parseReceipt({ esmClass: 0x20, text: 'id:9 stat:DELIVRD' })?.delivered, true);
  });

  it('ENROUTE (1) and SCHEDULED (0) are not final; SKIPPED (9) is', () => {
    assert.equal(parseReceipt({ esmClass: 0x04, receiptedMessageId: '1', messageState: 1 })?.final, false);
    assert.equal(parseReceipt({ esmClass: 0x04, receiptedMessageId: '1', messageState: 0 })?.final, false);
    const skipped = parseReceipt({ esmClass: 0x04, receiptedMessageId: '1', messageState: 9 });
    assert.equal(skipped?.state, 'UNDELIVERABLE');
    assert.equal(skipped?.final, true);
  });

  it('uses text that is not a receipt as nothing, and says source tlv', () => {
    assert.deepEqual(parseReceipt({ esmClass: 0x08, text: 'Thanks!', receiptedMessageId: '12', messageState: 2 }), {
      messageId: '12', state: 'DELIVERED', final: true, delivered: true, kind: 'sme-delivery-ack', source: 'tlv',
    });
  });

  it('leaves out counts that are not numbers', () => {
    const r = parseReceipt({ esmClass: 0x04, text: 'id:1 sub:x dlvrd:-1 stat:DELIVRD' });
    assert.ok(r);
    assert.equal('submitted' in r, false);
    assert.equal('dlvrdCount' in r, false);
  });
});
