/**
 * A link's requests sent and not yet answered: sequence numbers, the sliding
 * window count, deadlines, and matching a response to its request. A response
 * answers the request of its sequence number only when it is of that
 * request's type (submit_sm_resp for submit_sm...), or a generic_nack, which
 * answers any request (SMPP 3.4 section 4.3). Pure: no timers, no socket.
 */
import type { PDU } from 'smpp';
import { PendingWindow } from './pending-window';
import type { SmppError } from '../smpp/smpp-error';

export type ResponseCallback = (err: SmppError | null, resp: PDU | null) => void;

export interface Outstanding {
  readonly command: string;
  readonly cb: ResponseCallback;
  /** counts against the sliding window (heartbeats and binds do not) */
  readonly windowed: boolean;
}

export type Answer =
  | { kind: 'unknown' }
  /** a response of another type carrying this request's sequence number: an error packet, the request still waits */
  | { kind: 'wrong-type'; waiting: Outstanding }
  | { kind: 'answered'; request: Outstanding; nack: boolean };

const MAX_SEQ = 0x7fffffff;

export class RequestWindow {
  /** requests outstanding that count against the window */
  inflight = 0;
  private seq = 0;
  private readonly pending = new PendingWindow<Outstanding>();

  /** The next sequence number (1..0x7fffffff, wrapping), skipping numbers still outstanding. */
  nextSeq(): number {
    do this.seq = this.seq >= MAX_SEQ ? 1 : this.seq + 1;
    while (this.pending.has(this.seq));
    return this.seq;
  }

  add(seq: number, req: Outstanding, expiresAt: number): void {
    this.pending.add(seq, req, expiresAt);
    if (req.windowed) this.inflight++;
  }

  /** Matches a response (its command name and sequence number); an answered request leaves the window. */
  answer(command: string, seq: number): Answer {
    const waiting = this.pending.peek(seq);
    if (!waiting) return { kind: 'unknown' };
    const nack = command === 'generic_nack';
    if (!nack && command !== `${waiting.command}_resp`) return { kind: 'wrong-type', waiting };
    this.pending.take(seq);
    if (waiting.windowed) this.inflight--;
    return { kind: 'answered', request: waiting, nack };
  }

  nextDeadline(): number | null {
    return this.pending.nextDeadline();
  }

  /** The requests whose deadline has passed, oldest first; they leave the window. */
  expire(now: number): Outstanding[] {
    const out = this.pending.expire(now);
    for (const p of out) if (p.windowed) this.inflight--;
    return out;
  }

  /** Everything outstanding (the link dropped); the window is empty afterwards. */
  drain(): Outstanding[] {
    this.inflight = 0;
    return this.pending.drain();
  }
}
