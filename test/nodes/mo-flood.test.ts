/**
 * MO back-pressure under a flood: 20,000 MOs from the simulator (127.0.0.1),
 * sent as a store-and-forward SMSC does (up to 300 waiting for an answer,
 * each throttled one sent again: src/simulator/mo-retry.ts), into a real
 * Node-RED 4.1 (a child process) whose flow handles one MO per millisecond
 * (the core delay node, rate limit 1000 msg/s), with Receiving Thread Pool
 * Queue Length 100 and Acknowledge MO = when handled (the default).
 *
 * Observed in the flow itself (function nodes before and after the delay
 * node count what entered and what left): never more than 100 MOs between
 * them; the SMSC got ESME_RTHROTTLED and sent those again; every MO reached
 * the flow's end exactly once; Node-RED's heap after a GC when all are
 * through is within a generous bound of the heap at 25%.
 */
import assert from 'node:assert/strict';
import { SmscSimulator } from '../../src/simulator';
import { buildMoPdu } from '../../src/simulator/mo-message';
import { deliverMosRetrying } from '../../src/simulator/mo-retry';
import { redChild, RedChild } from '../helpers/red-child';

const COUNT = 20_000;
const QUEUE = 100;
const RTHROTTLED = 0x58;

const PROBE_IN = 'const p = global.get("probe"); p.entered++; const n = p.entered - p.left; if (n > p.max) p.max = n; return msg;';
const PROBE_OUT =
  'const p = global.get("probe"); p.left++; const m = /^flood (\\d+)$/.exec(msg.payload);' +
  ' if (m && Number(m[1]) < p.seen.length) p.seen[Number(m[1])]++; else p.bad++;' +
  ' if (p.left === p.quarter) p.heapQuarter = global.get("heapMb")(); return null;';
const REPORT =
  'const p = global.get("probe"); let notOnce = 0; let first = -1;' +
  ' for (let i = 0; i < p.seen.length; i++) if (p.seen[i] !== 1) { notOnce++; if (first < 0) first = i; }' +
  ' msg.payload = { entered: p.entered, left: p.left, max: p.max, bad: p.bad, notOnce, first, heapQuarter: p.heapQuarter,' +
  ' heapNow: msg.req.query.heap ? global.get("heapMb")() : null }; return msg;';

describe('MO flood into a slow flow (Node-RED child process): bounded, throttled, each MO once, heap flat', function () {
  this.timeout(240_000);
  let sim: SmscSimulator;
  let red: RedChild | null = null;

  after(async () => {
    await red?.dispose();
    await sim?.stop();
  });

  it(`${COUNT} MOs, Receiving Thread Pool Queue Length ${QUEUE}, a flow taking 1 ms each`, async () => {
    sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'esme', password: 'secret1' }] });
    await sim.start();
    const z = 't1';
    const flow = [
      { id: z, type: 'tab', label: 'flood' },
      {
        id: 'gw1', type: 'smpp-gateway', host: '127.0.0.1', port: sim.port, bindMode: 'receiver', receiveQueueLength: QUEUE,
        heartbeatInterval: 30000, receiveTimeout: 120000, reconnectMin: 100, reconnectMax: 500,
      },
      { id: 'r1', type: 'smpp-receive', z, gateway: 'gw1', wires: [['in']] },
      { id: 'in', type: 'function', z, func: PROBE_IN, outputs: 1, wires: [['slow']] },
      { id: 'slow', type: 'delay', z, pauseType: 'rate', rate: '1000', nbRateUnits: '1', rateUnits: 'second', drop: false, timeout: '1', timeoutUnits: 'seconds', wires: [['out']] },
      { id: 'out', type: 'function', z, func: PROBE_OUT, outputs: 1, wires: [[]] },
      { id: 'h1', type: 'http in', z, url: '/probe', method: 'get', wires: [['report']] },
      { id: 'report', type: 'function', z, func: REPORT, outputs: 1, wires: [['h2']] },
      { id: 'h2', type: 'http response', z, wires: [] },
    ];
    const settingsJs = `functionGlobalContext: {
      probe: { entered: 0, left: 0, max: 0, bad: 0, seen: new Uint8Array(${COUNT}), quarter: ${COUNT / 4}, heapQuarter: null },
      heapMb: () => { global.gc(); global.gc(); return process.memoryUsage().heapUsed / 1048576; },
    }`;
    red = await redChild(flow, { gw1: { systemId: 'esme', password: 'secret1' } }, { settingsJs, nodeArgs: ['--expose-gc'] });
    red.start();
    await red.ready('/probe');
    const end = Date.now() + 30000;
    while (sim.stats().binds < 1) {
      if (Date.now() > end) throw new Error(`the gateway did not bind\n${red.log().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    const pdus = Array.from({ length: COUNT }, (_v, i) => buildMoPdu(0, { from: '+46701234567', to: '7777', text: `flood ${i}` }));
    const result = await deliverMosRetrying(sim, pdus, { window: 3 * QUEUE, retryMs: 50, giveUpMs: 180_000 });
    let probe: any;
    const until = Date.now() + 20000;
    do {
      probe = (await red.http('GET', '/probe')).json;
      if (probe.left >= COUNT) break;
      await new Promise((r) => setTimeout(r, 200));
    } while (Date.now() < until);
    probe = (await red.http('GET', '/probe?heap=1')).json;
    const summary = JSON.stringify({ ...result, probe });
    if (process.env.MO_FLOOD_VERBOSE) console.log(summary);

    assert.equal(result.acknowledged, COUNT, `every MO acknowledged: ${summary}`);
    assert.equal(result.failed, 0, summary);
    assert.ok(probe.max <= QUEUE, `at most ${QUEUE} MOs in the flow; saw ${probe.max}: ${summary}`);
    assert.ok((result.byStatus[RTHROTTLED] ?? 0) > 0, `the SMSC was answered ESME_RTHROTTLED: ${summary}`);
    assert.equal(result.attempts, COUNT + (result.byStatus[RTHROTTLED] ?? 0), `each throttled MO was sent again, nothing else was: ${summary}`);
    assert.equal(probe.bad, 0, summary);
    assert.equal(probe.left, COUNT, summary);
    assert.equal(probe.notOnce, 0, `every MO reached the end exactly once: ${summary}`);
    assert.equal(typeof probe.heapQuarter, 'number', summary);
    assert.ok(probe.heapNow - probe.heapQuarter < 30, `Node-RED heap after GC: ${probe.heapQuarter.toFixed(1)} MB at 25%, ${probe.heapNow.toFixed(1)} MB at 100%`);
  });
});
