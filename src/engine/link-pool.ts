/**
 * Several links (binds) to the same SMSC as one gateway. The pool owns one
 * LinkSupervisor per link (links of them; with bindSplit, links transmitters
 * and links receivers) and shows the nodes the same API as a single engine
 * (GatewayLike). No Node-RED import; time comes from deps.clock.
 *
 * - A submit goes to the bound sending link with the most room (window free
 *   minus its queue; ties taken in turn). With none bound it waits in the
 *   sending link with the shortest queue.
 * - When a sending link leaves 'bound', what is queued in it moves to the
 *   bound ones; when one binds, the queued work of every sending link is
 *   spread again by room. The no-loss rule holds: requests only move between
 *   engines (takeQueued / requeue), so each callback still runs once.
 * - Max Sending Rate and Max Receiving Rate are the gateway's totals: every
 *   engine takes from the same two token buckets (sending ones in turn, see
 *   shared-rate.ts).
 * - Sending Thread Pool Queue Length is the gateway's total too, and so is
 *   Receiving Thread Pool Queue Length (the gateway node refuses beyond it
 *   what its links hand over; each link keeps it as its own backstop); the
 *   window is per link (each bind has its own).
 * - The pool's state is 'bound' while at least one sending link is bound;
 *   otherwise it follows the last state change of a sending link (so
 *   bound -> retrying only when no link is left). 'link' events tell each
 *   link's changes; snapshot().links lists them.
 *
 * Near 400 lines: spreading work over the links (pick, rebalance) and keeping
 * the gateway's one face (state, counters, snapshot) belong together.
 */
import { EngineState } from './engine-state';
import type { BindMode, GatewayConfig } from '../config/gateway-config';
import { realClock } from './clock';
import { EngineDeps, LinkSupervisor } from './link-supervisor';
import type { OutboundRequest } from './send-queue';
import type {
  Counters, Credentials, GatewayLike, GatewaySnapshot, InboundHandler, LinkEvent, StateEvent, SubmitCallback,
} from './engine-api';
import { LOCAL, SmppError } from '../smpp/smpp-error';
import { SharedRate } from './shared-rate';
import { addCounters, zeroCounters } from './counters';
import { TokenBucket } from './token-bucket';

/** bindSplit applies only to a transceiver gateway */
function splitBinds(config: GatewayConfig): boolean {
  return config.bindSplit && config.bindMode === 'transceiver';
}

/** True when the configuration needs a pool (more than one link engine). */
export function usesLinkPool(config: GatewayConfig): boolean {
  return config.links > 1 || splitBinds(config);
}

/** The bind mode of each link engine, in pool order: transmitters first, then receivers (bindSplit). */
export function linkModes(config: GatewayConfig): BindMode[] {
  const out: BindMode[] = [];
  if (splitBinds(config)) {
    for (let i = 0; i < config.links; i++) out.push('transmitter');
    for (let i = 0; i < config.links; i++) out.push('receiver');
  } else {
    for (let i = 0; i < config.links; i++) out.push(config.bindMode);
  }
  return out;
}

/** A fixed Client Port: link i binds from port + i (0 = any port, also past 65535). */
export function linkClientPort(port: number, index: number): number {
  return port === 0 || port + index > 65535 ? 0 : port + index;
}

type Phase = 'idle' | 'running' | 'stopped' | 'closing' | 'closed';

interface Link {
  readonly index: number;
  readonly mode: BindMode;
  readonly engine: LinkSupervisor;
  readonly sends: boolean;
}

export class LinkPool extends EngineState implements GatewayLike {
  private readonly links: readonly Link[];
  private readonly senders: readonly Link[];
  /** the links whose state is the pool's: the sending ones (all of them when none sends) */
  private readonly primaries: readonly Link[];
  private readonly outbindLink: Link;
  private phase: Phase = 'idle';
  /** the last state change of a primary link */
  private latest: StateEvent | null = null;
  private cursor = 0;
  private rebalancing = false;
  private rebalanceAgain: 'none' | 'unbound' | 'all' = 'none';
  /** submits the pool itself failed (queue full), added to the engines' counters */
  private readonly own: Counters = zeroCounters();
  private ownError: { message: string; at: number } | null = null;
  private closing: Promise<void> | null = null;

  constructor(
    readonly config: GatewayConfig,
    credentials: Credentials,
    private readonly deps: EngineDeps = {},
  ) {
    super(config.bindMode, deps.clock ?? realClock);
    const now = this.clock.now();
    const rated = config.trafficPolicy !== '';
    // one Max Sending Rate for all links, taken in turn (shared-rate.ts); a bucket given in deps is shared as it is
    const sendRate = deps.sendBucket === undefined && rated && config.maxSendRate ? new SharedRate(config.maxSendRate, now) : null;
    const sendBucketOf = (index: number): TokenBucket | null => (sendRate ? sendRate.forLink(index) : deps.sendBucket ?? null);
    const receiveBucket = deps.receiveBucket !== undefined ? deps.receiveBucket : rated && config.maxReceiveRate ? new TokenBucket(config.maxReceiveRate, now) : null;
    const modes = linkModes(config);
    // one outbind listener (upstreamPort) for the whole gateway, on the first link that receives
    const outbindAt = Math.max(0, modes.findIndex((m) => m !== 'transmitter'));
    const log = deps.log;
    this.links = modes.map((mode, index) => {
      const tag = `link ${index + 1}/${modes.length} (${mode})`;
      const linkConfig: GatewayConfig = {
        ...config,
        bindMode: mode,
        clientPort: linkClientPort(config.clientPort, index),
        upstreamPort: index === outbindAt ? config.upstreamPort : 0,
      };
      const engine = new LinkSupervisor(linkConfig, credentials, {
        ...deps,
        sendBucket: sendBucketOf(index),
        receiveBucket,
        log: log ? (level, text) => log(level, `${tag}: ${text}`) : undefined,
      });
      return { index, mode, engine, sends: mode !== 'receiver' };
    });
    this.senders = this.links.filter((l) => l.sends);
    this.primaries = this.senders.length ? this.senders : this.links;
    this.outbindLink = this.links[outbindAt];
    for (const link of this.links) {
      link.engine.on('state', (ev: StateEvent) => this.onLinkState(link, ev));
      link.engine.on('throttled', (t: unknown) => this.emit('throttled', t));
    }
  }

  // ---- GatewayLike ---------------------------------------------------------------------

  get queueLength(): number {
    let n = 0;
    for (const l of this.links) n += l.engine.queueLength;
    return n;
  }

  get inflight(): number {
    let n = 0;
    for (const l of this.links) n += l.engine.inflight;
    return n;
  }

  /** Summed over the links, plus the submits the pool failed itself. A fresh object on each read. */
  get counters(): Counters {
    const sum = zeroCounters();
    addCounters(sum, this.own);
    for (const l of this.links) addCounters(sum, l.engine.counters);
    return sum;
  }

  /** How many links there are (the engines, transmitters and receivers counted apart). */
  get size(): number {
    return this.links.length;
  }

  start(): void {
    if (this.phase !== 'idle') return;
    this.phase = 'running';
    for (const l of this.links) l.engine.start();
  }

  setInboundHandler(handler: InboundHandler | null): void {
    for (const l of this.links) l.engine.setInboundHandler(handler);
  }

  submit(command: 'submit_sm' | 'data_sm', fields: Record<string, unknown>, cb: SubmitCallback): void {
    const phase = this.phase;
    if (phase === 'closing' || phase === 'closed' || phase === 'stopped' || this.senders.length === 0) {
      // the engines are in the same state (or all receive): the first says why, in a single link's words
      (this.senders[0] ?? this.links[0]).engine.submit(command, fields, cb);
      return;
    }
    if (this.queueLength >= this.config.sendQueueLength) {
      this.failOwn(cb, new SmppError(LOCAL.QUEUE_FULL, `the send queue is full (Sending Thread Pool Queue Length ${this.config.sendQueueLength}): message not sent`));
      return;
    }
    this.pick().engine.submit(command, fields, cb);
  }

  rebuild(): void {
    const phase = this.phase;
    if (phase === 'closing' || phase === 'closed') return;
    if (phase === 'idle') return this.start();
    this.phase = 'running';
    for (const l of this.links) l.engine.rebuild();
  }

  disconnect(reason = 'disconnected by operator'): Promise<void> {
    const phase = this.phase;
    if (phase === 'closing' || phase === 'closed') return Promise.resolve();
    this.phase = 'stopped';
    this.setState({ state: 'stopped', reason });
    return Promise.all(this.links.map((l) => l.engine.disconnect(reason))).then(() => undefined);
  }

  connect(): void {
    if (this.phase === 'idle') return this.start();
    if (this.phase !== 'stopped') return;
    this.phase = 'running';
    this.latest = null;
    for (const l of this.links) l.engine.connect();
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = this.doClose();
    return this.closing;
  }

  snapshot(): GatewaySnapshot {
    const snaps = this.links.map((l) => l.engine.snapshot());
    const bound: Record<BindMode, number> = { transceiver: 0, transmitter: 0, receiver: 0 };
    for (const l of this.links) if (l.engine.state === 'bound') bound[l.mode]++;
    let unacked = 0;
    let sendRate = 0;
    let receiveRate = 0;
    let lastError = this.ownError?.message ?? null;
    let lastErrorAt = this.ownError ? new Date(this.ownError.at).toISOString() : null;
    for (const s of snaps) {
      unacked += s.receiving.unacknowledged;
      sendRate += s.rates.sendPerSecond;
      receiveRate += s.rates.receivePerSecond;
      // ISO times of one format sort as text
      if (s.lastErrorAt && (!lastErrorAt || s.lastErrorAt > lastErrorAt)) {
        lastErrorAt = s.lastErrorAt;
        lastError = s.lastError;
      }
    }
    return {
      state: this.stateInfo.state,
      mode: this.config.bindMode,
      since: new Date(this.stateInfo.since).toISOString(),
      reason: this.stateInfo.reason ?? null,
      links: this.links.map((l) => ({
        index: l.index,
        mode: l.mode,
        state: l.engine.state,
        inflight: l.engine.inflight,
        queue: l.engine.queueLength,
        accepted: l.engine.counters.accepted,
        inbound: l.engine.counters.inbound,
        reason: l.engine.stateEvent.reason ?? null,
      })),
      linksBound: bound,
      window: { inUse: this.inflight, size: this.config.windowSize * this.senders.length, perLink: this.config.windowSize },
      queue: { depth: this.queueLength, size: this.config.sendQueueLength },
      receiving: { unacknowledged: unacked, size: this.config.receiveQueueLength },
      counters: this.counters,
      outbind: snaps[this.outbindLink.index].outbind,
      rates: { sendPerSecond: sendRate, receivePerSecond: receiveRate, overSeconds: 10 },
      lastError,
      lastErrorAt,
    };
  }

  // ---- links ----------------------------------------------------------------------------

  /** The bound sending link with the most room; with none bound, the one with the shortest queue that still runs. */
  private pick(): Link {
    const senders = this.senders;
    const n = senders.length;
    const start = this.cursor;
    this.cursor = (start + 1) % n;
    const windowSize = this.config.windowSize;
    let best: Link | null = null;
    let bestRoom = -Infinity;
    for (let k = 0; k < n; k++) {
      const l = senders[(start + k) % n];
      const e = l.engine;
      if (e.state !== 'bound') continue;
      const room = windowSize - e.inflight - e.queueLength;
      if (room > bestRoom) {
        best = l;
        bestRoom = room;
      }
    }
    if (best) return best;
    let shortest = Infinity;
    for (let k = 0; k < n; k++) {
      const l = senders[(start + k) % n];
      const s = l.engine.state;
      if (s === 'stopped' || s === 'closing' || s === 'closed') continue;
      if (l.engine.queueLength < shortest) {
        best = l;
        shortest = l.engine.queueLength;
      }
    }
    return best ?? senders[start];
  }

  private onLinkState(link: Link, ev: StateEvent): void {
    const linkEvent: LinkEvent = { ...ev, index: link.index };
    this.emit('link', linkEvent);
    if (this.phase !== 'running') return;
    if (this.primaries.includes(link)) this.latest = ev;
    if (link.sends) this.rebalance(ev.state === 'bound' ? 'all' : 'unbound');
    this.refreshState();
  }

  /**
   * Moves queued requests to bound sending links, by room: from the links
   * that are not bound ('unbound'), or from every sending link ('all', when
   * one has just bound). Requests only change engines, never callbacks.
   */
  private rebalance(from: 'unbound' | 'all'): void {
    if (this.rebalancing) {
      // a state change while requests are moved (a link dropped as they were sent): once more after
      if (this.rebalanceAgain !== 'all') this.rebalanceAgain = from;
      return;
    }
    this.rebalancing = true;
    try {
      let mode: 'none' | 'unbound' | 'all' = from;
      while (mode !== 'none' && this.phase === 'running') {
        this.rebalanceAgain = 'none';
        this.moveQueued(mode === 'all');
        mode = this.rebalanceAgain;
      }
    } finally {
      this.rebalancing = false;
      this.rebalanceAgain = 'none';
    }
  }

  private moveQueued(fromAll: boolean): void {
    const bound = this.senders.filter((l) => l.engine.state === 'bound');
    if (!bound.length) return;
    const moved: OutboundRequest[] = [];
    for (const l of this.senders) {
      if (l.engine.queueLength === 0 || (!fromAll && l.engine.state === 'bound')) continue;
      for (const req of l.engine.takeQueued()) moved.push(req);
    }
    if (!moved.length) return;
    const windowSize = this.config.windowSize;
    const room = bound.map((l) => windowSize - l.engine.inflight - l.engine.queueLength);
    const groups: OutboundRequest[][] = bound.map(() => []);
    for (const req of moved) {
      let b = 0;
      for (let j = 1; j < room.length; j++) if (room[j] > room[b]) b = j;
      groups[b].push(req);
      room[b]--;
    }
    // each group goes in whole: if a target is gone meanwhile it keeps them until the next move (or fails them if stopped)
    for (let j = 0; j < bound.length; j++) if (groups[j].length) bound[j].engine.requeue(groups[j]);
  }

  private refreshState(): void {
    if (this.phase !== 'running') return;
    let next: Omit<StateEvent, 'since' | 'mode'>;
    if (this.primaries.some((l) => l.engine.state === 'bound')) next = { state: 'bound' };
    else if (this.latest) {
      const { since: _since, mode: _mode, ...rest } = this.latest;
      next = rest;
    } else return;
    if (next.state === this.stateInfo.state) return;
    this.setState(next);
  }

  private failOwn(cb: SubmitCallback, err: SmppError): void {
    const c = this.own;
    c.submitted++;
    c.failed++;
    c.failedByStatus[err.status] = (c.failedByStatus[err.status] ?? 0) + 1;
    this.ownError = { message: err.message, at: this.clock.now() };
    try {
      cb(err, null);
    } catch (e) {
      this.deps.log?.('warn', `a submit callback threw: ${(e as Error).message}`);
    }
  }

  private async doClose(): Promise<void> {
    this.phase = 'closing';
    this.setState({ state: 'closing' });
    await Promise.all(this.links.map((l) => l.engine.close()));
    this.phase = 'closed';
    this.setState({ state: 'closed' });
  }
}
