/** The contract between the smpp-gateway config node and the nodes that use it. */
import type { GatewayConfig } from '../src/config/gateway-config';
import type { GatewayEngine, StateEvent } from '../src/engine/gateway-engine';
import type { MoMessage } from '../src/message/inbound';
import type { CorrelationStore, SentRecord } from '../src/correlation/memory-store';

export type ReceiptWaiter = (payload: Record<string, unknown>) => void;
import type { Node, NodeMessage, NodeStatus } from './red-types';

export type ClientKind = 'send' | 'receive' | 'dlr' | 'control';

export interface GatewayClient extends Node {
  /** smpp-receive: an MO message; returns true when it took it */
  acceptMo?(mo: MoMessage): boolean;
  /** smpp-dlr: a receipt, matched (sent) or not */
  acceptReceipt?(payload: Record<string, unknown>, sent: Record<string, unknown> | null): void;
  /** smpp-control: a state change */
  stateChanged?(ev: StateEvent): void;
}

export interface GatewayNode extends Node {
  engine: GatewayEngine | null;
  config: GatewayConfig | null;
  configErrors: string[];
  correlation: CorrelationStore;
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
}

