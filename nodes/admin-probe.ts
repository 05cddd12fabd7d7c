/**
 * The "Test connection" button's server side: the dialog's values in, one
 * bind (src/engine/probe-bind.ts) out. The password is never sent back: the
 * answer carries only the outcome, the SMSC's system_id, the SMPP status of
 * a refusal or the reason a connection failed.
 *
 * A dialog for a node that is already deployed shows Node-RED's password
 * placeholder instead of the password; then the node's stored credentials
 * (looked up by its id) are used.
 */
import { parseGatewayConfig } from '../src/config/gateway-config';
import { probeBind, probeSettingsOf, ProbeResult, ProbeSettings } from '../src/engine/create-gateway';

/** What Node-RED's editor sends for a password field it has not shown the user. */
export const PASSWORD_PLACEHOLDER = '__PWRD__';
/** A probe waits at most this long for connect plus bind, whatever the dialog says. */
export const PROBE_LIMIT_MS = 15000;

export interface ProbeRequest {
  /** the gateway's node id, for its stored credentials */
  id?: unknown;
  config?: unknown;
  credentials?: unknown;
}

export type ProbeAnswer = ProbeResult | { result: 'invalid'; errors: string[] };

type StoredCredentials = (id: string) => { systemId?: string; password?: string } | null | undefined;

export function probeSettings(body: ProbeRequest, stored: StoredCredentials): ProbeSettings | { errors: string[] } {
  const raw = body.config && typeof body.config === 'object' ? (body.config as Record<string, unknown>) : {};
  const parsed = parseGatewayConfig(raw);
  if (!parsed.config) return { errors: parsed.errors };
  const typed = body.credentials && typeof body.credentials === 'object' ? (body.credentials as Record<string, unknown>) : {};
  const known = typeof body.id === 'string' && body.id ? stored(body.id) ?? {} : {};
  let systemId = typeof typed.systemId === 'string' ? typed.systemId : known.systemId ?? '';
  let password = typeof typed.password === 'string' ? typed.password : '';
  if (password === PASSWORD_PLACEHOLDER) password = known.password ?? '';
  if (systemId === PASSWORD_PLACEHOLDER) systemId = known.systemId ?? '';
  const s = probeSettingsOf(parsed.config, { systemId, password }, PROBE_LIMIT_MS);
  return 'error' in s ? { errors: [s.error] } : s;
}

export async function runProbe(body: ProbeRequest, stored: StoredCredentials): Promise<ProbeAnswer> {
  const s = probeSettings(body, stored);
  if ('errors' in s) return { result: 'invalid', errors: s.errors };
  return probeBind(s);
}
