/**
 * The listener for an SMSC's outbind (SMPP 3.4 sections 2.2.1 and 4.1.7), on
 * the gateway parameter "Port for receiving upstream messages" (upstreamPort).
 *
 * The SMSC connects and sends outbind with a system_id and password. Only the
 * gateway's own credentials are accepted, exactly as the bind sends them (at
 * any length, see smpp/outbind-pdu.ts); the accepted socket is handed on
 * (the engine then sends bind_receiver on it). Anything else is refused: the
 * connection is closed and counted, and the log says why without the
 * password. Each connection must send its outbind within `timeoutMs`; at most
 * MAX_PENDING connections may wait for theirs at once.
 */
import * as crypto from 'crypto';
import * as net from 'net';
import { Clock, TimerHandle, realClock } from './clock';
import { LinkSettings, SmppLink } from './smpp-link';
import { readFirstFrame } from '../smpp/frame-reader';
import { maxOutbindLength, readOutbind } from '../smpp/outbind-pdu';
import type { InboundRequest } from './engine-api';

/** connections waiting for their outbind at once; more are closed on arrival */
export const MAX_PENDING = 16;

/** Compares secrets in constant time (over their SHA-256 digests, so lengths do not leak either). */
export function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => crypto.createHash('sha256').update(s, 'latin1').digest();
  return crypto.timingSafeEqual(h(a), h(b));
}

/**
 * Where to listen: an SMSC on this machine (a loopback host) can only reach us
 * on loopback, so the listener stays there; an SMSC elsewhere must reach us
 * from outside, so the listener takes every interface (undefined).
 */
export function outbindListenHost(smscHost: string): string | undefined {
  const h = smscHost.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === '::1') return '::1';
  if (h === 'localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return '127.0.0.1';
  return undefined;
}

export interface OutbindListenerOptions {
  port: number;
  /** undefined = every interface */
  host?: string;
  systemId: string;
  password: string;
  /** the outbind must arrive within this after the connection */
  timeoutMs: number;
  clock?: Clock;
  /** a good outbind: the socket is now the caller's (its 'data' listeners are removed) */
  onAccepted(socket: net.Socket, peer: string, leftover: Buffer): void;
  /** a refused connection; `why` never contains the password */
  onRefused(peer: string, why: string): void;
}

export class OutbindListener {
  private server: net.Server | null = null;
  private readonly pending = new Set<net.Socket>();
  private readonly clock: Clock;
  /** the port listened on (the real one when 0 was asked) */
  port = 0;

  constructor(private readonly opts: OutbindListenerOptions) {
    this.clock = opts.clock ?? realClock;
  }

  get listening(): boolean {
    return this.server !== null && this.server.listening;
  }

  /** Listens; rejects (e.g. EADDRINUSE) without throwing later. */
  start(): Promise<void> {
    if (this.server) return Promise.reject(new Error('outbind listener already started'));
    const server = net.createServer((socket) => this.onConnection(socket));
    this.server = server;
    return new Promise<void>((resolve, reject) => {
      const onError = (e: Error) => {
        this.server = null;
        reject(e);
      };
      server.once('error', onError);
      server.listen({ port: this.opts.port, host: this.opts.host }, () => {
        server.removeListener('error', onError);
        server.on('error', () => undefined);
        this.port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  /**
   * Stops listening at once and closes connections still waiting for their
   * outbind. Resolves when every connection it accepted has closed (the
   * handed-over ones are their new owner's to close).
   */
  stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.pending) s.destroy();
    this.pending.clear();
    if (!server) return Promise.resolve();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private onConnection(socket: net.Socket): void {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.on('error', () => undefined);
    if (!this.server || this.pending.size >= MAX_PENDING) {
      socket.destroy();
      this.opts.onRefused(peer, `too many connections waiting for their outbind (${MAX_PENDING})`);
      return;
    }
    this.pending.add(socket);
    let buf: Buffer = Buffer.alloc(0);
    let done = false;
    const maxLength = maxOutbindLength(this.opts.systemId, this.opts.password);
    const finish = (): void => {
      done = true;
      this.clock.clearTimeout(timer);
      this.pending.delete(socket);
      socket.removeListener('data', onData);
      socket.removeListener('close', onClose);
    };
    const refuse = (why: string): void => {
      if (done) return;
      finish();
      socket.destroy();
      this.opts.onRefused(peer, why);
    };
    const onData = (chunk: Buffer): void => {
      if (done) return;
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      const first = readFirstFrame(buf, maxLength);
      if (first.kind === 'more') return;
      if (first.kind === 'bad-length') return refuse(`first PDU has command_length ${first.length}: not an outbind with our credentials`);
      const parsed = readOutbind(first.pdu);
      if (!parsed.ok) return refuse(parsed.error);
      // both compared every time, so a wrong system_id takes as long as a wrong password
      const idOk = sameSecret(parsed.systemId, this.opts.systemId);
      const pwOk = sameSecret(parsed.password, this.opts.password);
      // a peer that mixed up the fields must not get the password into the log through system_id
      const shown = sameSecret(parsed.systemId, this.opts.password) ? '(withheld)' : JSON.stringify(parsed.systemId);
      if (!idOk) return refuse(`outbind with system_id ${shown} is not ours`);
      if (!pwOk) return refuse(`outbind for system_id ${shown} with a wrong password`);
      finish();
      this.opts.onAccepted(socket, peer, Buffer.from(first.rest));
    };
    const onClose = (): void => refuse('closed before sending an outbind');
    const timer: TimerHandle = this.clock.setTimeout(() => refuse(`no outbind within ${this.opts.timeoutMs} ms`), this.opts.timeoutMs);
    socket.on('data', onData);
    socket.on('close', onClose);
  }
}

export interface OutbindReceiverOptions {
  port: number;
  host?: string;
  systemId: string;
  password: string;
  timeoutMs: number;
  clock: Clock;
  /** the link settings for a receiver bind on a connection from host:port */
  linkSettings(peerHost: string, peerPort: number): LinkSettings;
  /** deliver_sm / data_sm from an outbind link: the same handler as the main link's */
  onInbound(link: SmppLink, req: InboundRequest): void;
  onErrorPacket(detail: string): void;
  onCount(event: 'accepted' | 'refused'): void;
  log(level: 'debug' | 'info' | 'warn', text: string): void;
}

/**
 * The listener plus the receiver links it starts: a good outbind becomes an
 * SmppLink bound as receiver on that connection. A newer good outbind
 * replaces older links (an SMSC that reconnects after a drop we have not
 * noticed yet). A link that drops is not reconnected: that is the SMSC's to do.
 */
export class OutbindReceiver {
  private readonly listener: OutbindListener;
  private readonly links = new Set<SmppLink>();
  private closed = false;

  constructor(private readonly o: OutbindReceiverOptions) {
    this.listener = new OutbindListener({
      port: o.port,
      host: o.host,
      systemId: o.systemId,
      password: o.password,
      timeoutMs: o.timeoutMs,
      clock: o.clock,
      onAccepted: (socket, peer, leftover) => this.onAccepted(socket, peer, leftover),
      onRefused: (peer, why) => {
        o.onCount('refused');
        o.log('warn', `outbind from ${peer} refused: ${why}`);
      },
    });
  }

  get port(): number {
    return this.listener.port;
  }

  get listening(): boolean {
    return this.listener.listening;
  }

  /** receiver links bound now */
  get boundLinks(): number {
    let n = 0;
    for (const l of this.links) if (l.state === 'bound') n++;
    return n;
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  /** Stops listening and unbinds every outbind link (each waiting at most unbindMs). */
  async close(unbindMs: number): Promise<void> {
    this.closed = true;
    // stop() resolves once every connection the server accepted is closed, the links' too: unbind them meanwhile
    const stopped = this.listener.stop();
    await Promise.all([...this.links].map((l) => l.unbind(unbindMs)));
    this.links.clear();
    await stopped;
  }

  private onAccepted(socket: net.Socket, peer: string, leftover: Buffer): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.o.onCount('accepted');
    this.o.log('info', `outbind from ${peer} accepted: binding as receiver on that connection`);
    for (const old of this.links) old.close({ code: 'local', message: `replaced by a new outbind from ${peer}` });
    const o = this.o;
    const links = this.links;
    const link = new SmppLink(o.linkSettings(socket.remoteAddress ?? '', socket.remotePort ?? 0), o.clock, {
      onBound: () => o.log('info', `outbind link from ${peer} bound as receiver`),
      onClosed: (l, reason) => {
        links.delete(l);
        o.log('info', `outbind link from ${peer} closed: ${reason.message}`);
      },
      onInbound: (l, req) => o.onInbound(l, req),
      onSlotFree: () => undefined,
      onLog: (level, text) => o.log(level, `outbind link: ${text}`),
      onErrorPacket: (_l, detail) => o.onErrorPacket(detail),
    });
    links.add(link);
    link.openOn(socket);
    // bytes the SMSC sent after its outbind, before our bind (none are expected)
    if (leftover.length && link.state !== 'closed') socket.emit('data', leftover);
  }
}
