/** smpp-send's own settings (mode, waitTimeout, remember), checked as its editor checks them. */

const WAIT_MIN = 1000;
const WAIT_MAX = 86_400_000;
const WAIT_DEFAULT = 300_000;
const NAME_RE = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

export interface SendSettings {
  wait: boolean;
  waitTimeout: number;
  remember: string[];
  /** what is wrong with the node's own settings, or null */
  error: string | null;
}

/** The node's own settings (mode, waitTimeout, remember), checked as the editor checks them. */
export function readSendSettings(def: Record<string, unknown>): SendSettings {
  const errors: string[] = [];
  const mode = def.mode === undefined || def.mode === '' ? 'submit' : def.mode;
  if (mode !== 'submit' && mode !== 'wait') errors.push(`mode must be submit or wait; got ${JSON.stringify(String(mode)).slice(0, 40)}`);
  const wait = mode === 'wait';
  let waitTimeout = WAIT_DEFAULT;
  const rawTimeout = def.waitTimeout;
  if (rawTimeout !== undefined && rawTimeout !== '' && rawTimeout !== null) {
    const text = String(rawTimeout).trim();
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (n >= WAIT_MIN && n <= WAIT_MAX) waitTimeout = n;
    else if (wait) errors.push(`waitTimeout must be a whole number of ms from ${WAIT_MIN} to ${WAIT_MAX}; got ${JSON.stringify(text).slice(0, 40)}`);
  }
  const remember = String(def.remember ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = remember.filter((n) => !NAME_RE.test(n));
  if (bad.length) errors.push(`remember must list msg property names separated by commas; not a name: ${bad.join(', ').slice(0, 60)}`);
  return { wait, waitTimeout, remember, error: errors.length ? errors.join('; ') : null };
}
