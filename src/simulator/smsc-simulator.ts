/**
 * An SMSC simulator on top of the smpp package's server: binds with account
 * checks, submit_sm / data_sm with message ids, delivery receipts, MO
 * injection and failure modes for tests. It must never crash on what a client
 * sends: every handler is guarded, every session has an 'error' listener and a
 * session whose input cannot be parsed is destroyed.
 *
 * Hot-path notes: the sessions' input is read by our own reader (pdu-reader:
 * raw short_message, no per-PDU decoding), responses and receipts are built
 * by hand (pdu-builder), writes are batched per tick (cork, uncork on
 * nextTick), receipts and late answers share one timer per queue, and only
 * pending receipts keep state.
 */
import { EventEmitter } from 'events';
import * as net from 'net';
import * as smpp from 'smpp';
import { DelayQueue } from './delay-queue';
import { MessageIdFormat, MessageIdGenerator, ReceiptIdFormat, receiptIdOf } from './message-ids';
import { buildMoPdu, MoOptions } from './mo-message';
import { bindResp, CMD, headerOnly, malformedFrame, ReceiptFields, ReceiptPdu, receiptDeliverSm, respWithId, STATUS } from './pdu-builder';
import { messageSnippet, PduFramer, readBind, readSubmit, SubmitFields } from './pdu-reader';
import { isFailureState, MESSAGE_STATE, ReceiptDateCache, receiptSnippet, receiptText, ReceiptState } from './receipt-format';

export type { MoOptions } from './mo-message';
export type { ReceiptState } from './receipt-format';
export type { MessageIdFormat, ReceiptIdFormat } from './message-ids';
export type { ReceiptFields } from './pdu-builder';

export type BindMode = 'transmitter' | 'receiver' | 'transceiver';

export interface SimulatorAccount {
  systemId: string;
  password: string;
}

export interface SimulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 2775; 0 = any free port (read .port after start()). */
  port?: number;
  /** Default [{ systemId: 'test', password: 'test' }]; an empty array accepts any. */
  accounts?: SimulatorAccount[];
  /** smpps when given. */
  tls?: { key: Buffer | string; cert: Buffer | string };
  /** Default 'requested' (registered_delivery & 0x03 != 0; 2 = only when the final state is a failure). */
  receipts?: 'always' | 'requested' | 'never';
  /** Default 100. */
  receiptDelayMs?: number;
  /** Default 'DELIVRD'. */
  receiptState?: ReceiptState;
  /** Id in submit_sm_resp; default 'hex'. */
  messageIdFormat?: MessageIdFormat;
  /** How the id appears in the receipt; default 'same'. */
  receiptIdFormat?: ReceiptIdFormat;
  /** What a receipt carries: the text and the TLVs (default 'both'), only the text, or only the TLVs (empty short_message). */
  receiptFields?: ReceiptFields;
  /**
   * Receipts due while no session of the submitter's system id can receive
   * them wait for the next bind of that system id (as a real SMSC keeps them)
   * instead of being dropped. Default false.
   */
  holdReceipts?: boolean;
  /** ms; 0 (default) = the simulator never sends enquire_link. */
  enquireLinkInterval?: number;
  log?: (line: string) => void;
}

export type FailureMode =
  | { kind: 'none' }
  | { kind: 'throttle'; everyN: number; status?: number }
  | { kind: 'late'; delayMs: number }
  | { kind: 'silent' }
  | { kind: 'reject'; status: number }
  | { kind: 'garbage'; everyN: number };

export interface SimulatorStats {
  binds: number;
  bindFailures: number;
  /** submit_sm received on a bound session (including throttled/rejected ones). */
  submits: number;
  /** data_sm received on a bound session. */
  dataSms: number;
  receiptsSent: number;
  /** Receipts due while no session of the submitter's system id could receive them. */
  receiptsDropped: number;
  mosSent: number;
  /** enquire_link received from clients. */
  enquireLinks: number;
  /** unbind received from clients. */
  unbinds: number;
  /** Malformed PDUs received (a body that overruns its length gets generic_nack; an impossible command_length closes the session). */
  malformed: number;
  /** Sessions open now. */
  sessions: number;
}

interface PendingMo {
  resolve: (status: number) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface SimSession {
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

interface PendingReceipt extends ReceiptPdu {
  from: SimSession;
  systemId: string;
  submitMs: number;
  state: ReceiptState;
  snippet: string;
}

interface LateAnswer {
  st: SimSession;
  buf: Buffer;
  receipt: PendingReceipt | null;
  after: (() => void) | null;
}

type Counters = Omit<SimulatorStats, 'sessions'>;

const MO_TIMEOUT_MS = 10_000;
const CLOSE_GRACE_MS = 1_000;
const STOP_GRACE_MS = 1_000;
/** Stop parsing a client's input while this much output waits for it. */
const WRITE_BACKLOG_LIMIT = 1 << 20;

const ESME_RINVCMDLEN = 0x02;

const BIND_MODES: Record<number, BindMode> = {
  [CMD.bind_transmitter]: 'transmitter',
  [CMD.bind_receiver]: 'receiver',
  [CMD.bind_transceiver]: 'transceiver',
};

function uncork(st: SimSession): void {
  st.corked = false;
  st.socket.uncork();
}

export class SmscSimulator extends EventEmitter {
  /** The listening port (the real one after start() when port 0 was asked). */
  port: number;
  readonly host: string;

  private readonly accounts: SimulatorAccount[];
  private readonly tls?: { key: Buffer | string; cert: Buffer | string };
  private readonly receiptsMode: 'always' | 'requested' | 'never';
  private readonly receiptDelayMs: number;
  private readonly receiptState: ReceiptState;
  private readonly receiptIsFailure: boolean;
  private readonly messageIdFormat: MessageIdFormat;
  private readonly receiptIdFormat: ReceiptIdFormat;
  private readonly receiptFields: ReceiptFields;
  private readonly holdReceipts: boolean;
  /** receipts held for a system id that had no receiver (holdReceipts) */
  private readonly heldReceipts = new Map<string, PendingReceipt[]>();
  private readonly enquireLinkInterval: number;
  private readonly log: (line: string) => void;

  private server: smpp.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly sessions = new Set<SimSession>();
  private readonly receivers = new Map<string, SimSession[]>();
  private rr = 0;
  private failure: FailureMode = { kind: 'none' };
  private failureCount = 0;
  private readonly ids: MessageIdGenerator;
  private readonly dates = new ReceiptDateCache();
  private readonly receiptQueue: DelayQueue<PendingReceipt>;
  private readonly lateQueue: DelayQueue<LateAnswer>;
  private enquireTimer: NodeJS.Timeout | null = null;
  private counters: Counters = {
    binds: 0, bindFailures: 0, submits: 0, dataSms: 0, receiptsSent: 0, receiptsDropped: 0,
    mosSent: 0, enquireLinks: 0, unbinds: 0, malformed: 0,
  };

  constructor(options: SimulatorOptions = {}) {
    super();
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 2775;
    this.accounts = (options.accounts ?? [{ systemId: 'test', password: 'test' }]).map((a) => ({ ...a }));
    this.tls = options.tls;
    this.receiptsMode = options.receipts ?? 'requested';
    this.receiptDelayMs = options.receiptDelayMs ?? 100;
    this.receiptState = options.receiptState ?? 'DELIVRD';
    if (!(this.receiptState in MESSAGE_STATE)) throw new TypeError(`unknown receiptState ${String(this.receiptState)}`);
    this.receiptIsFailure = isFailureState(this.receiptState);
    this.messageIdFormat = options.messageIdFormat ?? 'hex';
    this.receiptIdFormat = options.receiptIdFormat ?? 'same';
    this.receiptFields = options.receiptFields ?? 'both';
    this.holdReceipts = options.holdReceipts ?? false;
    this.enquireLinkInterval = options.enquireLinkInterval ?? 0;
    this.log = options.log ?? (() => undefined);
    this.ids = new MessageIdGenerator(this.messageIdFormat);
    const onQueueError = (err: unknown) => this.log(`simulator: internal error: ${String(err)}`);
    this.receiptQueue = new DelayQueue((r) => this.sendReceipt(r), onQueueError);
    this.lateQueue = new DelayQueue((a) => this.answerNow(a.st, a.buf, a.receipt, a.after), onQueueError);
  }

  // ---------------------------------------------------------------- lifecycle

  start(): Promise<void> {
    if (this.server) return Promise.reject(new Error('simulator already started'));
    const serverOptions: Record<string, unknown> = this.tls ? { key: this.tls.key, cert: this.tls.cert } : {};
    const server = smpp.createServer(serverOptions, (session) => this.onSession(session));
    this.server = server;
    // every raw connection, including TLS ones still in their handshake, so stop() can end them
    server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    });
    server.on('tlsClientError', (err: Error) => this.log(`simulator: TLS client error: ${err.message}`));
    return new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => {
        this.server = null;
        reject(err);
      };
      server.once('error', onError);
      server.listen(this.port, this.host, () => {
        server.removeListener('error', onError);
        server.on('error', (err: Error) => this.log(`simulator: server error: ${err.message}`));
        const address = server.address();
        if (address && typeof address === 'object') this.port = address.port;
        if (this.enquireLinkInterval > 0) {
          this.enquireTimer = setInterval(() => this.sendEnquireLinks(), this.enquireLinkInterval);
        }
        this.log(`simulator: listening on ${this.host}:${this.port}${this.tls ? ' (TLS)' : ''}`);
        resolve();
      });
    });
  }

  /** Closes the server and destroys every connection; resolves within about a second whatever the peers do. */
  stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.receiptQueue.clear();
    this.lateQueue.clear();
    this.heldReceipts.clear();
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    this.enquireTimer = null;
    for (const st of this.sessions) this.closeSession(st, 'simulator stopped');
    for (const socket of this.sockets) socket.destroy();
    if (!server) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, STOP_GRACE_MS);
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  // ---------------------------------------------------------------- test controls

  setFailure(mode: FailureMode): void {
    const m = mode as FailureMode & Record<string, unknown>;
    const positiveInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;
    switch (m.kind) {
      case 'none':
      case 'silent':
        break;
      case 'throttle':
        if (!positiveInt(m.everyN)) throw new TypeError('throttle needs everyN >= 1');
        if (m.status !== undefined && !(typeof m.status === 'number' && m.status >= 0)) throw new TypeError('throttle status must be a number');
        break;
      case 'garbage':
        if (!positiveInt(m.everyN)) throw new TypeError('garbage needs everyN >= 1');
        break;
      case 'late':
        if (!(typeof m.delayMs === 'number' && m.delayMs >= 0)) throw new TypeError('late needs delayMs >= 0');
        break;
      case 'reject':
        if (!(typeof m.status === 'number' && m.status > 0)) throw new TypeError('reject needs a nonzero status');
        break;
      default:
        throw new TypeError(`unknown failure mode ${String((m as { kind?: unknown }).kind)}`);
    }
    this.failure = { ...mode };
    this.failureCount = 0;
    this.log(`simulator: failure mode ${mode.kind}`);
  }

  stats(): SimulatorStats {
    return { ...this.counters, sessions: this.sessions.size };
  }

  /** Sends an MO to one bound receiver/transceiver session (of systemId if given); resolves with the response status. */
  injectMo(opts: MoOptions): Promise<number> {
    const st = this.pickReceiver(opts.systemId);
    if (!st) {
      return Promise.reject(new Error(`no bound receiver${opts.systemId !== undefined ? ` for system id ${opts.systemId}` : ''}`));
    }
    return this.sendMo(st, opts);
  }

  /**
   * Like injectMo, for a deliver_sm / data_sm already encoded (buildMoPdu):
   * a copy is sent with the session's next sequence number. For bursts, where
   * encoding each MO again would cost the simulator more than the client.
   */
  injectMoPdu(pdu: Buffer, systemId?: string): Promise<number> {
    const st = this.pickReceiver(systemId);
    if (!st) return Promise.reject(new Error(`no bound receiver${systemId !== undefined ? ` for system id ${systemId}` : ''}`));
    if (pdu.length < 16) return Promise.reject(new TypeError('injectMoPdu needs a whole PDU'));
    return this.sendMo(st, pdu);
  }

  /** Sends the MO to every bound receiver/transceiver session; resolves with each status (-1 when one failed). */
  broadcastMo(opts: MoOptions): Promise<number[]> {
    const targets = [...this.sessions].filter((st) => this.canReceive(st) && (opts.systemId === undefined || st.systemId === opts.systemId));
    return Promise.all(targets.map((st) => this.sendMo(st, opts).catch(() => -1)));
  }

  /** Writes raw bytes to every bound session. */
  injectRaw(buf: Buffer): void {
    for (const st of this.sessions) if (st.mode) this.write(st, buf);
  }

  /** Sends unbind to every bound session; each is closed on its unbind_resp (or after a grace period). Resolves when they are closed. */
  sendUnbind(): Promise<void> {
    const targets = [...this.sessions].filter((st) => st.mode);
    const closed = targets.map((st) => new Promise<void>((resolve) => {
      if (st.closed) resolve();
      else st.socket.once('close', () => resolve());
    }));
    for (const st of targets) {
      this.unbound(st);
      st.unbinding = true;
      this.write(st, headerOnly(CMD.unbind, 0, this.nextSeq(st)));
      this.armCloseTimer(st);
    }
    return Promise.all(closed).then(() => undefined);
  }

  /** Destroys every client connection at once (no unbind). */
  dropConnections(): void {
    for (const st of this.sessions) this.closeSession(st, 'connections dropped');
    for (const socket of this.sockets) socket.destroy();
  }

  /** Destroys one bound client connection (no unbind): the oldest, of `mode` if given. Returns its bind mode, or null when none is bound. */
  dropOneConnection(mode?: BindMode): BindMode | null {
    for (const st of this.sessions) {
      if (!st.mode || st.closed || (mode !== undefined && st.mode !== mode)) continue;
      const was = st.mode;
      this.closeSession(st, 'one connection dropped');
      return was;
    }
    return null;
  }

  // ---------------------------------------------------------------- sessions

  private onSession(session: smpp.Session): void {
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
    this.sessions.add(st);
    try {
      socket.setNoDelay(true);
    } catch {
      /* a socket closed meanwhile */
    }
    // the package's Session re-emits socket errors; without a listener they would throw
    session.on('error', (err: Error) => {
      this.log(`simulator: socket error from ${st.remote}: ${err?.message}`);
      this.closeSession(st, 'socket error');
    });
    // read the socket ourselves instead of through the package's parser (see pdu-reader)
    socket.removeAllListeners('readable');
    socket.on('data', (chunk: Buffer) => {
      if (st.closed) return;
      st.framer.append(chunk);
      this.readInput(st);
    });
    socket.on('close', () => this.onClose(st));
    this.log(`simulator: connection from ${st.remote}`);
  }

  private onClose(st: SimSession): void {
    if (st.closed && !this.sessions.has(st)) return;
    st.closed = true;
    this.sessions.delete(st);
    this.unbound(st);
    if (st.closeTimer) clearTimeout(st.closeTimer);
    st.closeTimer = null;
    const pending = [...st.pending.values()];
    st.pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(new Error('session closed before the MO was answered'));
    }
    this.log(`simulator: session ${st.remote} closed${st.systemId ? ` (${st.systemId})` : ''}`);
    this.emit('session-close', st.systemId || undefined);
  }

  private closeSession(st: SimSession, why: string): void {
    if (!st.closed) this.log(`simulator: closing ${st.remote}: ${why}`);
    st.closed = true;
    this.unbound(st);
    st.socket.destroy();
  }

  /** Ends the session politely (after the last write), destroying it if the peer lingers. */
  private endSession(st: SimSession): void {
    this.unbound(st);
    st.socket.end();
    this.armCloseTimer(st);
  }

  private armCloseTimer(st: SimSession): void {
    if (st.closeTimer || st.closed) return;
    st.closeTimer = setTimeout(() => {
      st.closeTimer = null;
      st.socket.destroy();
    }, CLOSE_GRACE_MS);
  }

  /** Takes a session out of the bound state (and out of the receiver lists). */
  private unbound(st: SimSession): void {
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

  private canReceive(st: SimSession): boolean {
    return !st.closed && (st.mode === 'receiver' || st.mode === 'transceiver');
  }

  private pickReceiver(systemId?: string): SimSession | null {
    let list: SimSession[];
    if (systemId !== undefined) list = this.receivers.get(systemId) ?? [];
    else list = [...this.sessions].filter((st) => this.canReceive(st));
    if (!list.length) return null;
    return list[this.rr++ % list.length];
  }

  private nextSeq(st: SimSession): number {
    st.seq = st.seq >= 0x7fffffff ? 1 : st.seq + 1;
    return st.seq;
  }

  // ---------------------------------------------------------------- output

  private write(st: SimSession, buf: Buffer): void {
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

  /** Sends a response now or, in 'late' mode, later; the receipt (if any) is scheduled once the response is out. */
  private answer(st: SimSession, buf: Buffer, receipt: PendingReceipt | null, after: (() => void) | null): void {
    const f = this.failure;
    if (f.kind === 'late' && f.delayMs > 0) {
      this.lateQueue.push(f.delayMs, { st, buf, receipt, after });
      return;
    }
    this.answerNow(st, buf, receipt, after);
  }

  private answerNow(st: SimSession, buf: Buffer, receipt: PendingReceipt | null, after: (() => void) | null): void {
    if (st.closed) return;
    this.write(st, buf);
    if (receipt) this.receiptQueue.push(this.receiptDelayMs, receipt);
    if (after) after();
  }

  private sendEnquireLinks(): void {
    if (this.failure.kind === 'silent') return;
    for (const st of this.sessions) {
      if (st.mode) this.write(st, headerOnly(CMD.enquire_link, 0, this.nextSeq(st)));
    }
  }

  private sendMo(st: SimSession, opts: MoOptions | Buffer): Promise<number> {
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

  // ---------------------------------------------------------------- input

  /** Handles every complete PDU buffered for the session (until reading is paused). */
  private readInput(st: SimSession): void {
    let pdu: Buffer | null;
    while (!st.readPaused && !st.closed && (pdu = st.framer.next()) !== null) {
      try {
        this.onPdu(st, pdu);
      } catch (err) {
        this.log(`simulator: internal error on command 0x${pdu.readUInt32BE(4).toString(16)}: ${String(err)}`);
        const id = pdu.readUInt32BE(4);
        if (!(id & CMD.RESP)) this.write(st, headerOnly((id | CMD.RESP) >>> 0, STATUS.ESME_RSYSERR, pdu.readUInt32BE(12)));
      }
    }
    if (st.framer.error && !st.closed) {
      this.counters.malformed++;
      this.closeSession(st, `unparsable input (${st.framer.error})`);
    }
  }

  /** A request whose body runs past its command_length: generic_nack, the session goes on. */
  private onMalformed(st: SimSession, id: number, seq: number): void {
    this.counters.malformed++;
    this.log(`simulator: malformed 0x${id.toString(16)} from ${st.remote}`);
    this.answer(st, headerOnly(CMD.generic_nack, ESME_RINVCMDLEN, seq), null, null);
  }

  private onPdu(st: SimSession, pdu: Buffer): void {
    const id = pdu.readUInt32BE(4);
    const seq = pdu.readUInt32BE(12);
    if (id & CMD.RESP) {
      this.onResponse(st, id, pdu.readUInt32BE(8), seq);
      return;
    }
    if (this.failure.kind === 'silent') return;
    switch (id) {
      case CMD.submit_sm:
      case CMD.data_sm:
        this.onSubmit(st, pdu, id, seq);
        return;
      case CMD.enquire_link:
        if (!st.mode) {
          this.answer(st, headerOnly(CMD.enquire_link | CMD.RESP, STATUS.ESME_RINVBNDSTS, seq), null, null);
          return;
        }
        this.counters.enquireLinks++;
        this.answer(st, headerOnly(CMD.enquire_link | CMD.RESP, 0, seq), null, null);
        return;
      case CMD.bind_transmitter:
      case CMD.bind_receiver:
      case CMD.bind_transceiver:
        this.onBind(st, pdu, id, seq);
        return;
      case CMD.unbind:
        if (!st.mode) {
          this.answer(st, headerOnly(CMD.unbind | CMD.RESP, STATUS.ESME_RINVBNDSTS, seq), null, null);
          return;
        }
        this.counters.unbinds++;
        this.log(`simulator: unbind from ${st.remote} (${st.systemId})`);
        this.unbound(st);
        this.answer(st, headerOnly(CMD.unbind | CMD.RESP, 0, seq), null, () => this.endSession(st));
        return;
      case CMD.alert_notification:
      case CMD.outbind:
        return; // no response exists for these
      default:
        if (!smpp.commandsById[id] || !smpp.commandsById[(id | CMD.RESP) >>> 0]) {
          this.answer(st, headerOnly(CMD.generic_nack, STATUS.ESME_RINVCMDID, seq), null, null);
        } else {
          // a known SMPP request the simulator does not serve (query_sm, submit_multi, ...)
          const status = st.mode ? STATUS.ESME_RINVCMDID : STATUS.ESME_RINVBNDSTS;
          this.answer(st, headerOnly((id | CMD.RESP) >>> 0, status, seq), null, null);
        }
    }
  }

  private onResponse(st: SimSession, id: number, status: number, seq: number): void {
    if (id === ((CMD.deliver_sm | CMD.RESP) >>> 0)) this.emit('deliver_resp', status, 'deliver_sm_resp');
    else if (id === ((CMD.data_sm | CMD.RESP) >>> 0)) this.emit('deliver_resp', status, 'data_sm_resp');
    const p = st.pending.get(seq);
    if (p) {
      st.pending.delete(seq);
      clearTimeout(p.timer);
      p.resolve(status);
    }
    if (id === ((CMD.unbind | CMD.RESP) >>> 0) && st.unbinding) this.endSession(st);
  }

  private onBind(st: SimSession, pdu: Buffer, id: number, seq: number): void {
    const respId = (id | CMD.RESP) >>> 0;
    const fields = readBind(pdu);
    if (!fields) {
      this.onMalformed(st, id, seq);
      return;
    }
    if (st.mode || st.unbinding) {
      this.answer(st, bindResp(respId, STATUS.ESME_RALYBND, seq, ''), null, null);
      return;
    }
    const mode = BIND_MODES[id];
    const { systemId, password } = fields;
    let status = 0;
    if (this.accounts.length) {
      const account = this.accounts.find((a) => a.systemId === systemId);
      if (!account) status = STATUS.ESME_RINVSYSID;
      else if (account.password !== password) status = STATUS.ESME_RINVPASWD;
    }
    if (status) {
      this.counters.bindFailures++;
      this.log(`simulator: bind_${mode} refused for '${systemId}' from ${st.remote} (status 0x${status.toString(16)})`);
      this.answer(st, bindResp(respId, status, seq, ''), null, null);
      return;
    }
    st.mode = mode;
    st.systemId = systemId;
    if (mode !== 'transmitter') {
      const list = this.receivers.get(systemId);
      if (list) list.push(st);
      else this.receivers.set(systemId, [st]);
    }
    this.counters.binds++;
    this.log(`simulator: bound ${mode} '${systemId}' from ${st.remote}`);
    this.answer(st, bindResp(respId, 0, seq, 'SMSCSIM'), null, () => {
      this.emit('bind', systemId, mode);
      if (mode !== 'transmitter') this.releaseHeldReceipts(systemId);
    });
  }

  private onSubmit(st: SimSession, pdu: Buffer, id: number, seq: number): void {
    const respId = (id | CMD.RESP) >>> 0;
    if (st.mode !== 'transmitter' && st.mode !== 'transceiver') {
      this.answer(st, headerOnly(respId, STATUS.ESME_RINVBNDSTS, seq), null, null);
      return;
    }
    const fields = readSubmit(pdu, id === CMD.data_sm);
    if (!fields) {
      this.onMalformed(st, id, seq);
      return;
    }
    if (id === CMD.submit_sm) this.counters.submits++;
    else this.counters.dataSms++;
    if (this.listenerCount('submit') > 0) this.emitSubmit(pdu);
    const f = this.failure;
    if (f.kind === 'reject') {
      this.answer(st, headerOnly(respId, f.status, seq), null, null);
      return;
    }
    if (f.kind === 'throttle' && ++this.failureCount % f.everyN === 0) {
      this.answer(st, headerOnly(respId, f.status ?? STATUS.ESME_RTHROTTLED, seq), null, null);
      return;
    }
    if (f.kind === 'garbage' && ++this.failureCount % f.everyN === 0) {
      this.write(st, malformedFrame(respId));
      return;
    }
    const messageId = this.ids.next();
    this.answer(st, respWithId(respId, seq, messageId), this.receiptFor(st, fields, messageId), null);
  }

  /** 'submit' listeners get the PDU as the smpp package parses it (only built when someone listens). */
  private emitSubmit(pdu: Buffer): void {
    let parsed: smpp.PDU;
    try {
      parsed = new smpp.PDU(Buffer.from(pdu));
    } catch (err) {
      this.log(`simulator: the smpp package cannot parse a submit it was sent: ${String(err)}`);
      return;
    }
    this.emit('submit', parsed);
  }

  // ---------------------------------------------------------------- receipts

  private receiptFor(st: SimSession, f: SubmitFields, messageId: string): PendingReceipt | null {
    if (this.receiptsMode === 'never') return null;
    if (this.receiptsMode === 'requested') {
      const rd = f.registeredDelivery & 0x03;
      if (rd === 0 || (rd === 2 && !this.receiptIsFailure)) return null;
    }
    return {
      from: st,
      systemId: st.systemId,
      submitMs: Date.now(),
      state: this.receiptState,
      snippet: receiptSnippet(messageSnippet(f.message, f.esmClass, f.dataCoding)),
      srcTon: f.dstTon,
      srcNpi: f.dstNpi,
      src: f.dst,
      dstTon: f.srcTon,
      dstNpi: f.srcNpi,
      dst: f.src,
      receiptId: receiptIdOf(messageId, this.messageIdFormat, this.receiptIdFormat),
      messageState: MESSAGE_STATE[this.receiptState],
      text: '',
      fields: this.receiptFields,
    };
  }

  /** Sends the receipts held for systemId (holdReceipts) now that it has a receiver again. */
  private releaseHeldReceipts(systemId: string): void {
    const held = this.heldReceipts.get(systemId);
    if (!held) return;
    this.heldReceipts.delete(systemId);
    for (const r of held) this.sendReceipt(r);
  }

  private sendReceipt(r: PendingReceipt): void {
    if (this.failure.kind === 'silent') return;
    let target: SimSession | null = r.from.mode === 'transceiver' && !r.from.closed ? r.from : null;
    if (!target) {
      const list = this.receivers.get(r.systemId);
      if (list && list.length) target = list[this.rr++ % list.length];
    }
    if (!target) {
      if (this.holdReceipts) {
        const held = this.heldReceipts.get(r.systemId);
        if (held) held.push(r);
        else this.heldReceipts.set(r.systemId, [r]);
        return;
      }
      this.counters.receiptsDropped++;
      return;
    }
    const now = Date.now();
    r.text = receiptText(r.receiptId, this.dates.format(r.submitMs), this.dates.format(now), r.state, r.snippet);
    this.write(target, receiptDeliverSm(this.nextSeq(target), r));
    this.counters.receiptsSent++;
  }
}
