/**
 * Field modes: what SMSCs in the field send that a textbook SMSC does not,
 * so tests can drive the gateway through it. Set with the `field` simulator
 * option, sim.setFieldMode(...) or the control command `field JSON`; each
 * call replaces the whole mode ({} = back to the textbook behaviour).
 *
 *   receiptTiming      when a receipt goes relative to its submit_sm_resp:
 *                      'after-delay' (default: receiptDelayMs after the response),
 *                      'immediate' (right after the response, in the same write),
 *                      'before-response' (the receipt first, the response gapMs later),
 *                      'between-parts' (responses spaced gapMs apart, each part's
 *                      receipt halfway to the next response)
 *   gapMs              for before-response and between-parts (default 5 and 30)
 *   receiptCopies      each receipt sent this many times (2 = duplicated; 1..5)
 *   receiptDataCoding  the data_coding label on receipts (8 = UCS2 over ASCII text)
 *   receiptTrailingNul a NUL octet after the receipt text
 *   receiptFieldOrder  'standard' | 'text-first' (text: before stat:)
 *   receiptDateForm    'yymmddhhmm' | 'yyyymmddhhmm' | 'yyyymmddhhmmss' | 'smpp-absolute'
 *   receiptState       the final state word (overrides the receiptState option)
 *   intermediateState  a receipt in this state first (ACCEPTD, ENROUTE, ACKED,
 *                      BUFFRED...), the final one receiptDelayMs after it
 *   statWord           a word written after stat: instead of the state's own (an
 *                      unknown word); the message_state TLV is then left out
 *   messageIdFormat    ids in the responses from now on ('symbols': with _ @ $)
 *   receiptIdFormat    how receipts write them
 *   submitResponse     answer every submit_sm / data_sm with this other response
 *                      type ('enquire_link_resp' | 'deliver_sm_resp') carrying its
 *                      sequence number, status 0 (no receipt)
 *   requestsOnUnbind   when a client unbinds: an MO and a receipt (for an id
 *                      nobody sent) first, then the unbind_resp
 *
 * MOs as the field sends them are in field-mos.ts. Pure.
 */
import { MESSAGE_ID_FORMATS, MessageIdFormat, RECEIPT_ID_FORMATS, ReceiptIdFormat } from './message-ids';
import {
  isReceiptState, RECEIPT_DATE_FORMS, RECEIPT_FIELD_ORDERS, RECEIPT_STATES, ReceiptDateForm, ReceiptFieldOrder, ReceiptState,
} from './receipt-format';

export type ReceiptTiming = 'after-delay' | 'immediate' | 'before-response' | 'between-parts';
export const RECEIPT_TIMINGS: readonly ReceiptTiming[] = ['after-delay', 'immediate', 'before-response', 'between-parts'];

export type WrongResponse = 'enquire_link_resp' | 'deliver_sm_resp';
export const WRONG_RESPONSES: readonly WrongResponse[] = ['enquire_link_resp', 'deliver_sm_resp'];

export interface FieldMode {
  receiptTiming?: ReceiptTiming;
  gapMs?: number;
  receiptCopies?: number;
  receiptDataCoding?: number;
  receiptTrailingNul?: boolean;
  receiptFieldOrder?: ReceiptFieldOrder;
  receiptDateForm?: ReceiptDateForm;
  receiptState?: ReceiptState;
  intermediateState?: ReceiptState;
  statWord?: string;
  messageIdFormat?: MessageIdFormat;
  receiptIdFormat?: ReceiptIdFormat;
  submitResponse?: WrongResponse;
  requestsOnUnbind?: boolean;
}

/** The receipt-writing part of a field mode, resolved; null in receipts = the textbook form. */
export interface ReceiptForm {
  copies: number;
  dataCoding: number;
  trailingNul: boolean;
  order: ReceiptFieldOrder;
  dateForm: ReceiptDateForm;
  statWord: string | undefined;
}

const KEYS: readonly (keyof FieldMode)[] = [
  'receiptTiming', 'gapMs', 'receiptCopies', 'receiptDataCoding', 'receiptTrailingNul', 'receiptFieldOrder',
  'receiptDateForm', 'receiptState', 'intermediateState', 'statWord', 'messageIdFormat', 'receiptIdFormat',
  'submitResponse', 'requestsOnUnbind',
];

function oneOf(key: string, value: unknown, allowed: readonly string[]): void {
  if (!allowed.includes(value as string)) throw new TypeError(`field mode ${key} must be one of ${allowed.join(', ')}`);
}

/** A copy of the mode, or a TypeError naming the first bad key. */
export function checkFieldMode(mode: unknown): FieldMode {
  if (mode === null || typeof mode !== 'object' || Array.isArray(mode)) throw new TypeError('a field mode is an object');
  const m = mode as Record<string, unknown>;
  for (const key of Object.keys(m)) {
    if (!(KEYS as readonly string[]).includes(key)) throw new TypeError(`unknown field mode key ${key.slice(0, 40)}`);
    const v = m[key];
    if (v === undefined) continue;
    switch (key as keyof FieldMode) {
      case 'receiptTiming': oneOf(key, v, RECEIPT_TIMINGS); break;
      case 'receiptFieldOrder': oneOf(key, v, RECEIPT_FIELD_ORDERS); break;
      case 'receiptDateForm': oneOf(key, v, RECEIPT_DATE_FORMS); break;
      case 'messageIdFormat': oneOf(key, v, MESSAGE_ID_FORMATS); break;
      case 'receiptIdFormat': oneOf(key, v, RECEIPT_ID_FORMATS); break;
      case 'receiptState':
      case 'intermediateState':
        if (!isReceiptState(v)) throw new TypeError(`field mode ${key} must be one of ${RECEIPT_STATES.join(', ')}`);
        break;
      case 'gapMs':
        if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 60_000)) throw new TypeError('field mode gapMs must be 0..60000');
        break;
      case 'receiptCopies':
        if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5)) throw new TypeError('field mode receiptCopies must be 1..5');
        break;
      case 'receiptDataCoding':
        if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255)) throw new TypeError('field mode receiptDataCoding must be 0..255');
        break;
      case 'receiptTrailingNul':
      case 'requestsOnUnbind':
        if (typeof v !== 'boolean') throw new TypeError(`field mode ${key} must be true or false`);
        break;
      case 'submitResponse': oneOf(key, v, WRONG_RESPONSES); break;
      case 'statWord':
        if (!(typeof v === 'string' && /^[A-Za-z0-9_]{1,12}$/.test(v))) throw new TypeError('field mode statWord must be 1..12 letters or digits');
        break;
    }
  }
  if (m.messageIdFormat === 'symbols' && m.receiptIdFormat !== undefined && m.receiptIdFormat !== 'same') {
    throw new TypeError("field mode messageIdFormat 'symbols' needs receiptIdFormat 'same'");
  }
  return { ...(m as FieldMode) };
}

/** The receipt form a field mode asks for, or null when it is the textbook one (the fast path). */
export function receiptFormOf(m: FieldMode): ReceiptForm | null {
  const form: ReceiptForm = {
    copies: m.receiptCopies ?? 1,
    dataCoding: m.receiptDataCoding ?? 0,
    trailingNul: m.receiptTrailingNul ?? false,
    order: m.receiptFieldOrder ?? 'standard',
    dateForm: m.receiptDateForm ?? 'yymmddhhmm',
    statWord: m.statWord,
  };
  const textbook = form.copies === 1 && form.dataCoding === 0 && !form.trailingNul && form.order === 'standard' &&
    form.dateForm === 'yymmddhhmm' && form.statWord === undefined;
  return textbook ? null : form;
}
