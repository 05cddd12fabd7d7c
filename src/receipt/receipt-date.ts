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

/** The value of len decimal digits at from (the caller has checked they are digits). */
function num(s: string, from: number, len: number): number {
  let n = 0;
  for (let i = from; i < from + len; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
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

/** One receipt date in any of the forms above; undefined unless a real date and time. */
export function parseReceiptDate(value: string | undefined): Date | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.length === 16) return smppAbsolute(value);
  if (!DIGITS_RE.test(value)) return undefined;
  switch (value.length) {
    case 10: return shortYear(value);
    case 12: return shortYear(value) ?? longYear(value);
    case 14: return longYear(value);
    default: return undefined;
  }
}

function is12(value: string | undefined): value is string {
  return typeof value === 'string' && value.length === 12 && DIGITS_RE.test(value);
}

/**
 * Submit and done dates of one receipt, read together so an ambiguous
 * 12-digit value takes the reading of its partner (see the module comment):
 * YYMMDDhhmmss when both are real that way, else YYYYMMDDhhmm when both are
 * real that way, else each on its own.
 */
export function parseReceiptDatePair(submit: string | undefined, done: string | undefined): [Date | undefined, Date | undefined] {
  if (is12(submit) && is12(done)) {
    const s1 = shortYear(submit);
    const d1 = shortYear(done);
    if (s1 && d1) return [s1, d1];
    const s2 = longYear(submit);
    const d2 = longYear(done);
    if (s2 && d2) return [s2, d2];
    return [s1 ?? s2, d1 ?? d2];
  }
  return [parseReceiptDate(submit), parseReceiptDate(done)];
}
