/**
 * The send queue in front of one link's window, and its policy for a request
 * that did not succeed. Pure: no timers, no link; the supervisor asks
 * `afterFailure` what to do and does it (fail, wait, resend).
 *
 * - Throttle answers (ESME_RTHROTTLED, ESME_RMSGQFUL) put the request back at
 *   the front, behind the earlier throttled ones (the window is resent in the
 *   order it was first sent), and pause all sending with a growing back-off:
 *   one step per pause, not per answer. At most MAX_THROTTLE_RETRIES each.
 * - A link drop (LINK_DOWN) under inflightOnDrop = resend: back to the front
 *   once the link is gone (`restoreDropped`), at least once.
 * - Other transient failures: resent Resending Times, after Resending Waiting
 *   Time; a timeout only under inflightOnDrop = resend (the SMSC may have it).
 */
import { Backoff } from './backoff';
import { Fifo } from './fifo';
import { LOCAL, SmppError } from '../smpp/smpp-error';
import { isThrottle } from '../smpp/command-status';
import type { GatewayConfig } from '../config/gateway-config';
import type { SubmitCallback } from './engine-api';

export interface OutboundRequest {
  readonly command: string;
  readonly fields: Record<string, unknown>;
  readonly cb: SubmitCallback;
  /** resends after a transient failure (Resending Times) */
  resends: number;
  /** retries after ESME_RTHROTTLED / ESME_RMSGQFUL */
  throttles: number;
}

/** how many throttle answers one request may get before it fails (each after a growing pause) */
export const MAX_THROTTLE_RETRIES = 10;

export type FailureAction =
  /** give the error to the caller */
  | { kind: 'fail' }
  /** kept for after the reconnect (restoreDropped) */
  | { kind: 'held-for-reconnect' }
  /** back in the queue; sending paused until `until` (`started`: this answer started the pause) */
  | { kind: 'throttled'; until: number; started: { pauseMs: number } | null }
  /** send again after `waitMs` (then `resendNow`) */
  | { kind: 'resend'; waitMs: number };

type QueuePolicy = Pick<GatewayConfig, 'inflightOnDrop' | 'resendTimes' | 'resendWait'>;

export class SendQueue {
  private readonly fifo = new Fifo<OutboundRequest>(256);
  private readonly dropped: OutboundRequest[] = [];
  private readonly throttleBackoff: Backoff;
  /** throttled requests waiting at the front of the queue, kept in the order they were first sent */
  private throttledAhead = 0;
  /** no sending before this time (a throttle pause) */
  pausedUntil = 0;

  constructor(
    private readonly policy: QueuePolicy,
    random?: () => number,
  ) {
    this.throttleBackoff = new Backoff(Math.max(100, policy.resendWait || 1000), 30_000, random);
  }

  get length(): number {
    return this.fifo.length;
  }

  push(req: OutboundRequest): void {
    this.fifo.push(req);
  }

  /** The next request to send. */
  shift(): OutboundRequest | undefined {
    const req = this.fifo.shift();
    if (req && this.throttledAhead > 0) this.throttledAhead--;
    return req;
  }

  /** Puts requests back at the front, in their order (they waited longer). */
  unshiftAll(reqs: readonly OutboundRequest[]): void {
    for (let i = reqs.length - 1; i >= 0; i--) this.fifo.unshift(reqs[i]);
  }

  /** Everything waiting, oldest first; the queue is empty afterwards. */
  drain(): OutboundRequest[] {
    this.throttledAhead = 0;
    return this.fifo.drain();
  }

  /** The link is gone: requests held for the reconnect go back to the front, in order. */
  restoreDropped(): void {
    if (!this.dropped.length) return;
    this.unshiftAll(this.dropped);
    this.dropped.length = 0;
  }

  /** A request succeeded. */
  succeeded(req: OutboundRequest): void {
    if (req.throttles) this.throttleBackoff.reset();
  }

  /** What to do with a request that failed with `err` (`running`: the gateway still sends). */
  afterFailure(req: OutboundRequest, err: SmppError, now: number, running: boolean): FailureAction {
    if (!running) return { kind: 'fail' };
    if (err.code === LOCAL.LINK_DOWN) {
      if (this.policy.inflightOnDrop !== 'resend') return { kind: 'fail' };
      this.dropped.push(req);
      return { kind: 'held-for-reconnect' };
    }
    if (err.code >= 0 && isThrottle(err.code)) {
      if (req.throttles >= MAX_THROTTLE_RETRIES) return { kind: 'fail' };
      req.throttles++;
      this.fifo.insertAt(Math.min(this.throttledAhead, this.fifo.length), req);
      this.throttledAhead++;
      let started: { pauseMs: number } | null = null;
      // one back-off step per pause: the other throttle answers of the same window join it
      // (a step per answer would jump a window of 16 straight to the 30 s cap)
      if (this.pausedUntil <= now) {
        const pauseMs = this.throttleBackoff.next();
        this.pausedUntil = now + pauseMs;
        started = { pauseMs };
      }
      return { kind: 'throttled', until: this.pausedUntil, started };
    }
    // a timed-out submit may have reached the SMSC: sent again only under at-least-once (inflightOnDrop = resend)
    const mayResend = err.code !== LOCAL.TIMEOUT || this.policy.inflightOnDrop === 'resend';
    if (mayResend && err.retriable && req.resends < this.policy.resendTimes) {
      req.resends++;
      return { kind: 'resend', waitMs: this.policy.resendWait };
    }
    return { kind: 'fail' };
  }

  /** A resend's wait is over: it goes first. */
  resendNow(req: OutboundRequest): void {
    this.fifo.unshift(req);
  }
}
