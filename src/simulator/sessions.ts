/**
 * The simulator's client sessions: the raw sockets, each session's bind
 * state and sequence numbers, the receivers of each system id, batched
 * output (cork per tick, read paused while a client does not read), input
 * framing, and the MOs waiting for their response. It never decides what to
 * answer: complete PDUs go to the `onPdu` hook.
 */
import * as net from 'net';
import * as smpp from 'smpp';
import { buildMoPdu, MoOptions } from './mo-message';
import { PduFramer } from './pdu-reader';
import type { BindMode, Counters } from './sim-types';

interface PendingMo {
  resolve: (status: number) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export interface SimSession {
  session: smpp.Session;
  socket: net.Socket;
  remote: string;
  mode: BindMode | null;
  systemId: string;
  seq: number;
  corked: boolean;
  readPaused: boolean;
  framer: PduFramer;
  closed: boolean;
  unbinding: boolean;
  closeTimer: NodeJS.Timeout | null;
  pending: Map<number, PendingMo>;
}

export interface SessionHooks {
  log: (line: string) => void;
  /** One complete PDU (a view on the input); may throw, the caller answers ESME_RSYSERR. */
  onPdu: (st: SimSession, pdu: Buffer) => void;
  /** A request the hook threw on: answered by the caller. */
  onPduError: (st: SimSession, pdu: Buffer, err: unknown) => void;
  onClosed: (st: SimSession) => void;
}

const MO_TIMEOUT_MS = 10_000;
const CLOSE_GRACE_MS = 1_000;
/** Stop parsing a client's input while this much output waits for it. */
const WRITE_BACKLOG_LIMIT = 1 << 20;

function uncork(st: SimSession): void {
  st.corked = false;
  st.socket.uncork();
}

export class Sessions {
  /** Every raw connection, including TLS ones still in their handshake, so stop() can end them. */
  readonly sockets = new Set<net.Socket>();
  readonly all = new Set<SimSession>();
  private readonly receivers = new Map<string, SimSession[]>();
  private rr = 0;

  constructor(private readonly hooks: SessionHooks, private readonly counters: Counters) {}

  get size(): number {
    return this.all.size;
  }

  trackSocket(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }

  open(session: smpp.Session): SimSession {
    const socket = session.socket;
    const st: SimSession = {
      session,
      socket,
      remote: `${socket.remoteAddress}:${socket.remotePort}`,
      mode: null,
      systemId: '',
      seq: 0,
      corked: false,
      readPaused: false,
      framer: new PduFramer(),
      closed: false,
      unbinding: false,
      closeTimer: null,
      pending: new Map(),
    };
    this.all.add(st);
    try {
      socket.setNoDelay(true);
    } catch {
      /* a socket closed meanwhile */
    }
    // the package's Session re-emits socket errors; without a listener they would throw
    session.on('error', (err: Error) => {
      this.hooks.log(`simulator: socket error from ${st.remote}: ${err?.message}`);
      this.close(st, 'socket error');
    });
    // read the socket ourselves instead of through the package's parser (see pdu-reader)
    socket.removeAllListeners('readable');
    socket.on('data', (chunk: Buffer) => {
      if (st.closed) return;
      st.framer.append(chunk);
      this.readInput(st);
    });
    socket.on('close', () => this.onClose(st));
    this.hooks.log(`simulator: connection from ${st.remote}`);
    return st;
  }

  // ---------------------------------------------------------------- bind state

  /** Puts a session in the bound state (a receiver or transceiver joins its system id's receivers). */
  bind(st: SimSession, mode: BindMode, systemId: string): void {
    st.mode = mode;
    st.systemId = systemId;
    if (mode !== 'transmitter') {
      const list = this.receivers.get(systemId);
      if (list) list.push(st);
      else this.receivers.set(systemId, [st]);
    }
  }

  /** Takes a session out of the bound state (and out of the receiver lists). */
  unbound(st: SimSession): void {
    if (!st.mode) return;
    if (st.mode !== 'transmitter') {
      const list = this.receivers.get(st.systemId);
      if (list) {
        const i = list.indexOf(st);
        if (i >= 0) list.splice(i, 1);
        if (!list.length) this.receivers.delete(st.systemId);
      }
    }
    st.mode = null;
  }

  canReceive(st: SimSession): boolean {
    return !st.closed && (st.mode === 'receiver' || st.mode === 'transceiver');
  }

  /** A bound receiver/transceiver (of systemId if given), round robin; null when none. */
  pickReceiver(systemId?: string): SimSession | null {
    let list: SimSession[];
    if (systemId !== undefined) list = this.receivers.get(systemId) ?? [];
    else list = [...this.all].filter((st) => this.canReceive(st));
    if (!list.length) return null;
    return list[this.rr++ % list.length];
  }

  nextSeq(st: SimSession): number {
    st.seq = st.seq >= 0x7fffffff ? 1 : st.seq + 1;
    return st.seq;
  }

  // ---------------------------------------------------------------- output

  write(st: SimSession, buf: Buffer): void {
    const socket = st.socket;
    if (st.closed || !socket.writable) return;
    if (!st.corked) {
      st.corked = true;
      socket.cork();
      process.nextTick(uncork, st);
    }
    socket.write(buf);
    if (!st.readPaused && socket.writableLength > WRITE_BACKLOG_LIMIT) {
      // the client does not read: stop reading its requests until it catches up
      st.readPaused = true;
      socket.pause();
      socket.once('drain', () => {
        st.readPaused = false;
        if (st.closed) return;
        this.readInput(st);
        if (!st.readPaused) socket.resume();
      });
    }
  }

  /** Sends an MO (options, or a PDU already encoded that gets the session's next sequence number); resolves with the response status. */
  sendMo(st: SimSession, opts: MoOptions | Buffer): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const seq = this.nextSeq(st);
      let buf: Buffer;
      if (Buffer.isBuffer(opts)) {
        buf = Buffer.from(opts);
        buf.writeUInt32BE(seq, 12);
      } else buf = buildMoPdu(seq, opts); // throws (and so rejects) on bad options
      const timer = setTimeout(() => {
        st.pending.delete(seq);
        reject(new Error(`no response to the MO within ${MO_TIMEOUT_MS / 1000} s`));
      }, MO_TIMEOUT_MS);
      st.pending.set(seq, { resolve, reject, timer });
      this.write(st, buf);
      this.counters.mosSent++;
    });
  }

  /** A response to one of our requests: settles the MO waiting on that sequence number. */
  settleMo(st: SimSession, seq: number, status: number): void {
    const p = st.pending.get(seq);
    if (!p) return;
    st.pending.delete(seq);
    clearTimeout(p.timer);
    p.resolve(status);
  }

  // ---------------------------------------------------------------- input

  /** Handles every complete PDU buffered for the session (until reading is paused). */
  readInput(st: SimSession): void {
    let pdu: Buffer | null;
    while (!st.readPaused && !st.closed && (pdu = st.framer.next()) !== null) {
      try {
        this.hooks.onPdu(st, pdu);
      } catch (err) {
        this.hooks.onPduError(st, pdu, err);
      }
    }
    if (st.framer.error && !st.closed) {
      this.counters.malformed++;
      this.close(st, `unparsable input (${st.framer.error})`);
    }
  }

  // ---------------------------------------------------------------- closing

  private onClose(st: SimSession): void {
    if (st.closed && !this.all.has(st)) return;
    st.closed = true;
    this.all.delete(st);
    this.unbound(st);
    if (st.closeTimer) clearTimeout(st.closeTimer);
    st.closeTimer = null;
    const pending = [...st.pending.values()];
    st.pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(new Error('session closed before the MO was answered'));
    }
    this.hooks.log(`simulator: session ${st.remote} closed${st.systemId ? ` (${st.systemId})` : ''}`);
    this.hooks.onClosed(st);
  }

  close(st: SimSession, why: string): void {
    if (!st.closed) this.hooks.log(`simulator: closing ${st.remote}: ${why}`);
    st.closed = true;
    this.unbound(st);
    st.socket.destroy();
  }

  /** Ends the session politely (after the last write), destroying it if the peer lingers. */
  end(st: SimSession): void {
    this.unbound(st);
    st.socket.end();
    this.armCloseTimer(st);
  }

  armCloseTimer(st: SimSession): void {
    if (st.closeTimer || st.closed) return;
    st.closeTimer = setTimeout(() => {
      st.closeTimer = null;
      st.socket.destroy();
    }, CLOSE_GRACE_MS);
  }

  /** Destroys every session and raw connection. */
  closeAll(why: string): void {
    for (const st of this.all) this.close(st, why);
    for (const socket of this.sockets) socket.destroy();
  }
}
