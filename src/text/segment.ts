/**
 * Splits encoded message bytes into SMS parts for the gateway's
 * "Oversized SMS Splitting Mode" (splitMode) and
 * "Long Message Concatenation Mode" (concatMode).
 *
 * Capacities follow what handsets count. maxContentLength is the octets of
 * user data per SMS (140 on GSM):
 *   GSM 7-bit: floor(8*L/7) septets; with a UDH of h octets,
 *              floor(8*L/7) - ceil(8*h/7) septets (header plus fill bits).
 *              L=140: 160, 153 (8-bit ref UDH), 152 (16-bit ref UDH).
 *   UCS2:      floor(L/2) code units; with UDH floor((L-h)/2). L=140: 70, 67, 66.
 *   8-bit:     L octets; with UDH L-h. L=140: 140, 134, 133.
 * GSM 7-bit bytes here are unpacked septets (one octet each, as SMPP sends
 * data_coding 0), so a septet capacity is also the octet count in short_message.
 *
 * A part never ends between 0x1B and the character it escapes (GSM) nor
 * between the two halves of a UTF-16 surrogate pair (UCS2).
 *
 * SAR mode (sar_* TLVs, no UDH in short_message) cuts its parts like UDH mode
 * by default: the SMSC turns the TLVs into a concatenation UDH over the air
 * (TS 23.040 9.2.3.24.1), which takes 6 octets (7 with a 16-bit reference)
 * of the 140, so a full 160-septet part would not fit (Kannel and Jasmin cut
 * SAR parts the same way). sarFullParts fills them to the whole
 * maxContentLength, for SMSCs that want that.
 *
 * Each part's shortMessage is what goes into short_message: the UDH (when
 * there is one) followed by the body; udh repeats the header alone and
 * esmClassUdhi says to set esm_class bit 0x40. In SAR mode there is no UDH
 * and sar gives the sar_msg_ref_num / sar_total_segments / sar_segment_seqnum
 * values. A message that fits one SMS always comes back as one plain part.
 * Without a UDH, shortMessage is a view of the input bytes (no copy).
 */
import { TextUnit } from './types';

export type SplitMode = 'disabled' | 'none' | 'physical' | 'concatenated';
export type ConcatMode = 'udh' | 'sar';

export interface SegmentOptions {
  mode: SplitMode;
  /** octets of user data per SMS, default 140 */
  maxContentLength?: number;
  /** how concatenated parts are tied together, default 'udh' */
  concat?: ConcatMode;
  /** UDH concatenation reference size, default 8 (also the header room left in SAR parts) */
  udhRefBits?: 8 | 16;
  /** SAR parts filled to maxContentLength, leaving no room for the header the SMSC adds; default false */
  sarFullParts?: boolean;
  /** concatenation reference (the caller rotates it); masked to 8 or 16 bits */
  ref?: number;
  /** most parts allowed, default 255 (concatenation never allows more than 255) */
  maxParts?: number;
}

export interface SarInfo {
  ref: number;
  total: number;
  seq: number;
}

export interface SmsPart {
  shortMessage: Buffer;
  udh?: Buffer;
  esmClassUdhi: boolean;
  sar?: SarInfo;
}

export type SegmentResult = { ok: true; parts: SmsPart[] } | { ok: false; error: string };

const ESC = 0x1b;
const UNIT_LABEL: Record<TextUnit, string> = { septet: 'GSM 7-bit', ucs2: 'UCS2', octet: '8-bit' };

/** Capacity of one part in SMPP octets for the given user-data size and header size. */
export function partCapacity(unit: TextUnit, maxContentLength: number, headerOctets: number): number {
  if (unit === 'septet') {
    const septets = Math.floor((maxContentLength * 8) / 7) - Math.ceil((headerOctets * 8) / 7);
    return septets > 0 ? septets : 0;
  }
  const room = maxContentLength - headerOctets;
  if (room <= 0) return 0;
  return unit === 'ucs2' ? room & ~1 : room;
}

function describeLength(bytes: Buffer, unit: TextUnit): string {
  const n = bytes.length;
  if (unit === 'septet') return `${n} octets (GSM 7-bit, ${n} septets)`;
  if (unit === 'ucs2') return `${n} octets (UCS2, ${n >> 1} characters)`;
  return `${n} octets (8-bit)`;
}

function describeCapacity(unit: TextUnit, capacity: number): string {
  if (unit === 'septet') return `${capacity} septets`;
  if (unit === 'ucs2') return `${capacity >> 1} characters`;
  return `${capacity} octets`;
}

/** End of the part that starts at start, at most start+capacity, not splitting a pair. */
function partEnd(bytes: Buffer, unit: TextUnit, start: number, capacity: number): number {
  const total = bytes.length;
  const stop = start + capacity < total ? start + capacity : total;
  if (stop === total) return total;
  if (unit === 'septet') {
    let i = start;
    while (i < stop) {
      if (bytes[i] === ESC && i + 1 < total) {
        if (i + 2 > stop) break;
        i += 2;
      } else {
        i += 1;
      }
    }
    return i;
  }
  if (unit === 'ucs2' && stop - start >= 2) {
    const hi = bytes[stop - 2];
    const next = bytes[stop];
    if (hi >= 0xd8 && hi <= 0xdb && next >= 0xdc && next <= 0xdf) return stop - 2;
  }
  return stop;
}

function fail(error: string): SegmentResult {
  return { ok: false, error };
}

export function segmentMessage(bytes: Buffer, unit: TextUnit, options: SegmentOptions): SegmentResult {
  const mode = options.mode;
  const maxContentLength = options.maxContentLength ?? 140;
  const concat = options.concat ?? 'udh';
  const refBits = options.udhRefBits ?? 8;
  const maxParts = options.maxParts ?? 255;

  if (mode === 'none') return { ok: true, parts: [{ shortMessage: bytes, esmClassUdhi: false }] };
  if (!Number.isInteger(maxContentLength) || maxContentLength < 1) {
    return fail(`Max Content Length (maxContentLength) must be a whole number of at least 1, got ${maxContentLength}`);
  }

  const single = partCapacity(unit, maxContentLength, 0);
  if (bytes.length <= single) return { ok: true, parts: [{ shortMessage: bytes, esmClassUdhi: false }] };

  if (mode === 'disabled') {
    return fail(`message is ${describeLength(bytes, unit)}, over Max Content Length ${maxContentLength}` +
      (unit === 'octet' ? '' : ` (${describeCapacity(unit, single)})`) +
      '; set Oversized SMS Splitting Mode (splitMode) to concatenated or physical');
  }
  if (mode !== 'physical' && mode !== 'concatenated') return fail(`unknown Oversized SMS Splitting Mode '${String(mode)}'`);
  if (!Number.isInteger(maxParts) || maxParts < 1) return fail(`max parts must be a whole number of at least 1, got ${maxParts}`);
  if (mode === 'concatenated' && concat !== 'udh' && concat !== 'sar') {
    return fail(`unknown Long Message Concatenation Mode '${String(concat)}'; use udh or sar`);
  }
  if (mode === 'concatenated' && refBits !== 8 && refBits !== 16) {
    return fail(`UDH reference size must be 8 or 16 bits, got ${String(refBits)}`);
  }

  const useUdh = mode === 'concatenated' && concat === 'udh';
  const sarRoom = mode === 'concatenated' && concat === 'sar' && options.sarFullParts !== true;
  const headerOctets = useUdh || sarRoom ? (refBits === 16 ? 7 : 6) : 0;
  const capacity = partCapacity(unit, maxContentLength, headerOctets);
  if (capacity < 1) {
    return fail(`Max Content Length ${maxContentLength} leaves no room for content` +
      (useUdh ? ` next to the ${headerOctets}-octet concatenation header` : '') +
      (sarRoom ? ` next to the ${headerOctets}-octet concatenation header the SMSC adds for SAR parts` : '') + ' in one SMS');
  }

  // boundaries first, so the part count is known before any header is built
  const total = bytes.length;
  const ends: number[] = [];
  let start = 0;
  while (start < total) {
    const end = partEnd(bytes, unit, start, capacity);
    if (end <= start) {
      return fail(`Max Content Length ${maxContentLength} is too small to hold one ` +
        (unit === 'septet' ? 'GSM escape pair (2 septets)' : 'UCS2 surrogate pair (4 octets)'));
    }
    ends.push(end);
    start = end;
  }

  const count = ends.length;
  const limit = mode === 'concatenated' && maxParts > 255 ? 255 : maxParts;
  if (count > limit) {
    return fail(`message needs ${count} parts, over the limit of ${limit} parts` +
      (limit < maxParts ? ' (concatenation carries at most 255)' : ''));
  }

  const ref = options.ref ?? 0;
  const parts: SmsPart[] = new Array(count);
  start = 0;
  for (let k = 0; k < count; k++) {
    const end = ends[k];
    const seq = k + 1;
    if (useUdh) {
      const sm = Buffer.allocUnsafe(headerOctets + end - start);
      if (refBits === 16) {
        sm[0] = 0x06; sm[1] = 0x08; sm[2] = 0x04;
        sm[3] = (ref >>> 8) & 0xff; sm[4] = ref & 0xff;
        sm[5] = count; sm[6] = seq;
      } else {
        sm[0] = 0x05; sm[1] = 0x00; sm[2] = 0x03;
        sm[3] = ref & 0xff;
        sm[4] = count; sm[5] = seq;
      }
      sm.set(bytes.subarray(start, end), headerOctets);
      parts[k] = { shortMessage: sm, udh: sm.subarray(0, headerOctets), esmClassUdhi: true };
    } else if (mode === 'concatenated') {
      parts[k] = { shortMessage: bytes.subarray(start, end), esmClassUdhi: false, sar: { ref: ref & 0xffff, total: count, seq } };
    } else {
      parts[k] = { shortMessage: bytes.subarray(start, end), esmClassUdhi: false };
    }
    start = end;
  }
  return { ok: true, parts };
}
