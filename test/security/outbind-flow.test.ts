/**
 * Outbind in a Node-RED flow: an SMSC (our simulator in outbind mode) connects
 * to the gateway's upstreamPort ("Port for receiving upstream messages").
 * A good outbind makes its MOs arrive at smpp-receive; a bad one is refused
 * and counted in smpp-control's status.
 */
import assert from 'node:assert/strict';
import * as net from 'net';
import { OutbindClient, SmscSimulator } from '../../src/simulator';
import { helper, startSimulator, flow, load, until, collect, CREDS } from '../nodes/node-harness';
import { freePort } from '../interop/ports';

const gw = (): any => helper.getNode('gw1');

describe('smpp-gateway: outbind on upstreamPort (flow)', function () {
  this.timeout(15000);
  let sim: SmscSimulator;
  let upstreamPort: number;

  beforeEach(async () => {
    sim = await startSimulator();
    upstreamPort = await freePort();
  });
  afterEach(async () => {
    await helper.unload();
    await sim.stop();
  });

  async function listening(): Promise<void> {
    await until(() => gw().engine?.state === 'bound' && gw().engine.snapshot().outbind?.listening === true, 'bound and listening');
  }

  async function statusSnapshot(): Promise<any> {
    const ctl = collect('ctl');
    helper.getNode('c1').receive({ payload: 'status' });
    await until(() => ctl.some((m) => m.topic === 'status'), 'status snapshot');
    return ctl.find((m) => m.topic === 'status').payload;
  }

  it('a good outbind: its MO arrives at smpp-receive, like one from the main link', async () => {
    await load(flow(sim.port, { bindMode: 'transmitter', upstreamPort }));
    await listening();
    const mo = collect('mo');
    const smsc = await OutbindClient.connect({ port: upstreamPort, systemId: CREDS.gw1.systemId, password: CREDS.gw1.password, accounts: [CREDS.gw1] });
    const status = await smsc.deliverMo({ from: '+46701112233', to: '7777', text: 'hello by outbind' });
    assert.equal(status, 0, 'ESME_ROK once the flow took it');
    await until(() => mo.length === 1, 'MO in the flow');
    assert.equal(mo[0].payload, 'hello by outbind');
    assert.match(String(mo[0].from), /46701112233$/);
    const snap = await statusSnapshot();
    assert.equal(snap.counters.outbindAccepted, 1);
    assert.deepEqual(snap.outbind, { port: upstreamPort, listening: true, boundLinks: 1 });
    smsc.close();
  });

  it('a wrong password or system_id is refused and counted in the status; garbage is closed; nothing reaches the flow', async () => {
    await load(flow(sim.port, { upstreamPort }));
    await listening();
    const mo = collect('mo');
    await assert.rejects(OutbindClient.connect({ port: upstreamPort, systemId: 'esme', password: 'badpass1' }), /closed the connection/);
    await assert.rejects(OutbindClient.connect({ port: upstreamPort, systemId: 'mallory', password: CREDS.gw1.password }), /closed the connection/);
    const s = net.connect({ port: upstreamPort, host: '127.0.0.1' });
    s.on('error', () => undefined);
    s.write(Buffer.alloc(100, 0x41));
    await new Promise<void>((r) => s.once('close', () => r()));
    const snap = await statusSnapshot();
    assert.equal(snap.counters.outbindRefused, 3);
    assert.equal(snap.counters.outbindAccepted, 0);
    assert.equal(mo.length, 0);
    assert.equal(gw().engine.state, 'bound', 'the main link is untouched');
  });
});
