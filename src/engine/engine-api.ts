/**
 * The engine contract: everything the Node-RED nodes use of a gateway engine,
 * defined here (the implementations import these types, never the other way
 * round). nodes/ imports from src/engine only this file and the factory
 * (create-gateway.ts); test/engine/import-graph.test.ts checks it.
 *
 * A gateway is one SmppLinkSupervisor (one link) or a LinkPool (links > 1, or
 * separate transmitter and receiver binds); both implement GatewayLike, so the
 * nodes never know which one they have.
 *
 * Events: 'state' (StateEvent) whenever the gateway's state changes,
 * 'throttled' (ThrottledEvent) when a link starts a back-off after
 * ESME_RTHROTTLED / ESME_RMSGQFUL. A pool also emits 'link' (LinkEvent) for
 * every state change of one of its links.
 */
import type { EventEmitter } from 'events';
import type { PDU } from 'smpp';
import type { BindMode, GatewayConfig } from '../config/gateway-config';
import type { Inbound } from '../message/inbound';
import type { SmppError } from '../smpp/smpp-error';

export type { BindMode };

export type GatewayState = 'idle' | 'connecting' | 'binding' | 'bound' | 'retrying' | 'stopped' | 'closing' | 'closed';

/** Why a link closed: a machine-readable cause, words for people, and the SMPP status of a refused bind. */
export interface CloseReason {
  code:
    | 'connect-failed'
    | 'connect-timeout'
    | 'bind-refused'
    | 'bind-timeout'
    | 'socket-error'
    | 'peer-closed'
    | 'peer-unbind'
    | 'heartbeat'
    | 'receive-timeout'
    | 'error-packets'
    | 'framing'
    | 'unbound'
    | 'local'
    | 'tls-refused'
    | 'tls-pin';
  message: string;
  /** the SMPP status of a refused bind */
  status?: number;
}

/**
 * A bind the SMSC refused for the login itself (SMPP 3.4 section 5.1.3):
 * ESME_RINVPASWD -> 'password', ESME_RINVSYSID -> 'system-id',
 * ESME_RINVSYSTYP -> 'system-type', ESME_RBINDFAIL -> 'bind-failed'. The engine then waits the longest
 * reconnect delay at once (carriers lock accounts after repeated refused binds).
 */
export type LoginRefusal = 'password' | 'system-id' | 'system-type' | 'bind-failed';

export interface StateEvent {
  state: GatewayState;
  mode: BindMode;
  since: number;
  /** why the link is down, when it is */
  reason?: string;
  /** machine-readable cause of the last drop */
  code?: CloseReason['code'];
  /** SMPP status name of a refused bind */
  status?: string;
  /** set when the bind was refused for the login: a code the nodes can put in words */
  loginRefused?: LoginRefusal;
  /** when retrying: the delay before the next attempt */
  retryInMs?: number;
}

/** A pool's 'link' event: one link's state change. */
export interface LinkEvent extends StateEvent {
  /** the link's place in the pool, from 0 */
  index: number;
}

/** The 'throttled' event. */
export interface ThrottledEvent {
  status: string;
  pauseMs: number;
  at: number;
}

export interface Credentials {
  systemId: string;
  password: string;
}

export type SubmitCallback = (err: SmppError | null, resp: PDU | null) => void;

/** A deliver_sm or data_sm from the SMSC, decoded and classified once (see message/inbound.ts). */
export interface InboundRequest {
  readonly command: 'deliver_sm' | 'data_sm';
  readonly sequenceNumber: number;
  /** the classified message: an MO, a receipt, or invalid (with the reason) */
  readonly inbound: Inbound;
  /** the whole PDU as received; valid only during the call unless copied */
  readonly raw: Buffer;
  /** the `smpp` package's decoding of raw, made on first use (tools and tests; the nodes use `inbound`) */
  readonly pdu: PDU;
  /** answers the SMSC; only the first call counts */
  respond(status: number): void;
}

export type InboundHandler = (req: InboundRequest) => void;

export interface Counters {
  submitted: number;
  accepted: number;
  failed: number;
  failedByStatus: Record<string, number>;
  resent: number;
  throttledResponses: number;
  inbound: number;
  inboundThrottled: number;
  reconnects: number;
  binds: number;
  errorPackets: number;
  /** main-link connects refused for the SMSC certificate (verification or tlsPin) */
  tlsRefused: number;
  /** good outbinds on upstreamPort (each then binds as receiver) */
  outbindAccepted: number;
  /** connections on upstreamPort refused: wrong system_id or password, garbage, timeout */
  outbindRefused: number;
  /** inbound delivery receipts (esm_class message type a receipt type, SMPP 3.4 section 5.2.12) */
  receipts: number;
  /** inbound MO messages (every other message type) */
  mos: number;
}

/** The plain object smpp-control's status command shows. */
export interface GatewaySnapshot {
  state: GatewayState;
  mode: BindMode;
  since: string;
  reason: string | null;
  window: { inUse: number; size: number; perLink?: number };
  queue: { depth: number; size: number };
  /** inbound not yet answered; size: Receiving Thread Pool Queue Length (the gateway's, whatever its links) */
  receiving: { unacknowledged: number; size: number };
  counters: Counters;
  outbind: { port: number; listening: boolean; boundLinks: number } | null;
  rates: { sendPerSecond: number; receivePerSecond: number; overSeconds: number };
  lastError: string | null;
  lastErrorAt: string | null;
  /** a pool's links */
  links?: { index: number; mode: BindMode; state: GatewayState; inflight: number; queue: number; accepted: number; inbound: number; reason: string | null }[];
  /** a pool's bound links by mode */
  linksBound?: Record<BindMode, number>;
}

export interface GatewayLike extends Pick<EventEmitter, 'on' | 'once' | 'off' | 'removeListener' | 'listenerCount'> {
  readonly config: GatewayConfig;
  readonly state: GatewayState;
  readonly stateEvent: StateEvent;
  /** requests waiting for a window slot (all links) */
  readonly queueLength: number;
  /** requests sent and not yet answered (all links) */
  readonly inflight: number;
  /** what happened since start (summed over the links) */
  readonly counters: Counters;
  /** Starts connecting (once). */
  start(): void;
  /** The one handler for deliver_sm / data_sm from the SMSC (from every link). It must call req.respond. */
  setInboundHandler(handler: InboundHandler | null): void;
  /** Queues a submit_sm or data_sm; `cb` is called exactly once, with the response or an SmppError. */
  submit(command: 'submit_sm' | 'data_sm', fields: Record<string, unknown>, cb: SubmitCallback): void;
  /** Drops the link(s) and binds again now. */
  rebuild(): void;
  /** Takes the link(s) down until `connect()`; what is queued fails. */
  disconnect(reason?: string): Promise<void>;
  /** Connects again after `disconnect()`. */
  connect(): void;
  /** Accepts nothing new, fails what is queued, drains, unbinds. Never rejects. */
  close(): Promise<void>;
  /** A plain object for smpp-control's status command. */
  snapshot(): GatewaySnapshot;
}
export { LeasedBucket, LeaseTokens } from './leased-rate';
