/**
 * An SMSC simulator on top of the smpp package's server: binds with account
 * checks, submit_sm / data_sm with message ids, delivery receipts, MO
 * injection, failure modes and field modes for tests. It must never crash on
 * what a client sends: every handler is guarded, every session has an
 * 'error' listener and a session whose input cannot be parsed is destroyed.
 *
 * This file is the lifecycle (start, stop) and the public face; the work is
 * done by its parts: sessions.ts (connections, output, framing),
 * request-handler.ts (what each PDU gets), receipt-scheduler.ts (when
 * answers and receipts go out), test-controls.ts (what tests make it do),
 * field-modes.ts / field-mos.ts (what real carriers send).
 *
 * Hot-path notes: the sessions' input is read by our own reader (pdu-reader:
 * raw short_message, no per-PDU decoding), responses and receipts are built
 * by hand (pdu-builder), writes are batched per tick (cork, uncork on
 * nextTick), receipts and late answers share one timer per queue, and only
 * pending receipts keep state.
 */
import { EventEmitter } from 'events';
import * as smpp from 'smpp';
import type { FieldMode } from './field-modes';
import type { FieldMoKind } from './field-mos';
import type { MoOptions } from './mo-message';
import { ReceiptScheduler } from './receipt-scheduler';
import { FailureState, RequestHandler } from './request-handler';
import { Sessions } from './sessions';
import { BindMode, Counters, FailureMode, newCounters, SimulatorAccount, SimulatorOptions, SimulatorStats } from './sim-types';
import { TestControls } from './test-controls';

export type { MoOptions } from './mo-message';
export type { ReceiptState } from './receipt-format';
export type { MessageIdFormat, ReceiptIdFormat } from './message-ids';
export type { ReceiptFields } from './pdu-builder';
export type { FieldMode, ReceiptTiming } from './field-modes';
export type { FieldMoKind } from './field-mos';
export type { BindMode, FailureMode, SimulatorAccount, SimulatorOptions, SimulatorStats } from './sim-types';

const STOP_GRACE_MS = 1_000;

export class SmscSimulator extends EventEmitter {
  /** The listening port (the real one after start() when port 0 was asked). */
  port: number;
  readonly host: string;

  private readonly accounts: SimulatorAccount[];
  private readonly tls?: { key: Buffer | string; cert: Buffer | string };
  private readonly enquireLinkInterval: number;
  private readonly log: (line: string) => void;
  private readonly counters: Counters = newCounters();
  private readonly failure: FailureState = { mode: { kind: 'none' }, count: 0 };
  private readonly sessions: Sessions;
  private readonly scheduler: ReceiptScheduler;
  private readonly handler: RequestHandler;
  private readonly controls: TestControls;

  private server: smpp.Server | null = null;
  private enquireTimer: NodeJS.Timeout | null = null;

  constructor(options: SimulatorOptions = {}) {
    super();
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 2775;
    this.accounts = (options.accounts ?? [{ systemId: 'test', password: 'test' }]).map((a) => ({ ...a }));
    this.tls = options.tls;
    this.enquireLinkInterval = options.enquireLinkInterval ?? 0;
    this.log = options.log ?? (() => undefined);
    this.sessions = new Sessions({
      log: this.log,
      onPdu: (st, pdu) => this.handler.onPdu(st, pdu),
      onPduError: (st, pdu, err) => this.handler.onPduError(st, pdu, err),
      onClosed: (st) => this.emit('session-close', st.systemId || undefined),
    }, this.counters);
    this.scheduler = new ReceiptScheduler(options, this.sessions, this.counters, () => this.failure.mode, this.log);
    this.handler = new RequestHandler(this.sessions, this.scheduler, this.counters, this.failure, this.accounts, this, this.log);
    this.controls = new TestControls(this.sessions, this.failure);
  }

  // ---------------------------------------------------------------- lifecycle

  start(): Promise<void> {
    if (this.server) return Promise.reject(new Error('simulator already started'));
    const serverOptions: Record<string, unknown> = this.tls ? { key: this.tls.key, cert: this.tls.cert } : {};
    const server = smpp.createServer(serverOptions, (session) => this.sessions.open(session));
    this.server = server;
    server.on('connection', (socket) => this.sessions.trackSocket(socket));
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
          this.enquireTimer = setInterval(() => this.controls.sendEnquireLinks(), this.enquireLinkInterval);
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
    this.scheduler.clear();
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    this.enquireTimer = null;
    this.sessions.closeAll('simulator stopped');
    if (!server) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, STOP_GRACE_MS);
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  stats(): SimulatorStats {
    return { ...this.counters, sessions: this.sessions.size };
  }

  // ---------------------------------------------------------------- test controls (test-controls.ts)

  setFailure(mode: FailureMode): void {
    this.controls.setFailure(mode);
    this.log(`simulator: failure mode ${mode.kind}`);
  }

  /** Replaces the field mode (field-modes.ts); {} = the textbook SMSC. Throws a TypeError on a bad mode. */
  setFieldMode(mode: FieldMode): void {
    this.scheduler.setFieldMode(mode);
    this.log(`simulator: field mode ${JSON.stringify(mode)}`);
  }

  /** Sends an MO to one bound receiver/transceiver session (of systemId if given); resolves with the response status. */
  injectMo(opts: MoOptions): Promise<number> {
    return this.controls.injectMo(opts);
  }

  /**
   * Like injectMo, for a deliver_sm / data_sm already encoded (buildMoPdu):
   * a copy is sent with the session's next sequence number. For bursts, where
   * encoding each MO again would cost the simulator more than the client.
   */
  injectMoPdu(pdu: Buffer, systemId?: string): Promise<number> {
    return this.controls.injectMoPdu(pdu, systemId);
  }

  /** Sends the MOs of a field mode (field-mos.ts) to one receiver, in order; resolves with each response status. */
  injectFieldMo(kind: FieldMoKind, opts: { from?: string; to?: string; systemId?: string } = {}): Promise<number[]> {
    return this.controls.injectFieldMo(kind, opts);
  }

  /** Sends the MO to every bound receiver/transceiver session; resolves with each status (-1 when one failed). */
  broadcastMo(opts: MoOptions): Promise<number[]> {
    return this.controls.broadcastMo(opts);
  }

  /** Writes raw bytes to every bound session. */
  injectRaw(buf: Buffer): void {
    this.controls.injectRaw(buf);
  }

  /** Sends unbind to every bound session; each is closed on its unbind_resp (or after a grace period). Resolves when they are closed. */
  sendUnbind(): Promise<void> {
    return this.controls.sendUnbind();
  }

  /** Destroys every client connection at once (no unbind). */
  dropConnections(): void {
    this.controls.dropConnections();
  }

  /** Destroys one bound client connection (no unbind): the oldest, of `mode` if given. Returns its bind mode, or null when none is bound. */
  dropOneConnection(mode?: BindMode): BindMode | null {
    return this.controls.dropOneConnection(mode);
  }
}
