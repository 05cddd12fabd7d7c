/**
 * One SMPP link: a socket, its bind, its window of outstanding requests,
 * heartbeat and receive timers. It lives for one connection and is then
 * thrown away; the gateway engine makes a fresh one to reconnect.
 *
 * The `smpp` package is used as the PDU codec only. Socket, framing and
 * timers are ours, so that none of its hazards apply: we always listen for
 * socket errors, a malformed PDU is counted instead of stopping the reader,
 * every request has a response timeout and is failed back when the link drops,
 * writes are batched per tick, and Nagle is off.
 *
 * Over 350 lines because the socket, the bind and the dispatch of what
 * arrives share one connection state; what stands alone is in its own pure
 * file: framing (smpp/frame-reader.ts), the codec (smpp/submit-deliver-codec.ts,
 * smpp/inbound-pdu.ts), the window and response matching (request-window.ts),
 * the heartbeat and receive timers (link-timers.ts).
 */
import * as net from 'net';
import * as tls from 'tls';
import { PDU } from 'smpp';
import { Clock, TimerHandle } from './clock';
import { FrameReader } from '../smpp/frame-reader';
import { RequestWindow, ResponseCallback } from './request-window';
import { TimerEvent, timerTick } from './link-timers';
import { decodeSubmitSmResp, encodeResponse, encodeSubmitSm } from '../smpp/submit-deliver-codec';
import { LOCAL, SmppError } from '../smpp/smpp-error';
import { COMMAND_STATUS, statusName } from '../smpp/command-status';
import { CMD, RESPONSE_BIT } from '../smpp/command-ids';
import { readInboundPdu } from '../smpp/inbound-pdu';
import { bindFields } from '../smpp/bind-fields';
import { classifyInboundPdu, Inbound } from '../message/inbound';
import { pinMismatch, tlsConnectOptions, tlsFailureReason } from './tls-options';
import type { CloseReason, InboundRequest } from './engine-api';
import { ReceivedMessage } from './received-message';

import type { BindMode, GatewayConfig } from '../config/gateway-config';
export type { BindMode };

/** The gateway parameters one link reads (config/parameters.ts names them). */
export type LinkConfig = Pick<
  GatewayConfig,
  | 'host' | 'port' | 'tls' | 'tlsVerify' | 'clientPort' | 'connectTimeout' | 'bindTimeout' | 'bindMode' | 'systemType'
  | 'interfaceVersion' | 'addrTon' | 'addrNpi' | 'addressRange' | 'heartbeatInterval' | 'maxHeartbeatMisses' | 'resendTimes'
  | 'resendWait' | 'receiveTimeout' | 'maxErrorPackets' | 'transactionTimeout' | 'maxMessageLength'
>;

/** What a link is opened with: the gateway's parameters, its credentials, and the TLS material read for it. */
export interface LinkSettings extends LinkConfig {
  systemId: string;
  password: string;
  tlsCa?: string | Buffer;
  /** SHA-256 fingerprints (normalized, see tls-options) the SMSC leaf certificate must match; empty = no pinning */
  tlsPins?: readonly string[];
}

export type LinkState = 'connecting' | 'binding' | 'bound' | 'unbinding' | 'closed';

export interface LinkListener {
  onBound(link: SmppLink): void;
  onClosed(link: SmppLink, reason: CloseReason): void;
  onInbound(link: SmppLink, req: InboundRequest): void;
  /** a window slot freed (a response, a timeout) */
  onSlotFree(link: SmppLink): void;
  onLog(level: 'debug' | 'info' | 'warn', text: string): void;
  onErrorPacket(link: SmppLink, detail: string): void;
}

export type SocketFactory = (s: LinkSettings) => net.Socket;

const BIND_COMMAND: Record<BindMode, string> = {
  transceiver: 'bind_transceiver',
  receiver: 'bind_receiver',
  transmitter: 'bind_transmitter',
};

/** requests that have no response PDU */
const NO_RESPONSE = new Set(['alert_notification', 'outbind']);


export function defaultSocketFactory(s: LinkSettings): net.Socket {
  if (s.tls) return tls.connect(tlsConnectOptions(s));
  return net.connect({ host: s.host, port: s.port, localPort: s.clientPort || undefined });
}

export class SmppLink {
  state: LinkState = 'connecting';
  readonly openedAt: number;
  errorPackets = 0;
  private consecutiveErrors = 0;
  private heartbeatMisses = 0;
  private socket: net.Socket | null = null;
  private readonly reader: FrameReader;
  private readonly window = new RequestWindow();
  private lastRx: number;
  private corked = false;
  private connectTimer: TimerHandle | null = null;
  private expiryTimer: TimerHandle | null = null;
  private expiryAt = 0;
  private heartbeatTimer: TimerHandle | null = null;
  private receiveTimer: TimerHandle | null = null;
  private unbindTimer: TimerHandle | null = null;
  private unbindDone: (() => void) | null = null;
  private unbindSeq = 0;

  constructor(
    private readonly settings: LinkSettings,
    private readonly clock: Clock,
    private readonly listener: LinkListener,
    private readonly socketFactory: SocketFactory = defaultSocketFactory,
  ) {
    this.openedAt = clock.now();
    this.lastRx = this.openedAt;
    this.reader = new FrameReader(settings.maxMessageLength, {
      frame: (b) => this.onFrame(b),
      oversize: (len, commandId, seq) => this.onOversize(len, commandId, seq),
      lostFraming: (len) =>
        this.close({ code: 'framing', message: `the SMSC sent a PDU header with command_length ${len}: the stream is out of step` }),
    });
  }

  /** requests outstanding that count against the window */
  get inflight(): number {
    return this.window.inflight;
  }

  get bindMode(): BindMode {
    return this.settings.bindMode;
  }

  get canSend(): boolean {
    return this.state === 'bound' && this.settings.bindMode !== 'receiver';
  }

  // ---- opening -----------------------------------------------------------------

  open(): void {
    let socket: net.Socket;
    try {
      socket = this.socketFactory(this.settings);
    } catch (e) {
      this.close({ code: 'connect-failed', message: `cannot connect to ${this.settings.host}:${this.settings.port}: ${(e as Error).message}` });
      return;
    }
    this.attach(socket, false);
  }

  /** Runs the link on a socket that is already connected (an SMSC's outbind connection): binds at once. */
  openOn(socket: net.Socket): void {
    this.attach(socket, true);
  }

  private attach(socket: net.Socket, connected: boolean): void {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('error', (e: NodeJS.ErrnoException) => {
      const tlsReason = this.settings.tls && this.state === 'connecting' ? tlsFailureReason(e, this.settings.host, this.settings.port) : null;
      if (tlsReason) return this.close({ code: 'tls-refused', message: tlsReason });
      const code = this.state === 'connecting' ? 'connect-failed' : 'socket-error';
      this.close({ code, message: `${this.settings.host}:${this.settings.port}: ${e.code ?? e.message}${e.code ? '' : ''}` });
    });
    socket.on('close', () => this.close({ code: 'peer-closed', message: 'the SMSC closed the connection' }));
    socket.on('data', (chunk: Buffer) => {
      this.lastRx = this.clock.now();
      this.reader.push(chunk);
    });
    if (connected) {
      this.onConnected();
      return;
    }
    socket.once(this.settings.tls ? 'secureConnect' : 'connect', () => this.onConnected());
    this.connectTimer = this.clock.setTimeout(
      () => this.close({ code: 'connect-timeout', message: `no connection to ${this.settings.host}:${this.settings.port} within ${this.settings.connectTimeout} ms` }),
      this.settings.connectTimeout,
    );
  }

  private onConnected(): void {
    if (this.state !== 'connecting') return;
    this.clock.clearTimeout(this.connectTimer);
    this.connectTimer = null;
    if (this.settings.tls) {
      const mismatch = pinMismatch((this.socket as tls.TLSSocket).getPeerCertificate?.()?.fingerprint256, this.settings.tlsPins ?? []);
      if (mismatch) {
        this.close({ code: 'tls-pin', message: mismatch });
        return;
      }
    }
    this.state = 'binding';
    this.lastRx = this.clock.now();
    this.onTimer({ kind: 'receive-due' });
    const s = this.settings;
    const command = BIND_COMMAND[s.bindMode];
    this.listener.onLog('debug', `connected to ${s.host}:${s.port}, sending ${command}`);
    this.sendRequest(
      command,
      bindFields(s),
      (err, resp) => this.onBindResponse(err, resp),
      false,
      s.bindTimeout,
    );
  }

  private onBindResponse(err: SmppError | null, resp: PDU | null): void {
    if (this.state !== 'binding') return;
    if (err) {
      const timeout = err.code === LOCAL.TIMEOUT;
      this.close({
        code: timeout ? 'bind-timeout' : 'bind-refused',
        message: timeout ? `no bind response within ${this.settings.bindTimeout} ms` : `bind refused: ${err.status}`,
        status: timeout ? undefined : err.code,
      });
      return;
    }
    this.state = 'bound';
    this.onTimer({ kind: 'alive' });
    this.listener.onLog('info', `bound as ${this.settings.bindMode} to ${resp?.system_id || 'SMSC'}`);
    this.listener.onBound(this);
  }

  // ---- sending ------------------------------------------------------------------

  /**
   * Sends a request and calls `cb` exactly once: with the response, or with an
   * error (refused, timeout, link down, too long, unencodable). Never throws.
   */
  sendRequest(command: string, fields: Record<string, unknown>, cb: ResponseCallback, windowed = true, timeout = this.settings.transactionTimeout): void {
    if (this.state === 'closed' || !this.socket) {
      cb(new SmppError(LOCAL.LINK_DOWN, `${command} not sent: the link is down`), null);
      return;
    }
    const seq = this.window.nextSeq();
    let buf: Buffer;
    try {
      // submit_sm without TLVs is encoded directly (same bytes, a fraction of the cost); anything else by the package
      const fast = command === 'submit_sm' ? encodeSubmitSm(fields, seq) : null;
      if (fast) buf = fast;
      else {
        const pdu = new PDU(command, fields);
        pdu.sequence_number = seq;
        buf = pdu.toBuffer();
      }
    } catch (e) {
      cb(new SmppError(LOCAL.INVALID, `${command} cannot be encoded: ${(e as Error).message}`), null);
      return;
    }
    if (buf.length > this.settings.maxMessageLength) {
      cb(new SmppError(LOCAL.TOO_LONG, `${command} is ${buf.length} octets, over Max Message Length (maxMessageLength) ${this.settings.maxMessageLength}`), null);
      return;
    }
    this.window.add(seq, { command, cb, windowed }, this.clock.now() + timeout);
    this.armExpiry();
    this.write(buf);
  }

  private write(buf: Buffer): void {
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        this.corked = false;
        if (!socket.destroyed) socket.uncork();
      });
    }
    socket.write(buf);
  }

  private respond(req: PDU, status: number): void {
    this.respondTo(req.command, req.sequence_number, status, req);
  }

  private respondTo(command: string, seq: number, status: number, req?: PDU): void {
    if (this.state === 'closed') return;
    let buf: Buffer;
    try {
      const fast = encodeResponse(command, seq, status);
      buf = fast ?? (req as PDU).response({ command_status: status }).toBuffer();
    } catch (e) {
      this.listener.onLog('warn', `cannot build the response to ${command}: ${(e as Error).message}`);
      return;
    }
    this.write(buf);
  }

  private genericNack(seq: number, status: number): void {
    if (this.state === 'closed') return;
    const pdu = new PDU('generic_nack', { sequence_number: seq, command_status: status });
    this.write(pdu.toBuffer());
  }

  // ---- receiving ------------------------------------------------------------------

  private onFrame(buf: Buffer): void {
    const commandId = buf.readUInt32BE(4);
    if (commandId === CMD.DELIVER_SM || commandId === CMD.DATA_SM) {
      // decoded once, into one typed value, and classified once (message/inbound.ts)
      const msg = readInboundPdu(buf);
      if (msg) {
        this.consecutiveErrors = 0;
        this.onInboundMessage(msg.command, msg.sequenceNumber, classifyInboundPdu(msg), buf);
        return;
      }
      // fields run past the end: the package says whether it is undecodable (an error packet) or only short
    }
    let pdu: PDU;
    try {
      pdu = decodeSubmitSmResp(buf) ?? new PDU(buf);
    } catch (e) {
      this.errorPacket(`undecodable PDU (${buf.length} octets, command_id 0x${commandId.toString(16)}): ${(e as Error).message}`);
      this.genericNack(buf.readUInt32BE(12), COMMAND_STATUS.ESME_RINVCMDLEN);
      return;
    }
    if (pdu.command === 'unknown') {
      this.errorPacket(`unknown command_id 0x${pdu.command_id.toString(16)}`);
      this.genericNack(pdu.sequence_number, COMMAND_STATUS.ESME_RINVCMDID);
      return;
    }
    this.consecutiveErrors = 0;
    if (pdu.command === 'deliver_sm' || pdu.command === 'data_sm') {
      this.onInboundMessage(pdu.command, pdu.sequence_number, { kind: 'invalid', error: 'the PDU fields run past its end' }, buf);
      return;
    }
    if (pdu.command_id & RESPONSE_BIT) this.onResponse(pdu);
    else this.onRequest(pdu);
  }

  private onOversize(len: number, commandId: number | null, seq: number | null): void {
    this.errorPacket(`PDU of ${len} octets is over Max Message Length (maxMessageLength) ${this.settings.maxMessageLength}`);
    if (seq !== null && commandId !== null && !(commandId & 0x80000000)) this.genericNack(seq, COMMAND_STATUS.ESME_RINVMSGLEN);
  }

  private errorPacket(detail: string): void {
    this.errorPackets++;
    this.consecutiveErrors++;
    this.listener.onErrorPacket(this, detail);
    const max = this.settings.maxErrorPackets;
    if (max > 0 && this.consecutiveErrors >= max) {
      this.close({ code: 'error-packets', message: `${this.consecutiveErrors} bad PDUs in a row (Max Error Packets Received ${max})` });
    }
  }

  private onResponse(pdu: PDU): void {
    // a response answers the request of its sequence number only when it is of that request's type;
    // generic_nack answers any request (SMPP 3.4 section 4.3)
    const nack = pdu.command === 'generic_nack';
    if (pdu.sequence_number === this.unbindSeq && this.unbindSeq !== 0) {
      if (nack || pdu.command === 'unbind_resp') this.finishUnbind();
      else this.errorPacket(`${pdu.command} with the sequence number ${pdu.sequence_number} of our unbind`);
      return;
    }
    const answer = this.window.answer(pdu.command, pdu.sequence_number);
    if (answer.kind === 'unknown') {
      this.listener.onLog('debug', `${pdu.command} for unknown sequence ${pdu.sequence_number} ignored`);
      return;
    }
    if (answer.kind === 'wrong-type') {
      // not an outcome of the request: it stays waiting for its own response (or its timeout)
      this.errorPacket(`${pdu.command} with the sequence number ${pdu.sequence_number} of a ${answer.waiting.command}`);
      return;
    }
    const p = answer.request;
    const status = pdu.command_status;
    if (answer.nack) safeCall(p.cb, SmppError.fromStatus(status || COMMAND_STATUS.ESME_RUNKNOWNERR, `${p.command} (generic_nack)`), pdu, this.listener);
    else if (status !== 0) safeCall(p.cb, SmppError.fromStatus(status, p.command), pdu, this.listener);
    else safeCall(p.cb, null, pdu, this.listener);
    if (p.windowed) this.listener.onSlotFree(this);
  }

  private onInboundMessage(command: 'deliver_sm' | 'data_sm', seq: number, inbound: Inbound, raw: Buffer): void {
    if (this.state !== 'bound' || this.settings.bindMode === 'transmitter') {
      // unbinding (a redeploy, a rebuild): the SMSC must send it again, so a status it retries;
      // a transmitter bind (or one not bound yet) may not receive at all
      const status = this.state === 'unbinding' ? COMMAND_STATUS.ESME_RTHROTTLED : COMMAND_STATUS.ESME_RINVBNDSTS;
      this.respondTo(command, seq, status);
      return;
    }
    const req = new ReceivedMessage(command, seq, inbound, raw, (status) => this.respondTo(command, seq, status));
    try {
      this.listener.onInbound(this, req);
    } catch (e) {
      this.listener.onLog('warn', `inbound ${command} handler failed: ${(e as Error).message}`);
      req.respond(COMMAND_STATUS.ESME_RX_T_APPN);
    }
  }

  private onRequest(pdu: PDU): void {
    const command = pdu.command;
    if (command === 'enquire_link') {
      this.respond(pdu, 0);
      return;
    }
    if (command === 'unbind') {
      this.respond(pdu, 0);
      this.close({ code: 'peer-unbind', message: 'the SMSC sent unbind' });
      return;
    }
    if (NO_RESPONSE.has(command)) {
      this.listener.onLog('debug', `${command} from the SMSC ignored`);
      return;
    }
    // a request an ESME does not serve (submit_sm, bind, query_sm ... from the SMSC)
    this.listener.onLog('debug', `${command} from the SMSC refused with ESME_RINVCMDID`);
    this.genericNack(pdu.sequence_number, COMMAND_STATUS.ESME_RINVCMDID);
  }

  // ---- timers ------------------------------------------------------------------------

  private armExpiry(): void {
    const next = this.window.nextDeadline();
    if (next === null) return;
    if (this.expiryTimer && this.expiryAt <= next) return;
    this.clock.clearTimeout(this.expiryTimer);
    this.expiryAt = next;
    this.expiryTimer = this.clock.setTimeout(() => this.onExpiry(), next - this.clock.now());
  }

  private onExpiry(): void {
    this.expiryTimer = null;
    if (this.state === 'closed') return;
    const expired = this.window.expire(this.clock.now());
    let freed = false;
    for (const p of expired) {
      if (p.windowed) freed = true;
      safeCall(p.cb, new SmppError(LOCAL.TIMEOUT, `${p.command}: no response within ${this.settings.transactionTimeout} ms (Transaction Timeout)`), null, this.listener);
      if ((this.state as LinkState) === 'closed') return; // a callback may have closed the link
    }
    this.armExpiry();
    if (freed) this.listener.onSlotFree(this);
  }

  /** Runs the timer tick (link-timers.ts) for an event and does what it says. */
  private onTimer(event: TimerEvent): void {
    const { state, action } = timerTick({ lastRx: this.lastRx, misses: this.heartbeatMisses }, event, this.clock.now(), this.settings);
    this.heartbeatMisses = state.misses;
    switch (action.kind) {
      case 'close':
        this.close({ code: action.code, message: action.message });
        return;
      case 'check-receive':
        this.clock.clearTimeout(this.receiveTimer);
        this.receiveTimer = this.clock.setTimeout(() => {
          this.receiveTimer = null;
          if (this.state !== 'closed') this.onTimer({ kind: 'receive-due' });
        }, action.inMs);
        return;
      case 'heartbeat':
        if (action.warn) this.listener.onLog('warn', action.warn);
        this.clock.clearTimeout(this.heartbeatTimer);
        this.heartbeatTimer = this.clock.setTimeout(() => this.sendHeartbeat(action.attempt), action.inMs);
        return;
    }
  }

  private sendHeartbeat(attempt: number): void {
    this.heartbeatTimer = null;
    if (this.state !== 'bound') return;
    this.sendRequest(
      'enquire_link',
      {},
      (err) => {
        if (this.state !== 'bound') return;
        // any answer, even an error status, shows the peer is alive
        if (!err || err.code >= 0) this.onTimer({ kind: 'alive' });
        else if (err.code === LOCAL.TIMEOUT) this.onTimer({ kind: 'heartbeat-timeout', attempt });
      },
      false,
    );
  }

  // ---- closing ----------------------------------------------------------------------

  /** Unbinds politely (waiting at most `timeoutMs` for unbind_resp), then closes. */
  unbind(timeoutMs: number): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    if (this.state !== 'bound') {
      this.close({ code: 'unbound', message: 'closed before the bind completed' });
      return Promise.resolve();
    }
    this.state = 'unbinding';
    this.clock.clearTimeout(this.heartbeatTimer);
    return new Promise<void>((resolve) => {
      this.unbindDone = resolve;
      const seq = this.window.nextSeq();
      this.unbindSeq = seq;
      this.write(new PDU('unbind', { sequence_number: seq }).toBuffer());
      this.unbindTimer = this.clock.setTimeout(() => this.finishUnbind(), timeoutMs);
    });
  }

  private finishUnbind(): void {
    this.close({ code: 'unbound', message: 'unbound' });
  }

  /** Closes at once; everything outstanding is failed back to its caller. Idempotent. */
  close(reason: CloseReason): void {
    if (this.state === 'closed') return;
    const wasBound = this.state === 'bound' || this.state === 'unbinding';
    this.state = 'closed';
    for (const t of [this.connectTimer, this.expiryTimer, this.heartbeatTimer, this.receiveTimer, this.unbindTimer]) this.clock.clearTimeout(t);
    this.connectTimer = this.expiryTimer = this.heartbeatTimer = this.receiveTimer = this.unbindTimer = null;
    this.reader.stop();
    const socket = this.socket;
    if (socket) {
      // flush what this tick wrote (the unbind_resp to an SMSC's unbind) before the socket goes
      if (this.corked) {
        this.corked = false;
        socket.uncork();
      }
      if ((reason.code === 'unbound' && wasBound) || reason.code === 'peer-unbind') socket.end();
      socket.destroy();
    }
    const pending = this.window.drain();
    for (const p of pending) {
      safeCall(p.cb, new SmppError(LOCAL.LINK_DOWN, `${p.command}: the link dropped before the SMSC answered (${reason.message}); the outcome is unknown`), null, this.listener);
    }
    const done = this.unbindDone;
    this.unbindDone = null;
    this.listener.onClosed(this, reason);
    done?.();
  }
}

function safeCall(cb: ResponseCallback, err: SmppError | null, pdu: PDU | null, listener: LinkListener): void {
  try {
    cb(err, pdu);
  } catch (e) {
    listener.onLog('warn', `a response handler threw: ${(e as Error).stack ?? e}`);
  }
}

export { statusName };
