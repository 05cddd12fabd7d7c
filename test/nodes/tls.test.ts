import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { SmscSimulator } from '../../src/simulator';
import { makeTlsFixture, TestCert, TlsFixture } from '../helpers/tls-fixture';
import { helper, startSimulator, flow, load, until } from './node-harness';
import { detailOf, statusOf } from '../../nodes/gateway-status';

/**
 * smpps against our simulator with certificates made at test time: what binds
 * and what is refused, and why (see src/engine/tls-options.ts for the rules).
 */
describe('smpp-gateway over TLS (smpps)', function () {
  this.timeout(20000);
  let fx: TlsFixture;
  let sim: SmscSimulator | null = null;

  before(() => {
    fx = makeTlsFixture();
  });
  after(() => fx.cleanup());
  afterEach(async () => {
    await helper.unload();
    await sim?.stop();
    sim = null;
  });

  async function serve(cert: TestCert): Promise<SmscSimulator> {
    sim = await startSimulator({ tls: { key: cert.key, cert: cert.cert } });
    return sim;
  }

  const gw = () => helper.getNode('gw1');

  /** waits for at least `attempts` refused connects; the gateway must never have bound */
  async function refused(attempts: number, pattern: RegExp, code = 'tls-refused'): Promise<void> {
    await until(() => gw().engine.counters.tlsRefused >= attempts, `${attempts} refused TLS connects`);
    const ev = gw().engine.stateEvent;
    assert.equal(ev.code, code, ev.reason);
    assert.match(ev.reason, pattern);
    assert.equal(gw().engine.counters.binds, 0);
    assert.equal(sim!.stats().binds, 0);
  }

  it('binds to a certificate signed by the CA in tlsCaFile (verification on by default), and sends', async () => {
    await serve(fx.good);
    await load(flow(sim!.port, { tls: true, tlsCaFile: fx.caFile }));
    await until(() => gw().engine.state === 'bound', 'bound over TLS');
    const ok: any[] = [];
    helper.getNode('ok').on('input', (m: any) => ok.push(m));
    helper.getNode('s1').receive({ payload: 'over tls', to: '4670000001' });
    await until(() => ok.length === 1, 'sent over TLS');
    assert.equal(gw().engine.counters.tlsRefused, 0);
  });

  it('checks the host name: binds by DNS name (localhost) to a certificate that names it', async () => {
    await serve(fx.good);
    await load(flow(sim!.port, { tls: true, tlsCaFile: fx.caFile, host: 'localhost' }));
    await until(() => gw().engine.state === 'bound', 'bound over TLS by name');
  });

  it('refuses a certificate issued for another name (ERR_TLS_CERT_ALTNAME_INVALID)', async () => {
    await serve(fx.wrongName);
    await load(flow(sim!.port, { tls: true, tlsCaFile: fx.caFile }));
    await refused(1, /^ERR_TLS_CERT_ALTNAME_INVALID: the SMSC certificate is not issued for this host \(127\.0\.0\.1\)/);
  });

  it('refuses a CA-signed certificate when that CA is not trusted (no tlsCaFile: system CAs only)', async () => {
    await serve(fx.good);
    await load(flow(sim!.port, { tls: true }));
    await refused(1, /^UNABLE_TO_VERIFY_LEAF_SIGNATURE: .*not trusted/);
  });

  it('refuses a self-signed certificate with verification on, says why in the status, and retries with back-off', async () => {
    await serve(fx.selfSigned);
    await load(flow(sim!.port, { tls: true, tlsCaFile: fx.caFile, reconnectMin: 50, reconnectMax: 200 }));
    await refused(2, /^DEPTH_ZERO_SELF_SIGNED_CERT: the SMSC certificate is self-signed/);
    const ev = gw().engine.stateEvent;
    assert.equal(ev.state, 'retrying');
    assert.ok((ev.retryInMs ?? 0) > 0, 'a delay before the next attempt');
    assert.equal(gw().currentStatus().fill, 'red');
    // the canvas shows a short catalog key; the detail (sidebar, snapshot) says why
    assert.match(String(statusOf(ev).text), /:smpp-gateway\.canvas\.retrying$/);
    assert.match(detailOf(ev), /DEPTH_ZERO_SELF_SIGNED_CERT/);
  });

  it('refuses an expired certificate even when its CA is trusted (CERT_HAS_EXPIRED)', async () => {
    await serve(fx.expired);
    await load(flow(sim!.port, { tls: true, tlsCaFile: fx.caFile }));
    await refused(1, /^CERT_HAS_EXPIRED: the SMSC certificate has expired/);
  });

  it('with verification off, a pinned self-signed certificate binds (the pin is the trust)', async () => {
    await serve(fx.selfSigned);
    await load(flow(sim!.port, { tls: true, tlsVerify: false, tlsPin: fx.selfSigned.fingerprint256 }));
    await until(() => gw().engine.state === 'bound', 'bound to the pinned certificate');
  });

  it('accepts a pin in lower case without colons, among several', async () => {
    await serve(fx.selfSigned);
    const bare = fx.selfSigned.fingerprint256.replace(/:/g, '').toLowerCase();
    await load(flow(sim!.port, { tls: true, tlsVerify: false, tlsPin: `${fx.good.fingerprint256};${bare}` }));
    await until(() => gw().engine.state === 'bound', 'bound with the second pin');
  });

  it('with verification off, a certificate that does not match the pin is closed, counted and retried', async () => {
    await serve(fx.selfSigned);
    await load(flow(sim!.port, { tls: true, tlsVerify: false, tlsPin: fx.good.fingerprint256 }));
    await refused(2, /^TLS pin mismatch: the SMSC certificate SHA-256 [0-9A-F:]{95} is not one of tlsPin/, 'tls-pin');
    assert.ok(gw().engine.stateEvent.reason.includes(fx.selfSigned.fingerprint256), 'the reason names the certificate presented');
    assert.ok(gw().engine.counters.reconnects >= 2);
  });

  it('with verification on, the pin narrows it: a trusted certificate that is not pinned is refused', async () => {
    await serve(fx.good);
    await load(flow(sim!.port, { tls: true, tlsCaFile: fx.caFile, tlsPin: fx.selfSigned.fingerprint256 }));
    await refused(1, /^TLS pin mismatch/, 'tls-pin');
  });

  it('with verification on, the pin does not widen it: a pinned self-signed certificate is still refused', async () => {
    await serve(fx.selfSigned);
    await load(flow(sim!.port, { tls: true, tlsPin: fx.selfSigned.fingerprint256 }));
    await refused(1, /^DEPTH_ZERO_SELF_SIGNED_CERT/);
  });

  it('with verification on, a trusted and pinned certificate binds', async () => {
    await serve(fx.good);
    await load(flow(sim!.port, { tls: true, tlsCaFile: fx.caFile, tlsPin: fx.good.fingerprint256 }));
    await until(() => gw().engine.state === 'bound', 'bound: trusted and pinned');
  });

  it('binds with verification off and no pin, and warns that the SMSC is not authenticated', async () => {
    await serve(fx.selfSigned);
    await load(flow(sim!.port, { tls: true, tlsVerify: false }));
    await until(() => gw().engine.state === 'bound', 'bound over TLS without verification');
    const warnings = helper.log().args.map((a: any[]) => a[0]).filter((e: any) => e.level === helper.log().WARN).map((e: any) => String(e.msg));
    assert.ok(warnings.some((w: string) => /verification is off \(tlsVerify\) and no tlsPin/.test(w)), warnings.join('\n'));
  });

  it('does not warn when the SMSC is authenticated (verification on)', async () => {
    await serve(fx.good);
    await load(flow(sim!.port, { tls: true, tlsCaFile: fx.caFile }));
    await until(() => gw().engine.state === 'bound', 'bound');
    const all = helper.log().args.map((a: any[]) => String(a[0].msg)).join('\n');
    assert.ok(!/verification is off/.test(all), all);
  });

  it('an unreadable tlsCaFile is a configuration error on the status, not a crash', async () => {
    await serve(fx.good);
    await load(flow(sim!.port, { tls: true, tlsCaFile: path.join(fx.dir, 'missing.pem') }));
    assert.equal(gw().engine, null);
    // the first error is the one the status shows
    assert.match(gw().configErrors[0], /^tlsCaFile \(TLS CA File\) ".*missing\.pem" cannot be read: ENOENT/);
    const status = gw().currentStatus();
    assert.equal(status.fill, 'red');
    assert.equal(status.text, 'node-red-contrib-smpp-gateway/smpp-gateway:smpp-gateway.canvas.badconfig');
    // a message sent meanwhile fails with that reason instead of hanging
    const bad: any[] = [];
    helper.getNode('bad').on('input', (m: any) => bad.push(m));
    helper.getNode('s1').receive({ payload: 'x', to: '4670000001' });
    await until(() => bad.length === 1, 'the send failed');
    assert.match(bad[0].error.message, /tlsCaFile/);
    assert.equal(sim!.stats().binds, 0);
  });

  it('a tlsCaFile without a PEM certificate is a configuration error', async () => {
    await serve(fx.good);
    const notPem = path.join(fx.dir, 'not-a-cert.txt');
    fs.writeFileSync(notPem, 'hello');
    await load(flow(sim!.port, { tls: true, tlsCaFile: notPem }));
    assert.equal(gw().engine, null);
    assert.match(gw().configErrors.join(';'), /holds no PEM certificate/);
  });
});

describe('smpp-gateway: Client Port', function () {
  this.timeout(15000);
  let sim: SmscSimulator;
  afterEach(async () => {
    await helper.unload();
    await sim.stop();
  });
  it('connects from the configured local port', async () => {
    sim = await startSimulator();
    const peers: number[] = [];
    const net = await import('net');
    const probe = net.createServer();
    const clientPort: number = await new Promise((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as any).port)));
    await new Promise((r) => probe.close(r));
    const server = (sim as any).server as import('net').Server;
    server.on('connection', (sock: import('net').Socket) => peers.push(sock.remotePort as number));
    await load(flow(sim.port, { clientPort }));
    await until(() => helper.getNode('gw1').engine.state === 'bound', 'bound');
    assert.deepEqual(peers, [clientPort]);
  });
});
