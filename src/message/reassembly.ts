/**
 * Reassembly of concatenated MO messages: parts identified by a UDH
 * concatenation element (8- or 16-bit reference) or by the SAR TLVs, in any
 * order, into one whole message. Pure: no timers, no sockets; the caller
 * passes the time in ms.
 *
 * - A group is keyed by how it was split (8, 16, sar), source, destination,
 *   reference, total and data_coding.
 * - Part bodies are joined in seqnum order and decoded once, so a GSM escape
 *   or a UCS2 surrogate pair split across two parts decodes right.
 * - A part already held is a duplicate: ignored and counted.
 * - `expire(now)` hands out the groups whose first part arrived at least
 *   `waitMs` ago, flagged incomplete, with the seqnums present and missing and
 *   the text of the parts that arrived; `flushAll()` hands out every group.
 * - At most `maxGroups` groups are open: a part that would open another one
 *   is refused ('full'); parts of open groups are still taken.
 * - A message that is not concatenated (or says it has one part) passes
 *   straight through.
 * Every buffer kept is a copy: the caller's PDU buffer may be reused.
 */
import type { ConcatInfo, MoMessage } from './inbound';
import { moPayload } from './inbound';

export interface WholeMo {
  command: 'deliver_sm' | 'data_sm';
  from: string;
  to: string;
  dataCoding: number;
  /** esm_class of the first part present */
  esmClass: number;
  /** fields of the first part present (addresses, flags), without the message bytes */
  fields: Record<string, unknown>;
  /** UDH of the first part present, when it had one (with its UDHL octet) */
  udh?: Buffer;
  /** a part's UDH had an element that could not be read (ignored, see parseUdh) */
  udhMalformed?: true;
  /** the bodies (without UDH) of the parts present, joined in seqnum order */
  body: Buffer;
  /** text decoded by the whole data_coding byte, or a Buffer for binary and unknown codings */
  payload: string | Buffer;
  /** parts the message has (1 when not concatenated) */
  parts: number;
  /** seqnums present, ascending */
  received: number[];
  /** seqnums missing, ascending (empty when complete) */
  missing: number[];
  incomplete: boolean;
  concat?: { ref: number; total: number; via: ConcatInfo['via'] };
  /** copies of held parts that arrived again and were ignored */
  duplicates: number;
}

export type AddResult =
  /** a single message, or the part that completed a group (the group is gone) */
  | { kind: 'whole'; message: WholeMo }
  /** stored; the group waits for more parts */
  | { kind: 'held'; received: number; total: number }
  /** this part is already held; ignored */
  | { kind: 'duplicate' }
  /** this part would open a group beyond maxGroups; refused, not stored */
  | { kind: 'full' };

export interface ReassemblyCounters {
  /** concatenated parts offered (duplicates and refused ones included) */
  parts: number;
  /** groups completed */
  reassembled: number;
  /** groups handed out incomplete (expired or flushed) */
  incomplete: number;
  duplicateParts: number;
  /** parts refused because maxGroups groups were open */
  refusedFull: number;
}

export interface ReassemblerOptions {
  /** how long a group waits for its missing parts, from its first part's arrival (ms) */
  waitMs: number;
  /** bound on open groups */
  maxGroups: number;
}

/** One stored part: what a whole message keeps of it (also what nodes/shared/mo-parts.ts keeps in Redis, see held-part.ts). */
export interface HeldPart {
  command: 'deliver_sm' | 'data_sm';
  esmClass: number;
  fields: Record<string, unknown>;
  udh?: Buffer;
  udhMalformed?: true;
  body: Buffer;
}

/** What a whole message is made from: its group's key fields and the parts present (index seqnum - 1). */
export interface PartGroup {
  from: string;
  to: string;
  dataCoding: number;
  concat: Pick<ConcatInfo, 'ref' | 'total' | 'via'>;
  parts: (HeldPart | undefined)[];
  duplicates: number;
}

interface Group extends PartGroup {
  created: number;
  count: number;
}

/** The key of a part's group: how it was split, source, destination, reference, total and data_coding. */
export function groupKeyOf(mo: MoMessage & { concat: ConcatInfo }): string {
  const c = mo.concat;
  return `${c.via}|${mo.from}|${mo.to}|${c.ref}|${c.total}|${mo.dataCoding}`;
}

/** A copy of the part of a concatenated message that `mo` is. */
export function copyPart(mo: MoMessage): HeldPart {
  const part: HeldPart = { command: mo.command, esmClass: mo.esmClass, fields: { ...mo.fields }, body: Buffer.from(mo.body) };
  if (mo.udh) part.udh = Buffer.from(mo.udh);
  if (mo.udhMalformed) part.udhMalformed = true;
  return part;
}

/**
 * The text of the parts present: each run of consecutive seqnums is decoded
 * on its own, so a gap never joins the halves of two different characters.
 * Binary and unknown codings give the bytes present, joined.
 */
function payloadOf(dataCoding: number, runs: Buffer[][]): string | Buffer {
  let text = '';
  for (const run of runs) {
    const p = moPayload(dataCoding, run.length === 1 ? run[0] : Buffer.concat(run));
    if (typeof p !== 'string') return Buffer.concat(runs.flat());
    text += p;
  }
  return text;
}

/** The message made of a group's parts present: whole, or incomplete with the seqnums missing. */
export function assemble(g: PartGroup): WholeMo {
  const received: number[] = [];
  const missing: number[] = [];
  const runs: Buffer[][] = [];
  let run: Buffer[] | null = null;
  let first: HeldPart | undefined;
  for (let i = 0; i < g.parts.length; i++) {
    const p = g.parts[i];
    if (p) {
      received.push(i + 1);
      first ??= p;
      if (!run) runs.push((run = []));
      run.push(p.body);
    } else {
      missing.push(i + 1);
      run = null;
    }
  }
  // a group exists only once a part is stored, so there is a first part
  const head = first as HeldPart;
  const message: WholeMo = {
    command: head.command,
    from: g.from,
    to: g.to,
    dataCoding: g.dataCoding,
    esmClass: head.esmClass,
    fields: head.fields,
    body: Buffer.concat(runs.flat()),
    payload: payloadOf(g.dataCoding, runs),
    parts: g.concat.total,
    received,
    missing,
    incomplete: missing.length > 0,
    concat: { ref: g.concat.ref, total: g.concat.total, via: g.concat.via },
    duplicates: g.duplicates,
  };
  if (head.udh) message.udh = head.udh;
  if (g.parts.some((p) => p?.udhMalformed)) message.udhMalformed = true;
  return message;
}

function singleOf(mo: MoMessage): WholeMo {
  const body = Buffer.from(mo.body);
  const message: WholeMo = {
    command: mo.command,
    from: mo.from,
    to: mo.to,
    dataCoding: mo.dataCoding,
    esmClass: mo.esmClass,
    fields: { ...mo.fields },
    body,
    payload: payloadOf(mo.dataCoding, [[body]]),
    parts: 1,
    received: [1],
    missing: [],
    incomplete: false,
    duplicates: 0,
  };
  if (mo.udh) message.udh = Buffer.from(mo.udh);
  if (mo.udhMalformed) message.udhMalformed = true;
  if (mo.concat) message.concat = { ref: mo.concat.ref, total: mo.concat.total, via: mo.concat.via };
  return message;
}

export class Reassembler {
  readonly counters: ReassemblyCounters = { parts: 0, reassembled: 0, incomplete: 0, duplicateParts: 0, refusedFull: 0 };
  /** insertion order is creation order: expire() stops at the first group still waiting */
  private readonly groups = new Map<string, Group>();
  private readonly waitMs: number;
  /** bound on open groups; the caller may lower it while other messages share its bound (nodes/mo-router.ts) */
  maxGroups: number;

  constructor(opts: ReassemblerOptions) {
    if (!(opts.waitMs > 0)) throw new RangeError(`waitMs must be > 0, got ${opts.waitMs}`);
    if (!(Number.isInteger(opts.maxGroups) && opts.maxGroups >= 1)) throw new RangeError(`maxGroups must be a whole number >= 1, got ${opts.maxGroups}`);
    this.waitMs = opts.waitMs;
    this.maxGroups = opts.maxGroups;
  }

  /** open groups */
  get size(): number {
    return this.groups.size;
  }

  add(mo: MoMessage, now: number): AddResult {
    const c = mo.concat;
    if (!c || c.total <= 1) return { kind: 'whole', message: singleOf(mo) };
    this.counters.parts++;
    const key = groupKeyOf(mo as MoMessage & { concat: ConcatInfo });
    let g = this.groups.get(key);
    if (!g) {
      if (this.groups.size >= this.maxGroups) {
        this.counters.refusedFull++;
        return { kind: 'full' };
      }
      g = { from: mo.from, to: mo.to, dataCoding: mo.dataCoding, concat: c, created: now, parts: new Array(c.total), count: 0, duplicates: 0 };
      this.groups.set(key, g);
    }
    const i = c.seq - 1;
    if (g.parts[i]) {
      g.duplicates++;
      this.counters.duplicateParts++;
      return { kind: 'duplicate' };
    }
    g.parts[i] = copyPart(mo);
    g.count++;
    if (g.count < c.total) return { kind: 'held', received: g.count, total: c.total };
    this.groups.delete(key);
    this.counters.reassembled++;
    return { kind: 'whole', message: assemble(g) };
  }

  /** The groups whose first part arrived `waitMs` or more before `now`, removed and flagged incomplete. */
  expire(now: number): WholeMo[] {
    const out: WholeMo[] = [];
    for (const [key, g] of this.groups) {
      if (now - g.created < this.waitMs) break;
      this.groups.delete(key);
      out.push(assemble(g));
    }
    this.counters.incomplete += out.length;
    return out;
  }

  /** Every open group, removed and flagged incomplete (for closing). */
  flushAll(): WholeMo[] {
    const out = [...this.groups.values()].map(assemble);
    this.groups.clear();
    this.counters.incomplete += out.length;
    return out;
  }
}
