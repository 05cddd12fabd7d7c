/**
 * The delivery receipt as the simulator writes it: the SMPP 3.4 Appendix B
 * text, message_state values and the per-state error code. Pure.
 */

export type ReceiptState = 'DELIVRD' | 'UNDELIV' | 'EXPIRED' | 'REJECTD' | 'DELETED' | 'ACCEPTD' | 'UNKNOWN';

export const RECEIPT_STATES: readonly ReceiptState[] = ['DELIVRD', 'UNDELIV', 'EXPIRED', 'REJECTD', 'DELETED', 'ACCEPTD', 'UNKNOWN'];

/** message_state TLV values, SMPP 3.4 section 5.2.28. */
export const MESSAGE_STATE: Readonly<Record<ReceiptState, number>> = {
  DELIVRD: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIV: 5,
  ACCEPTD: 6,
  UNKNOWN: 7,
  REJECTD: 8,
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
};

export function isReceiptState(value: unknown): value is ReceiptState {
  return typeof value === 'string' && (RECEIPT_STATES as readonly string[]).includes(value);
}

/** True for the final states that count as a failure (registered_delivery 2 asks only for these). */
export function isFailureState(state: ReceiptState): boolean {
  return state !== 'DELIVRD' && state !== 'ACCEPTD';
}

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

export function receiptText(id: string, submitDate: string, doneDate: string, state: ReceiptState, snippet: string): string {
  const ok = !isFailureState(state);
  return (
    'id:' + id +
    ' sub:001 dlvrd:' + (ok ? '001' : '000') +
    ' submit date:' + submitDate +
    ' done date:' + doneDate +
    ' stat:' + state +
    ' err:' + ERROR_CODE[state] +
    ' text:' + snippet
  );
}
