/** The delivery states a receipt reports (its own file so stat-words.ts and receipt-state.ts import it without a loop). */
export type ReceiptState =
  | 'ENROUTE'
  | 'DELIVERED'
  | 'EXPIRED'
  | 'DELETED'
  | 'UNDELIVERABLE'
  | 'ACCEPTED'
  | 'UNKNOWN'
  | 'REJECTED';
