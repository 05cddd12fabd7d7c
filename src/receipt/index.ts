/** Delivery receipts: text parser, states, TLV combination, message id matching. */
export * from './receipt-state';
export * from './stat-words';
export * from './receipt-date';
export * from './receipt-text';
export * from './receipt';
export * from './message-id';
export * from './message-id-index';
