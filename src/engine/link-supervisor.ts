/**
 * The supervisor of one SMPP link (one bind): owns the link's life (connect,
 * bind, reconnect with back-off, rebuild, disconnect, close), pumps its send
 * queue (send-queue.ts: the throttle and resend policy) into the sliding
 * window under the rate limits, the outbind listener, and inbound flow
 * control. A gateway of several links is a LinkPool of these.
 * No Node-RED import: the config node is a thin layer over this.
 *
 * Over 350 lines because it is the one place where these lifecycles meet
 * (a state change fails, moves or resumes the queue, the outbind and the
 * inbound flow); each policy that stands alone lives in its own pure file.
 *
 * Promise kept: every request given to `submit` gets its callback exactly
 * once, with a response or an error. Nothing is dropped in silence.
 */
import { EngineState } from './engine-state';
import { PDU } from 'smpp';
import { Backoff } from './backoff';
import { Clock, TimerHandle, realClock } from './clock';
import { OutboundRequest, SendQueue } from './send-queue';
import { zeroCounters } from './counters';
import { ReceivedMessage } from './received-message';
import { LinkListener, LinkSettings, SmppLink, SocketFactory, defaultSocketFactory } from './smpp-link';
import { LOCAL, SmppError } from '../smpp/smpp-error';
import { TokenBucket } from './token-bucket';
import { OutbindReceiver, outbindListenHost } from './outbind-listener';
import { parsePins, tlsWeaknessWarning } from './tls-options';
import { RateMeter } from './rate-meter';
import { COMMAND_STATUS } from '../smpp/command-status';
import type { GatewayConfig } from '../config/gateway-config';
import type {
  CloseReason, Counters, Credentials, GatewayLike, GatewaySnapshot, InboundHandler, InboundRequest, LoginRefusal, SubmitCallback,
} from './engine-api';

export interface EngineDeps {
  clock?: Clock;
  random?: () => number;
  socketFactory?: SocketFactory;
  log?: (level: 'debug' | 'info' | 'warn', text: string) => void;
  tlsCa?: string | Buffer;
  /** a Max Sending Rate bucket shared with other engines (link-pool: the rate is the gateway's total); null = none */
  sendBucket?: TokenBucket | null;
  /** the same for Max Receiving Rate */
  receiveBucket?: TokenBucket | null;
}

/** The login part of a refused bind (SMPP 3.4 section 5.1.3 statuses), or undefined for any other refusal. */
export function loginRefusal(status: number | undefined): LoginRefusal | undefined {
  if (status === COMMAND_STATUS.ESME_RINVPASWD) return 'password';
  if (status === COMMAND_STATUS.ESME_RINVSYSID) return 'system-id';
  if (status === COMMAND_STATUS.ESME_RINVSYSTYP) return 'system-type';
  if (status === COMMAND_STATUS.ESME_RBINDFAIL) return 'bind-failed';
  return undefined;
}

export class LinkSupervisor extends EngineState implements GatewayLike {
  private readonly socketFactory: SocketFactory;
  private readonly backoff: Backoff;
  private readonly queue: SendQueue;
  private readonly sendBucket: TokenBucket | null;
  private readonly receiveBucket: TokenBucket | null;
  private link: SmppLink | null = null;
  private retryTimer: TimerHandle | null = null;
  private pumpTimer: TimerHandle | null = null;
  /** error-packet warnings: at most one a second, so a hostile peer cannot flood the log */
  private errorWarnAt = -Infinity;
  private errorWarnSuppressed = 0;
  private unacked = 0;
  private inboundHandler: InboundHandler | null = null;
  private outbind: OutbindReceiver | null = null;
  private closing: Promise<void> | null = null;
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;
  /** requests written to the SMSC, and deliver_sm/data_sm received, per second over the last 10 s */
  private readonly sendRate = new RateMeter(() => this.clock.now());
  private readonly receiveRate = new RateMeter(() => this.clock.now());
  readonly counters: Counters = zeroCounters();

  private readonly listener: LinkListener = {
    onBound: (link) => this.onBound(link),
    onClosed: (link, reason) => this.onLinkClosed(link, reason),
    onInbound: (link, req) => this.onInbound(link, req),
    onSlotFree: () => this.pump(),
    onLog: (level, text) => this.log(level, text),
    onErrorPacket: (_link, detail) => {
      this.counters.errorPackets++;
      this.warnErrorPacket(`error packet: ${detail}`);
    },
  };

  constructor(
    readonly config: GatewayConfig,
    private readonly credentials: Credentials,
    private readonly deps: EngineDeps = {},
  ) {
    super(config.bindMode, deps.clock ?? realClock);
    this.socketFactory = deps.socketFactory ?? defaultSocketFactory;
    this.backoff = new Backoff(config.reconnectMin, config.reconnectMax, deps.random);
    this.queue = new SendQueue(config, deps.random);
    const now = this.clock.now();
    const rated = config.trafficPolicy !== '';
    this.sendBucket = deps.sendBucket !== undefined ? deps.sendBucket : rated && config.maxSendRate ? new TokenBucket(config.maxSendRate, now) : null;
    this.receiveBucket = deps.receiveBucket !== undefined ? deps.receiveBucket : rated && config.maxReceiveRate ? new TokenBucket(config.maxReceiveRate, now) : null;
  }

  // ---- public API -------------------------------------------------------------------

  get queueLength(): number {
    return this.queue.length;
  }

  get inflight(): number {
    return this.link?.inflight ?? 0;
  }

  /** Starts connecting (once). */
  start(): void {
    if (this.stateInfo.state !== 'idle') return;
    const weak = tlsWeaknessWarning(this.config);
    if (weak) this.log('warn', weak);
    this.startOutbind();
    this.openLink();
  }

  /** Registers the one handler for deliver_sm / data_sm from the SMSC. It must call req.respond. */
  setInboundHandler(handler: InboundHandler | null): void {
    this.inboundHandler = handler;
  }

  /**
   * Queues a submit_sm or data_sm. `cb` is called exactly once: with the
   * SMSC's response, or with an SmppError saying why not.
   */
  submit(command: 'submit_sm' | 'data_sm', fields: Record<string, unknown>, cb: SubmitCallback): void {
    this.counters.submitted++;
    const state = this.stateInfo.state;
    if (state === 'closing' || state === 'closed') return this.fail(cb, new SmppError(LOCAL.NOT_RUNNING, 'the gateway is closing: message not sent'));
    if (state === 'stopped') return this.fail(cb, new SmppError(LOCAL.NOT_RUNNING, 'the gateway was disconnected by the operator: message not sent'));
    if (this.config.bindMode === 'receiver') return this.fail(cb, new SmppError(LOCAL.INVALID, 'the gateway binds as receiver (Receiving And Sending Mode = Receive SMS messages): it cannot send'));
    if (this.queue.length >= this.config.sendQueueLength) {
      return this.fail(cb, new SmppError(LOCAL.QUEUE_FULL, `the send queue is full (Sending Thread Pool Queue Length ${this.config.sendQueueLength}): message not sent`));
    }
    if (this.sendBucket && this.config.trafficPolicy === 'reject' && !this.sendBucket.take(this.clock.now())) {
      const why = this.sendBucket.unavailable ?? `over Max Sending Rate ${this.config.maxSendRate}/s`;
      return this.fail(cb, new SmppError(LOCAL.RATE_LIMITED, `${why} (Extra Traffic Processing Policy = reject): message not sent`));
    }
    this.queue.push({ command, fields, cb, resends: 0, throttles: 0 });
    this.pump();
  }

  /** Drops the link and binds again now (smpp-control's rebuild). */
  rebuild(): void {
    const s = this.stateInfo.state;
    if (s === 'closing' || s === 'closed') return;
    this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.backoff.reset();
    const link = this.link;
    if (link) {
      this.link = null;
      link.close({ code: 'local', message: 'rebuilt by operator' });
    }
    this.openLink();
  }

  /** Takes the link down and keeps it down until `connect()` (smpp-control's disconnect). */
  disconnect(reason = 'disconnected by operator'): Promise<void> {
    const s = this.stateInfo.state;
    if (s === 'closing' || s === 'closed') return Promise.resolve();
    this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.setState({ state: 'stopped', reason });
    for (const req of this.queue.drain()) this.fail(req.cb, new SmppError(LOCAL.NOT_RUNNING, `${reason}: message not sent`));
    const link = this.link;
    this.link = null;
    return link ? link.unbind(Math.min(2000, this.config.transactionTimeout)) : Promise.resolve();
  }

  /**
   * Removes and returns the requests waiting in the queue (not those in
   * flight), oldest first, without calling their callbacks: the caller owns
   * them now and must hand them to `requeue` of an engine (link-pool moves a
   * dropped link's work to the others).
   */
  takeQueued(): OutboundRequest[] {
    return this.queue.drain();
  }

  /**
   * Takes requests from another engine's `takeQueued`, ahead of its own
   * queue (they waited longer). Not counted as submitted again; when this
   * engine is not running they fail at once, so each callback still runs once.
   */
  requeue(reqs: readonly OutboundRequest[]): void {
    const s = this.stateInfo.state;
    if (s === 'closing' || s === 'closed' || s === 'stopped') {
      for (const req of reqs) this.fail(req.cb, new SmppError(LOCAL.NOT_RUNNING, 'the gateway is not running: message not sent'));
      return;
    }
    this.queue.unshiftAll(reqs);
    this.pump();
  }

  /** Connects again after `disconnect()`. */
  connect(): void {
    if (this.stateInfo.state !== 'stopped' && this.stateInfo.state !== 'idle') return;
    this.backoff.reset();
    this.openLink();
  }

  /**
   * Accepts nothing new, fails what is still queued, lets outstanding
   * responses arrive for at most drainTimeout, unbinds, closes. Never rejects.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = this.doClose();
    return this.closing;
  }

  snapshot(): GatewaySnapshot {
    return {
      state: this.stateInfo.state,
      mode: this.config.bindMode,
      since: new Date(this.stateInfo.since).toISOString(),
      reason: this.stateInfo.reason ?? null,
      window: { inUse: this.inflight, size: this.config.windowSize },
      queue: { depth: this.queue.length, size: this.config.sendQueueLength },
      receiving: { unacknowledged: this.unacked, size: this.config.receiveQueueLength },
      counters: { ...this.counters, failedByStatus: { ...this.counters.failedByStatus } },
      outbind: this.outbind ? { port: this.outbind.port, listening: this.outbind.listening, boundLinks: this.outbind.boundLinks } : null,
      rates: { sendPerSecond: this.sendRate.perSecond(), receivePerSecond: this.receiveRate.perSecond(), overSeconds: 10 },
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt === null ? null : new Date(this.lastErrorAt).toISOString(),
    };
  }

  // ---- link life ----------------------------------------------------------------------

  /** The link's settings: the config itself (a LinkConfig), the credentials and the TLS pins, no field-by-field copy. */
  private settings(): LinkSettings {
    const c = this.config;
    return { ...c, ...this.credentials, tlsCa: this.deps.tlsCa, tlsPins: c.tls ? parsePins(c.tlsPin) : [] };
  }

  private openLink(): void {
    this.retryTimer = null;
    const link = new SmppLink(this.settings(), this.clock, this.listener, this.socketFactory);
    this.link = link;
    this.setState({ state: 'connecting' });
    link.open();
  }

  private onBound(link: SmppLink): void {
    if (link !== this.link) return;
    this.counters.binds++;
    this.backoff.reset();
    this.warnedRefusal = '';
    this.setState({ state: 'bound' });
    this.pump();
  }

  private onLinkClosed(link: SmppLink, reason: CloseReason): void {
    // requests the link failed with LINK_DOWN under the 'resend' policy go back to the front, in order
    this.queue.restoreDropped();
    if (link !== this.link) return; // an old link, replaced by rebuild or disconnect
    this.link = null;
    if (reason.code === 'tls-refused' || reason.code === 'tls-pin') this.counters.tlsRefused++;
    this.lastError = reason.message;
    this.lastErrorAt = this.clock.now();
    const s = this.stateInfo.state;
    if (s === 'closing' || s === 'closed' || s === 'stopped') return;
    const loginRefused = reason.code === 'bind-refused' ? loginRefusal(reason.status) : undefined;
    // carriers lock an account after repeated refused logins: such a refusal waits the longest delay at once
    const delay = loginRefused ? this.backoff.longest() : this.backoff.next();
    this.counters.reconnects++;
    const status = reason.status !== undefined ? new SmppError(reason.status, '').status : undefined;
    // a refused bind warns once (the debug sidebar), not on every retry: again only after a change
    const warn = reason.code === 'bind-refused' && reason.message !== this.warnedRefusal;
    if (warn) this.warnedRefusal = reason.message;
    this.log(warn ? 'warn' : 'info', `link down (${reason.message}); retry in ${delay} ms`);
    this.setState({ state: 'retrying', reason: reason.message, code: reason.code, status, retryInMs: delay, ...(loginRefused && { loginRefused }) });
    this.retryTimer = this.clock.setTimeout(() => this.openLink(), delay);
  }

  // ---- sending ---------------------------------------------------------------------------

  private pump(): void {
    const link = this.link;
    const queue = this.queue;
    if (!link || !link.canSend || queue.length === 0) return;
    const now = this.clock.now();
    if (now < queue.pausedUntil) return this.schedulePump(queue.pausedUntil - now);
    const windowSize = this.config.windowSize;
    const delayPolicy = this.sendBucket && this.config.trafficPolicy === 'delay';
    while (queue.length && link.inflight < windowSize && link.canSend) {
      // a throttle answer during this loop (a fast peer) pauses the rest
      if (queue.pausedUntil > now) return this.schedulePump(queue.pausedUntil - now);
      if (delayPolicy && !this.sendBucket!.take(now)) {
        this.schedulePump(this.sendBucket!.waitMs(now));
        return;
      }
      const req = queue.shift() as OutboundRequest;
      this.sendRate.mark();
      link.sendRequest(req.command, req.fields, (err, resp) => this.onResult(req, err, resp));
    }
  }

  private schedulePump(ms: number): void {
    if (this.pumpTimer) return;
    this.pumpTimer = this.clock.setTimeout(() => {
      this.pumpTimer = null;
      this.pump();
    }, Math.max(1, ms));
  }

  private get running(): boolean {
    const s = this.stateInfo.state;
    return s !== 'closing' && s !== 'closed' && s !== 'stopped';
  }

  private onResult(req: OutboundRequest, err: SmppError | null, resp: PDU | null): void {
    if (!err) {
      this.counters.accepted++;
      this.queue.succeeded(req);
      req.cb(null, resp);
      return;
    }
    const now = this.clock.now();
    const action = this.queue.afterFailure(req, err, now, this.running);
    switch (action.kind) {
      case 'fail':
        return this.fail(req.cb, err);
      case 'held-for-reconnect':
        this.counters.resent++;
        return;
      case 'throttled':
        this.counters.throttledResponses++;
        if (action.started) {
          // 'throttled' once when a back-off starts, not for every answer during it
          this.emit('throttled', { status: err.status, pauseMs: action.started.pauseMs, at: now });
          this.log('info', `SMSC throttling (${err.status}); pausing sends for ${action.started.pauseMs} ms`);
        }
        this.schedulePump(action.until - now);
        return;
      case 'resend':
        this.counters.resent++;
        this.clock.setTimeout(() => {
          if (!this.running) return this.fail(req.cb, err);
          this.queue.resendNow(req);
          this.pump();
        }, action.waitMs);
        return;
    }
  }

  private fail(cb: SubmitCallback, err: SmppError): void {
    this.counters.failed++;
    this.counters.failedByStatus[err.status] = (this.counters.failedByStatus[err.status] ?? 0) + 1;
    this.lastError = err.message;
    this.lastErrorAt = this.clock.now();
    try {
      cb(err, null);
    } catch (e) {
      this.log('warn', `a submit callback threw: ${(e as Error).message}`);
    }
  }

  // ---- receiving -------------------------------------------------------------------------

  private onInbound(_link: SmppLink, req: InboundRequest): void {
    this.counters.inbound++;
    this.receiveRate.mark();
    const inbound = req.inbound;
    // counted by the one classification the routing uses (SMPP 3.4 section 5.2.12 message type)
    if (inbound.kind === 'receipt' || (inbound.kind === 'invalid' && inbound.receipt)) this.counters.receipts++;
    else this.counters.mos++;
    const handler = this.inboundHandler;
    const s = this.stateInfo.state;
    // closing (a redeploy) or stopped: the nodes may be gone, so the SMSC must send it again later
    const leaving = s === 'closing' || s === 'closed' || s === 'stopped';
    if (leaving || !handler || this.unacked >= this.config.receiveQueueLength || (this.receiveBucket && !this.receiveBucket.take(this.clock.now()))) {
      this.counters.inboundThrottled++;
      req.respond(COMMAND_STATUS.ESME_RTHROTTLED);
      return;
    }
    this.unacked++;
    // the same message; its answer also frees a place in the receiving queue (once: ReceivedMessage answers once)
    const wrapped = new ReceivedMessage(req.command, req.sequenceNumber, inbound, req.raw, (status) => {
      this.unacked--;
      req.respond(status);
    });
    handler(wrapped);
  }

  // ---- closing ------------------------------------------------------------------------

  private async doClose(): Promise<void> {
    this.clock.clearTimeout(this.retryTimer);
    this.clock.clearTimeout(this.pumpTimer);
    this.retryTimer = this.pumpTimer = null;
    this.setState({ state: 'closing' });
    for (const req of this.queue.drain()) this.fail(req.cb, new SmppError(LOCAL.NOT_RUNNING, 'the gateway is closing: message not sent'));
    const link = this.link;
    if (link && link.state === 'bound' && link.inflight > 0 && this.config.drainTimeout > 0) {
      await new Promise<void>((resolve) => {
        const deadline = this.clock.now() + this.config.drainTimeout;
        const check = (): void => {
          if (link.state !== 'bound' || link.inflight === 0 || this.clock.now() >= deadline) resolve();
          else this.clock.setTimeout(check, 20);
        };
        check();
      });
    }
    if (link) await link.unbind(Math.min(1000, this.config.transactionTimeout));
    this.link = null;
    await this.outbind?.close(Math.min(1000, this.config.transactionTimeout));
    this.setState({ state: 'closed' });
  }

  /** Listens on upstreamPort for an SMSC's outbind (see outbind-listener); its links feed the same inbound handler. */
  private startOutbind(): void {
    const port = this.config.upstreamPort;
    if (!port || this.outbind) return;
    const host = outbindListenHost(this.config.host);
    const receiver = new OutbindReceiver({
      port,
      host,
      systemId: this.credentials.systemId,
      password: this.credentials.password,
      timeoutMs: this.config.bindTimeout,
      clock: this.clock,
      linkSettings: (peerHost, peerPort) => ({ ...this.settings(), host: peerHost, port: peerPort, tls: false, bindMode: 'receiver' }),
      onInbound: (link, req) => this.onInbound(link, req),
      onErrorPacket: (detail) => {
        this.counters.errorPackets++;
        this.warnErrorPacket(`error packet on an outbind link: ${detail}`);
      },
      onCount: (event) => (event === 'accepted' ? this.counters.outbindAccepted++ : this.counters.outbindRefused++),
      log: (level, text) => this.log(level, text),
    });
    this.outbind = receiver;
    receiver.start().then(
      () => this.log('info', `listening for an SMSC outbind on ${host ?? 'every interface'} port ${receiver.port} (upstreamPort)`),
      (e: NodeJS.ErrnoException) => {
        this.lastError = `cannot listen on upstreamPort ${port}: ${e.code ?? e.message}`;
        this.log('warn', this.lastError);
      },
    );
  }

  /** the refused bind last warned about ('' once bound): the same refusal again is logged at info */
  private warnedRefusal = '';

  private warnErrorPacket(text: string): void {
    const now = this.clock.now();
    if (now - this.errorWarnAt < 1000) {
      this.errorWarnSuppressed++;
      return;
    }
    const more = this.errorWarnSuppressed ? ` (and ${this.errorWarnSuppressed} more error packets in the last second, not logged one by one)` : '';
    this.errorWarnAt = now;
    this.errorWarnSuppressed = 0;
    this.log('warn', text + more);
  }

  private log(level: 'debug' | 'info' | 'warn', text: string): void {
    this.deps.log?.(level, text);
  }
}
