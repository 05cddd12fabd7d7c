/** The contract between the smpp-gateway config node and the nodes that use it. */
import type { GatewayConfig } from '../src/config/gateway-config';
import type { StateEvent } from '../src/engine/gateway-engine';
import type { GatewayLike } from '../src/engine/engine-api';
import type { WholeMo } from '../src/message/reassembly';
import type { CorrelationStore, SentRecord } from '../src/correlation/memory-store';
import type { ContextCorrelation } from './correlation-context';
import type { FlowAck } from './flow-ack';

export type ReceiptWaiter = (payload: Record<string, unknown>) => void;
import type { Node, NodeMessage, NodeStatus } from './red-types';

export type ClientKind = 'send' | 'receive' | 'dlr' | 'control';

export interface GatewayClient extends Node {
  /**
   * smpp-receive: a whole MO message (reassembled, or incomplete after the wait); returns true when it took it,
   * and then calls `settled` exactly once: ok, or false when the flow failed it (see flow-ack.ts)
   */
  acceptMo?(mo: WholeMo, settled: (ok: boolean) => void): boolean;
  /**
   * smpp-dlr: a receipt, matched (sent) or not. Calls `settled` exactly once: at once when it does not output
   * it or acknowledges on arrival, else when the flow is done with it (ok), failed it (false) or the time limit passed (ok)
   */
  acceptReceipt?(payload: Record<string, unknown>, sent: Record<string, unknown> | null, settled: (ok: boolean) => void): void;
  /** smpp-control: a state change */
  stateChanged?(ev: StateEvent): void;
}

export interface GatewayNode extends Node {
  /** one link's GatewayEngine, or a LinkPool (links > 1 or bindSplit) */
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
  /** MO counters, read live (set by mo-router.ts) */
  moCounters?: MoCounters;
  /** how MOs and receipts are acknowledged (ackMo), and what is in the flow (set by smpp-gateway.ts, see flow-ack.ts) */
  flowAck?: FlowAck;
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
  /** MOs refused with ESME_RTHROTTLED: Receiving Thread Pool Queue Length MOs and receipts not yet handled */
  moRefusedQueue: number;
}

