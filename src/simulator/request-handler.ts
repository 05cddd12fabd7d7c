/**
 * What the simulator answers to each PDU a client sends: binds (account
 * checks), submit_sm / data_sm (message ids, receipts, the failure modes),
 * enquire_link, unbind, responses to our own requests, and errors for the
 * rest. Answers go through the receipt scheduler, which decides when.
 */
import type { EventEmitter } from 'events';
import * as smpp from 'smpp';
import { bindResp, CMD, headerOnly, malformedFrame, receiptDeliverSm, respWithId, STATUS } from './pdu-builder';
import { readBind, readSubmit } from './pdu-reader';
import type { ReceiptScheduler } from './receipt-scheduler';
import type { SimSession, Sessions } from './sessions';
import type { BindMode, Counters, FailureMode, SimulatorAccount } from './sim-types';

const ESME_RINVCMDLEN = 0x02;

const BIND_MODES: Record<number, BindMode> = {
  [CMD.bind_transmitter]: 'transmitter',
  [CMD.bind_receiver]: 'receiver',
  [CMD.bind_transceiver]: 'transceiver',
};

/** The failure mode in force and how many submits it has counted. */
export interface FailureState {
  mode: FailureMode;
  count: number;
}

export class RequestHandler {
  constructor(
    private readonly sessions: Sessions,
    private readonly scheduler: ReceiptScheduler,
    private readonly counters: Counters,
    private readonly failure: FailureState,
    private readonly accounts: SimulatorAccount[],
    private readonly events: EventEmitter,
    private readonly log: (line: string) => void,
  ) {}

  onPdu(st: SimSession, pdu: Buffer): void {
    const id = pdu.readUInt32BE(4);
    const seq = pdu.readUInt32BE(12);
    if (id & CMD.RESP) {
      this.onResponse(st, id, pdu.readUInt32BE(8), seq);
      return;
    }
    if (this.failure.mode.kind === 'silent') return;
    switch (id) {
      case CMD.submit_sm:
      case CMD.data_sm:
        this.onSubmit(st, pdu, id, seq);
        return;
      case CMD.enquire_link:
        if (!st.mode) {
          this.answer(st, headerOnly(CMD.enquire_link | CMD.RESP, STATUS.ESME_RINVBNDSTS, seq));
          return;
        }
        this.counters.enquireLinks++;
        this.answer(st, headerOnly(CMD.enquire_link | CMD.RESP, 0, seq));
        return;
      case CMD.bind_transmitter:
      case CMD.bind_receiver:
      case CMD.bind_transceiver:
        this.onBind(st, pdu, id, seq);
        return;
      case CMD.unbind:
        if (!st.mode) {
          this.answer(st, headerOnly(CMD.unbind | CMD.RESP, STATUS.ESME_RINVBNDSTS, seq));
          return;
        }
        this.counters.unbinds++;
        this.log(`simulator: unbind from ${st.remote} (${st.systemId})`);
        if (this.scheduler.mode.requestsOnUnbind) this.requestsOnUnbind(st);
        this.sessions.unbound(st);
        this.scheduler.answer(st, headerOnly(CMD.unbind | CMD.RESP, 0, seq), null, () => this.sessions.end(st));
        return;
      case CMD.alert_notification:
      case CMD.outbind:
        return; // no response exists for these
      default:
        if (!smpp.commandsById[id] || !smpp.commandsById[(id | CMD.RESP) >>> 0]) {
          this.answer(st, headerOnly(CMD.generic_nack, STATUS.ESME_RINVCMDID, seq));
        } else {
          // a known SMPP request the simulator does not serve (query_sm, submit_multi, ...)
          const status = st.mode ? STATUS.ESME_RINVCMDID : STATUS.ESME_RINVBNDSTS;
          this.answer(st, headerOnly((id | CMD.RESP) >>> 0, status, seq));
        }
    }
  }

  /** A request onPdu threw on: logged and answered ESME_RSYSERR. */
  onPduError(st: SimSession, pdu: Buffer, err: unknown): void {
    const id = pdu.readUInt32BE(4);
    this.log(`simulator: internal error on command 0x${id.toString(16)}: ${String(err)}`);
    if (!(id & CMD.RESP)) this.sessions.write(st, headerOnly((id | CMD.RESP) >>> 0, STATUS.ESME_RSYSERR, pdu.readUInt32BE(12)));
  }

  private answer(st: SimSession, buf: Buffer): void {
    this.scheduler.answer(st, buf, null, null);
  }

  /** A request whose body runs past its command_length: generic_nack, the session goes on. */
  private onMalformed(st: SimSession, id: number, seq: number): void {
    this.counters.malformed++;
    this.log(`simulator: malformed 0x${id.toString(16)} from ${st.remote}`);
    this.answer(st, headerOnly(CMD.generic_nack, ESME_RINVCMDLEN, seq));
  }

  private onResponse(st: SimSession, id: number, status: number, seq: number): void {
    if (id === ((CMD.deliver_sm | CMD.RESP) >>> 0)) this.events.emit('deliver_resp', status, 'deliver_sm_resp');
    else if (id === ((CMD.data_sm | CMD.RESP) >>> 0)) this.events.emit('deliver_resp', status, 'data_sm_resp');
    this.sessions.settleMo(st, seq, status);
    if (id === ((CMD.unbind | CMD.RESP) >>> 0) && st.unbinding) this.sessions.end(st);
  }

  private onBind(st: SimSession, pdu: Buffer, id: number, seq: number): void {
    const respId = (id | CMD.RESP) >>> 0;
    const fields = readBind(pdu);
    if (!fields) {
      this.onMalformed(st, id, seq);
      return;
    }
    if (st.mode || st.unbinding) {
      this.answer(st, bindResp(respId, STATUS.ESME_RALYBND, seq, ''));
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
      this.answer(st, bindResp(respId, status, seq, ''));
      return;
    }
    this.sessions.bind(st, mode, systemId);
    this.counters.binds++;
    this.log(`simulator: bound ${mode} '${systemId}' from ${st.remote}`);
    this.scheduler.answer(st, bindResp(respId, 0, seq, 'SMSCSIM'), null, () => {
      this.events.emit('bind', systemId, mode);
      if (mode !== 'transmitter') this.scheduler.releaseHeld(systemId);
    });
  }

  private onSubmit(st: SimSession, pdu: Buffer, id: number, seq: number): void {
    const respId = (id | CMD.RESP) >>> 0;
    if (st.mode !== 'transmitter' && st.mode !== 'transceiver') {
      this.answer(st, headerOnly(respId, STATUS.ESME_RINVBNDSTS, seq));
      return;
    }
    const fields = readSubmit(pdu, id === CMD.data_sm);
    if (!fields) {
      this.onMalformed(st, id, seq);
      return;
    }
    if (id === CMD.submit_sm) this.counters.submits++;
    else this.counters.dataSms++;
    if (this.events.listenerCount('submit') > 0) this.emitSubmit(pdu);
    const f = this.failure.mode;
    if (f.kind === 'reject') {
      this.answer(st, headerOnly(respId, f.status, seq));
      return;
    }
    if (f.kind === 'throttle' && ++this.failure.count % f.everyN === 0) {
      this.answer(st, headerOnly(respId, f.status ?? STATUS.ESME_RTHROTTLED, seq));
      return;
    }
    if (f.kind === 'garbage' && ++this.failure.count % f.everyN === 0) {
      this.sessions.write(st, malformedFrame(respId));
      return;
    }
    const wrong = this.scheduler.mode.submitResponse;
    if (wrong) {
      // field mode: a response of another command type with the submit's sequence number
      const wrongId = wrong === 'enquire_link_resp' ? (CMD.enquire_link | CMD.RESP) >>> 0 : (CMD.deliver_sm | CMD.RESP) >>> 0;
      this.answer(st, wrong === 'enquire_link_resp' ? headerOnly(wrongId, 0, seq) : respWithId(wrongId, seq, ''));
      return;
    }
    const messageId = this.scheduler.nextMessageId();
    this.scheduler.answer(st, respWithId(respId, seq, messageId), this.scheduler.receiptFor(st, fields, messageId), null);
  }

  /** Field mode requestsOnUnbind: an MO and a receipt written before the unbind_resp. */
  private requestsOnUnbind(st: SimSession): void {
    if (st.mode === 'transmitter') return;
    this.sessions.sendMo(st, { from: '+15550001111', to: '12345', text: 'an MO while you unbind' }).catch(() => undefined);
    const text = 'id:unbind0001 sub:001 dlvrd:001 submit date:2401021200 done date:2401021201 stat:DELIVRD err:000 text:while unbinding';
    this.sessions.write(st, receiptDeliverSm(this.sessions.nextSeq(st), {
      srcTon: 1, srcNpi: 1, src: '15551234567', dstTon: 0, dstNpi: 0, dst: '4711', receiptId: 'unbind0001', messageState: 2, text,
    }));
    this.counters.receiptsSent++;
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
    this.events.emit('submit', parsed);
  }
}
