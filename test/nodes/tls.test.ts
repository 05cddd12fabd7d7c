import assert from 'node:assert/strict';
import { SmscSimulator } from '../../src/simulator';
import { TLS_CERT, TLS_KEY } from '../helpers/tls-fixture';
import { helper, startSimulator, flow, load, until } from './node-harness';

describe('smpp-gateway over TLS (smpps)', function () {
  this.timeout(15000);
  let sim: SmscSimulator;
  beforeEach(async () => {
    sim = await startSimulator({ tls: { key: TLS_KEY, cert: TLS_CERT } });
  });
  afterEach(async () => {
    await helper.unload();
    await sim.stop();
  });

  it('verifies the certificate by default: a self-signed one is refused and nothing binds', async () => {
    await load(flow(sim.port, { tls: true, host: 'localhost' }));
    const gw = helper.getNode('gw1');
    await until(() => gw.engine.state === 'retrying', 'refused');
    assert.match(gw.engine.stateEvent.reason, /SELF_SIGNED|self.signed|certificate/i);
    assert.equal(sim.stats().binds, 0);
  });

  it('binds over TLS when verification is turned off, and sends', async () => {
    await load(flow(sim.port, { tls: true, tlsVerify: false }));
    const gw = helper.getNode('gw1');
    await until(() => gw.engine.state === 'bound', 'bound over TLS');
    const ok: any[] = [];
    helper.getNode('ok').on('input', (m: any) => ok.push(m));
    helper.getNode('s1').receive({ payload: 'over tls', to: '4670000001' });
    await until(() => ok.length === 1, 'sent over TLS');
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
