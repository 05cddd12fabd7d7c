/**
 * A part of a concatenated MO, and its group's header, as text, so that
 * several instances can hold the parts of one message in a shared store
 * (nodes/shared/mo-parts.ts keeps them in Redis): encode on the instance that
 * received the part, decode on the one that puts the message together
 * (reassembly.ts assemble). Pure. Decoding checks every field and answers
 * null for anything it did not write (another version, a damaged value).
 *
 * Part: {"c":command,"e":esm_class,"f":fields,"b":body base64[,"u":UDH base64][,"m":1 malformed UDH]}
 * Header: {"from","to","dc":data_coding,"ref","total","via"}
 */
import type { ConcatInfo, MoMessage } from './inbound';
import type { HeldPart, PartGroup } from './reassembly';

export interface GroupHeader {
  from: string;
  to: string;
  dataCoding: number;
  concat: Pick<ConcatInfo, 'ref' | 'total' | 'via'>;
}

export function encodePart(mo: MoMessage): string {
  const o: Record<string, unknown> = { c: mo.command, e: mo.esmClass, f: mo.fields, b: mo.body.toString('base64') };
  if (mo.udh) o.u = mo.udh.toString('base64');
  if (mo.udhMalformed) o.m = 1;
  return JSON.stringify(o);
}

function parse(text: unknown): Record<string, unknown> | null {
  if (typeof text !== 'string') return null;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const isInt = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

export function decodePart(text: unknown): HeldPart | null {
  const o = parse(text);
  if (!o) return null;
  if ((o.c !== 'deliver_sm' && o.c !== 'data_sm') || !isInt(o.e, 255) || typeof o.b !== 'string') return null;
  if (!o.f || typeof o.f !== 'object' || Array.isArray(o.f)) return null;
  if (o.u !== undefined && typeof o.u !== 'string') return null;
  const part: HeldPart = { command: o.c, esmClass: o.e, fields: { ...(o.f as Record<string, unknown>) }, body: Buffer.from(o.b, 'base64') };
  if (typeof o.u === 'string') part.udh = Buffer.from(o.u, 'base64');
  if (o.m === 1) part.udhMalformed = true;
  return part;
}

export function encodeHeader(mo: MoMessage & { concat: ConcatInfo }): string {
  return JSON.stringify({ from: mo.from, to: mo.to, dc: mo.dataCoding, ref: mo.concat.ref, total: mo.concat.total, via: mo.concat.via });
}

export function decodeHeader(text: unknown): GroupHeader | null {
  const o = parse(text);
  if (!o || typeof o.from !== 'string' || typeof o.to !== 'string' || !isInt(o.dc, 255) || !isInt(o.ref, 0xffff)) return null;
  if (!isInt(o.total, 255) || (o.total as number) < 2 || (o.via !== 8 && o.via !== 16 && o.via !== 'sar')) return null;
  return { from: o.from, to: o.to, dataCoding: o.dc as number, concat: { ref: o.ref as number, total: o.total as number, via: o.via } };
}

/**
 * A group read back from the store: its header and its fields 'p<seqnum>'
 * (one per part held), 'd' (duplicates counted). Parts that cannot be read or
 * whose seqnum is outside 1..total are left out (counted in `unreadable`);
 * null when the header cannot be read or no part can.
 */
export function groupFromFields(fields: Record<string, string>): { group: PartGroup; unreadable: number } | null {
  const header = decodeHeader(fields.h);
  if (!header) return null;
  const parts: (HeldPart | undefined)[] = new Array(header.concat.total);
  let unreadable = 0;
  let present = 0;
  for (const [name, value] of Object.entries(fields)) {
    const m = /^p(\d{1,3})$/.exec(name);
    if (!m) continue;
    const seq = Number(m[1]);
    const part = seq >= 1 && seq <= header.concat.total ? decodePart(value) : null;
    if (!part) {
      unreadable++;
      continue;
    }
    parts[seq - 1] = part;
    present++;
  }
  if (present === 0) return null;
  const d = Number(fields.d);
  return { group: { ...header, parts, duplicates: Number.isInteger(d) && d > 0 ? d : 0 }, unreadable };
}
