/**
 * The simulator's outbind mode (SMPP 3.4 sections 2.2.1, 4.1.7): the SMSC side
 * connects to an ESME's listening port, sends outbind with a system_id and
 * password, answers the ESME's bind_receiver (checking it against the
 * accounts, as a normal bind is checked), then can deliver MOs on that
 * connection. It answers enquire_link and unbind, and never throws on what
 * the ESME sends.
 */
import { EventEmitter } from 'events';
import * as net from 'net';
import * as smpp from 'smpp';
import { buildMoPdu, MoOptions } from './mo-message';
import { bindResp, CMD, headerOnly, STATUS } from './pdu-builder';
import { PduFramer, readBind } from './pdu-reader';
import type { SimulatorAccount } from './smsc-simulator';

export interface OutbindOptions {
  /** the ESME's listening port */
  port: number;
  /** default '127.0.0.1' */
  host?: string;
  /** sent in the outbind */
  systemId: string;
  password: string;
  /** what the ESME's bind_receiver must carry; default: the outbind's own system_id and password. Empty: any. */
  accounts?: SimulatorAccount[];
  /** connect() rejects when no bind_receiver came within this; default 5000 ms */
  bindTimeoutMs?: number;
  /** an MO not answered within this fails; default 5000 ms */
  moTimeoutMs?: number;
}

interface Pending {
  resolve(status: number): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class OutbindClient extends EventEmitter {
  /** the system_id of the ESME's bind_receiver once bound */
  boundSystemId: string | null = null;
  /** bind_receiver PDUs received (accepted or not) */
  bindRequests = 0;
  enquireLinks = 0;
  closed = false;
  private seq = 0;
  private readonly framer = new PduFramer();
  private readonly pending = new Map<number, Pending>();
  private readonly accounts: SimulatorAccount[];

  private constructor(private readonly socket: net.Socket, private readonly opts: OutbindOptions) {
    super();
    this.accounts = opts.accounts ?? [{ systemId: opts.systemId, password: opts.password }];
    socket.setNoDelay(true);
    socket.on('error', (e) => this.emit('socket-error', e));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.onClose());
  }

  /**
   * Connects, sends outbind and resolves once the ESME's bind_receiver was
   * accepted. Rejects when the ESME closes the connection first (a refused
   * outbind), when its bind is refused, or on timeout.
   */
  static connect(opts: OutbindOptions): Promise<OutbindClient> {
    return new Promise<OutbindClient>((resolve, reject) => {
      const socket = net.connect({ port: opts.port, host: opts.host ?? '127.0.0.1' });
      const client = new OutbindClient(socket, opts);
      const timer = setTimeout(() => {
        fail(new Error(`no accepted bind_receiver within ${opts.bindTimeoutMs ?? 5000} ms`));
        client.close();
      }, opts.bindTimeoutMs ?? 5000);
      const cleanup = () => {
        clearTimeout(timer);
        client.removeListener('bound', onBound);
        client.removeListener('bind-refused', onRefused);
        client.removeListener('closed', onClosed);
        client.removeListener('socket-error', onError);
      };
      const fail = (e: Error) => {
        cleanup();
        reject(e);
      };
      const onBound = () => {
        cleanup();
        resolve(client);
      };
      const onRefused = (status: number) => fail(new Error(`the ESME's bind_receiver was refused (status 0x${status.toString(16)})`));
      const onClosed = () => fail(new Error('the ESME closed the connection before binding'));
      const onError = (e: Error) => fail(e);
      client.on('bound', onBound);
      client.on('bind-refused', onRefused);
      client.on('closed', onClosed);
      client.on('socket-error', onError);
      socket.once('connect', () => {
        const outbind = new smpp.PDU('outbind', { sequence_number: client.nextSeq(), system_id: opts.systemId, password: opts.password });
        socket.write(outbind.toBuffer());
      });
    });
  }

  /** Delivers an MO on this connection; resolves with the ESME's response status. */
  deliverMo(mo: MoOptions): Promise<number> {
    if (this.closed || !this.boundSystemId) return Promise.reject(new Error('the outbind session is not bound'));
    return new Promise<number>((resolve, reject) => {
      const seq = this.nextSeq();
      const buf = buildMoPdu(seq, mo);
      const ms = this.opts.moTimeoutMs ?? 5000;
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new Error(`no response to the MO within ${ms} ms`));
      }, ms);
      this.pending.set(seq, { resolve, reject, timer });
      this.socket.write(buf);
    });
  }

  /** Writes raw bytes (for tests of what the ESME does with them). */
  sendRaw(buf: Buffer): void {
    if (!this.closed) this.socket.write(buf);
  }

  /** Resolves when the connection is closed (by either side). */
  whenClosed(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise((r) => this.once('closed', () => r()));
  }

  close(): void {
    this.socket.destroy();
  }

  private nextSeq(): number {
    this.seq = this.seq >= 0x7fffffff ? 1 : this.seq + 1;
    return this.seq;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.framer.append(chunk);
    let pdu: Buffer | null;
    while (!this.closed && (pdu = this.framer.next()) !== null) this.onPdu(pdu);
    if (this.framer.error) this.close();
  }

  private onPdu(pdu: Buffer): void {
    const id = pdu.readUInt32BE(4);
    const status = pdu.readUInt32BE(8);
    const seq = pdu.readUInt32BE(12);
    if (id & CMD.RESP) {
      const p = this.pending.get(seq);
      if (p) {
        this.pending.delete(seq);
        clearTimeout(p.timer);
        p.resolve(status);
      }
      return;
    }
    switch (id) {
      case CMD.bind_receiver:
        return this.onBind(pdu, seq);
      case CMD.enquire_link:
        this.enquireLinks++;
        this.socket.write(headerOnly((CMD.enquire_link | CMD.RESP) >>> 0, 0, seq));
        return;
      case CMD.unbind:
        this.boundSystemId = null;
        this.socket.end(headerOnly((CMD.unbind | CMD.RESP) >>> 0, 0, seq));
        return;
      case CMD.bind_transmitter:
      case CMD.bind_transceiver:
        // after an outbind only bind_receiver is allowed
        this.socket.write(bindResp((id | CMD.RESP) >>> 0, STATUS.ESME_RINVBNDSTS, seq, ''));
        return;
      default:
        this.socket.write(headerOnly(CMD.generic_nack, STATUS.ESME_RINVCMDID, seq));
    }
  }

  private onBind(pdu: Buffer, seq: number): void {
    this.bindRequests++;
    const respId = (CMD.bind_receiver | CMD.RESP) >>> 0;
    const fields = readBind(pdu);
    let status: number = STATUS.ESME_ROK;
    if (!fields) status = STATUS.ESME_RSYSERR;
    else if (this.boundSystemId) status = STATUS.ESME_RALYBND;
    else if (this.accounts.length) {
      const account = this.accounts.find((a) => a.systemId === fields.systemId);
      if (!account) status = STATUS.ESME_RINVSYSID;
      else if (account.password !== fields.password) status = STATUS.ESME_RINVPASWD;
    }
    this.socket.write(bindResp(respId, status, seq, 'SMSCSIM'));
    if (status !== 0) {
      this.emit('bind-refused', status);
      return;
    }
    this.boundSystemId = fields!.systemId;
    this.emit('bound', this.boundSystemId);
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.boundSystemId = null;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('the outbind session closed before the MO was answered'));
    }
    this.pending.clear();
    this.emit('closed');
  }
}
