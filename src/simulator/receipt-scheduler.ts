/**
 * When the simulator's answers and receipts go out: responses now or late
 * (failure mode 'late'), receipts after their response (receiptDelayMs), or
 * as a field mode asks (immediately, before the response, between the
 * responses of a message's parts, duplicated, an intermediate state first),
 * and receipts held for a system id that has no receiver (holdReceipts).
 * Builds each receipt from the submit it answers. One timer per queue; only
 * pending receipts keep state.
 */
import { DelayQueue } from './delay-queue';
import { checkFieldMode, FieldMode, ReceiptForm, receiptFormOf, ReceiptTiming } from './field-modes';
import { MessageIdFormat, MessageIdGenerator, ReceiptIdFormat, receiptIdOf } from './message-ids';
import { ReceiptFields, ReceiptPdu, receiptDeliverSm } from './pdu-builder';
import { messageSnippet, SubmitFields } from './pdu-reader';
import {
  formatReceiptDate, isFailureState, MESSAGE_STATE, ReceiptDateCache, receiptSnippet, receiptText, ReceiptState,
} from './receipt-format';
import type { SimSession, Sessions } from './sessions';
import type { Counters, FailureMode, SimulatorOptions } from './sim-types';

interface PendingReceipt extends ReceiptPdu {
  from: SimSession;
  systemId: string;
  submitMs: number;
  state: ReceiptState;
  snippet: string;
  /** Sent first, in this state, then the final one receiptDelayMs later. */
  intermediate: ReceiptState | null;
  /** null = the textbook receipt. */
  form: ReceiptForm | null;
}

interface LateAnswer {
  st: SimSession;
  /** null: only the receipt goes now. */
  buf: Buffer | null;
  receipt: PendingReceipt | null;
  after: (() => void) | null;
}

const DEFAULT_GAP_MS: Record<ReceiptTiming, number> = { 'after-delay': 0, immediate: 0, 'before-response': 5, 'between-parts': 30 };

export class ReceiptScheduler {
  private readonly receiptsMode: 'always' | 'requested' | 'never';
  private readonly receiptDelayMs: number;
  private readonly receiptFields: ReceiptFields;
  private readonly holdReceipts: boolean;
  private readonly anyReceiver: boolean;
  private readonly optionState: ReceiptState;
  private readonly optionIdFormat: MessageIdFormat;
  private readonly optionReceiptIdFormat: ReceiptIdFormat;
  // the field mode, resolved
  private receiptState: ReceiptState;
  private receiptIsFailure: boolean;
  private messageIdFormat: MessageIdFormat;
  private receiptIdFormat: ReceiptIdFormat;
  private ids: MessageIdGenerator;
  private timing: ReceiptTiming = 'after-delay';
  private gapMs = 0;
  private intermediate: ReceiptState | null = null;
  private form: ReceiptForm | null = null;
  /** The field mode in force (checked). */
  mode: FieldMode = {};
  /** between-parts: when the last response is due */
  private lastAnswerDue = 0;

  /** receipts held for a system id that had no receiver (holdReceipts) */
  private readonly held = new Map<string, PendingReceipt[]>();
  private readonly dates = new ReceiptDateCache();
  private readonly receiptQueue: DelayQueue<PendingReceipt>;
  private readonly lateQueue: DelayQueue<LateAnswer>;

  constructor(
    options: SimulatorOptions,
    private readonly sessions: Sessions,
    private readonly counters: Counters,
    private readonly failure: () => FailureMode,
    log: (line: string) => void,
  ) {
    this.receiptsMode = options.receipts ?? 'requested';
    this.receiptDelayMs = options.receiptDelayMs ?? 100;
    this.optionState = options.receiptState ?? 'DELIVRD';
    if (!(this.optionState in MESSAGE_STATE)) throw new TypeError(`unknown receiptState ${String(this.optionState)}`);
    this.optionIdFormat = options.messageIdFormat ?? 'hex';
    this.optionReceiptIdFormat = options.receiptIdFormat ?? 'same';
    if (this.optionIdFormat === 'symbols' && this.optionReceiptIdFormat !== 'same') {
      throw new TypeError("messageIdFormat 'symbols' needs receiptIdFormat 'same'");
    }
    this.receiptFields = options.receiptFields ?? 'both';
    this.holdReceipts = options.holdReceipts ?? false;
    this.anyReceiver = options.receiptsTo === 'any-receiver';
    this.receiptState = this.optionState;
    this.receiptIsFailure = isFailureState(this.receiptState);
    this.messageIdFormat = this.optionIdFormat;
    this.receiptIdFormat = this.optionReceiptIdFormat;
    this.ids = new MessageIdGenerator(this.messageIdFormat);
    const onQueueError = (err: unknown) => log(`simulator: internal error: ${String(err)}`);
    this.receiptQueue = new DelayQueue((r) => this.deliver(r), onQueueError);
    this.lateQueue = new DelayQueue((a) => this.answerNow(a.st, a.buf, a.receipt, a.after), onQueueError);
    if (options.field) this.setFieldMode(options.field);
  }

  /** Replaces the field mode (see field-modes.ts); {} = the textbook SMSC. Throws a TypeError on a bad mode. */
  setFieldMode(mode: FieldMode): void {
    const m = checkFieldMode(mode);
    const idFormat = m.messageIdFormat ?? this.optionIdFormat;
    const receiptIdFormat = m.receiptIdFormat ?? (m.messageIdFormat !== undefined ? 'same' : this.optionReceiptIdFormat);
    if (idFormat === 'symbols' && receiptIdFormat !== 'same') throw new TypeError("messageIdFormat 'symbols' needs receiptIdFormat 'same'");
    this.receiptState = m.receiptState ?? this.optionState;
    this.receiptIsFailure = isFailureState(this.receiptState);
    if (idFormat !== this.messageIdFormat) this.ids = new MessageIdGenerator(idFormat);
    this.messageIdFormat = idFormat;
    this.receiptIdFormat = receiptIdFormat;
    this.timing = m.receiptTiming ?? 'after-delay';
    this.gapMs = m.gapMs ?? DEFAULT_GAP_MS[this.timing];
    this.intermediate = m.intermediateState ?? null;
    this.form = receiptFormOf(m);
    this.lastAnswerDue = 0;
    this.mode = m;
  }

  nextMessageId(): string {
    return this.ids.next();
  }

  clear(): void {
    this.receiptQueue.clear();
    this.lateQueue.clear();
    this.held.clear();
  }

  // ---------------------------------------------------------------- answers

  /** Sends a response now or, in 'late' mode, later; the receipt (if any) goes as the timing says. */
  answer(st: SimSession, buf: Buffer, receipt: PendingReceipt | null, after: (() => void) | null): void {
    const f = this.failure();
    const lateMs = f.kind === 'late' && f.delayMs > 0 ? f.delayMs : 0;
    if (receipt && this.timing === 'before-response') {
      this.deliver(receipt);
      this.lateQueue.push(lateMs + this.gapMs, { st, buf, receipt: null, after });
      return;
    }
    if (receipt && this.timing === 'between-parts') {
      const now = Date.now();
      const due = Math.max(now + lateMs, this.lastAnswerDue + this.gapMs);
      this.lastAnswerDue = due;
      this.lateQueue.push(due - now, { st, buf, receipt: null, after });
      this.lateQueue.push(due - now + Math.floor(this.gapMs / 2), { st, buf: null, receipt, after: null });
      return;
    }
    if (lateMs > 0) {
      this.lateQueue.push(lateMs, { st, buf, receipt, after });
      return;
    }
    this.answerNow(st, buf, receipt, after);
  }

  private answerNow(st: SimSession, buf: Buffer | null, receipt: PendingReceipt | null, after: (() => void) | null): void {
    if (buf) {
      if (st.closed) return;
      this.sessions.write(st, buf);
      if (receipt) {
        if (this.timing === 'immediate') this.deliver(receipt);
        else this.receiptQueue.push(this.receiptDelayMs, receipt);
      }
    } else if (receipt) this.deliver(receipt);
    if (after) after();
  }

  // ---------------------------------------------------------------- receipts

  /** The receipt a submit asks for (registered_delivery and the receipts option), or null. */
  receiptFor(st: SimSession, f: SubmitFields, messageId: string): PendingReceipt | null {
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
      intermediate: this.intermediate,
      form: this.form,
    };
  }

  /** Sends the receipts held for systemId (holdReceipts) now that it has a receiver again. */
  releaseHeld(systemId: string): void {
    const held = this.held.get(systemId);
    if (!held) return;
    this.held.delete(systemId);
    for (const r of held) this.send(r);
  }

  /** A receipt is due: its intermediate state first (the final one then waits receiptDelayMs), else the final one. */
  private deliver(r: PendingReceipt): void {
    if (!r.intermediate) {
      this.send(r);
      return;
    }
    const state = r.intermediate;
    r.intermediate = null;
    this.send({ ...r, state, messageState: MESSAGE_STATE[state] });
    this.receiptQueue.push(this.receiptDelayMs, r);
  }

  private send(r: PendingReceipt): void {
    if (this.failure().kind === 'silent') return;
    let target: SimSession | null = !this.anyReceiver && r.from.mode === 'transceiver' && !r.from.closed ? r.from : null;
    if (!target) target = this.sessions.pickReceiver(r.systemId);
    if (!target) {
      if (this.holdReceipts) {
        const held = this.held.get(r.systemId);
        if (held) held.push(r);
        else this.held.set(r.systemId, [r]);
        return;
      }
      this.counters.receiptsDropped++;
      return;
    }
    const now = Date.now();
    const form = r.form;
    if (!form) {
      r.text = receiptText(r.receiptId, this.dates.format(r.submitMs), this.dates.format(now), r.state, r.snippet);
      this.sessions.write(target, receiptDeliverSm(this.sessions.nextSeq(target), r));
      this.counters.receiptsSent++;
      return;
    }
    r.text = receiptText(r.receiptId, formatReceiptDate(r.submitMs, form.dateForm), formatReceiptDate(now, form.dateForm), r.state, r.snippet,
      { order: form.order, statWord: form.statWord });
    r.dataCoding = form.dataCoding;
    r.trailingNul = form.trailingNul;
    if (form.statWord !== undefined) r.messageState = null;
    for (let i = 0; i < form.copies; i++) {
      this.sessions.write(target, receiptDeliverSm(this.sessions.nextSeq(target), r));
      this.counters.receiptsSent++;
    }
  }
}
