/**
 * MOs in the flow when Node-RED stops are not lost: Node-RED 4.1 as a child
 * process, a flow that holds each MO (the core delay node, delay from
 * msg.delay, 10 minutes in the first run), Acknowledge MO = when handled (the
 * default). Five MOs reach the flow and wait in the delay node; Node-RED is
 * stopped (SIGINT). None was acknowledged, so the simulator, as a
 * store-and-forward SMSC (src/simulator/mo-retry.ts), sends them again once
 * Node-RED runs again (delay 10 ms now), and each reaches the flow's end.
 */
import assert from 'node:assert/strict';
import { SmscSimulator } from '../../src/simulator';
import { buildMoPdu } from '../../src/simulator/mo-message';
import { deliverMosRetrying } from '../../src/simulator/mo-retry';
import { redChild, RedChild, until } from '../helpers/red-child';

const COUNT = 5;

describe('MOs in the flow when Node-RED stops are sent again by the SMSC and reach the flow after the restart', function () {
  this.timeout(150_000);
  let sim: SmscSimulator;
  let red: RedChild | null = null;

  after(async () => {
    await red?.dispose();
    await sim?.stop();
  });

  it(`${COUNT} MOs held in a delay node, Node-RED stopped and started again`, async () => {
    sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'esme', password: 'secret1' }] });
    await sim.start();
    const answers: number[] = [];
    sim.on('deliver_resp', (status: number) => answers.push(status));
    const z = 't1';
    const flow = [
      { id: z, type: 'tab', label: 'restart' },
      { id: 'gw1', type: 'smpp-gateway', host: '127.0.0.1', port: sim.port, bindMode: 'transceiver', reconnectMin: 100, reconnectMax: 500, heartbeatInterval: 5000, transactionTimeout: 2000 },
      { id: 'r1', type: 'smpp-receive', z, gateway: 'gw1', wires: [['arrive']] },
      {
        id: 'arrive', type: 'function', z, outputs: 1, wires: [['hold']],
        func: "global.set('arrived', (global.get('arrived') || 0) + 1); msg.delay = Number(env.get('HOLD_MS')); return msg;",
      },
      { id: 'hold', type: 'delay', z, pauseType: 'delayv', timeout: '1', timeoutUnits: 'seconds', wires: [['end']] },
      {
        id: 'end', type: 'function', z, outputs: 1, wires: [[]],
        func: "const a = global.get('done') || []; a.push({ payload: msg.payload, smpp: msg.smpp }); global.set('done', a); return null;",
      },
      { id: 'h1', type: 'http in', z, url: '/mos', method: 'get', wires: [['report']] },
      { id: 'report', type: 'function', z, outputs: 1, wires: [['h2']], func: "msg.payload = { arrived: global.get('arrived') || 0, done: global.get('done') || [] }; return msg;" },
      { id: 'h2', type: 'http response', z, wires: [] },
    ];
    red = await redChild(flow, { gw1: { systemId: 'esme', password: 'secret1' } });
    const r = red;
    const mos = async () => (await r.http('GET', '/mos')).json as { arrived: number; done: { payload: string; smpp: any }[] };

    // --- first run: the MOs reach the flow and wait in the delay node
    r.start({ HOLD_MS: '600000' });
    await r.ready('/mos');
    await until(async () => (sim.stats().binds >= 1 ? true : undefined), 'the gateway to bind', 30000, r.log);
    const pdus = Array.from({ length: COUNT }, (_v, i) => buildMoPdu(0, { from: '+46701234567', to: '7777', text: `restart ${i}` }));
    const delivered = deliverMosRetrying(sim, pdus, { window: COUNT, retryMs: 200, giveUpMs: 120_000 });
    await until(async () => ((await mos()).arrived === COUNT ? true : undefined), `${COUNT} MOs in the flow`, 20000, r.log);
    assert.equal(answers.filter((s) => s === 0).length, 0, 'none acknowledged while it waits in the flow');
    assert.equal((await mos()).done.length, 0);

    const code = await r.stop('SIGINT', 20000);
    assert.equal(code, 0, `Node-RED stopped cleanly\n${r.log().slice(-3000)}`);
    assert.equal(answers.filter((s) => s === 0).length, 0, 'none acknowledged when Node-RED stopped');

    // --- second run: the SMSC sends them again, the flow handles them at once
    const bindsBefore = sim.stats().binds;
    r.start({ HOLD_MS: '10' });
    await r.ready('/mos');
    await until(async () => (sim.stats().binds > bindsBefore ? true : undefined), 'the gateway to bind again', 30000, r.log);
    const result = await delivered;
    assert.equal(result.acknowledged, COUNT, JSON.stringify(result));
    const after = await until(async () => {
      const m = await mos();
      return m.done.length >= COUNT ? m : undefined;
    }, `${COUNT} MOs at the flow's end after the restart`, 20000, r.log);
    assert.deepEqual(after.done.map((d) => d.payload).sort(), pdus.map((_p, i) => `restart ${i}`).sort(), 'each MO once, after the restart');
    assert.ok(result.attempts >= 2 * COUNT, `each was sent again: ${JSON.stringify(result)}`);
  });
});
