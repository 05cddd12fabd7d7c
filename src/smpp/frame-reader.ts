/**
 * Cuts a TCP byte stream into SMPP PDUs by their 4-octet command_length.
 * Pure: bytes in, events out. Unlike the `smpp` package's reader it never
 * stops: a PDU longer than `maxLength` is skipped (its bytes are consumed and
 * it is reported as oversize); a command_length that cannot be a PDU
 * (< 16, or over `hardLimit`) means the stream is out of step and is reported
 * once as lost framing, after which nothing more is read.
 */
export interface FrameSink {
  frame(pdu: Buffer): void;
  /** a PDU over maxLength was skipped; header fields are those read from its first 16 octets, when present */
  oversize(length: number, commandId: number | null, seq: number | null): void;
  lostFraming(length: number): void;
}

export const HEADER_LENGTH = 16;

export class FrameReader {
  private pending: Buffer | null = null;
  /** bytes still to discard of an oversize PDU */
  private skipping = 0;
  private broken = false;

  constructor(
    private readonly maxLength: number,
    private readonly sink: FrameSink,
    private readonly hardLimit = 1 << 20,
  ) {}

  push(chunk: Buffer): void {
    if (this.broken) return;
    let buf = chunk;
    if (this.skipping > 0) {
      if (buf.length <= this.skipping) {
        this.skipping -= buf.length;
        return;
      }
      buf = buf.subarray(this.skipping);
      this.skipping = 0;
    }
    if (this.pending) {
      buf = Buffer.concat([this.pending, buf]);
      this.pending = null;
    }
    let off = 0;
    const end = buf.length;
    while (end - off >= 4) {
      const len = buf.readUInt32BE(off);
      if (len < HEADER_LENGTH || len > this.hardLimit) {
        this.broken = true;
        this.sink.lostFraming(len);
        return;
      }
      if (len > this.maxLength) {
        const have = end - off;
        const commandId = have >= 8 ? buf.readUInt32BE(off + 4) : null;
        const seq = have >= 16 ? buf.readUInt32BE(off + 12) : null;
        if (have >= HEADER_LENGTH || have >= len) {
          this.sink.oversize(len, commandId, seq);
          if (have >= len) {
            off += len;
            continue;
          }
          this.skipping = len - have;
          return;
        }
        break; // wait for the header to report it properly
      }
      if (end - off < len) break;
      this.sink.frame(buf.subarray(off, off + len));
      if (this.broken) return;
      off += len;
    }
    if (off < end) this.pending = Buffer.from(buf.subarray(off));
  }

  /** Stop reading (the link is closing). */
  stop(): void {
    this.broken = true;
    this.pending = null;
  }
}

export type FirstFrame =
  | { kind: 'more' }
  | { kind: 'bad-length'; length: number }
  | { kind: 'pdu'; pdu: Buffer; rest: Buffer };

/**
 * The first PDU of a stream's start (`buf`, all bytes so far): 'more' until
 * it is whole, 'bad-length' when its command_length cannot be a PDU of at
 * most `maxLength` octets; else the PDU and the bytes after it. Pure.
 */
export function readFirstFrame(buf: Buffer, maxLength: number): FirstFrame {
  if (buf.length < 4) return { kind: 'more' };
  const len = buf.readUInt32BE(0);
  if (len < HEADER_LENGTH || len > maxLength) return { kind: 'bad-length', length: len };
  if (buf.length < len) return { kind: 'more' };
  return { kind: 'pdu', pdu: buf.subarray(0, len), rest: buf.subarray(len) };
}
