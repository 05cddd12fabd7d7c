/**
 * A raw TCP SMSC on 127.0.0.1 that a fault test controls byte by byte: it
 * answers binds (or refuses them, or never answers), enquire_link and
 * submit_sm/data_sm when told to, records every PDU the gateway sends, and
 * lets the test write any bytes, stop reading, or close. It is a test tool,
 * not a simulator: it does nothing the test did not ask for. For receipt
 * timing, a test can take over the submits (FakeSmsc.onSubmit) and answer
 * each one and send its receipts in any order (answerSubmit, sendReceipt).
 */
import { EventEmitter } from 'events';
import * as net from 'net';
import { PDU } from 'smpp';
import { freePort } from './free-port';
import { CMD } from '../../src/simulator/pdu-builder';

/** One PDU from the gateway, as its header says and as the smpp codec reads it. */
export interface Received {
  at: number;
  commandId: number;
  status: number;
  seq: number;
  /** the codec's reading (command 'unknown' for an id it does not know) */
  pdu: PDU;
}

export type BindAnswer = 'ok' | 'never' | number;

/** command ids: the simulator's table (SMPP 3.4 section 5.1.2.1) */
export { CMD };

export function header(commandId: number, status: number, seq: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(16 + body.length);
  b.writeUInt32BE(16 + body.length, 0);
  b.writeUInt32BE(commandId >>> 0, 4);
  b.writeUInt32BE(status >>> 0, 8);
  b.writeUInt32BE(seq >>> 0, 12);
  body.copy(b, 16);
  return b;
}

/** One accepted TCP connection. */
export class FakeSession extends EventEmitter {
  readonly received: Received[] = [];
  bound = false;
  closed = false;
  /** answers nothing at all (binds, enquire_link, submits) */
  silent = false;
  private pending: Buffer = Buffer.alloc(0);
  private seq = 0x10000;
  private readonly waiters = new Map<number, (r: Received | null) => void>();

  constructor(readonly socket: net.Socket, private readonly smsc: FakeSmsc) {
    super();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined); // the gateway may reset a connection it gave up on
    socket.on('close', () => {
      this.closed = true;
      this.bound = false;
      for (const w of this.waiters.values()) w(null);
      this.waiters.clear();
      this.emit('close');
    });
  }

  /** Writes raw bytes; false when the connection is gone. */
  write(buf: Buffer): boolean {
    if (this.closed || this.socket.destroyed || !this.socket.writable) return false;
    this.socket.write(buf);
    return true;
  }

  /** Sends a request built by the smpp codec; resolves with the answer that carries its sequence number, or null if the connection closes (or after ms). */
  request(command: string, fields: Record<string, unknown> = {}, ms = 3000): Promise<Received | null> {
    const seq = this.nextSeq();
    const pdu = new PDU(command, { ...fields, sequence_number: seq });
    return this.requestRaw(pdu.toBuffer(), seq, ms);
  }

  /** Writes raw bytes and resolves with the first response carrying `seq` (null on close or after ms). */
  requestRaw(buf: Buffer, seq: number, ms = 3000): Promise<Received | null> {
    return new Promise((resolve) => {
      if (!this.write(buf)) return resolve(null);
      const timer = setTimeout(() => {
        this.waiters.delete(seq);
        resolve(null);
      }, ms);
      this.waiters.set(seq, (r) => {
        clearTimeout(timer);
        this.waiters.delete(seq);
        resolve(r);
      });
    });
  }

  nextSeq(): number {
    this.seq = this.seq >= 0x7ffffff0 ? 0x10000 : this.seq + 1;
    return this.seq;
  }

  /** Answers a submit_sm / data_sm the test took over (FakeSmsc.onSubmit) with this message id. */
  answerSubmit(r: Received, id: string): boolean {
    const command = r.commandId === CMD.submit_sm ? 'submit_sm_resp' : 'data_sm_resp';
    return this.write(new PDU(command, { sequence_number: r.seq, message_id: id }).toBuffer());
  }

  /**
   * Sends a delivery receipt for message `id` (esm_class 4, the id:/stat: text and the
   * receipted_message_id / message_state TLVs); resolves with the command_status of the
   * gateway's deliver_sm_resp, or null when none came within ms.
   */
  async sendReceipt(id: string, stat: string, opts: { messageState?: number; ms?: number } = {}): Promise<number | null> {
    const text = `id:${id} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:2401021200 done date:2401021201 stat:${stat} err:000 text:hello`;
    const fields: Record<string, unknown> = {
      source_addr_ton: 1, source_addr_npi: 1, source_addr: '4670000001', dest_addr_ton: 0, dest_addr_npi: 0, destination_addr: 'ACME',
      esm_class: 0x04, short_message: text, receipted_message_id: id,
    };
    if (opts.messageState !== undefined) fields.message_state = opts.messageState;
    const r = await this.request('deliver_sm', fields, opts.ms ?? 10_000);
    return r ? r.status : null;
  }

  /** Stops reading the socket and answering (a half-open link: the socket stays open). */
  stopReading(): void {
    this.silent = true;
    this.bound = false; // no longer a session the fake SMSC hands out as its current one
    this.socket.pause();
  }

  /** Destroys the connection (no unbind). */
  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 16) {
      const len = this.pending.readUInt32BE(0);
      if (len < 16) {
        // the gateway never sends this; stop rather than loop
        this.socket.destroy();
        return;
      }
      if (this.pending.length < len) break;
      const frame = Buffer.from(this.pending.subarray(0, len));
      this.pending = this.pending.subarray(len);
      let pdu: PDU;
      try {
        pdu = new PDU(frame);
      } catch {
        pdu = { command: 'undecodable' } as PDU;
      }
      const r: Received = { at: Date.now(), commandId: frame.readUInt32BE(4), status: frame.readUInt32BE(8), seq: frame.readUInt32BE(12), pdu };
      this.received.push(r);
      this.smsc.all.push(r);
      this.onPdu(r);
    }
  }

  private onPdu(r: Received): void {
    if (r.commandId & CMD.RESP) {
      const w = this.waiters.get(r.seq);
      if (w) w(r);
      this.emit('response', r);
      return;
    }
    this.emit('request', r);
    if (this.silent) return;
    const s = this.smsc;
    switch (r.commandId) {
      case CMD.bind_receiver:
      case CMD.bind_transmitter:
      case CMD.bind_transceiver: {
        s.bindAttempts.push(r.at);
        const answer = s.bindAnswer;
        if (answer === 'never') return;
        const status = answer === 'ok' ? 0 : answer;
        const resp = status === 0 ? new PDU(r.pdu.command + '_resp', { sequence_number: r.seq, system_id: 'FAKESMSC' }).toBuffer() : header((r.commandId | CMD.RESP) >>> 0, status, r.seq);
        this.write(resp);
        if (status === 0) {
          this.bound = true;
          s.emit('bound', this);
        }
        return;
      }
      case CMD.enquire_link:
        if (s.answerEnquireLink) this.write(header(CMD.enquire_link | CMD.RESP, 0, r.seq));
        return;
      case CMD.unbind:
        this.write(header(CMD.unbind | CMD.RESP, 0, r.seq));
        this.bound = false;
        this.socket.end();
        return;
      case CMD.submit_sm:
      case CMD.data_sm: {
        if (s.onSubmit) {
          s.onSubmit(this, r);
          return;
        }
        const a = s.submitAnswer;
        if (a === 'never') return;
        if (a === 'ok') {
          const id = (++s.messageIds).toString(16);
          this.write(new PDU(r.commandId === CMD.submit_sm ? 'submit_sm_resp' : 'data_sm_resp', { sequence_number: r.seq, message_id: id }).toBuffer());
        } else {
          this.write(header((r.commandId | CMD.RESP) >>> 0, a, r.seq));
        }
        return;
      }
    }
  }
}

export class FakeSmsc extends EventEmitter {
  port = 0;
  /** how binds are answered: 'ok', 'never', or a refusing command_status */
  bindAnswer: BindAnswer = 'ok';
  answerEnquireLink = true;
  /** how submit_sm / data_sm are answered: 'ok' (with a message id), 'never', or a command_status */
  submitAnswer: 'ok' | 'never' | number = 'ok';
  /** when set, submits are handed to the test instead (it answers them with session.answerSubmit) */
  onSubmit: ((session: FakeSession, r: Received) => void) | null = null;
  messageIds = 0;
  /** time of every accepted TCP connection */
  readonly connections: number[] = [];
  /** time of every bind request */
  readonly bindAttempts: number[] = [];
  readonly sessions: FakeSession[] = [];
  /** every PDU from the gateway, over all connections */
  readonly all: Received[] = [];
  private server: net.Server | null = null;

  async start(port = 0): Promise<void> {
    const server = net.createServer((socket) => {
      this.connections.push(Date.now());
      const s = new FakeSession(socket, this);
      this.sessions.push(s);
      this.emit('session', s);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.removeListener('error', reject);
        this.port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  /** The bound session that is still open, if any. */
  get current(): FakeSession | null {
    for (let i = this.sessions.length - 1; i >= 0; i--) {
      const s = this.sessions[i];
      if (s.bound && !s.closed) return s;
    }
    return null;
  }

  /** Resolves with an open bound session (waiting at most ms). */
  waitBound(ms = 5000): Promise<FakeSession> {
    const now = this.current;
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.removeListener('bound', on);
        reject(new Error(`fake SMSC: no bind within ${ms} ms`));
      }, ms);
      const on = (s: FakeSession) => {
        clearTimeout(timer);
        this.removeListener('bound', on);
        resolve(s);
      };
      this.on('bound', on);
    });
  }

  /** Closes the server and every connection; resolves within about a second. */
  stop(): Promise<void> {
    for (const s of this.sessions) s.socket.destroy();
    const server = this.server;
    this.server = null;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, 1000);
      server.close(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

export { freePort } from './free-port';
