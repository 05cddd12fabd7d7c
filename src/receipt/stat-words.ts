/**
 * The `stat:` words SMSCs and gateways write in delivery receipt text, what
 * each one means here, and where it was seen. One row per word (upper case).
 *
 * Final or not is decided by the state (see isFinal in receipt-state.ts):
 * ENROUTE (all the "buffered" words) and UNKNOWN are intermediate, ACCEPTED is
 * intermediate unless the gateway option acceptedIsFinal says otherwise.
 * A word not in this table gives the state UNKNOWN (not final) with the word
 * kept as written in Receipt.stat.
 *
 * Sources (mirrors read with the fetch tool; paths inside those repositories):
 *  - SMPP 3.4: section 5.2.28 (message_state) and Appendix B (the 7-letter words).
 *  - SMPP 5.0: section 4.7.15 (SCHEDULED 0, SKIPPED 9).
 *  - Kannel: gw/smsc/smsc_smpp.c (pruiz/kannel), handle_dlr: DELIVRD success;
 *    ACCEPTD, ACKED, BUFFRED, BUFFERD, ENROUTE "buffered" (not final); any other word failed.
 *  - Jasmin: jasmin/managers/dlr.py (jookies/jasmin): final_states DELIVRD, EXPIRED,
 *    DELETED, UNDELIV, REJECTD (ACCEPTD and UNKNOWN not final);
 *    jasmin/protocols/smpp/operations.py writes ACCEPTD, UNDELIV, REJECTD, DELIVRD,
 *    EXPIRED, DELETED, ENROUTE, UNKNOWN.
 *  - cloudhopper-smpp: src/main/java/com/cloudhopper/smpp/util/DeliveryReceipt.java
 *    (fizzed/cloudhopper-smpp) toState: the eight SMPP words.
 *  - Vonage/Nexmo: _modals/api/developer/message/search/response/status.md
 *    (Nexmo/nexmo-oas-renderer): buffered (in the process of being delivered), failed.
 *  - Mobizon: src/v1/en/_other/smsStatus.md (mobizon/mobizon-api-docs): ENQUEUD and
 *    ACCEPTD not final.
 */
import type { ReceiptState } from './receipt-state-type';

export interface StatWord {
  word: string;
  state: ReceiptState;
  source: string;
}

const SMPP34 = 'SMPP 3.4 Appendix B, 5.2.28';
const KANNEL = 'Kannel gw/smsc/smsc_smpp.c';
const JASMIN = 'Jasmin jasmin/managers/dlr.py, jasmin/protocols/smpp/operations.py';
const CLOUDHOPPER = 'cloudhopper-smpp src/main/java/com/cloudhopper/smpp/util/DeliveryReceipt.java';

export const STAT_WORDS: readonly StatWord[] = [
  { word: 'DELIVRD', state: 'DELIVERED', source: `${SMPP34}; ${KANNEL}; ${JASMIN}; ${CLOUDHOPPER}` },
  { word: 'DELIVERED', state: 'DELIVERED', source: 'full word of DELIVRD (SMPP 3.4 5.2.28 state name)' },
  { word: 'EXPIRED', state: 'EXPIRED', source: `${SMPP34}; ${JASMIN}; ${CLOUDHOPPER}` },
  { word: 'DELETED', state: 'DELETED', source: `${SMPP34}; ${JASMIN}; ${CLOUDHOPPER}` },
  { word: 'UNDELIV', state: 'UNDELIVERABLE', source: `${SMPP34}; ${JASMIN}; ${CLOUDHOPPER}` },
  { word: 'UNDELIVERABLE', state: 'UNDELIVERABLE', source: 'full word of UNDELIV (SMPP 3.4 5.2.28 state name)' },
  { word: 'UNDELIVERED', state: 'UNDELIVERABLE', source: 'aggregator variant of UNDELIV' },
  { word: 'FAILED', state: 'UNDELIVERABLE', source: 'Nexmo/nexmo-oas-renderer .../status.md (failed)' },
  { word: 'SKIPPED', state: 'UNDELIVERABLE', source: 'SMPP 5.0 4.7.15 (message_state 9)' },
  { word: 'REJECTD', state: 'REJECTED', source: `${SMPP34}; ${JASMIN}; ${CLOUDHOPPER}` },
  { word: 'REJECTED', state: 'REJECTED', source: 'full word of REJECTD (SMPP 3.4 5.2.28 state name)' },
  { word: 'ACCEPTD', state: 'ACCEPTED', source: `${SMPP34}; ${KANNEL} (buffered); ${JASMIN} (not final)` },
  { word: 'ACCEPTED', state: 'ACCEPTED', source: 'full word of ACCEPTD (SMPP 3.4 5.2.28 state name)' },
  { word: 'UNKNOWN', state: 'UNKNOWN', source: `${SMPP34}; ${JASMIN} (not final)` },
  { word: 'ENROUTE', state: 'ENROUTE', source: `${SMPP34}; ${KANNEL} (buffered); ${CLOUDHOPPER}` },
  { word: 'SCHEDULED', state: 'ENROUTE', source: 'SMPP 5.0 4.7.15 (message_state 0)' },
  { word: 'ACKED', state: 'ENROUTE', source: `${KANNEL} (buffered)` },
  { word: 'BUFFRED', state: 'ENROUTE', source: `${KANNEL} (buffered)` },
  { word: 'BUFFERD', state: 'ENROUTE', source: `${KANNEL} (buffered)` },
  { word: 'BUFFERED', state: 'ENROUTE', source: 'Nexmo/nexmo-oas-renderer .../status.md (buffered)' },
  { word: 'ENQUEUD', state: 'ENROUTE', source: 'mobizon/mobizon-api-docs src/v1/en/_other/smsStatus.md (not final)' },
  { word: 'QUEUED', state: 'ENROUTE', source: 'aggregator variant of ENQUEUD' },
  { word: 'SENT', state: 'ENROUTE', source: 'aggregator variant: handed on to the network, outcome to follow' },
];

/**
 * Upper-case word -> state. A Map, not an object literal, so that words like
 * "constructor" find nothing.
 */
export const STATE_BY_STAT_WORD: ReadonlyMap<string, ReceiptState> = new Map(STAT_WORDS.map((r) => [r.word, r.state]));
