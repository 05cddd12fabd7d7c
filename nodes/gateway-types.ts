/** The contract between the smpp-gateway config node and the nodes that use it. */
import type { GatewayConfig } from '../src/config/gateway-config';
import type { StateEvent } from '../src/engine/engine-api';
import type { GatewayLike } from '../src/engine/engine-api';
import type { WholeMo } from '../src/message/reassembly';
import type { CorrelationStore, SentRecord } from '../src/correlation/memory-store';
import type { ContextCorrelation } from './correlation-context';

export type ReceiptWaiter = (payload: Record<string, unknown>) => void;
import type { Node, NodeMessage, NodeStatus } from './red-types';

export type ClientKind = 'send' | 'receive' | 'dlr' | 'control';

export interface GatewayClient extends Node {
  /** smpp-receive: a whole MO message (reassembled, or incomplete after the wait); returns true when it took it */
  acceptMo?(mo: WholeMo): boolean;
  /** smpp-dlr: a receipt, matched (sent) or not */
  acceptReceipt?(payload: Record<string, unknown>, sent: Record<string, unknown> | null): void;
  /** smpp-control: a state change */
  stateChanged?(ev: StateEvent): void;
}

export interface GatewayNode extends Node {
  /** one link's LinkSupervisor, or a LinkPool (links > 1 or bindSplit) */
  engine: GatewayLike | null;
  config: GatewayConfig | null;
  configErrors: string[];
  correlation: CorrelationStore;
  /** the persistent copy of the correlation in a context store (correlationStore), or null: memory only */
  correlationContext?: ContextCorrelation | null;
  register(client: GatewayClient, kind: ClientKind): void;
  deregister(client: GatewayClient, done?: () => void): void;
  nextRef(): number;
  /**
   * smpp-send: remember an accepted message for its receipts. With `waiter`
   * (send-and-wait), the final outcome is also handed to it once.
   */
  remember(ids: string[], msg: NodeMessage, extra: readonly string[], waiter?: ReceiptWaiter): SentRecord;
  /** smpp-send: stop waiting (timed out or closing); false if the outcome was already handed over */
  forget(record: SentRecord): boolean;
  currentStatus(): NodeStatus;
  /** MO counters (a fresh snapshot on each read; set by mo-router.ts) */
  moCounters?: MoCounters;
}

/** What the gateway counted of MO traffic since it started. */
export interface MoCounters {
  /** concatenated parts received (duplicates and refused ones included) */
  moParts: number;
  /** concatenated messages completed */
  moReassembled: number;
  /** concatenated messages handed out incomplete (wait over, or gateway closing) */
  moIncomplete: number;
  moDuplicateParts: number;
  /** MOs (or parts) refused with ESME_RX_R_APPN: source not within Accepted Number Prefix */
  moRefusedPrefix: number;
  /** parts refused with ESME_RMSGQFUL: too many messages waiting for parts */
  moRefusedFull: number;
  /** whole messages no smpp-receive node took (filters) */
  moUnrouted: number;
  /** concatenated messages waiting for parts now */
  moHeldGroups: number;
}

