/** The contract between the smpp-gateway config node and the nodes that use it. */
import type { GatewayConfig } from '../src/config/gateway-config';
import type { GatewayEngine, StateEvent } from '../src/engine/gateway-engine';
import type { MoMessage } from '../src/message/inbound';
import type { CorrelationStore } from '../src/correlation/memory-store';
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
  /** smpp-send: remember an accepted message for its receipts */
  remember(ids: string[], msg: NodeMessage, extra: readonly string[]): void;
  currentStatus(): NodeStatus;
}

