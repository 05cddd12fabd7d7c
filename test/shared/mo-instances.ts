/**
 * For the long-MO tests of test/shared: Node-RED child processes running the
 * SAME flow (gateway gw1 as a transceiver on one simulator account, Share
 * with other instances on, the 'redis' context store as its correlation
 * store), each MO the flow's smpp-receive outputs kept in global context and
 * answered by GET /mos, the gateway's MO counters by GET /stats (smpp-control
 * 'status'); and the parts of a three-part MO as deliver_sm PDUs (8-bit UDH
 * reference) for the simulator's injectMoPdu, which round-robins them over
 * the account's bound sessions, i.e. over the instances.
 */
import { buildMoPdu } from '../../src/simulator/mo-message';
import { redisContextStorage } from '../helpers/redis-server';
import { redChild, RedChild, until } from '../helpers/red-child';

export const FROM = '+46700000100';
export const TO = '7777';

export interface MoInstance {
  name: string;
  red: RedChild;
}

/** `gateway`: more gateway settings (ackTimeLimit, receiveQueueLength...); message 40 is kept, then held 30 s in a delay node */
export function moFlow(simPort: number, concatWait: number, gateway: Record<string, unknown> = {}): object[] {
  const z = 'tab1';
  return [
    { id: z, type: 'tab', label: 'shared long MOs' },
    {
      id: 'gw1', type: 'smpp-gateway', name: 'shared gw', host: '127.0.0.1', port: simPort, bindMode: 'transceiver',
      reconnectMin: 100, reconnectMax: 500, heartbeatInterval: 5000, transactionTimeout: 2000,
      correlationStore: 'redis', shareInstances: true, concatWait, ...gateway,
    },
    { id: 'r1', type: 'smpp-receive', z, gateway: 'gw1', wires: [['slow']] },
    // message 40 is kept on arrival, then held 30 s in a delay node (the flow is not done with it: not yet acknowledged)
    {
      id: 'slow', type: 'function', z, outputs: 2, wires: [['keep'], ['hold']],
      func: "if (!String(msg.payload).startsWith('m40p')) return [msg, null]; const a = global.get('mos') || []; a.push({ payload: msg.payload, from: msg.from, to: msg.to, incomplete: msg.smpp.incomplete, received: msg.smpp.received, missing: msg.smpp.missing, concat: msg.smpp.concat }); global.set('mos', a); return [null, msg];",
    },
    { id: 'hold', type: 'delay', z, pauseType: 'delay', timeout: '30', timeoutUnits: 'seconds', wires: [[]] },
    {
      id: 'keep', type: 'function', z, outputs: 1, wires: [[]],
      // message 30 is failed by the flow (the function throws) the first time each instance sees it
      func: "if (String(msg.payload).startsWith('m30p') && !context.get('failed')) { context.set('failed', true); throw new Error('the flow fails message 30 once'); } const a = global.get('mos') || []; a.push({ payload: msg.payload, from: msg.from, to: msg.to, incomplete: msg.smpp.incomplete, received: msg.smpp.received, missing: msg.smpp.missing, concat: msg.smpp.concat }); global.set('mos', a); return null;",
    },
    { id: 'in1', type: 'http in', z, url: '/mos', method: 'get', wires: [['list']] },
    { id: 'list', type: 'function', z, func: "msg.payload = global.get('mos') || []; return msg;", outputs: 1, wires: [['out1']] },
    { id: 'out1', type: 'http response', z, wires: [] },
    { id: 'in2', type: 'http in', z, url: '/stats', method: 'get', wires: [['ask']] },
    { id: 'ask', type: 'function', z, func: "msg.topic = 'status'; return msg;", outputs: 1, wires: [['c1']] },
    { id: 'c1', type: 'smpp-control', z, gateway: 'gw1', wires: [['only']] },
    // smpp-control also outputs state events (no HTTP request to answer): only the status answer goes back
    { id: 'only', type: 'function', z, func: "return msg.topic === 'status' && msg.res ? msg : null;", outputs: 1, wires: [['out2']] },
    { id: 'out2', type: 'http response', z, wires: [] },
  ];
}

export async function makeMoInstance(name: string, redisPort: number, simPort: number, concatWait: number, prefix: string, gateway: Record<string, unknown> = {}): Promise<MoInstance> {
  const red = await redChild(moFlow(simPort, concatWait, gateway), { gw1: { systemId: 'esme', password: 'secret1' } }, { settingsJs: redisContextStorage(redisPort, prefix, 3600) });
  return { name, red };
}

/** Waits until the instance answers GET /mos and its gateway is bound. */
export async function moReady(inst: MoInstance, logs: () => string): Promise<void> {
  await until(async () => ((await inst.red.http('GET', '/mos')).status === 200 ? true : undefined), `${inst.name} to start`, 60_000, logs);
  await until(async () => ((await statsOf(inst)).state === 'bound' ? true : undefined), `${inst.name} to bind`, 30_000, logs);
}

export async function mosOf(inst: MoInstance): Promise<any[]> {
  const r = await inst.red.http('GET', '/mos');
  if (r.status !== 200) throw new Error(`GET /mos on ${inst.name}: ${r.status}`);
  return r.json;
}

/** smpp-control's status: { state, ..., mo: the gateway's MO counters } */
export async function statsOf(inst: MoInstance): Promise<any> {
  const r = await inst.red.http('GET', '/stats');
  if (r.status !== 200) throw new Error(`GET /stats on ${inst.name}: ${r.status}`);
  return r.json;
}

/** The text of part `seq` of message `n`: parts join into `wholeText(n)`. */
export function partText(n: number, seq: number): string {
  return `m${n}p${seq}-`;
}

export function wholeText(n: number, total = 3): string {
  let t = '';
  for (let s = 1; s <= total; s++) t += partText(n, s);
  return t;
}

/** Part `seq` of a `total`-part MO with 8-bit reference `ref` (message n's text). */
export function partPdu(n: number, ref: number, seq: number, total = 3): Buffer {
  const udh = Buffer.from([5, 0, 3, ref & 0xff, total, seq]);
  return buildMoPdu(1, { from: FROM, to: TO, esmClass: 0x40, dataCoding: 0, bytes: Buffer.concat([udh, Buffer.from(partText(n, seq), 'ascii')]) });
}

/** Every instance's MOs, each tagged with the instance that output it. */
export async function allMos(list: MoInstance[]): Promise<{ at: string; mo: any }[]> {
  const out: { at: string; mo: any }[] = [];
  for (const inst of list) for (const mo of await mosOf(inst)) out.push({ at: inst.name, mo });
  return out;
}

/** Which instance's gateway counted a new part while `act` ran (each instance's moParts before and after). */
export async function receiverOf(list: MoInstance[], act: () => Promise<unknown>): Promise<MoInstance> {
  const before = await Promise.all(list.map(async (i) => (await statsOf(i)).mo.moParts as number));
  await act();
  const after = await Promise.all(list.map(async (i) => (await statsOf(i)).mo.moParts as number));
  const got = list.filter((_i, k) => after[k] === before[k] + 1);
  if (got.length !== 1 || after.reduce((a, b) => a + b, 0) !== before.reduce((a, b) => a + b, 0) + 1) {
    throw new Error(`expected exactly one instance to count the part: before ${before.join(',')}, after ${after.join(',')}`);
  }
  return got[0];
}
