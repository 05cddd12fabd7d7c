/**
 * What a receipt reports (msg.payload of smpp-dlr, msg.dlr of a waiting
 * smpp-send), and whether it is final under the gateway's acceptedIsFinal.
 * Pure.
 */
import type { Receipt } from '../receipt';
import type { ReceiptMessage } from '../message/inbound';

export type ReceiptReport = Record<string, unknown>;

/**
 * Whether no further receipt is expected. ACCEPTED (ACCEPTD, message_state 6)
 * is intermediate unless the gateway says the SMSC uses it as its final word
 * (acceptedIsFinal), whether or not the parser was given that option; every
 * other state as the receipt parser says (intermediate notifications and
 * intermediate stat words are never final).
 */
export function isFinalReceipt(r: Pick<Receipt, 'state' | 'final' | 'kind'>, acceptedIsFinal: boolean): boolean {
  return r.state === 'ACCEPTED' ? acceptedIsFinal && r.kind !== 'intermediate' : r.final;
}

/** The report of one receipt, as it came (before any multipart fold). */
export function reportOf(rm: ReceiptMessage, final: boolean): ReceiptReport {
  const r = rm.receipt;
  return {
    messageId: r.messageId,
    state: r.state,
    final,
    delivered: r.delivered,
    errorCode: r.errorCode ?? null,
    networkError: r.networkError ?? null,
    submitDate: r.submitDate ?? null,
    doneDate: r.doneDate ?? null,
    submitted: r.submitted ?? null,
    dlvrd: r.dlvrdCount ?? null,
    text: r.text ?? null,
    source: r.source,
    from: rm.from,
    to: rm.to,
  };
}
