/**
 * SMPP addresses: checking numbers and sender ids, TON/NPI choice, and the
 * reference page's prefix rules (a prefix of the number after its country
 * code). Pure; country codes come from libphonenumber-js.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { quoteValue } from '../text/quote';

export const TON = { UNKNOWN: 0, INTERNATIONAL: 1, NATIONAL: 2, NETWORK_SPECIFIC: 3, ALPHANUMERIC: 5 } as const;
export const NPI = { UNKNOWN: 0, ISDN: 1 } as const;

/** SMPP 3.4 source_addr / destination_addr: 21 octets including the terminating NUL */
export const MAX_ADDRESS = 20;
/** GSM alphanumeric sender ids: 11 characters */
export const MAX_ALPHANUMERIC = 11;

const NUMBER_RE = /^\+?[0-9]{1,20}$/;
const ALNUM_RE = /^[A-Za-z0-9 ._\-&]+$/;

export type AddressCheck = { ok: true; address: string; kind: 'international' | 'number' | 'short' | 'alphanumeric' } | { ok: false; error: string };

/** A destination: digits, optionally with a leading + (removed: TON says it is international). */
export function checkDestination(value: unknown, where: string): AddressCheck {
  if (value === undefined || value === null || value === '') return { ok: false, error: `${where} is missing: give the destination number` };
  if (typeof value !== 'string' && typeof value !== 'number') return { ok: false, error: `${where} must be a phone number as text; got ${typeof value}` };
  if (typeof value === 'number' && !isDigitsNumber(value)) return { ok: false, error: notExact(where, value) };
  const v = String(value).replace(/[\s()-]/g, '');
  if (!NUMBER_RE.test(v) || v === '+') return { ok: false, error: `${where} ${quoteValue(String(value))} is not a phone number (digits with an optional leading +, at most ${MAX_ADDRESS} digits)` };
  return classify(v);
}

/** A sender: a number as above, or an alphanumeric id of at most 11 characters. */
export function checkSender(value: unknown, where: string): AddressCheck {
  if (typeof value !== 'string' && typeof value !== 'number') return { ok: false, error: `${where} must be text; got ${typeof value}` };
  if (typeof value === 'number' && !isDigitsNumber(value)) return { ok: false, error: notExact(where, value) };
  const raw = String(value).trim();
  const compact = raw.replace(/[\s()-]/g, '');
  if (NUMBER_RE.test(compact) && compact !== '+') return classify(compact);
  if (!ALNUM_RE.test(raw) || raw.length > MAX_ALPHANUMERIC) {
    return { ok: false, error: `${where} ${quoteValue(raw)} is neither a phone number nor an alphanumeric sender id (letters, digits, at most ${MAX_ALPHANUMERIC} characters)` };
  }
  return { ok: true, address: raw, kind: 'alphanumeric' };
}

/**
 * A number given as a JS number must be a whole number from 0 up to 2^53-1:
 * beyond that String() rounds it (12345678901234567890 -> "...67000") and a
 * sign or a fraction is not part of a phone number, so it would be sent to a
 * number nobody typed.
 */
function isDigitsNumber(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function notExact(where: string, value: number): string {
  return `${where} ${quoteValue(value)} is not a phone number JavaScript holds exactly (a whole number from 0 to ${Number.MAX_SAFE_INTEGER}); give it as text`;
}

function classify(v: string): AddressCheck {
  if (v.startsWith('+')) return { ok: true, address: v.slice(1), kind: 'international' };
  if (v.length <= 8) return { ok: true, address: v, kind: 'short' };
  return { ok: true, address: v, kind: 'number' };
}

/** TON/NPI for `auto`: +international 1/1, alphanumeric 5/0, short codes 3/0, other numbers 0/1. */
export function autoTonNpi(kind: Extract<AddressCheck, { ok: true }>['kind']): { ton: number; npi: number } {
  switch (kind) {
    case 'international':
      return { ton: TON.INTERNATIONAL, npi: NPI.ISDN };
    case 'alphanumeric':
      return { ton: TON.ALPHANUMERIC, npi: NPI.UNKNOWN };
    case 'short':
      return { ton: TON.NETWORK_SPECIFIC, npi: NPI.UNKNOWN };
    default:
      return { ton: TON.UNKNOWN, npi: NPI.ISDN };
  }
}

/** Splits "123;456;" into ["123","456"]. */
export function parsePrefixes(list: string): string[] {
  return list
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The part of a number after its country code, as the page's prefix rules
 * read it: "+86123..." gives "123...". A number without + (or 00) is taken
 * as already national; an alphanumeric id as it is.
 */
export function afterCountryCode(address: string, international: boolean): string {
  let v = address;
  if (!international && v.startsWith('00')) {
    v = v.slice(2);
    international = true;
  }
  if (!international) return v;
  const parsed = parsePhoneNumberFromString('+' + v);
  return parsed ? String(parsed.nationalNumber) : v;
}

/** True when no prefixes are configured, or the number after its country code starts with one of them. */
export function matchesPrefix(address: string, international: boolean, prefixes: readonly string[]): boolean {
  if (prefixes.length === 0) return true;
  const national = afterCountryCode(address, international);
  return prefixes.some((p) => national.startsWith(p));
}
