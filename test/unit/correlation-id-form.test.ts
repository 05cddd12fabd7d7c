import assert from 'node:assert/strict';
import { idFormsOf, MESSAGE_ID_FORMS, MessageIdForm } from '../../src/correlation/id-form';
import { CorrelationStore } from '../../src/correlation/memory-store';
import { sameMessageId } from '../../src/receipt/message-id';
import { PARAMETERS_BY_KEY } from '../../src/config/parameters';

const HEX = 'a1b2c3d4';
const HEX_AS_DEC = String(parseInt(HEX, 16)); // 2712847316
const UUID = 'fa9542be-3c16-44bb-9a8c-d277ea1851ef';

/**
 * [id in submit_sm_resp, id in the receipt, what it shows, match under auto / exact / receipt-decimal / receipt-hex]
 */
const TABLE: [string, string, string, [boolean, boolean, boolean, boolean]][] = [
  [HEX, HEX, 'the same hex text', [true, true, false, false]],
  [HEX.toUpperCase(), HEX, 'letter case only', [true, true, false, false]],
  [HEX, HEX_AS_DEC, 'hex id, its decimal value in the receipt', [true, false, true, false]],
  ['ff', '255', 'short hex id, decimal in the receipt', [true, false, true, false]],
  ['255', 'FF', 'decimal id, its hex value in the receipt', [true, false, false, true]],
  ['255', '00000000000000FF', 'decimal id, zero-padded upper-case hex in the receipt', [true, false, false, true]],
  ['0000123', '123', 'leading zeros dropped', [true, false, false, false]],
  ['123', '123', 'the same decimal text', [true, true, false, false]],
  [UUID, UUID.toUpperCase(), 'a UUID in another case (not a number in any base)', [true, true, true, true]],
  ['123', '124', 'another number', [false, false, false, false]],
  [HEX, String(parseInt(HEX, 16) + 1), 'another number in decimal', [false, false, false, false]],
];

describe('correlation/id-form: messageIdForm', () => {
  it('names exactly the options of the gateway parameter table', () => {
    const p = PARAMETERS_BY_KEY.get('messageIdForm');
    assert.ok(p);
    assert.deepEqual([...(p as unknown as { options: string[] }).options], [...MESSAGE_ID_FORMS]);
    assert.equal(p?.default, 'auto');
  });

  it('maps each option to the forms of the two sides', () => {
    assert.deepEqual(idFormsOf('auto'), { sent: 'any', receipt: 'any' });
    assert.deepEqual(idFormsOf('exact'), { sent: 'exact', receipt: 'exact' });
    assert.deepEqual(idFormsOf('receipt-decimal'), { sent: 'hex', receipt: 'decimal' });
    assert.deepEqual(idFormsOf('receipt-hex'), { sent: 'decimal', receipt: 'hex' });
    assert.deepEqual(idFormsOf('nonsense'), idFormsOf('auto'));
    assert.deepEqual(idFormsOf(undefined), idFormsOf('auto'));
  });

  for (const [sent, receipt, what, want] of TABLE) {
    MESSAGE_ID_FORMS.forEach((form: MessageIdForm, i) => {
      it(`${form}: ${what} (${sent} / ${receipt}) ${want[i] ? 'matches' : 'does not match'}`, () => {
        assert.equal(sameMessageId(sent, receipt, idFormsOf(form)), want[i]);
        // and the store finds (or not) the message by its receipt id; with a fixed pair of
        // forms it also matches the same text as the submit_sm_resp id (issue 12: SMSCs that
        // write the id in the receipt as they answered it, whatever the form says)
        const sameText = sent.toLowerCase() === receipt.toLowerCase() && (form === 'receipt-decimal' || form === 'receipt-hex');
        const s = new CorrelationStore(60_000, 10, () => 0, idFormsOf(form));
        const rec = s.add([sent], { correlationId: 'c' });
        const hit = s.find(receipt);
        if (want[i] || sameText) assert.equal(hit?.record, rec);
        else assert.equal(hit, undefined);
      });
    });
  }
});
