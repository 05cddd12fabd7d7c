/**
 * Test certificates for the smpps tests, made at test time in-process (no
 * committed keys, no openssl): a test CA, and leaf certificates for
 * localhost / 127.0.0.1 that are CA-signed, self-signed, expired, or issued
 * for another name. EC P-256 keys, ECDSA-SHA256 signatures; the X.509 DER is
 * built here by hand (a few ASN.1 types are all a certificate needs).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

// ---- DER --------------------------------------------------------------------------

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const seq = (...parts: Buffer[]) => tlv(0x30, ...parts);
const set = (...parts: Buffer[]) => tlv(0x31, ...parts);
const explicit = (n: number, inner: Buffer) => tlv(0xa0 + n, inner);
const octets = (b: Buffer) => tlv(0x04, b);
const bitString = (b: Buffer, unusedBits = 0) => tlv(0x03, Buffer.from([unusedBits]), b);
const TRUE = tlv(0x01, Buffer.from([0xff]));

/** a non-negative INTEGER from its big-endian bytes */
function integer(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const b = bytes.subarray(i);
  return tlv(0x02, b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out = [40 * arcs[0] + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'; // YYYYMMDDHHMMSSZ
  const year = d.getUTCFullYear();
  return year < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'));
}

const name = (cn: string) => seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(cn, 'utf8')))));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), TRUE, octets(value)) : seq(oid(id), octets(value));
}

function subjectAltName(names: readonly string[]): Buffer {
  return seq(
    ...names.map((n) => (net.isIPv4(n) ? tlv(0x87, Buffer.from(n.split('.').map(Number))) : tlv(0x82, Buffer.from(n, 'ascii')))),
  );
}

function keyId(publicKey: crypto.KeyObject): Buffer {
  return crypto.createHash('sha1').update(publicKey.export({ type: 'spki', format: 'der' })).digest();
}

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

// ---- certificates ---------------------------------------------------------------------

export interface TestCert {
  /** PEM private key (PKCS#8) */
  key: string;
  /** PEM certificate */
  cert: string;
  /** SHA-256 of the DER certificate, AB:CD:... as Node's X509Certificate shows it */
  fingerprint256: string;
  readonly privateKey: crypto.KeyObject;
  readonly publicKey: crypto.KeyObject;
  readonly subject: string;
}

export interface CertSpec {
  cn: string;
  /** DNS names and IPv4 addresses; none for a CA */
  altNames?: readonly string[];
  isCa?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  /** the signer; itself when absent (self-signed) */
  issuer?: TestCert;
}

const DAY = 24 * 3600 * 1000;

export function makeCert(spec: CertSpec): TestCert {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issuer = spec.issuer;
  const signKey = issuer ? issuer.privateKey : privateKey;
  const issuerName = issuer ? issuer.subject : spec.cn;
  const issuerKeyId = keyId(issuer ? issuer.publicKey : publicKey);
  const notBefore = spec.notBefore ?? new Date(Date.now() - DAY);
  const notAfter = spec.notAfter ?? new Date(Date.now() + 365 * DAY);
  const serial = crypto.randomBytes(12);
  serial[0] &= 0x7f;
  const exts = [
    extension('2.5.29.19', true, spec.isCa ? seq(TRUE) : seq()),
    // keyUsage: keyCertSign + cRLSign for a CA, digitalSignature for a server
    extension('2.5.29.15', true, spec.isCa ? bitString(Buffer.from([0x06]), 1) : bitString(Buffer.from([0x80]), 7)),
    extension('2.5.29.14', false, octets(keyId(publicKey))),
    extension('2.5.29.35', false, seq(tlv(0x80, issuerKeyId))),
  ];
  if (spec.altNames?.length) exts.push(extension('2.5.29.17', false, subjectAltName(spec.altNames)));
  if (!spec.isCa) exts.push(extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1')))); // serverAuth
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ECDSA_SHA256,
    name(issuerName),
    seq(time(notBefore), time(notAfter)),
    name(spec.cn),
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...exts)),
  );
  const signature = crypto.sign('sha256', tbs, { key: signKey, dsaEncoding: 'der' });
  const der = seq(tbs, ECDSA_SHA256, bitString(signature));
  const cert = pem('CERTIFICATE', der);
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    cert,
    fingerprint256: new crypto.X509Certificate(cert).fingerprint256,
    privateKey,
    publicKey,
    subject: spec.cn,
  };
}

const LOCAL_NAMES = ['localhost', '127.0.0.1'];

export interface TlsFixture {
  /** a temporary folder holding ca.pem (and other files a test writes) */
  dir: string;
  /** PEM file of the test CA, for tlsCaFile */
  caFile: string;
  ca: TestCert;
  /** signed by the CA, for localhost and 127.0.0.1, valid now */
  good: TestCert;
  /** self-signed, for localhost and 127.0.0.1, valid now */
  selfSigned: TestCert;
  /** signed by the CA, for localhost and 127.0.0.1, expired in 2021 */
  expired: TestCert;
  /** signed by the CA, valid now, but only for smsc.example.invalid */
  wrongName: TestCert;
  /** removes dir */
  cleanup(): void;
}

export function makeTlsFixture(): TlsFixture {
  const ca = makeCert({ cn: 'SMPP Gateway Test CA', isCa: true, notAfter: new Date(Date.now() + 3650 * DAY) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-tls-'));
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, ca.cert);
  return {
    dir,
    caFile,
    ca,
    good: makeCert({ cn: 'localhost', altNames: LOCAL_NAMES, issuer: ca }),
    selfSigned: makeCert({ cn: 'localhost', altNames: LOCAL_NAMES }),
    expired: makeCert({ cn: 'localhost', altNames: LOCAL_NAMES, issuer: ca, notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') }),
    wrongName: makeCert({ cn: 'smsc.example.invalid', altNames: ['smsc.example.invalid'], issuer: ca }),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

// a self-signed pair for localhost, made when this module loads (the simulator's own smpps test uses it)
const defaultPair = makeCert({ cn: 'localhost', altNames: LOCAL_NAMES });
export const TLS_KEY = defaultPair.key;
export const TLS_CERT = defaultPair.cert;
