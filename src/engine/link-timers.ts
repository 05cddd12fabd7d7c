/**
 * A link's heartbeat and receive timers as one pure tick function (the way
 * smppex keeps its session timers): the link reports what happened, the
 * function answers with the new state and what to do. No clock here; the
 * link arms its timers with the delays it gets back.
 *
 * - Heartbeat (SMPP 3.4 section 4.11, enquire_link): sent every Heartbeat
 *   Interval once bound. Any answer (even an error status) shows the peer is
 *   alive. An unanswered one is resent Resending Times, Resending Waiting
 *   Time apart; when all of them went unanswered that is one miss, and Max
 *   Connection Times Upon No Heartbeat Response misses in a row (0: never)
 *   close the link.
 * - Receive timeout: nothing received for Receiving Timeout closes the link.
 */
import type { GatewayConfig } from '../config/gateway-config';

export type TimerSettings = Pick<GatewayConfig, 'heartbeatInterval' | 'maxHeartbeatMisses' | 'resendTimes' | 'resendWait' | 'receiveTimeout'>;

export interface TimerState {
  /** when the last octet arrived */
  readonly lastRx: number;
  /** heartbeats in a row that went unanswered (with all their resends) */
  readonly misses: number;
}

export type TimerEvent =
  /** the receive timer is due */
  | { kind: 'receive-due' }
  /** the link bound, or a heartbeat was answered (with any status) */
  | { kind: 'alive' }
  /** heartbeat number `attempt` (0 = the first, then its resends) got no answer within Transaction Timeout */
  | { kind: 'heartbeat-timeout'; attempt: number };

export type TimerAction =
  | { kind: 'none' }
  /** check the receive timeout again after inMs */
  | { kind: 'check-receive'; inMs: number }
  /** send heartbeat `attempt` after inMs; `warn` is a line for the log */
  | { kind: 'heartbeat'; attempt: number; inMs: number; warn?: string }
  | { kind: 'close'; code: 'heartbeat' | 'receive-timeout'; message: string };

export function timerTick(state: TimerState, event: TimerEvent, now: number, s: TimerSettings): { state: TimerState; action: TimerAction } {
  switch (event.kind) {
    case 'receive-due': {
      const idle = now - state.lastRx;
      if (idle >= s.receiveTimeout) {
        return { state, action: { kind: 'close', code: 'receive-timeout', message: `nothing received for ${s.receiveTimeout} ms (Receiving Timeout)` } };
      }
      return { state, action: { kind: 'check-receive', inMs: Math.max(0, state.lastRx + s.receiveTimeout - now) } };
    }
    case 'alive':
      return { state: { ...state, misses: 0 }, action: { kind: 'heartbeat', attempt: 0, inMs: s.heartbeatInterval } };
    case 'heartbeat-timeout': {
      if (event.attempt < s.resendTimes) return { state, action: { kind: 'heartbeat', attempt: event.attempt + 1, inMs: s.resendWait } };
      const misses = state.misses + 1;
      const next = { ...state, misses };
      if (s.maxHeartbeatMisses > 0 && misses >= s.maxHeartbeatMisses) {
        return { state: next, action: { kind: 'close', code: 'heartbeat', message: `${misses} heartbeats in a row without a response` } };
      }
      return { state: next, action: { kind: 'heartbeat', attempt: 0, inMs: s.heartbeatInterval, warn: `heartbeat not answered (${misses} in a row)` } };
    }
  }
}
