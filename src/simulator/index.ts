export {
  SmscSimulator,
  SimulatorOptions,
  SimulatorAccount,
  SimulatorStats,
  FailureMode,
  BindMode,
  MoOptions,
  ReceiptState,
  MessageIdFormat,
  ReceiptIdFormat,
} from './smsc-simulator';
export { RECEIPT_STATES, MESSAGE_STATE, isFailureState } from './receipt-format';
export { MESSAGE_ID_FORMATS, RECEIPT_ID_FORMATS, receiptIdOf } from './message-ids';
export { parseCliArgs, CliSettings, USAGE } from './cli-options';
export { OutbindClient, OutbindOptions } from './outbind-client';
