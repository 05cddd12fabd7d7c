/**
 * The `submit date:` and `done date:` values of receipt text, in every form
 * SMSCs write them:
 *
 *  - 10 digits  YYMMDDhhmm          (SMPP 3.4 Appendix B)
 *  - 12 digits  YYMMDDhhmmss        (the common extension with seconds)
 *           or  YYYYMMDDhhmm        (Jasmin issue #195: `submit date:201506201641`)
 *  - 14 digits  YYYYMMDDhhmmss      (cloudhopper's test: `submit date:20110314181534`)
 *  - 16 chars   YYMMDDhhmmsstnnp    (SMPP 3.4 section 7.1.1 absolute time: t tenths
 *                                    of a second, nn quarter hours from UTC, p + or -;
 *                                    `submit date:180711070003912+` in smppex issue #46)
 *
 * Twelve digits: YYMMDDhhmmss is read first; YYYYMMDDhhmm when that is not a
 * real date (`201506201641` would be month 15). Both readings are real dates
 * only for a YYMMDDhhmmss in 2020 that is also a YYYYMMDDhhmm in 2001..2012
 * (`201201151230`); then the pair decides: when the other date of the receipt
 * is real in one reading only, both take that reading; otherwise
 * YYMMDDhhmmss wins.
 *
 * Time zone: the forms without a zone are SMSC local time; their wall-clock
 * figures are kept as they are in a UTC Date. The absolute SMPP form carries
 * its offset, so it gives the true instant (07:00:03.9 at +3h -> 04:00:03.9Z).
 * The relative SMPP form (p = R) is not a date. Two-digit years are 20YY.
 * An impossible date (month 13, 31 February, hour 24...) gives undefined,
 * never an Invalid Date. Pure.
 */

const DIGITS_RE = /^\d+$/;
const SMPP_ABSOLUTE_RE = /^(\d{12})(\d)(\d\d)([+-])$/;

function num(s: string, from: number, len: number): number {
  return Number(s.slice(from, from + len));
}

function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms = 0): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  // Date.UTC rolls 31 February over into March (and maps years 0..99 to 19YY): reject instead
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return d;
}

/** YYMMDDhhmm[ss] */
function shortYear(v: string): Date | undefined {
  return utc(2000 + num(v, 0, 2), num(v, 2, 2), num(v, 4, 2), num(v, 6, 2), num(v, 8, 2), v.length >= 12 ? num(v, 10, 2) : 0);
}

/** YYYYMMDDhhmm[ss] */
function longYear(v: string): Date | undefined {
  return utc(num(v, 0, 4), num(v, 4, 2), num(v, 6, 2), num(v, 8, 2), num(v, 10, 2), v.length >= 14 ? num(v, 12, 2) : 0);
}

function smppAbsolute(v: string): Date | undefined {
  const m = SMPP_ABSOLUTE_RE.exec(v);
  if (!m) return undefined;
  const quarters = Number(m[3]);
  if (quarters > 48) return undefined;
  const local = utc(2000 + num(m[1], 0, 2), num(m[1], 2, 2), num(m[1], 4, 2), num(m[1], 6, 2), num(m[1], 8, 2), num(m[1], 10, 2), Number(m[2]) * 100);
  if (!local) return undefined;
  const offsetMs = quarters * 15 * 60 * 1000 * (m[4] === '+' ? 1 : -1);
  return new Date(local.getTime() - offsetMs);
}

type Reading = 'short' | 'long';

function read(value: string | undefined, prefer: Reading): Date | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.length === 16) return smppAbsolute(value);
  if (!DIGITS_RE.test(value)) return undefined;
  switch (value.length) {
    case 10: return shortYear(value);
    case 12: {
      const first = prefer === 'short' ? shortYear(value) : longYear(value);
      return first ?? (prefer === 'short' ? longYear(value) : shortYear(value));
    }
    case 14: return longYear(value);
    default: return undefined;
  }
}

/** One receipt date in any of the forms above; undefined unless a real date and time. */
export function parseReceiptDate(value: string | undefined): Date | undefined {
  return read(value, 'short');
}

/** The readings a 12-digit value has: which of the two are real dates. */
function readings12(value: string | undefined): { short: boolean; long: boolean } | null {
  if (typeof value !== 'string' || value.length !== 12 || !DIGITS_RE.test(value)) return null;
  return { short: shortYear(value) !== undefined, long: longYear(value) !== undefined };
}

/**
 * Submit and done dates of one receipt, read together so an ambiguous
 * 12-digit value takes the reading of its partner (see the module comment).
 */
export function parseReceiptDatePair(submit: string | undefined, done: string | undefined): [Date | undefined, Date | undefined] {
  const a = readings12(submit);
  const b = readings12(done);
  let prefer: Reading = 'short';
  if (a && b) {
    const shortOk = a.short && b.short;
    const longOk = a.long && b.long;
    if (longOk && !shortOk) prefer = 'long';
  }
  return [read(submit, prefer), read(done, prefer)];
}
