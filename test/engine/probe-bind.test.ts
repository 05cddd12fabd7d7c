/**
 * The one-shot bind behind the editor's Test connection, against our simulator
 * on 127.0.0.1 (plain and smpps) and a port that never answers: bound with the
 * SMSC's system_id and then unbound, refused with the SMPP status, a refused
 * certificate in words, nothing listening, and no answer within the time given.
 */
import assert from 'node:assert/strict';
import * as net from 'net';
import { SmscSimulator } from '../../src/simulator';
import { probeBind, ProbeSettings } from '../../src/engine/probe-bind';
import { makeTlsFixture, TlsFixture } from '../helpers/tls-fixture';
import { freePort } from '../helpers/free-port';

function settings(port: number, extra: Partial<ProbeSettings> = {}): ProbeSettings {
  return {
    host: '127.0.0.1', port, tls: false, tlsVerify: true, bindMode: 'transceiver', systemId: 'esme', password: 'secret1',
    systemType: '', interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: '', timeoutMs: 3000, ...extra,
  };
}

describe('engine: probeBind (Test connection)', function () {
  this.timeout(20000);
  let sim: SmscSimulator | null = null;
  let fx: TlsFixture;
  before(() => {
    fx = makeTlsFixture();
  });
  after(() => fx.cleanup());
  afterEach(async () => {
    await sim?.stop();
    sim = null;
  });

  async function start(opts: Record<string, unknown> = {}): Promise<SmscSimulator> {
    sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'esme', password: 'secret1' }], ...opts });
    await sim.start();
    return sim;
  }

  it('binds, reports the SMSC system_id, then unbinds', async () => {
    const s = await start();
    const r = await probeBind(settings(s.port));
    assert.equal(r.result, 'bound');
    assert.ok(r.result === 'bound' && r.systemId.length > 0);
    assert.equal(s.stats().binds, 1);
    for (let i = 0; i < 50 && s.stats().unbinds === 0; i++) await new Promise((res) => setTimeout(res, 50));
    assert.equal(s.stats().unbinds, 1, 'the probe unbound');
  });

  it('a wrong password: refused with ESME_RINVPASWD; an unknown login: ESME_RINVSYSID', async () => {
    const s = await start();
    const bad = await probeBind(settings(s.port, { password: 'nope' }));
    assert.deepEqual(bad.result === 'refused' && [bad.status, bad.code], ['ESME_RINVPASWD', 0x0e]);
    const unknown = await probeBind(settings(s.port, { systemId: 'who' }));
    assert.equal(unknown.result === 'refused' && unknown.status, 'ESME_RINVSYSID');
  });

  it('nothing listening: failed, ECONNREFUSED', async () => {
    const r = await probeBind(settings(await freePort()));
    assert.deepEqual(r.result === 'failed' && r.reason, 'ECONNREFUSED');
  });

  it('TCP accepted but no bind answer: timeout at the bind stage, within the time given', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const r = await probeBind(settings((silent.address() as net.AddressInfo).port, { timeoutMs: 300 }));
      assert.equal(r.result, 'timeout');
      assert.ok(r.result === 'timeout' && r.stage === 'bind');
    } finally {
      silent.close();
    }
  });

  it('smpps: binds with the CA given; a self-signed certificate is refused in words', async () => {
    const good = await start({ tls: { key: fx.good.key, cert: fx.good.cert } });
    const ok = await probeBind(settings(good.port, { tls: true, tlsCa: fx.ca.cert }));
    assert.equal(ok.result, 'bound', JSON.stringify(ok));
    await good.stop();
    const self = await start({ tls: { key: fx.selfSigned.key, cert: fx.selfSigned.cert } });
    const r = await probeBind(settings(self.port, { tls: true, tlsCa: fx.ca.cert }));
    assert.equal(r.result, 'failed');
    assert.match(r.result === 'failed' ? r.reason : '', /self-signed/);
  });
});
