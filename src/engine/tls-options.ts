/**
 * TLS (smpps) for the SMPP link: the options given to tls.connect, the CA
 * file, certificate pinning and readable reasons for a refused certificate.
 * Pure except loadTlsCa, which reads one file (its reader can be replaced).
 *
 * Semantics (the README says the same):
 * - tlsVerify on (the default): the SMSC certificate must chain to a trusted
 *   CA (the system CAs, or only those in tlsCaFile when it is set), be within
 *   its dates, and name the host we connect to (DNS name, or IP address when
 *   the host is an IP). With tlsPin set, its SHA-256 fingerprint must also be
 *   one of the pins: pinning narrows verification, it never widens it.
 * - tlsVerify off and tlsPin set: the pin alone decides. CA, dates and name
 *   are not checked; only the exact certificate pinned is accepted (the usual
 *   way to trust an SMSC's self-signed certificate).
 * - tlsVerify off and no tlsPin: encrypted but unauthenticated; anyone on the
 *   path could impersonate the SMSC and read the bind password. A warning is
 *   logged when the gateway starts.
 */
import * as fs from 'fs';
import * as net from 'net';
import type * as tls from 'tls';

export interface TlsLinkOptions {
  host: string;
  port: number;
  /** local port to connect from; 0 = any */
  clientPort: number;
  tlsVerify: boolean;
  tlsCa?: string | Buffer;
}

/** tls.connect takes every net.connect option too; its typings omit localPort */
export type TlsConnectOptions = tls.ConnectionOptions & { localPort?: number };

/** The options for tls.connect. The server name (SNI and name check) is the host unless it is an IP address. */
export function tlsConnectOptions(o: TlsLinkOptions): TlsConnectOptions {
  return {
    host: o.host,
    port: o.port,
    localPort: o.clientPort || undefined,
    servername: net.isIP(o.host) ? undefined : o.host,
    rejectUnauthorized: o.tlsVerify,
    ca: o.tlsCa,
    minVersion: 'TLSv1.2',
  };
}

const PIN_RE = /^[0-9a-f]{64}$/;

/** One fingerprint as compared: 64 lower-case hex digits, no colons. */
export function normalizeFingerprint(text: string): string {
  return text.replace(/:/g, '').trim().toLowerCase();
}

/** tlsPin as configured ('AB:CD:..;ef01..') to normalized fingerprints; throws on an entry that is not one. */
export function parsePins(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const pin = normalizeFingerprint(part);
    if (!PIN_RE.test(pin)) throw new TypeError(`tlsPin: ${JSON.stringify(part.trim())} is not a SHA-256 fingerprint (64 hex digits, colons allowed)`);
    out.push(pin);
  }
  return out;
}

/** The fingerprint as people read it: AB:CD:... */
export function colonHex(fingerprint: string): string {
  return normalizeFingerprint(fingerprint).toUpperCase().replace(/(..)(?!$)/g, '$1:');
}

/**
 * Checks the peer's leaf certificate against the pins. Returns null when it
 * is accepted (or no pin is set), else the reason to close the link.
 */
export function pinMismatch(fingerprint256: string | undefined, pins: readonly string[]): string | null {
  if (pins.length === 0) return null;
  if (!fingerprint256) return 'TLS pin: the SMSC presented no certificate';
  const fp = normalizeFingerprint(fingerprint256);
  if (pins.includes(fp)) return null;
  return `TLS pin mismatch: the SMSC certificate SHA-256 ${colonHex(fp)} is not one of tlsPin`;
}

const REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the SMSC certificate is self-signed and not trusted (give its CA in tlsCaFile, or pin it with tlsPin and turn tlsVerify off)',
  SELF_SIGNED_CERT_IN_CHAIN: 'the SMSC certificate chain ends in an untrusted self-signed CA (give that CA in tlsCaFile)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the SMSC certificate is signed by a CA that is not trusted (give it in tlsCaFile)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the SMSC certificate is signed by a CA that is not trusted (give it in tlsCaFile)',
  UNABLE_TO_GET_ISSUER_CERT: 'the SMSC certificate is signed by a CA that is not trusted (give it in tlsCaFile)',
  CERT_HAS_EXPIRED: 'the SMSC certificate has expired',
  CERT_NOT_YET_VALID: 'the SMSC certificate is not valid yet',
  CERT_SIGNATURE_FAILURE: 'the SMSC certificate signature is invalid',
  CERT_REVOKED: 'the SMSC certificate is revoked',
  INVALID_CA: 'a CA in the SMSC certificate chain is not a valid CA',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the SMSC certificate is not issued for this host',
};

/**
 * A readable reason for a TLS failure during connect, with the OpenSSL or
 * Node code first (so it survives a short status text); null when the error
 * is not about the certificate or the handshake.
 */
export function tlsFailureReason(err: { code?: string; message?: string }, host: string, port: number): string | null {
  const code = err.code ?? '';
  const known = REASONS[code];
  if (known) {
    const name = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? ` (${host})` : '';
    return `${code}: ${known}${name}; TLS to ${host}:${port} refused`;
  }
  if (/^ERR_SSL_|^ERR_TLS_/.test(code) || code === 'EPROTO') {
    return `${code}: TLS handshake with ${host}:${port} failed: ${shorten(err.message ?? '')}`;
  }
  return null;
}

function shorten(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 160 ? line.slice(0, 159) + '…' : line;
}

export interface CaFileResult {
  ca?: Buffer;
  error?: string;
}

/**
 * Reads tlsCaFile once (only when TLS is on and the path is set). An
 * unreadable file, or one without a PEM certificate, is an error to show as
 * a configuration error, never a throw.
 */
export function loadTlsCa(
  config: { tls: boolean; tlsCaFile: string },
  read: (path: string) => Buffer = (p) => fs.readFileSync(p),
): CaFileResult {
  if (!config.tls || config.tlsCaFile === '') return {};
  const file = config.tlsCaFile;
  let data: Buffer;
  try {
    data = read(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { error: `tlsCaFile (TLS CA File) ${JSON.stringify(file)} cannot be read: ${err.code ?? err.message}` };
  }
  if (!data.includes('-----BEGIN CERTIFICATE-----')) {
    return { error: `tlsCaFile (TLS CA File) ${JSON.stringify(file)} holds no PEM certificate (-----BEGIN CERTIFICATE-----)` };
  }
  return { ca: data };
}

/** The warning logged at start when TLS authenticates nothing; null when it does. */
export function tlsWeaknessWarning(config: { tls: boolean; tlsVerify: boolean; tlsPin: string }): string | null {
  if (!config.tls || config.tlsVerify || config.tlsPin.trim() !== '') return null;
  return 'TLS certificate verification is off (tlsVerify) and no tlsPin is set: the SMSC is not authenticated, and whoever sits on the path could read the bind password';
}
