/** The contract between the smpp-gateway config node and the nodes that use it: the gateway node's whole interface. */
import type { GatewayConfig } from '../src/config/gateway-config';
import type { StateEvent } from '../src/engine/engine-api';
import type { GatewayLike } from '../src/engine/engine-api';
import type { WholeMo } from '../src/message/reassembly';
import type { ReceiptMatcher } from '../src/correlation/matcher';
import type { FlowAck } from './flow-ack';
import type { Node, NodeStatus } from './red-types';

export type ClientKind = 'send' | 'receive' | 'dlr' | 'control';

/**
 * Called exactly once by the node a receipt (or MO) was handed to: ok when the
 * flow took it, false when it did not (the SMSC is then asked to send it again).
 */
export type Settled = (ok: boolean) => void;

export interface GatewayClient extends Node {
  /**
   * smpp-receive: a whole MO message (reassembled, or incomplete after the wait); returns true when it took it,
   * and then calls `settled` exactly once: ok, or false when the flow failed it (see flow-ack.ts)
   */
  acceptMo?(mo: WholeMo, settled: Settled): boolean;
  /**
   * smpp-dlr: a receipt, matched (sent) or not. Calls `settled` exactly once: at once when it does not output
   * it or acknowledges on arrival, else when the flow is done with it (ok), failed it (false) or the time limit passed (ok)
   */
  acceptReceipt?(payload: Record<string, unknown>, sent: Record<string, unknown> | null, settled: Settled): void;
  /** smpp-control: a state change */
  stateChanged?(ev: StateEvent): void;
}

export interface GatewayNode extends Node {
  /** one link's LinkSupervisor, or a LinkPool (links > 1 or bindSplit) */
  engine: GatewayLike | null;
  config: GatewayConfig | null;
  configErrors: string[];
  /**
   * Receipt correlation (src/correlation/matcher.ts): smpp-send calls
   * expect / accepted / refused / forget; the receipt router finds and applies.
   * Its persistent copy in a context store (correlationStore) is
   * correlation.stored, or null (memory only).
   */
  correlation: ReceiptMatcher;
  register(client: GatewayClient, kind: ClientKind): void;
  deregister(client: GatewayClient, done?: () => void): void;
  nextRef(): number;
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
  /** concatenated messages waiting for parts now (shareInstances: the whole account's, as Redis last said) */
  moHeldGroups: number;
  /** MOs refused with ESME_RTHROTTLED: Receiving Thread Pool Queue Length MOs and receipts not yet handled */
  moRefusedQueue: number;
}
