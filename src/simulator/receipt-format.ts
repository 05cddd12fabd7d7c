/**
 * The delivery receipt as the simulator writes it: the SMPP 3.4 Appendix B
 * text, message_state values and the per-state error code, plus the forms
 * real SMSCs use instead (fields in another order, other date forms, stat
 * words that are not final or not known). Pure.
 */

export type ReceiptState =
  | 'DELIVRD' | 'UNDELIV' | 'EXPIRED' | 'REJECTD' | 'DELETED' | 'ACCEPTD' | 'UNKNOWN'
  // intermediate words other SMSCs and gateways send before the outcome (Kannel's ACKED and BUFFRED)
  | 'ENROUTE' | 'ACKED' | 'BUFFRED';

export const RECEIPT_STATES: readonly ReceiptState[] = [
  'DELIVRD', 'UNDELIV', 'EXPIRED', 'REJECTD', 'DELETED', 'ACCEPTD', 'UNKNOWN', 'ENROUTE', 'ACKED', 'BUFFRED',
];

/** message_state TLV values, SMPP 3.4 section 5.2.28 (ACKED and BUFFRED are not in it: sent as ENROUTE). */
export const MESSAGE_STATE: Readonly<Record<ReceiptState, number>> = {
  ENROUTE: 1,
  DELIVRD: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIV: 5,
  ACCEPTD: 6,
  UNKNOWN: 7,
  REJECTD: 8,
  ACKED: 1,
  BUFFRED: 1,
};

/** err: field per state; nonzero for the failure states. */
const ERROR_CODE: Readonly<Record<ReceiptState, string>> = {
  DELIVRD: '000',
  ACCEPTD: '000',
  UNDELIV: '001',
  EXPIRED: '002',
  DELETED: '003',
  REJECTD: '004',
  UNKNOWN: '005',
  ENROUTE: '000',
  ACKED: '000',
  BUFFRED: '000',
};

const INTERMEDIATE: readonly ReceiptState[] = ['ENROUTE', 'ACKED', 'BUFFRED'];

export function isReceiptState(value: unknown): value is ReceiptState {
  return typeof value === 'string' && (RECEIPT_STATES as readonly string[]).includes(value);
}

/** True for the final states that count as a failure (registered_delivery 2 asks only for these). */
export function isFailureState(state: ReceiptState): boolean {
  return state !== 'DELIVRD' && state !== 'ACCEPTD' && !INTERMEDIATE.includes(state);
}

/** How the dates are written: SMPP 3.4 Appendix B's YYMMDDhhmm, 12 or 14 digits, or the SMPP absolute time of section 7.1.1. */
export type ReceiptDateForm = 'yymmddhhmm' | 'yyyymmddhhmm' | 'yyyymmddhhmmss' | 'smpp-absolute';
export const RECEIPT_DATE_FORMS: readonly ReceiptDateForm[] = ['yymmddhhmm', 'yyyymmddhhmm', 'yyyymmddhhmmss', 'smpp-absolute'];

/** Where `text:` goes: last (Appendix B) or before `stat:` (as some SMSCs write it). */
export type ReceiptFieldOrder = 'standard' | 'text-first';
export const RECEIPT_FIELD_ORDERS: readonly ReceiptFieldOrder[] = ['standard', 'text-first'];

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** YYMMDDhhmm in UTC. */
export function receiptDate(ms: number): string {
  const d = new Date(ms);
  return (
    two(d.getUTCFullYear() % 100) +
    two(d.getUTCMonth() + 1) +
    two(d.getUTCDate()) +
    two(d.getUTCHours()) +
    two(d.getUTCMinutes())
  );
}

/** A date in one of the receipt date forms, UTC (the absolute time says so: offset 00, '+'). */
export function formatReceiptDate(ms: number, form: ReceiptDateForm): string {
  const d = new Date(ms);
  const yyyy = String(d.getUTCFullYear());
  const mmddhhmm = two(d.getUTCMonth() + 1) + two(d.getUTCDate()) + two(d.getUTCHours()) + two(d.getUTCMinutes());
  const ss = two(d.getUTCSeconds());
  switch (form) {
    case 'yymmddhhmm':
      return receiptDate(ms);
    case 'yyyymmddhhmm':
      return yyyy + mmddhhmm;
    case 'yyyymmddhhmmss':
      return yyyy + mmddhhmm + ss;
    case 'smpp-absolute':
      // YYMMDDhhmmsstnnp: tenths of a second, quarter hours from UTC, '+'
      return yyyy.slice(2) + mmddhhmm + ss + String(Math.floor(d.getUTCMilliseconds() / 100)) + '00+';
  }
}

/** Formats dates, caching the string for the current minute (receipts come in bursts). */
export class ReceiptDateCache {
  private minute = -1;
  private text = '';
  format(ms: number): string {
    const minute = Math.floor(ms / 60000);
    if (minute === this.minute) return this.text;
    this.minute = minute;
    this.text = receiptDate(ms);
    return this.text;
  }
}

/** Up to 20 characters of the original text, printable ASCII only (others become '?'). */
export function receiptSnippet(text: string): string {
  const s = text.length > 20 ? text.slice(0, 20) : text;
  return s.replace(/[^\x20-\x7e]/g, '?');
}

export interface ReceiptTextForm {
  /** Default 'standard'. */
  order?: ReceiptFieldOrder;
  /** Written after stat: instead of the state's own word (an unknown word, for tests). */
  statWord?: string;
}

export function receiptText(id: string, submitDate: string, doneDate: string, state: ReceiptState, snippet: string, form?: ReceiptTextForm): string {
  const ok = !isFailureState(state) && !INTERMEDIATE.includes(state);
  const head = 'id:' + id + ' sub:001 dlvrd:' + (ok ? '001' : '000') + ' submit date:' + submitDate + ' done date:' + doneDate;
  const tail = ' stat:' + (form?.statWord ?? state) + ' err:' + ERROR_CODE[state];
  if (form?.order === 'text-first') return head + ' text:' + snippet + tail;
  return head + tail + ' text:' + snippet;
}
