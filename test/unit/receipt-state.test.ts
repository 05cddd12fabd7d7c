import assert from 'node:assert/strict';
import {
  RECEIPT_STATES, stateFromMessageState, stateFromStat, isFinal, isDelivered,
} from '../../src/receipt/receipt-state';

describe('receipt-state', () => {
  it('maps the SMPP 3.4 message_state values 1..8', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map(stateFromMessageState),
      ['ENROUTE', 'DELIVERED', 'EXPIRED', 'DELETED', 'UNDELIVERABLE', 'ACCEPTED', 'UNKNOWN', 'REJECTED']);
  });

  it('maps SMPP 5.0 SCHEDULED (0) to ENROUTE and SKIPPED (9) to UNDELIVERABLE', () => {
    assert.equal(stateFromMessageState(0), 'ENROUTE');
    assert.equal(stateFromMessageState(9), 'UNDELIVERABLE');
  });

  it('gives undefined for values outside 0..9', () => {
    for (const v of [-1, 10, 255, 1.5, NaN, undefined]) assert.equal(stateFromMessageState(v), undefined, String(v));
  });

  it('maps stat abbreviations and full words, any case', () => {
    const table: Array<[string, string]> = [
      ['DELIVRD', 'DELIVERED'], ['delivrd', 'DELIVERED'], ['Delivered', 'DELIVERED'],
      ['EXPIRED', 'EXPIRED'], ['DELETED', 'DELETED'],
      ['UNDELIV', 'UNDELIVERABLE'], ['UNDELIVERABLE', 'UNDELIVERABLE'], ['undelivered', 'UNDELIVERABLE'], ['FAILED', 'UNDELIVERABLE'],
      ['ACCEPTD', 'ACCEPTED'], ['accepted', 'ACCEPTED'], ['UNKNOWN', 'UNKNOWN'],
      ['REJECTD', 'REJECTED'], ['REJECTED', 'REJECTED'], ['ENROUTE', 'ENROUTE'], [' DELIVRD ', 'DELIVERED'],
      ['2', 'DELIVERED'], ['008', 'REJECTED'],
    ];
    for (const [word, state] of table) assert.equal(stateFromStat(word), state, word);
  });

  it('gives undefined for unknown words', () => {
    for (const w of ['', 'PENDING', 'DELIV', 'constructor', 'toString', '__proto__', '10', '1234', undefined]) {
      assert.equal(stateFromStat(w), undefined, String(w));
    }
  });

  // issue 12: ACCEPTED and UNKNOWN are intermediate (ACCEPTED final only with acceptedIsFinal)
  it('ENROUTE, ACCEPTED and UNKNOWN are not final; only DELIVERED is delivered', () => {
    assert.deepEqual(RECEIPT_STATES.filter((s) => !isFinal(s)), ['ENROUTE', 'ACCEPTED', 'UNKNOWN']);
    assert.deepEqual(RECEIPT_STATES.filter((s) => isDelivered(s)), ['DELIVERED']);
    assert.equal(isFinal('ACCEPTED'), false);
    assert.equal(isFinal('ACCEPTED', true), true);
    assert.equal(isFinal('UNKNOWN'), false);
    assert.equal(isFinal('UNKNOWN', true), false);
  });
});
