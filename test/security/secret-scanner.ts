/**
 * Finds a secret in collected text (log lines, status texts, debug messages,
 * exported flows), also in the forms it takes when bytes are dumped or text
 * is escaped: JSON-escaped, URL-encoded, hex (plain, spaced as in a Buffer
 * dump, colon-separated, either case), and base64 at each of the three
 * alignments it can have inside a longer base64 text.
 */

export interface Source {
  name: string;
  text: string;
}

export interface Finding {
  source: string;
  form: string;
  /** up to 60 characters around the hit, the secret itself masked */
  excerpt: string;
}

/** Each form of the secret worth looking for, as [name, needle]. */
export function secretForms(secret: string): [string, string][] {
  if (secret.length < 6) throw new Error('the scanner needs a secret of 6 characters or more to avoid chance hits');
  const bytes = Buffer.from(secret, 'utf8');
  const hex = bytes.toString('hex');
  const forms: [string, string][] = [
    ['plain', secret],
    ['json-escaped', JSON.stringify(secret).slice(1, -1)],
    ['url-encoded', encodeURIComponent(secret)],
    ['hex', hex],
    ['hex upper', hex.toUpperCase()],
    ['hex spaced', hex.replace(/(..)(?!$)/g, '$1 ')],
    ['hex colons', hex.replace(/(..)(?!$)/g, '$1:')],
  ];
  // base64 of the secret inside longer data: for each alignment, the characters that depend only on the secret
  for (let pad = 0; pad < 3; pad++) {
    const b64 = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    // character k holds bits 6k..6k+5: keep those entirely inside the secret's bytes [pad, pad + length)
    const start = Math.ceil((8 * pad) / 6);
    const end = Math.floor((8 * (pad + bytes.length) - 6) / 6) + 1;
    const stable = b64.slice(start, end);
    if (stable.length >= 6) forms.push([`base64 +${pad}`, stable]);
  }
  const seen = new Set<string>();
  return forms.filter(([, needle]) => (seen.has(needle) ? false : (seen.add(needle), true)));
}

export function findSecret(secret: string, sources: readonly Source[]): Finding[] {
  const forms = secretForms(secret);
  const out: Finding[] = [];
  for (const src of sources) {
    for (const [form, needle] of forms) {
      let i = src.text.indexOf(needle);
      while (i >= 0) {
        const around = src.text.slice(Math.max(0, i - 30), i + needle.length + 30).split(needle).join('«SECRET»');
        out.push({ source: src.name, form, excerpt: around });
        i = src.text.indexOf(needle, i + 1);
      }
    }
  }
  return out;
}
