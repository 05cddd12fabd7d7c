import { EventEmitter } from 'events';
import * as net from 'net';
import { PDU } from 'smpp';

/**
 * An in-memory socket for engine tests: what the engine writes is decoded
 * into PDUs the test can read and answer; what the test sends arrives at
 * once. No real I/O, no real time.
 */
export class FakeSocket extends EventEmitter {
  written: PDU[] = [];
  destroyed = false;
  ended = false;
  noDelay = false;
  /** called for every PDU the engine writes; may answer via this.reply */
  onPdu: ((pdu: PDU, sock: FakeSocket) => void) | null = null;

  setNoDelay(v: boolean): this {
    this.noDelay = v;
    return this;
  }
  cork(): void {}
  uncork(): void {}
  write(buf: Buffer): boolean {
    const pdu = new PDU(Buffer.from(buf));
    this.written.push(pdu);
    this.onPdu?.(pdu, this);
    return true;
  }
  end(): this {
    this.ended = true;
    return this;
  }
  destroy(): this {
    if (!this.destroyed) {
      this.destroyed = true;
      this.emit('close');
    }
    return this;
  }

  /** the peer accepts the TCP connection */
  accept(): void {
    this.emit('connect');
  }
  /** raw bytes from the peer */
  push(buf: Buffer): void {
    this.emit('data', buf);
  }
  /** a PDU from the peer */
  send(command: string, fields: Record<string, unknown> = {}): void {
    this.push(new PDU(command, fields).toBuffer());
  }
  /** answers `req` with its response */
  reply(req: PDU, fields: Record<string, unknown> = {}): void {
    this.push(req.response(fields).toBuffer());
  }
  /** the peer's TCP stack reports an error */
  fail(code: string): void {
    const e = Object.assign(new Error(code), { code });
    this.emit('error', e);
    this.destroy();
  }
  sent(command: string): PDU[] {
    return this.written.filter((p) => p.command === command);
  }
}

/** A socket factory handing out FakeSockets and remembering them. */
export class FakeNetwork {
  sockets: FakeSocket[] = [];
  /** set up each new socket (e.g. auto-accept and auto-bind) */
  onSocket: ((s: FakeSocket) => void) | null = null;

  factory = (): net.Socket => {
    const s = new FakeSocket();
    this.sockets.push(s);
    this.onSocket?.(s);
    return s as unknown as net.Socket;
  };

  get last(): FakeSocket {
    return this.sockets[this.sockets.length - 1];
  }
}

/** A peer that accepts, binds OK and answers every request with status 0 and message ids. */
export function friendlySmsc(net: FakeNetwork, opts: { answerSubmits?: boolean } = {}): void {
  let id = 0;
  net.onSocket = (s) => {
    s.onPdu = (pdu, sock) => {
      if (pdu.command.startsWith('bind_')) sock.reply(pdu, { system_id: 'FAKE' });
      else if (pdu.command === 'enquire_link') sock.reply(pdu);
      else if (pdu.command === 'unbind') sock.reply(pdu);
      else if ((pdu.command === 'submit_sm' || pdu.command === 'data_sm') && opts.answerSubmits !== false) sock.reply(pdu, { message_id: `m${++id}` });
    };
  };
}
