/**
 * The simulator's field modes (field-modes.ts, field-mos.ts): what real
 * carriers send, checked on the wire by a raw client on 127.0.0.1 that
 * records every PDU in arrival order and answers each deliver_sm. Over 350
 * lines on purpose: the raw client plus one short case per field mode.
 */
import assert from 'node:assert/strict';
import * as net from 'net';
import { PassThrough } from 'stream';
import * as smpp from 'smpp';
import { SmscSimulator, SimulatorOptions, FieldMode, RECEIPT_STATES, MESSAGE_STATE, FIELD_MO_TEXT, FIELD_MO_RECEIPTED_ID } from '../../src/simulator';
import { attachControl } from '../../src/simulator/cli-control';
import { PduFramer, readSubmit } from '../../src/simulator/pdu-reader';

const sims: SmscSimulator[] = [];
const sockets: net.Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

interface Seen {
  command: string;
  seq: number;
  status: number;
  /** submit_sm_resp: the message id */
  messageId?: string;
  /** deliver_sm: raw fields */
  esmClass?: number;
  dataCoding?: number;
  message?: Buffer;
  tlvs?: Map<number, Buffer>;
}

const TLV_RECEIPTED_MESSAGE_ID = 0x001e;
const TLV_MESSAGE_STATE = 0x0427;

function tlvsOf(pdu: Buffer): Map<number, Buffer> {
  // deliver_sm's body has submit_sm's layout: walk it to its TLVs
  let o = 16;
  const cstr = () => {
    o = pdu.indexOf(0, o) + 1;
  };
  cstr();
  o += 2;
  cstr();
  o += 2;
  cstr();
  o += 3;
  cstr();
  cstr();
  o += 4;
  o += 1 + pdu[o];
  const out = new Map<number, Buffer>();
  while (o + 4 <= pdu.length) {
    const tag = pdu.readUInt16BE(o);
    const len = pdu.readUInt16BE(o + 2);
    out.set(tag, pdu.subarray(o + 4, o + 4 + len));
    o += 4 + len;
  }
  return out;
}

/** A raw ESME bound as transceiver: every PDU it gets, in order; deliver_sm answered ESME_ROK. */
class RawEsme {
  readonly seen: Seen[] = [];
  private readonly framer = new PduFramer();
  private seq = 0;
  private waiters: Array<() => void> = [];

  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.framer.append(chunk);
      let pdu: Buffer | null;
      while ((pdu = this.framer.next()) !== null) this.onPdu(Buffer.from(pdu));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async bind(sim: SmscSimulator): Promise<RawEsme> {
    const socket = net.connect(sim.port, '127.0.0.1');
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const esme = new RawEsme(socket);
    esme.send(new smpp.PDU('bind_transceiver', { sequence_number: esme.nextSeq(), system_id: 'test', password: 'test' }).toBuffer());
    await esme.until(() => esme.seen.some((p) => p.command === 'bind_transceiver_resp'), 'bind_transceiver_resp');
    esme.seen.length = 0;
    return esme;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  send(buf: Buffer): void {
    this.socket.write(buf);
  }

  /** submit_sm asking for a receipt; its sequence number */
  submit(text = 'hello field', extra: Record<string, unknown> = {}): number {
    const seq = this.nextSeq();
    this.send(new smpp.PDU('submit_sm', {
      sequence_number: seq, source_addr: 'ACME', destination_addr: '4670000001', registered_delivery: 1,
      data_coding: 0, short_message: Buffer.from(text, 'latin1'), ...extra,
    }).toBuffer());
    return seq;
  }

  private onPdu(pdu: Buffer): void {
    const id = pdu.readUInt32BE(4);
    const command = smpp.commandsById[id]?.command ?? `0x${id.toString(16)}`;
    const seen: Seen = { command, seq: pdu.readUInt32BE(12), status: pdu.readUInt32BE(8) };
    if (command === 'submit_sm_resp') seen.messageId = pdu.toString('latin1', 16, pdu.length - 1);
    if (command === 'deliver_sm') {
      const f = readSubmit(pdu, false);
      assert.ok(f, 'a deliver_sm our reader can read');
      Object.assign(seen, { esmClass: f.esmClass, dataCoding: f.dataCoding, message: Buffer.from(f.message), tlvs: tlvsOf(pdu) });
      this.send(new smpp.PDU('deliver_sm_resp', { sequence_number: seen.seq, command_status: 0 }).toBuffer());
    }
    this.seen.push(seen);
  }

  async until(check: () => boolean, what: string, ms = 3000): Promise<void> {
    const end = Date.now() + ms;
    while (!check()) {
      const left = end - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; seen ${JSON.stringify(this.seen.map((s) => s.command))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  receipts(): Seen[] {
    return this.seen.filter((s) => s.command === 'deliver_sm' && s.esmClass === 0x04);
  }

  responses(): Seen[] {
    return this.seen.filter((s) => s.command === 'submit_sm_resp');
  }
}

function textOf(r: Seen): string {
  return r.message!.toString('latin1');
}

function receiptIdOf(r: Seen): string {
  return /^id:(\S+)/.exec(textOf(r))?.[1] ?? '';
}

async function start(opts: SimulatorOptions = {}, field?: FieldMode): Promise<{ sim: SmscSimulator; esme: RawEsme }> {
  const sim = new SmscSimulator({ port: 0, receiptDelayMs: 20, ...opts });
  sims.push(sim);
  await sim.start();
  if (field) sim.setFieldMode(field);
  return { sim, esme: await RawEsme.bind(sim) };
}

/** The order of responses (R<n>) and receipts (D<n>), n = the index of the submit they belong to. */
function order(esme: RawEsme, seqs: number[]): string[] {
  const ids = new Map<string, number>();
  for (const r of esme.responses()) ids.set(r.messageId!, seqs.indexOf(r.seq) + 1);
  return esme.seen
    .filter((s) => s.command === 'submit_sm_resp' || (s.command === 'deliver_sm' && s.esmClass === 0x04))
    .map((s) => (s.command === 'submit_sm_resp' ? `R${seqs.indexOf(s.seq) + 1}` : `D${ids.get(receiptIdOf(s)) ?? '?'}`));
}

describe('SmscSimulator field modes', function () {
  this.timeout(10000);

  describe('receipt timing', () => {
    it('after-delay (default): every response first, then the receipts', async () => {
      const { esme } = await start();
      const seqs = [esme.submit('a'), esme.submit('b'), esme.submit('c')];
      await esme.until(() => esme.receipts().length === 3, '3 receipts');
      assert.deepEqual(order(esme, seqs), ['R1', 'R2', 'R3', 'D1', 'D2', 'D3']);
    });

    it('before-response: the receipt arrives before the submit_sm_resp that gives its id', async () => {
      const { esme } = await start({}, { receiptTiming: 'before-response' });
      const seqs = [esme.submit('early')];
      await esme.until(() => esme.responses().length === 1 && esme.receipts().length === 1, 'response and receipt');
      assert.deepEqual(order(esme, seqs), ['D1', 'R1']);
      assert.equal(receiptIdOf(esme.receipts()[0]), esme.responses()[0].messageId);
    });

    it('immediate: each part\'s receipt right after that part\'s response, one per part', async () => {
      const { esme } = await start({}, { receiptTiming: 'immediate' });
      const seqs = [esme.submit('part 1'), esme.submit('part 2'), esme.submit('part 3')];
      await esme.until(() => esme.receipts().length === 3, '3 receipts');
      assert.deepEqual(order(esme, seqs), ['R1', 'D1', 'R2', 'D2', 'R3', 'D3']);
    });

    it('between-parts: responses spaced out, each receipt between its response and the next one', async () => {
      const { esme } = await start({}, { receiptTiming: 'between-parts', gapMs: 40 });
      const seqs = [esme.submit('part 1'), esme.submit('part 2'), esme.submit('part 3')];
      await esme.until(() => esme.receipts().length === 3, '3 receipts');
      assert.deepEqual(order(esme, seqs), ['R1', 'D1', 'R2', 'D2', 'R3', 'D3']);
    });
  });

  it('receiptCopies 2: the same receipt twice (same text and TLVs, own sequence numbers)', async () => {
    const { esme } = await start({}, { receiptCopies: 2 });
    esme.submit('twice');
    await esme.until(() => esme.receipts().length === 2, '2 receipts');
    const [a, b] = esme.receipts();
    assert.deepEqual(a.message, b.message);
    assert.deepEqual([...a.tlvs!.entries()], [...b.tlvs!.entries()]);
    assert.notEqual(a.seq, b.seq);
    assert.equal(receiptIdOf(a), esme.responses()[0].messageId);
  });

  describe('coding labels', () => {
    it('receiptDataCoding 8: data_coding says UCS2, the text is ASCII', async () => {
      const { esme } = await start({}, { receiptDataCoding: 8 });
      esme.submit('ucs2 label');
      await esme.until(() => esme.receipts().length === 1, 'the receipt');
      const r = esme.receipts()[0];
      assert.equal(r.dataCoding, 8);
      assert.match(textOf(r), /^id:\S+ sub:001 dlvrd:001 submit date:\d{10} done date:\d{10} stat:DELIVRD err:000 text:ucs2 label$/);
      assert.ok(r.message!.every((b) => b >= 0x20 && b < 0x7f), 'ASCII octets only');
    });

    it("messageIdFormat symbols: ids with _ $ @ sent as those octets in a data_coding 0 receipt", async () => {
      const { esme } = await start({}, { messageIdFormat: 'symbols' });
      esme.submit('price: 5$ @ shop_1');
      await esme.until(() => esme.receipts().length === 1, 'the receipt');
      const id = esme.responses()[0].messageId!;
      assert.match(id, /^m_[0-9a-f]+\$@$/);
      const r = esme.receipts()[0];
      assert.equal(r.dataCoding, 0);
      assert.equal(receiptIdOf(r), id);
      assert.ok(r.message!.includes(Buffer.from('_')) && r.message!.includes(Buffer.from('$@')), 'octets 0x5f 0x24 0x40');
      assert.equal(r.tlvs!.get(TLV_RECEIPTED_MESSAGE_ID)!.toString('latin1'), `${id}\0`);
      assert.match(textOf(r), / text:price: 5\$ @ shop_1$/);
    });

    it('receiptTrailingNul: the text ends with a NUL octet inside short_message', async () => {
      const { esme } = await start({ receiptFields: 'text' }, { receiptTrailingNul: true });
      esme.submit('nul');
      await esme.until(() => esme.receipts().length === 1, 'the receipt');
      const m = esme.receipts()[0].message!;
      assert.equal(m[m.length - 1], 0);
      assert.match(m.toString('latin1', 0, m.length - 1), /err:000 text:nul$/);
    });
  });

  describe('state words and text forms', () => {
    for (const state of RECEIPT_STATES) {
      it(`receiptState ${state}: stat:${state} and message_state ${MESSAGE_STATE[state]}`, async () => {
        const { esme } = await start({ receipts: 'always' }, { receiptState: state });
        esme.submit(`state ${state}`);
        await esme.until(() => esme.receipts().length === 1, 'the receipt');
        const r = esme.receipts()[0];
        assert.match(textOf(r), new RegExp(` stat:${state} err:\\d{3} text:state ${state}$`));
        assert.deepEqual([...r.tlvs!.get(TLV_MESSAGE_STATE)!], [MESSAGE_STATE[state]]);
      });
    }

    it('statWord: an unknown word after stat:, no message_state TLV', async () => {
      const { esme } = await start({}, { statWord: 'SOMEWRD' });
      esme.submit('unknown word');
      await esme.until(() => esme.receipts().length === 1, 'the receipt');
      const r = esme.receipts()[0];
      assert.match(textOf(r), / stat:SOMEWRD err:000 /);
      assert.equal(r.tlvs!.has(TLV_MESSAGE_STATE), false);
      assert.equal(r.tlvs!.has(TLV_RECEIPTED_MESSAGE_ID), true);
    });

    it('intermediateState ACCEPTD: an ACCEPTD receipt, then the final DELIVRD one, same id', async () => {
      const { esme } = await start({}, { intermediateState: 'ACCEPTD', receiptTiming: 'immediate' });
      const seqs = [esme.submit('two steps')];
      await esme.until(() => esme.receipts().length === 2, '2 receipts');
      const [first, final] = esme.receipts();
      assert.match(textOf(first), / stat:ACCEPTD /);
      assert.deepEqual([...first.tlvs!.get(TLV_MESSAGE_STATE)!], [6]);
      assert.match(textOf(final), / stat:DELIVRD /);
      assert.deepEqual([...final.tlvs!.get(TLV_MESSAGE_STATE)!], [2]);
      assert.deepEqual(order(esme, seqs), ['R1', 'D1', 'D1']);
    });

    it('receiptFieldOrder text-first: text: before stat:', async () => {
      const { esme } = await start({}, { receiptFieldOrder: 'text-first' });
      esme.submit('text first');
      await esme.until(() => esme.receipts().length === 1, 'the receipt');
      assert.match(textOf(esme.receipts()[0]), /^id:\S+ sub:001 dlvrd:001 submit date:\d{10} done date:\d{10} text:text first stat:DELIVRD err:000$/);
    });

    const DATES: [FieldMode['receiptDateForm'], RegExp][] = [
      ['yyyymmddhhmmss', /submit date:20\d{12} done date:20\d{12} /],
      ['yyyymmddhhmm', /submit date:20\d{10} done date:20\d{10} /],
      ['smpp-absolute', /submit date:\d{12}\d00\+ done date:\d{12}\d00\+ /],
    ];
    for (const [form, re] of DATES) {
      it(`receiptDateForm ${form}`, async () => {
        const { esme } = await start({}, { receiptDateForm: form });
        esme.submit('dates');
        await esme.until(() => esme.receipts().length === 1, 'the receipt');
        assert.match(textOf(esme.receipts()[0]), re);
      });
    }

    for (const format of ['decimal', 'hex'] as const) {
      it(`messageIdFormat ${format}, receiptIdFormat same: the receipt writes the response's id as the same text`, async () => {
        const { esme } = await start({ messageIdFormat: format, receiptIdFormat: 'same' });
        esme.submit('same text');
        await esme.until(() => esme.receipts().length === 1, 'the receipt');
        const id = esme.responses()[0].messageId!;
        assert.match(id, format === 'decimal' ? /^\d+$/ : /^[0-9a-f]+$/);
        const r = esme.receipts()[0];
        assert.equal(receiptIdOf(r), id);
        assert.equal(r.tlvs!.get(TLV_RECEIPTED_MESSAGE_ID)!.toString('latin1'), `${id}\0`);
      });
    }
  });

  describe('field MOs', () => {
    it('tlv-mo: esm_class 0 with a receipted_message_id TLV and its text', async () => {
      const { sim, esme } = await start();
      assert.deepEqual(await sim.injectFieldMo('tlv-mo'), [0]);
      const mo = esme.seen.find((s) => s.command === 'deliver_sm')!;
      assert.equal(mo.esmClass, 0);
      assert.equal(mo.tlvs!.get(TLV_RECEIPTED_MESSAGE_ID)!.toString('latin1'), `${FIELD_MO_RECEIPTED_ID}\0`);
      assert.equal(mo.message!.toString('latin1'), FIELD_MO_TEXT['tlv-mo']);
    });

    it('malformed-udh: 2 concatenated parts whose UDH has an element running past its length', async () => {
      const { sim, esme } = await start();
      assert.deepEqual(await sim.injectFieldMo('malformed-udh'), [0, 0]);
      const parts = esme.seen.filter((s) => s.command === 'deliver_sm');
      assert.equal(parts.length, 2);
      parts.forEach((p, i) => {
        assert.equal(p.esmClass, 0x40);
        const udh = p.message!.subarray(0, 8);
        assert.deepEqual([...udh], [7, 0x00, 0x03, 0x5b, 2, i + 1, 0x25, 0x04], 'UDHL 7; element 0x25 claims 4 octets it does not have');
      });
      assert.equal(parts.map((p) => p.message!.toString('latin1', 8)).join(''), FIELD_MO_TEXT['malformed-udh']);
    });

    for (const [kind, coding] of [['iso-8859-5', 6], ['iso-8859-8', 7]] as const) {
      it(`${kind}: data_coding ${coding}, one octet per character in that character set`, async () => {
        const { sim, esme } = await start();
        assert.deepEqual(await sim.injectFieldMo(kind), [0]);
        const mo = esme.seen.find((s) => s.command === 'deliver_sm')!;
        assert.equal(mo.dataCoding, coding);
        assert.equal(mo.message!.length, [...FIELD_MO_TEXT[kind]].length);
        assert.equal(new TextDecoder(kind).decode(mo.message!), FIELD_MO_TEXT[kind]);
      });
    }
  });

  describe('protocol shortcuts', () => {
    for (const wrong of ['enquire_link_resp', 'deliver_sm_resp'] as const) {
      it(`submitResponse ${wrong}: a submit_sm answered with a ${wrong} carrying its sequence number, no receipt`, async () => {
        const { esme } = await start({}, { submitResponse: wrong });
        const seq = esme.submit('wrong type');
        await esme.until(() => esme.seen.length >= 1, 'an answer');
        await new Promise((r) => setTimeout(r, 60));
        assert.deepEqual(esme.seen.map((p) => [p.command, p.seq, p.status]), [[wrong, seq, 0]]);
      });
    }

    it('requestsOnUnbind: an MO and a receipt come before the unbind_resp', async () => {
      const { sim, esme } = await start({}, { requestsOnUnbind: true });
      const statuses: number[] = [];
      sim.on('deliver_resp', (status: number) => statuses.push(status));
      esme.send(new smpp.PDU('unbind', { sequence_number: esme.nextSeq() }).toBuffer());
      await esme.until(() => esme.seen.some((p) => p.command === 'unbind_resp'), 'unbind_resp');
      assert.deepEqual(esme.seen.map((p) => [p.command, p.esmClass]), [['deliver_sm', 0], ['deliver_sm', 4], ['unbind_resp', undefined]]);
      await esme.until(() => statuses.length === 2, 'both answered');
      assert.deepEqual(statuses, [0, 0], 'the statuses the ESME gave are reported');
    });
  });

  it('refuses a bad field mode naming the key, and {} brings the textbook SMSC back', async () => {
    const { sim, esme } = await start();
    assert.throws(() => sim.setFieldMode({ receiptTiming: 'sometimes' } as unknown as FieldMode), /receiptTiming/);
    assert.throws(() => sim.setFieldMode({ receiptCopies: 9 }), /receiptCopies/);
    assert.throws(() => sim.setFieldMode({ bogus: 1 } as unknown as FieldMode), /unknown field mode key bogus/);
    assert.throws(() => sim.setFieldMode({ messageIdFormat: 'symbols', receiptIdFormat: 'decimal' }), /symbols/);
    sim.setFieldMode({ receiptCopies: 3, receiptDataCoding: 8 });
    sim.setFieldMode({});
    esme.submit('textbook');
    await esme.until(() => esme.receipts().length === 1, 'the receipt');
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(esme.receipts().length, 1);
    assert.equal(esme.receipts()[0].dataCoding, 0);
  });

  it('control channel: field JSON, field-mo KIND and help', async () => {
    const { sim, esme } = await start();
    const input = new PassThrough();
    const lines: string[] = [];
    attachControl(sim, input, (line) => lines.push(line));
    input.write('field {"receiptTiming":"before-response","receiptDataCoding":8}\n');
    input.write('field {"receiptCopies":0}\n');
    input.write('field-mo tlv-mo\n');
    input.write('field-mo nonsense\n');
    input.write('help\n');
    await esme.until(() => lines.length === 5, 'five answers');
    assert.equal(lines[0], 'field ok');
    assert.match(lines[1], /^field error field mode receiptCopies must be 1\.\.5$/);
    assert.match(lines[2], /^field-mo error needs one of tlv-mo/);
    assert.match(lines[3], /^help commands: .*field JSON .*field-mo /);
    assert.equal(lines[4], 'field-mo [0]');
    const seqs = [esme.submit('via control')];
    await esme.until(() => esme.receipts().length === 1 && esme.responses().length === 1, 'receipt and response');
    assert.deepEqual(order(esme, seqs), ['D1', 'R1']);
    assert.equal(esme.receipts()[0].dataCoding, 8);
  });
});
