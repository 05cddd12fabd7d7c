/**
 * A short, safe description of any value for an error text or a log line.
 * A bad msg.to of 1 MB must not be quoted whole: strings are cut to a short
 * prefix (never inside a surrogate pair) with their length said; Buffers,
 * arrays and objects are named with their size, never dumped; BigInt and
 * circular objects never throw. Pure (Buffer.isBuffer is only a check).
 */

/** Characters of a string quoted before it is cut. */
export const QUOTE_MAX = 40;

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

export function quoteValue(value: unknown, max: number = QUOTE_MAX): string {
  switch (typeof value) {
    case 'string': {
      if (value.length <= max) return JSON.stringify(value);
      let cut = max;
      const last = value.charCodeAt(cut - 1);
      if (last >= 0xd800 && last <= 0xdbff) cut--; // keep a surrogate pair whole
      return `${JSON.stringify(value.slice(0, cut))}... (${value.length} characters)`;
    }
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      if (value === null) return 'null';
      if (typeof Buffer !== 'undefined' && Buffer.isBuffer(value)) return `a Buffer of ${value.length} bytes`;
      if (value instanceof Uint8Array) return `a Uint8Array of ${value.length} bytes`;
      if (Array.isArray(value)) return `an array of ${value.length}`;
      return `${article(typeof value)} ${typeof value}`;
  }
}
