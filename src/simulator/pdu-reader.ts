/**
 * Reads what ESMEs send: splits the byte stream into PDUs (with the wire
 * layer's FrameReader, src/smpp) and hand-parses the few bodies the simulator needs (bind, submit_sm, data_sm), keeping
 * short_message raw. This replaces the smpp package's reader on the server's
 * sessions: the package decodes every short_message by data_coding (GSM
 * decoding char by char), which dominated the simulator's CPU profile, and it
 * stops reading a session after the first body it cannot parse.
 * Pure: never throws on input; bad input is reported as a result.
 */
import { FrameReader } from '../smpp/frame-reader';

/** Largest PDU accepted (message_payload can carry up to 64 KB). */
export const MAX_PDU_LENGTH = 70_000;

/**
 * The simulator's framing: the wire layer's FrameReader (src/smpp), read one
 * PDU at a time so a session can stop reading while its client does not read
 * its answers. A command_length outside 16..MAX_PDU_LENGTH ends the stream
 * (reported in `error` once the PDUs before it are read).
 */
export class PduFramer {
  private frames: Buffer[] = [];
  private head = 0;
  private lost: string | null = null;
  private readonly reader = new FrameReader(MAX_PDU_LENGTH, {
    frame: (pdu) => {
      this.frames.push(pdu);
    },
    oversize: () => undefined, // maxLength is the hard limit: never called
    lostFraming: (len) => {
      this.lost = `command_length ${len} is outside 16..${MAX_PDU_LENGTH}`;
    },
  }, MAX_PDU_LENGTH);

  /** Set when the stream cannot be framed any more (an impossible command_length) and every PDU before it was read. */
  get error(): string | null {
    return this.head < this.frames.length ? null : this.lost;
  }

  append(chunk: Buffer): void {
    this.reader.push(chunk);
  }

  /** The next complete PDU (a view on the input), or null when more bytes are needed or on a framing error. */
  next(): Buffer | null {
    if (this.head >= this.frames.length) return null;
    const pdu = this.frames[this.head++];
    if (this.head === this.frames.length) {
      this.frames = [];
      this.head = 0;
    }
    return pdu;
  }
}

/** Reads fields from a PDU body; any overrun sets `bad` and yields neutral values. */
class BodyReader {
  bad = false;
  constructor(private readonly pdu: Buffer, public o = 16) {}

  get end(): number {
    return this.pdu.length;
  }

  u8(): number {
    if (this.o >= this.pdu.length) {
      this.bad = true;
      return 0;
    }
    return this.pdu[this.o++];
  }

  cstring(): string {
    const nul = this.o < this.pdu.length ? this.pdu.indexOf(0, this.o) : -1;
    if (nul < 0) {
      this.bad = true;
      this.o = this.pdu.length;
      return '';
    }
    const s = this.pdu.toString('latin1', this.o, nul);
    this.o = nul + 1;
    return s;
  }

  /** Skips a C-string without decoding it. */
  skipCstring(): void {
    const nul = this.o < this.pdu.length ? this.pdu.indexOf(0, this.o) : -1;
    if (nul < 0) {
      this.bad = true;
      this.o = this.pdu.length;
      return;
    }
    this.o = nul + 1;
  }

  bytes(n: number): Buffer {
    if (this.o + n > this.pdu.length) {
      this.bad = true;
      this.o = this.pdu.length;
      return Buffer.alloc(0);
    }
    const b = this.pdu.subarray(this.o, this.o + n);
    this.o += n;
    return b;
  }
}

export interface BindFields {
  systemId: string;
  password: string;
}

/** bind_transmitter / bind_receiver / bind_transceiver: system_id and password (the rest is not needed). */
export function readBind(pdu: Buffer): BindFields | null {
  const r = new BodyReader(pdu);
  const systemId = r.cstring();
  const password = r.cstring();
  return r.bad ? null : { systemId, password };
}

export interface SubmitFields {
  srcTon: number;
  srcNpi: number;
  src: string;
  dstTon: number;
  dstNpi: number;
  dst: string;
  esmClass: number;
  registeredDelivery: number;
  dataCoding: number;
  /** Raw message bytes (short_message, or message_payload when short_message is empty), UDH included. */
  message: Buffer;
}

const TLV_MESSAGE_PAYLOAD = 0x0424;
const EMPTY = Buffer.alloc(0);

/** submit_sm (isDataSm false) or data_sm; null when a field runs past command_length. */
export function readSubmit(pdu: Buffer, isDataSm: boolean): SubmitFields | null {
  const r = new BodyReader(pdu);
  r.skipCstring(); // service_type
  const srcTon = r.u8();
  const srcNpi = r.u8();
  const src = r.cstring();
  const dstTon = r.u8();
  const dstNpi = r.u8();
  const dst = r.cstring();
  const esmClass = r.u8();
  let registeredDelivery: number;
  let dataCoding: number;
  let message: Buffer = EMPTY;
  if (isDataSm) {
    registeredDelivery = r.u8();
    dataCoding = r.u8();
  } else {
    r.u8(); // protocol_id
    r.u8(); // priority_flag
    r.skipCstring(); // schedule_delivery_time
    r.skipCstring(); // validity_period
    registeredDelivery = r.u8();
    r.u8(); // replace_if_present_flag
    dataCoding = r.u8();
    r.u8(); // sm_default_msg_id
    message = r.bytes(r.u8());
  }
  if (r.bad) return null;
  // TLVs: only message_payload matters; a TLV running past the end is malformed
  while (r.o + 4 <= r.end) {
    const tag = pdu.readUInt16BE(r.o);
    const len = pdu.readUInt16BE(r.o + 2);
    r.o += 4;
    const value = r.bytes(len);
    if (r.bad) return null;
    if (tag === TLV_MESSAGE_PAYLOAD && message.length === 0) message = value;
  }
  return { srcTon, srcNpi, src, dstTon, dstNpi, dst, esmClass, registeredDelivery, dataCoding, message };
}

/**
 * Best-effort text of a raw message for a receipt: skips a UDH (esm_class
 * 0x40), decodes UCS2 (data_coding 8) as UTF-16BE and everything else byte
 * per character, and keeps at most `max` characters.
 */
export function messageSnippet(message: Buffer, esmClass: number, dataCoding: number, max = 20): string {
  let body = message;
  if (esmClass & 0x40 && body.length > 0) body = body.subarray(Math.min(body.length, body[0] + 1));
  if ((dataCoding & 0x0f) === 0x08) {
    const even = Math.min(body.length & ~1, max * 2);
    return Buffer.from(body.subarray(0, even)).swap16().toString('utf16le');
  }
  return body.toString('latin1', 0, Math.min(body.length, max));
}
