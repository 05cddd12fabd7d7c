/* Loads our five nodes into a real Node-RED runtime (node-red-node-test-helper) against our simulator. */
import * as path from 'path';
import { SmscSimulator, SimulatorOptions } from '../../src/simulator';

// eslint-disable-next-line @typescript-eslint/no-var-requires
export const helper = require('node-red-node-test-helper');
helper.init(require.resolve('node-red'));

const nodesDir = path.join(__dirname, '..', '..', 'nodes');
export const NODES = ['smpp-gateway', 'smpp-send', 'smpp-receive', 'smpp-dlr', 'smpp-control'].map((n) => require(path.join(nodesDir, `${n}.js`)));

export async function startSimulator(opts: SimulatorOptions = {}): Promise<SmscSimulator> {
  const sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'esme', password: 'secret1' }], receiptDelayMs: 20, ...opts });
  await sim.start();
  return sim;
}

/** A flow: gateway gw1 (fast timers), send s1 -> helper ok / helper bad, receive r1 -> helper mo, dlr d1 -> helper dlr, control c1 -> helper ctl. */
export function flow(port: number, gw: Record<string, unknown> = {}, send: Record<string, unknown> = {}) {
  return [
    {
      id: 'gw1', type: 'smpp-gateway', name: 'test gw', host: '127.0.0.1', port,
      heartbeatInterval: 1000, transactionTimeout: 500, receiveTimeout: 5000, reconnectMin: 50, reconnectMax: 400,
      connectTimeout: 2000, bindTimeout: 2000, windowSize: 16, registeredDelivery: '1', messageFormat: 'auto', splitMode: 'concatenated',
      ...gw,
    },
    { id: 's1', type: 'smpp-send', gateway: 'gw1', wires: [['ok'], ['bad']], ...send },
    { id: 'r1', type: 'smpp-receive', gateway: 'gw1', wires: [['mo']] },
    { id: 'd1', type: 'smpp-dlr', gateway: 'gw1', wires: [['dlr']] },
    { id: 'c1', type: 'smpp-control', gateway: 'gw1', wires: [['ctl']] },
    { id: 'ok', type: 'helper' },
    { id: 'bad', type: 'helper' },
    { id: 'mo', type: 'helper' },
    { id: 'dlr', type: 'helper' },
    { id: 'ctl', type: 'helper' },
  ];
}

export const CREDS = { gw1: { systemId: 'esme', password: 'secret1' } };

export async function load(f: object[], creds: object = CREDS): Promise<void> {
  await new Promise<void>((resolve, reject) => helper.load(NODES, f, creds, (err: Error | undefined) => (err ? reject(err) : resolve())));
}

/** Resolves when `check` is true, polling every 10 ms; rejects with `what` after `ms`. */
export async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Collects what a helper node receives. */
export function collect(id: string): any[] {
  const out: any[] = [];
  helper.getNode(id).on('input', (msg: any) => out.push(msg));
  return out;
}

/** The gateway node gw1 of `flow`. */
export function gw(): any {
  return helper.getNode('gw1');
}

/**
 * Hooks of the enclosing describe: before each test a fresh simulator handed to `set`; after it,
 * the flow unloaded and the simulator `get` returns stopped (a test may replace it, e.g. to restart on its port).
 */
export function simulatorEachTest(set: (sim: SmscSimulator) => void, get: () => SmscSimulator): void {
  beforeEach(async () => {
    set(await startSimulator());
  });
  afterEach(async () => {
    await helper.unload();
    await get().stop();
  });
}
