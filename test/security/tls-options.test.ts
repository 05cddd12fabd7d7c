import assert from 'node:assert/strict';
import {
  colonHex,
  loadTlsCa,
  parsePins,
  pinMismatch,
  tlsConnectOptions,
  tlsFailureReason,
  tlsWeaknessWarning,
} from '../../src/engine/tls-options';

const FP_A = 'AB:'.repeat(31) + 'AB';
const FP_A_BARE = 'ab'.repeat(32);
const FP_B_BARE = '0123456789abcdef'.repeat(4);

describe('tls-options: connect options', () => {
  const base = { host: 'smsc.example.com', port: 3550, clientPort: 0, tlsVerify: true };
  const cases: [string, Parameters<typeof tlsConnectOptions>[0], Record<string, unknown>][] = [
    ['a host name is the server name (SNI and name check)', base, { servername: 'smsc.example.com', rejectUnauthorized: true, ca: undefined, localPort: undefined }],
    ['an IPv4 host has no server name (its IP is checked)', { ...base, host: '10.1.2.3' }, { servername: undefined, host: '10.1.2.3' }],
    ['an IPv6 host has no server name', { ...base, host: '::1' }, { servername: undefined }],
    ['verification off', { ...base, tlsVerify: false }, { rejectUnauthorized: false }],
    ['a CA replaces the system CAs', { ...base, tlsCa: 'PEM' }, { ca: 'PEM' }],
    ['a client port', { ...base, clientPort: 40000 }, { localPort: 40000, port: 3550 }],
    ['TLS 1.2 at least', base, { minVersion: 'TLSv1.2' }],
  ];
  for (const [what, input, expected] of cases) {
    it(what, () => {
      const o = tlsConnectOptions(input) as Record<string, unknown>;
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(o[k], v, k);
    });
  }
});

describe('tls-options: pins', () => {
  const good: [string, string[]][] = [
    ['', []],
    ['  ', []],
    [FP_A, [FP_A_BARE]],
    [FP_A_BARE.toUpperCase(), [FP_A_BARE]],
    [`${FP_A};${FP_B_BARE}`, [FP_A_BARE, FP_B_BARE]],
    [`${FP_A}; ${FP_B_BARE} ;`, [FP_A_BARE, FP_B_BARE]],
  ];
  for (const [text, pins] of good) it(`parses ${JSON.stringify(text.slice(0, 20))}…`, () => assert.deepEqual(parsePins(text), pins));

  const bad = ['abc', 'zz'.repeat(32), 'ab'.repeat(31), 'ab'.repeat(33), `${FP_A};nothex`];
  for (const text of bad) it(`refuses ${JSON.stringify(text.slice(0, 24))}`, () => assert.throws(() => parsePins(text), /tlsPin: .* is not a SHA-256 fingerprint/));

  it('formats a fingerprint with colons in upper case', () => {
    assert.equal(colonHex(FP_A_BARE), FP_A);
    assert.equal(colonHex('0a1b'), '0A:1B');
  });

  const checks: [string, string | undefined, string[], RegExp | null][] = [
    ['no pins: anything passes', undefined, [], null],
    ['a matching pin', FP_A, [FP_A_BARE], null],
    ['matching one of several', FP_A, [FP_B_BARE, FP_A_BARE], null],
    ['no match', FP_A, [FP_B_BARE], /^TLS pin mismatch: the SMSC certificate SHA-256 AB:AB:.* is not one of tlsPin$/],
    ['no certificate at all', undefined, [FP_A_BARE], /presented no certificate/],
    ['an empty fingerprint', '', [FP_A_BARE], /presented no certificate/],
  ];
  for (const [what, fp, pins, expected] of checks) {
    it(`pin check: ${what}`, () => {
      const r = pinMismatch(fp, pins);
      if (expected === null) assert.equal(r, null);
      else assert.match(String(r), expected);
    });
  }
});

describe('tls-options: reasons for a refused TLS connect', () => {
  const cases: [string | undefined, RegExp | null][] = [
    ['DEPTH_ZERO_SELF_SIGNED_CERT', /^DEPTH_ZERO_SELF_SIGNED_CERT: the SMSC certificate is self-signed and not trusted .*tlsCaFile.*tlsPin.*; TLS to h:1 refused$/],
    ['SELF_SIGNED_CERT_IN_CHAIN', /^SELF_SIGNED_CERT_IN_CHAIN: .*untrusted self-signed CA/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /^UNABLE_TO_VERIFY_LEAF_SIGNATURE: .*not trusted/],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', /^UNABLE_TO_GET_ISSUER_CERT_LOCALLY: .*not trusted/],
    ['CERT_HAS_EXPIRED', /^CERT_HAS_EXPIRED: the SMSC certificate has expired; TLS to h:1 refused$/],
    ['CERT_NOT_YET_VALID', /^CERT_NOT_YET_VALID: .*not valid yet/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', /^ERR_TLS_CERT_ALTNAME_INVALID: the SMSC certificate is not issued for this host \(h\)/],
    ['ERR_SSL_WRONG_VERSION_NUMBER', /^ERR_SSL_WRONG_VERSION_NUMBER: TLS handshake with h:1 failed: first line$/],
    ['EPROTO', /^EPROTO: TLS handshake/],
    ['ECONNREFUSED', null],
    ['ETIMEDOUT', null],
    [undefined, null],
  ];
  for (const [code, expected] of cases) {
    it(String(code), () => {
      const r = tlsFailureReason({ code, message: 'first line\nsecond line' }, 'h', 1);
      if (expected === null) assert.equal(r, null);
      else assert.match(String(r), expected);
    });
  }
});

describe('tls-options: the CA file', () => {
  const PEM = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  const reads: string[] = [];
  const reader = (files: Record<string, Buffer | NodeJS.ErrnoException>) => (p: string) => {
    reads.push(p);
    const v = files[p];
    if (v === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    if (v instanceof Error) throw v;
    return v;
  };
  beforeEach(() => (reads.length = 0));

  it('is not read when TLS is off or no file is set', () => {
    assert.deepEqual(loadTlsCa({ tls: false, tlsCaFile: '/ca.pem' }, reader({})), {});
    assert.deepEqual(loadTlsCa({ tls: true, tlsCaFile: '' }, reader({})), {});
    assert.deepEqual(reads, []);
  });
  it('reads a PEM file once', () => {
    const r = loadTlsCa({ tls: true, tlsCaFile: '/ca.pem' }, reader({ '/ca.pem': PEM }));
    assert.deepEqual(r, { ca: PEM });
    assert.deepEqual(reads, ['/ca.pem']);
  });
  it('a missing file is an error naming the file and the cause', () => {
    const r = loadTlsCa({ tls: true, tlsCaFile: '/nope.pem' }, reader({}));
    assert.equal(r.ca, undefined);
    assert.equal(r.error, 'tlsCaFile (TLS CA File) "/nope.pem" cannot be read: ENOENT');
  });
  it('an unreadable file (permissions) is an error', () => {
    const denied = Object.assign(new Error('EACCES'), { code: 'EACCES' });
    assert.match(String(loadTlsCa({ tls: true, tlsCaFile: '/x' }, reader({ '/x': denied })).error), /cannot be read: EACCES/);
  });
  it('a file without a PEM certificate is an error', () => {
    assert.match(String(loadTlsCa({ tls: true, tlsCaFile: '/k' }, reader({ '/k': Buffer.from('-----BEGIN PRIVATE KEY-----') })).error), /holds no PEM certificate/);
  });
  it('reads the real file system by default', () => {
    assert.match(String(loadTlsCa({ tls: true, tlsCaFile: '/nonexistent/dir/ca.pem' }).error), /ENOENT/);
  });
});

describe('tls-options: warning when TLS authenticates nothing', () => {
  const cases: [boolean, boolean, string, boolean][] = [
    [false, false, '', false],
    [true, true, '', false],
    [true, false, FP_A, false],
    [true, false, '', true],
    [true, false, '  ', true],
  ];
  for (const [tls, tlsVerify, tlsPin, warns] of cases) {
    it(`tls ${tls}, verify ${tlsVerify}, pin ${tlsPin ? 'set' : 'none'}: ${warns ? 'warns' : 'quiet'}`, () => {
      const w = tlsWeaknessWarning({ tls, tlsVerify, tlsPin });
      if (warns) assert.match(String(w), /not authenticated/);
      else assert.equal(w, null);
    });
  }
});
