/**
 * What a text costs as SMS under a gateway's settings: characters, the
 * data_coding the Message Format picks, the number of parts, and the
 * characters that force UCS2. It runs the runtime's own encoder and splitter
 * (encodeText, segmentMessage): the smpp-send dialog loads this same compiled
 * code (scripts/editor-text-bundle.js), so editor and runtime cannot disagree.
 */
import { encodeText } from './data-coding';
import { gsm7InvalidIndex } from './gsm7';
import { segmentMessage, SplitMode, ConcatMode } from './segment';

export interface CountSettings {
  /** the gateway's Message Format (ascii, binary, ucs2, gsm7, latin1, auto) */
  messageFormat: string;
  splitMode: SplitMode;
  maxContentLength: number;
  concatMode?: ConcatMode;
  udhReference?: '8' | '16';
}

export interface SmsCount {
  /** characters (Unicode code points) */
  chars: number;
  /** data_coding chosen, or null when the text cannot be sent */
  dataCoding: number | null;
  /** GSM 7-bit, UCS2, IA5, Latin-1 or binary */
  encoding: string;
  /** SMS parts, 0 when the text cannot be sent */
  parts: number;
  /** each distinct character outside the GSM 7-bit alphabet, in order of appearance (these force UCS2 under auto) */
  ucs2Chars: string[];
  /** why it cannot be sent as set, or null */
  error: string | null;
}

const FORMAT: Record<string, string> = { ascii: 'ascii', binary: 'binary', ucs2: 'ucs2', gsm7: 'gsm7', latin1: 'latin1', auto: 'auto' };
const NAMES: Record<number, string> = { 0: 'GSM 7-bit', 1: 'IA5 (ASCII)', 3: 'Latin-1', 4: 'binary', 8: 'UCS2' };

export function countSms(text: string, s: CountSettings): SmsCount {
  const ucs2Chars: string[] = [];
  for (const ch of new Set(Array.from(text))) if (gsm7InvalidIndex(ch) !== -1) ucs2Chars.push(ch);
  const chars = Array.from(text).length;
  const enc = encodeText(text, FORMAT[s.messageFormat] ?? s.messageFormat);
  if (!enc.ok) return { chars, dataCoding: null, encoding: '', parts: 0, ucs2Chars, error: enc.error };
  const encoding = NAMES[enc.dataCoding] ?? `data_coding ${enc.dataCoding}`;
  const split = segmentMessage(enc.bytes, enc.unit, {
    mode: s.splitMode,
    maxContentLength: s.maxContentLength,
    concat: s.concatMode,
    udhRefBits: s.udhReference === '16' ? 16 : 8,
  });
  if (!split.ok) return { chars, dataCoding: enc.dataCoding, encoding, parts: 0, ucs2Chars, error: split.error };
  return { chars, dataCoding: enc.dataCoding, encoding, parts: split.parts.length, ucs2Chars, error: null };
}
