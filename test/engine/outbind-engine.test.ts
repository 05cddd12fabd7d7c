/**
 * The engine's outbind hook on real sockets (127.0.0.1): the simulator plays
 * the SMSC that outbinds to the gateway's upstreamPort.
 */
import assert from 'node:assert/strict';
import * as net from 'net';
import { LinkSupervisor } from '../../src/engine/link-supervisor';
import type { InboundRequest } from '../../src/engine/engine-api';
import { OutbindClient, SmscSimulator } from '../../src/simulator';
import { config } from './engine-harness';
import { freePort } from '../interop/ports';

const PASSWORD = 'Ob-7tK3q';

describe('engine: outbind on upstreamPort', function () {
  this.timeout(15000);
  let sim: SmscSimulator;
  let engine: LinkSupervisor;
  let upstreamPort: number;
  let logs: string[];
  let inbound: InboundRequest[];

  async function startEngine(overrides: Record<string, unknown> = {}): Promise<void> {
    upstreamPort = await freePort();
    logs = [];
    inbound = [];
    engine = new LinkSupervisor(
      config({
        port: sim.port, upstreamPort, heartbeatInterval: 1000, transactionTimeout: 500, receiveTimeout: 5000,
        reconnectMin: 50, reconnectMax: 400, connectTimeout: 2000, bindTimeout: 1000, ...overrides,
      }),
      { systemId: 'esme', password: PASSWORD },
      { log: (level, text) => logs.push(`${level}: ${text}`) },
    );
    engine.setInboundHandler((req) => {
      inbound.push(req);
      req.respond(0);
    });
    engine.start();
    await until(() => engine.state === 'bound' && (engine.snapshot().outbind as { listening: boolean }).listening, 'main link bound and listening');
  }

  const outbind = (systemId = 'esme', password = PASSWORD, extra: Partial<Parameters<typeof OutbindClient.connect>[0]> = {}) =>
    OutbindClient.connect({ port: upstreamPort, systemId, password, accounts: [{ systemId: 'esme', password: PASSWORD }], bindTimeoutMs: 3000, ...extra });

  beforeEach(async () => {
    sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'esme', password: PASSWORD }] });
    await sim.start();
  });
  afterEach(async () => {
    await engine?.close();
    await sim.stop();
  });

  it('a good outbind binds as receiver on that connection and its MO reaches the inbound handler', async () => {
    await startEngine();
    const smsc = await outbind();
    assert.equal(smsc.boundSystemId, 'esme', 'the gateway bound with its own credentials');
    assert.equal(engine.counters.outbindAccepted, 1);
    await until(() => (engine.snapshot().outbind as { boundLinks: number }).boundLinks === 1, 'outbind link bound');
    const status = await smsc.deliverMo({ from: '+46700000001', to: '12345', text: 'via outbind' });
    assert.equal(status, 0);
    assert.equal(inbound.length, 1);
    assert.equal(inbound[0].pdu.command, 'deliver_sm');
    assert.equal(String(inbound[0].pdu.source_addr), '46700000001');
    assert.equal(engine.counters.inbound, 1);
    assert.equal(engine.state, 'bound', 'the main link is untouched');
    smsc.close();
  });

  it('works beside a transmitter main link (send on the main link, receive by outbind)', async () => {
    await startEngine({ bindMode: 'transmitter' });
    const smsc = await outbind();
    assert.equal(await smsc.deliverMo({ from: '111', to: '222', text: 'mo' }), 0);
    assert.equal(inbound.length, 1);
    smsc.close();
  });

  const refusals: [string, string, string, RegExp][] = [
    ['a wrong password', 'esme', 'nope-123', /outbind from 127\.0\.0\.1:\d+ refused: outbind for system_id "esme" with a wrong password/],
    ['a wrong system_id', 'intruder', PASSWORD, /refused: outbind with system_id "intruder" is not ours/],
  ];
  for (const [what, systemId, password, re] of refusals) {
    it(`refuses ${what}: closed, counted, logged without the password`, async () => {
      await startEngine();
      await assert.rejects(outbind(systemId, password), /closed the connection before binding/);
      assert.equal(engine.counters.outbindRefused, 1);
      assert.equal(engine.counters.outbindAccepted, 0);
      const warn = logs.filter((l) => l.startsWith('warn: outbind'));
      assert.equal(warn.length, 1, logs.join('\n'));
      assert.match(warn[0], re);
      assert.ok(!logs.join('\n').includes(PASSWORD), 'the configured password is in no log line');
      assert.ok(!logs.join('\n').includes('nope-123'), 'nor the wrong one');
      assert.equal(engine.state, 'bound');
    });
  }

  it('garbage on the port: closed and counted, no crash, and a good outbind still works after', async () => {
    await startEngine();
    for (const bytes of [Buffer.from('HELLO SMSC\r\n'), Buffer.alloc(64, 0xff), Buffer.from([0, 0, 0, 20, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4])]) {
      const s = net.connect({ port: upstreamPort, host: '127.0.0.1' });
      s.on('error', () => undefined);
      s.write(bytes);
      await new Promise<void>((r) => s.once('close', () => r()));
    }
    assert.equal(engine.counters.outbindRefused, 3);
    const smsc = await outbind();
    assert.equal(await smsc.deliverMo({ from: '1', to: '2', text: 'after garbage' }), 0);
    smsc.close();
  });

  it('a newer good outbind replaces the older link', async () => {
    await startEngine();
    const first = await outbind();
    const second = await outbind();
    await first.whenClosed();
    assert.equal(engine.counters.outbindAccepted, 2);
    assert.equal(await second.deliverMo({ from: '1', to: '2', text: 'second' }), 0);
    second.close();
  });

  it('the SMSC refusing our bind_receiver closes that link (logged), the listener keeps listening', async () => {
    await startEngine();
    await assert.rejects(outbind('esme', PASSWORD, { accounts: [{ systemId: 'esme', password: 'other' }] }), /bind_receiver was refused \(status 0xe\)/);
    await until(() => logs.some((l) => /outbind link from .* closed: bind refused/.test(l)), 'the refused bind logged');
    const smsc = await outbind();
    smsc.close();
  });

  it('close() unbinds the outbind link and stops listening', async () => {
    await startEngine();
    const smsc = await outbind();
    await engine.close();
    await smsc.whenClosed();
    await assert.rejects(outbind(), /ECONNREFUSED/);
  });

  it('upstreamPort 0 (the default): no listener', async () => {
    upstreamPort = 0;
    engine = new LinkSupervisor(config({ port: sim.port }), { systemId: 'esme', password: PASSWORD });
    engine.start();
    await until(() => engine.state === 'bound', 'bound');
    assert.equal(engine.snapshot().outbind, null);
  });

  it('a port already taken is a warning and lastError, and the main link still binds', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      logs = [];
      engine = new LinkSupervisor(config({ port: sim.port, upstreamPort: port }), { systemId: 'esme', password: PASSWORD }, { log: (l, t) => logs.push(`${l}: ${t}`) });
      engine.start();
      await until(() => logs.some((l) => /cannot listen on upstreamPort \d+: EADDRINUSE/.test(l)), 'the warning');
      await until(() => engine.state === 'bound', 'bound');
      assert.match(String(engine.snapshot().lastError), /EADDRINUSE/);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});

describe('engine: outbind with the credentials the bind uses', function () {
  this.timeout(15000);
  // longer than the 8 characters of SMPP 3.4 section 4.1.7: the bind sends it whole, so the outbind must take it whole
  const LONG = 'a-password-of-24-chars!!';
  let sim: SmscSimulator;
  let engine: LinkSupervisor | null = null;
  afterEach(async () => {
    await engine?.close();
    await sim?.stop();
  });
  it('a password over 8 characters that binds is accepted on outbind too', async () => {
    sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'esme', password: LONG }] });
    await sim.start();
    const upstreamPort = await freePort();
    const logs: string[] = [];
    const e = new LinkSupervisor(
      config({ port: sim.port, upstreamPort, transactionTimeout: 500, reconnectMin: 50, reconnectMax: 400, bindTimeout: 1000 }),
      { systemId: 'esme', password: LONG },
      { log: (l, t) => logs.push(`${l}: ${t}`) },
    );
    engine = e;
    e.setInboundHandler((req) => req.respond(0));
    e.start();
    await until(() => e.state === 'bound' && (e.snapshot().outbind as { listening: boolean }).listening, 'main link bound with the long password');
    const smsc = await OutbindClient.connect({ port: upstreamPort, systemId: 'esme', password: LONG, accounts: [{ systemId: 'esme', password: LONG }], bindTimeoutMs: 3000 });
    assert.equal(smsc.boundSystemId, 'esme', logs.join('\n'));
    assert.equal(e.counters.outbindAccepted, 1);
    assert.equal(e.counters.outbindRefused, 0);
    smsc.close();
  });
});

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
