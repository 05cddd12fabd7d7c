/**
 * The gateway's state as a Node-RED status dot. The text is a catalog key
 * with its namespace ("<module>/smpp-gateway:smpp-gateway.canvas.<word>"): the
 * editor translates such a status text in its own language (as core MQTT does
 * with "node-red:common.status.connected"), so a zh-CN editor shows Chinese.
 * It stays short on the canvas; the detail (why, when the next attempt is)
 * is `detailOf`, shown in the SMPP sidebar and the gateway's snapshot.
 */
import type { StateEvent } from '../src/engine/engine-api';
import type { NodeStatus } from './red-types';

/** The catalog namespace of the smpp-gateway node set (package name / node set name). */
export const CATALOG = 'node-red-contrib-smpp-gateway/smpp-gateway';

/** SMPP statuses that mean the SMSC refused the account itself: retrying soon does not help, and may lock it. */
export const LOGIN_REFUSALS: ReadonlySet<string> = new Set(['ESME_RINVPASWD', 'ESME_RINVSYSID', 'ESME_RBINDFAIL', 'ESME_RINVSYSTYP']);

export type CanvasWord =
  | 'connecting' | 'binding' | 'bound' | 'boundRx' | 'boundTx' | 'refusedLogin' | 'bindRefused'
  | 'noAnswer' | 'retrying' | 'stopped' | 'closed' | 'badconfig' | 'boundNoRedis';

/** The full catalog key of a canvas word. */
export function canvasKey(word: CanvasWord): string {
  return `${CATALOG}:smpp-gateway.canvas.${word}`;
}

/** The short word for a state. */
export function canvasWord(ev: StateEvent): CanvasWord {
  switch (ev.state) {
    case 'idle':
    case 'connecting':
      return 'connecting';
    case 'binding':
      return 'binding';
    case 'bound':
      return ev.mode === 'receiver' ? 'boundRx' : ev.mode === 'transmitter' ? 'boundTx' : 'bound';
    case 'retrying':
      if (ev.code === 'bind-refused') return ev.status && LOGIN_REFUSALS.has(ev.status) ? 'refusedLogin' : 'bindRefused';
      if (ev.code === 'bind-timeout') return 'noAnswer';
      return 'retrying';
    case 'stopped':
      return 'stopped';
    case 'closing':
    case 'closed':
      return 'closed';
  }
}

/** noRedis: Share with other instances is on but there is no Redis store (nodes/shared/startup-check.ts): bound shows it, in yellow. */
export function statusOf(ev: StateEvent, noRedis = false): NodeStatus {
  if (noRedis && ev.state === 'bound') return { fill: 'yellow', shape: 'dot', text: canvasKey('boundNoRedis') };
  const word = canvasWord(ev);
  const fill = ev.state === 'bound' ? 'green' : ev.state === 'retrying' ? 'red' : ev.state === 'stopped' || ev.state === 'closing' || ev.state === 'closed' ? 'grey' : 'yellow';
  return { fill, shape: ev.state === 'bound' ? 'dot' : 'ring', text: canvasKey(word) };
}

export function badConfigStatus(): NodeStatus {
  return { fill: 'red', shape: 'ring', text: canvasKey('badconfig') };
}

/** The detail in plain English for logs, snapshots and tests: what the old long status said. */
export function detailOf(ev: StateEvent): string {
  switch (ev.state) {
    case 'bound':
      return `bound as ${ev.mode}`;
    case 'retrying':
      return `retry in ${Math.ceil((ev.retryInMs ?? 0) / 1000)} s: ${ev.status ?? ev.reason ?? ''}`;
    default:
      return ev.reason ? `${ev.state}: ${ev.reason}` : ev.state;
  }
}
