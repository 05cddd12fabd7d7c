export {
  SmscSimulator,
  SimulatorOptions,
  SimulatorAccount,
  SimulatorStats,
  FailureMode,
  FieldMode,
  ReceiptTiming,
  FieldMoKind,
  BindMode,
  MoOptions,
  ReceiptState,
  MessageIdFormat,
  ReceiptIdFormat,
} from './smsc-simulator';
export { RECEIPT_STATES, MESSAGE_STATE, isFailureState } from './receipt-format';
export { MESSAGE_ID_FORMATS, RECEIPT_ID_FORMATS, receiptIdOf } from './message-ids';
export { RECEIPT_TIMINGS } from './field-modes';
export { FIELD_MO_KINDS, FIELD_MO_TEXT, FIELD_MO_RECEIPTED_ID } from './field-mos';
export { parseCliArgs, CliSettings, USAGE } from './cli-options';
export { OutbindClient, OutbindOptions } from './outbind-client';
