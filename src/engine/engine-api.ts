/**
 * What the Node-RED nodes use of a gateway engine: one link's GatewayEngine,
 * or a LinkPool of several (links > 1, or separate transmitter and receiver
 * binds). Both implement it, so the nodes never know which one they have.
 *
 * Events: 'state' (StateEvent) whenever the gateway's state changes,
 * 'throttled' ({ status, pauseMs, at }) when a link starts a back-off after
 * ESME_RTHROTTLED / ESME_RMSGQFUL. A pool also emits 'link' (LinkEvent) for
 * every state change of one of its links.
 */
import type { EventEmitter } from 'events';
import type { GatewayConfig } from '../config/gateway-config';
import type { Counters, GatewayState, InboundHandler, StateEvent, SubmitCallback } from './gateway-engine';

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
  snapshot(): Record<string, unknown>;
}

/** A pool's 'link' event: one link's state change. */
export interface LinkEvent extends StateEvent {
  /** the link's place in the pool, from 0 */
  index: number;
}
export { LeasedBucket, LeaseTokens } from './leased-rate';
