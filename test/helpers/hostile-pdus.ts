/**
 * A seeded, deterministic corpus of hostile SMPP PDUs for the fault tests:
 * random frames, garbage bodies under valid headers, mutations of real
 * deliver_sm MOs and receipts, truncated bodies, bad TLVs, C-strings without
 * a terminator, responses nobody asked for, PDUs over Max Message Length,
 * command_length < 16 or huge, a PDU cut short by a close, and bursts of
 * error packets. The same seed gives the same bytes.
 *
 * Each entry says what the gateway must do with the link after reading it
 * (`ends`), so a test can check every drop is the one it should be; regular
 * entries never end the link by themselves.
 */
import { PDU, commandsById } from 'smpp';

export type HostileKind =
  | 'random-frame'
  | 'known-id-garbage'
  | 'message-garbage'
  | 'mutated-mo'
  | 'mutated-receipt'
  | 'truncated-body'
  | 'extended-body'
  | 'bad-tlv'
  | 'cstring-no-nul'
  | 'header-only'
  | 'unknown-seq-response'
  | 'oversize'
  | 'length-below-16'
  | 'length-huge'
  | 'cut-then-close'
  | 'error-burst';

/** What the link must do after the entry: nothing, or drop for this reason (the engine's close code). */
export type HostileEnd = 'none' | 'framing' | 'error-packets' | 'peer-closed';

export interface HostileEntry {
  kind: HostileKind;
  bytes: Buffer;
  ends: HostileEnd;
  /** an error packet whatever the codec makes of it: unknown command_id, or over Max Message Length */
  certainError: boolean;
  /** a request with an unknown command_id, in frame: the gateway owes it generic_nack ESME_RINVCMDID */
  owesNack: boolean;
  /** the fake SMSC closes the connection after writing this */
  closeAfter: boolean;
}

export interface CorpusOptions {
  /** the gateway's Max Message Length */
  maxMessageLength: number;
  /** the gateway's Max Error Packets Received (bursts are this long) */
  maxErrorPackets: number;
}

const UNBIND = 0x00000006;
const RESP = 0x80000000;
const DELIVER_SM = 0x00000005;
const DATA_SM = 0x00000103;
/** the frame reader's hard limit: a command_length above it means the stream is out of step */
const HARD_LIMIT = 1 << 20;

/** mulberry32: small, fast, good enough for test data, fully determined by the seed */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function isKnownCommand(id: number): boolean {
  return Object.prototype.hasOwnProperty.call(commandsById, id >>> 0);
}

const KNOWN_IDS: number[] = Object.keys(commandsById)
  .map(Number)
  .filter((id) => id !== UNBIND); // an unbind ends the link politely; the fault tests cover it on its own

const WEIGHTS: [HostileKind, number][] = [
  ['random-frame', 150],
  ['known-id-garbage', 150],
  ['message-garbage', 100],
  ['mutated-mo', 150],
  ['mutated-receipt', 150],
  ['truncated-body', 60],
  ['extended-body', 30],
  ['bad-tlv', 80],
  ['cstring-no-nul', 40],
  ['header-only', 30],
  ['unknown-seq-response', 30],
  ['oversize', 8],
  ['length-below-16', 5],
  ['length-huge', 5],
  ['cut-then-close', 5],
  ['error-burst', 7],
];
const TOTAL_WEIGHT = WEIGHTS.reduce((s, [, w]) => s + w, 0);

const STATES = ['DELIVRD', 'UNDELIV', 'EXPIRED', 'REJECTD', 'ENROUTE', 'ACCEPTD', 'UNKNOWN', 'DELETED'];

export class HostileCorpus {
  private readonly rnd: () => number;

  constructor(readonly seed: number, private readonly opts: CorpusOptions) {
    if (opts.maxErrorPackets < 2) throw new RangeError('maxErrorPackets must be at least 2 for the bursts to mean anything');
    this.rnd = seededRandom(seed);
  }

  /** The next group: one entry, or a burst of maxErrorPackets error packets whose last one ends the link. */
  next(): HostileEntry[] {
    let r = this.int(TOTAL_WEIGHT);
    let kind: HostileKind = WEIGHTS[0][0];
    for (const [k, w] of WEIGHTS) {
      if (r < w) {
        kind = k;
        break;
      }
      r -= w;
    }
    if (kind === 'error-burst') return this.burst();
    return [this.entry(kind)];
  }

  // ---- pieces ---------------------------------------------------------------------

  private int(n: number): number {
    return Math.floor(this.rnd() * n);
  }

  private u32(): number {
    return (this.int(0x10000) * 0x10000 + this.int(0x10000)) >>> 0;
  }

  private bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }

  private pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }

  private digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(10));
    return s;
  }

  /** a sequence number no gateway request will have (ours start at 1 and count up) */
  private foreignSeq(): number {
    return 0x100000 + this.int(0x7fe00000);
  }

  private frame(id: number, status: number, seq: number, body: Buffer): Buffer {
    const b = Buffer.alloc(16 + body.length);
    b.writeUInt32BE(b.length, 0);
    b.writeUInt32BE(id >>> 0, 4);
    b.writeUInt32BE(status >>> 0, 8);
    b.writeUInt32BE(seq >>> 0, 12);
    body.copy(b, 16);
    return b;
  }

  private realMo(): Buffer {
    const dc = this.pick([0, 0, 1, 3, 4, 8, 0xf0, 0x11]);
    const text = this.bytes(this.int(160));
    const fields: Record<string, unknown> = {
      sequence_number: this.foreignSeq(),
      source_addr_ton: this.int(7),
      source_addr_npi: this.int(2),
      source_addr: this.digits(1 + this.int(15)),
      dest_addr_ton: this.int(7),
      dest_addr_npi: this.int(2),
      destination_addr: this.digits(1 + this.int(15)),
      esm_class: this.pick([0, 0, 0x40]),
      data_coding: dc,
      short_message: text,
    };
    if (this.int(4) === 0) {
      fields.sar_msg_ref_num = this.int(0x10000);
      fields.sar_total_segments = 1 + this.int(4);
      fields.sar_segment_seqnum = 1 + this.int(4);
    }
    const command = this.int(5) === 0 ? 'data_sm' : 'deliver_sm';
    if (command === 'data_sm') {
      delete fields.short_message;
      fields.message_payload = text;
    }
    return new PDU(command, fields).toBuffer();
  }

  private realReceipt(): Buffer {
    const id = this.u32().toString(16);
    const stat = this.pick(STATES);
    const text = `id:${id} sub:001 dlvrd:00${this.int(2)} submit date:2401011200 done date:2401011201 stat:${stat} err:${this.digits(3)} text:${this.digits(5)}`;
    const fields: Record<string, unknown> = {
      sequence_number: this.foreignSeq(),
      source_addr: this.digits(10),
      destination_addr: this.digits(6),
      esm_class: 0x04,
      short_message: Buffer.from(text, 'latin1'),
    };
    if (this.int(2) === 0) {
      fields.receipted_message_id = id;
      fields.message_state = 1 + this.int(8);
    }
    if (this.int(3) === 0) fields.network_error_code = Buffer.from([3, this.int(256), this.int(256)]);
    return new PDU('deliver_sm', fields).toBuffer();
  }

  /** Overwrites 1..8 random octets after the length field; keeps the frame in step and never makes an unbind. */
  private mutate(buf: Buffer): Buffer {
    const b = Buffer.from(buf);
    const n = 1 + this.int(8);
    for (let i = 0; i < n; i++) {
      const at = 4 + this.int(b.length - 4);
      b[at] = this.rnd() < 0.3 ? 0 : this.rnd() < 0.3 ? 0xff : this.int(256);
    }
    if (b.readUInt32BE(4) === UNBIND) b.writeUInt32BE(buf.readUInt32BE(4), 4);
    return b;
  }

  private withLength(b: Buffer): Buffer {
    b.writeUInt32BE(b.length, 0);
    return b;
  }

  private tlv(tag: number, declared: number, value: Buffer): Buffer {
    const t = Buffer.alloc(4);
    t.writeUInt16BE(tag, 0);
    t.writeUInt16BE(declared & 0xffff, 2);
    return Buffer.concat([t, value]);
  }

  private badTlv(base: Buffer): Buffer {
    const variant = this.int(8);
    let extra: Buffer;
    switch (variant) {
      case 0: // length past the end of the PDU
        extra = this.tlv(this.pick([0x0424, 0x001e, 0x0427, 0x020c]), 10 + this.int(500), this.bytes(this.int(8)));
        break;
      case 1: // an integer TLV with no octets
        extra = this.tlv(this.pick([0x0427, 0x020c, 0x020e, 0x020f, 0x0204, 0x0017]), 0, Buffer.alloc(0));
        break;
      case 2: // an integer TLV of the wrong size
        extra = this.tlv(this.pick([0x0427, 0x020c, 0x020e, 0x0017]), 5, this.bytes(5));
        break;
      case 3: // receipted_message_id without its terminating NUL
        extra = this.tlv(0x001e, 12, Buffer.from('ABCDEFGHIJKL'));
        break;
      case 4: // an unknown tag
        extra = this.tlv(0x1400 + this.int(0x100), 3, this.bytes(3));
        break;
      case 5: // a lone half of a TLV header
        extra = this.bytes(1 + this.int(3));
        break;
      case 6: // declared 0xFFFF
        extra = this.tlv(this.pick([0x0424, 0x0381, 0x0423]), 0xffff, this.bytes(4));
        break;
      default: // network_error_code too short, message_payload empty
        extra = Buffer.concat([this.tlv(0x0423, 1, Buffer.from([3])), this.tlv(0x0424, 0, Buffer.alloc(0))]);
    }
    return this.withLength(Buffer.concat([base, extra]));
  }

  private entry(kind: Exclude<HostileKind, 'error-burst'>): HostileEntry {
    const plain = (bytes: Buffer, certainError = false, owesNack = false): HostileEntry => ({ kind, bytes, ends: 'none', certainError, owesNack, closeAfter: false });
    switch (kind) {
      case 'random-frame': {
        const b = this.withLength(this.bytes(16 + this.int(200)));
        if (b.readUInt32BE(4) === UNBIND) b.writeUInt32BE(0x7777, 4);
        const id = b.readUInt32BE(4);
        const unknown = !isKnownCommand(id);
        return plain(b, unknown, unknown && !(id & RESP));
      }
      case 'known-id-garbage': {
        const id = this.pick(KNOWN_IDS);
        return plain(this.frame(id, this.int(3) === 0 ? this.u32() : 0, this.foreignSeq(), this.bytes(this.int(200))));
      }
      case 'message-garbage':
        return plain(this.frame(this.pick([DELIVER_SM, DATA_SM]), 0, this.foreignSeq(), this.bytes(this.int(250))));
      case 'mutated-mo':
        return plain(this.mutate(this.realMo()));
      case 'mutated-receipt':
        return plain(this.mutate(this.realReceipt()));
      case 'truncated-body': {
        const base = this.int(2) ? this.realMo() : this.realReceipt();
        return plain(this.withLength(Buffer.from(base.subarray(0, 16 + this.int(base.length - 16)))));
      }
      case 'extended-body': {
        const base = this.int(2) ? this.realMo() : this.realReceipt();
        return plain(this.withLength(Buffer.concat([base, this.bytes(1 + this.int(40))])));
      }
      case 'bad-tlv':
        return plain(this.badTlv(this.int(2) ? this.realMo() : this.realReceipt()));
      case 'cstring-no-nul':
        return plain(this.frame(this.pick([DELIVER_SM, DATA_SM]), 0, this.foreignSeq(), Buffer.alloc(1 + this.int(300), 0x41 + this.int(26))));
      case 'header-only':
        return plain(this.frame(this.pick([DELIVER_SM, DATA_SM, 0x04, 0x09, 0x03, 0x21, 0x102, 0x0b]), 0, this.foreignSeq(), Buffer.alloc(0)));
      case 'unknown-seq-response': {
        const id = this.pick([0x80000004, 0x80000000, 0x80000015, 0x80000005, 0x80000103, 0x80000009]);
        const body = id === 0x80000004 || id === 0x80000103 ? Buffer.from(`${this.u32().toString(16)}\0`) : Buffer.alloc(0);
        return plain(this.frame(id, this.int(2) ? 0 : this.pick([0x58, 0x08, 0x0b, 0x45]), this.foreignSeq(), body));
      }
      case 'oversize': {
        const len = this.opts.maxMessageLength + 1 + this.int(20000);
        const b = this.bytes(len);
        b.writeUInt32BE(len, 0);
        if (b.readUInt32BE(4) === UNBIND) b.writeUInt32BE(0x7777, 4);
        return plain(b, true, false);
      }
      case 'length-below-16': {
        const b = this.bytes(4 + this.int(40));
        b.writeUInt32BE(this.int(16), 0);
        return { kind, bytes: b, ends: 'framing', certainError: false, owesNack: false, closeAfter: false };
      }
      case 'length-huge': {
        const b = this.bytes(16 + this.int(40));
        b.writeUInt32BE(HARD_LIMIT + 1 + this.int(0xffffffff - HARD_LIMIT - 1), 0);
        return { kind, bytes: b, ends: 'framing', certainError: false, owesNack: false, closeAfter: false };
      }
      case 'cut-then-close': {
        const base = this.int(2) ? this.realMo() : this.realReceipt();
        return { kind, bytes: Buffer.from(base.subarray(0, 1 + this.int(base.length - 1))), ends: 'peer-closed', certainError: false, owesNack: false, closeAfter: true };
      }
    }
  }

  private burst(): HostileEntry[] {
    const out: HostileEntry[] = [];
    for (let i = 0; i < this.opts.maxErrorPackets; i++) {
      let id = this.u32() & 0x7fffffff;
      while (isKnownCommand(id)) id = (id + 0x1001) & 0x7fffffff;
      const last = i === this.opts.maxErrorPackets - 1;
      out.push({
        kind: 'error-burst',
        bytes: this.frame(id, 0, this.foreignSeq(), this.bytes(this.int(30))),
        ends: last ? 'error-packets' : 'none',
        certainError: true,
        // the last one closes the link before its nack would be written
        owesNack: !last,
        closeAfter: false,
      });
    }
    return out;
  }
}
