/**
 * The simulator's public option, mode and counter types, shared by its parts
 * (lifecycle, sessions, request handling, answer and receipt scheduling).
 */
import type { MessageIdFormat, ReceiptIdFormat } from './message-ids';
import type { ReceiptFields } from './pdu-builder';
import type { FieldMode } from './field-modes';
import type { ReceiptState } from './receipt-format';

export type BindMode = 'transmitter' | 'receiver' | 'transceiver';

export interface SimulatorAccount {
  systemId: string;
  password: string;
}

export interface SimulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 2775; 0 = any free port (read .port after start()). */
  port?: number;
  /** Default [{ systemId: 'test', password: 'test' }]; an empty array accepts any. */
  accounts?: SimulatorAccount[];
  /** smpps when given. */
  tls?: { key: Buffer | string; cert: Buffer | string };
  /** Default 'requested' (registered_delivery & 0x03 != 0; 2 = only when the final state is a failure). */
  receipts?: 'always' | 'requested' | 'never';
  /** Default 100. */
  receiptDelayMs?: number;
  /** Default 'DELIVRD'. */
  receiptState?: ReceiptState;
  /** Id in submit_sm_resp; default 'hex'. */
  messageIdFormat?: MessageIdFormat;
  /** How the id appears in the receipt; default 'same'. */
  receiptIdFormat?: ReceiptIdFormat;
  /** What a receipt carries: the text and the TLVs (default 'both'), only the text, or only the TLVs (empty short_message). */
  receiptFields?: ReceiptFields;
  /**
   * Receipts due while no session of the submitter's system id can receive
   * them wait for the next bind of that system id (as a real SMSC keeps them)
   * instead of being dropped. Default false.
   */
  holdReceipts?: boolean;
  /**
   * Which session a receipt goes to: 'sender' (default) the transceiver that
   * submitted it, else a receiver of its system id; 'any-receiver' every
   * receiver or transceiver of the system id in turn (round robin), as an
   * SMSC spreads receipts over an account's binds.
   */
  receiptsTo?: 'sender' | 'any-receiver';
  /** What real carriers do that the default simulator does not (see field-modes.ts); settable later with setFieldMode. */
  field?: FieldMode;
  /** ms; 0 (default) = the simulator never sends enquire_link. */
  enquireLinkInterval?: number;
  log?: (line: string) => void;
}

export type FailureMode =
  | { kind: 'none' }
  | { kind: 'throttle'; everyN: number; status?: number }
  | { kind: 'late'; delayMs: number }
  | { kind: 'silent' }
  | { kind: 'reject'; status: number }
  | { kind: 'garbage'; everyN: number };

export interface SimulatorStats {
  binds: number;
  bindFailures: number;
  /** submit_sm received on a bound session (including throttled/rejected ones). */
  submits: number;
  /** data_sm received on a bound session. */
  dataSms: number;
  receiptsSent: number;
  /** Receipts due while no session of the submitter's system id could receive them. */
  receiptsDropped: number;
  mosSent: number;
  /** enquire_link received from clients. */
  enquireLinks: number;
  /** unbind received from clients. */
  unbinds: number;
  /** Malformed PDUs received (a body that overruns its length gets generic_nack; an impossible command_length closes the session). */
  malformed: number;
  /** Sessions open now. */
  sessions: number;
}

export type Counters = Omit<SimulatorStats, 'sessions'>;

export function newCounters(): Counters {
  return {
    binds: 0, bindFailures: 0, submits: 0, dataSms: 0, receiptsSent: 0, receiptsDropped: 0,
    mosSent: 0, enquireLinks: 0, unbinds: 0, malformed: 0,
  };
}
