/**
 * The InboundRequest (engine-api.ts) a link hands over for a deliver_sm or
 * data_sm: the message decoded and classified once, its bytes, and the one
 * answer to the SMSC (only the first call of `respond` counts).
 */
import { PDU } from 'smpp';
import type { Inbound } from '../message/inbound';
import type { InboundRequest } from './engine-api';

export class ReceivedMessage implements InboundRequest {
  private decoded: PDU | null = null;
  private answered = false;

  constructor(
    readonly command: 'deliver_sm' | 'data_sm',
    readonly sequenceNumber: number,
    readonly inbound: Inbound,
    readonly raw: Buffer,
    private readonly answer: (status: number) => void,
  ) {}

  /** The `smpp` package's decoding, made on first use (tools and tests; the nodes use `inbound`). */
  get pdu(): PDU {
    return (this.decoded ??= new PDU(Buffer.from(this.raw)));
  }

  /** A function of its own (callers may keep `req.respond` apart from req). */
  readonly respond = (status: number): void => {
    if (this.answered) return;
    this.answered = true;
    this.answer(status);
  };
}
