/** The gateway's state as a Node-RED status dot, with text from the catalog. */
import type { StateEvent } from '../src/engine/engine-api';
import type { NodeAPI, NodeStatus } from './red-types';

export function statusOf(RED: NodeAPI, ev: StateEvent): NodeStatus {
  const t = (key: string, subs?: Record<string, unknown>) => RED._(`smpp-gateway.status.${key}`, subs);
  switch (ev.state) {
    case 'idle':
    case 'connecting':
      return { fill: 'yellow', shape: 'ring', text: t('connecting') };
    case 'binding':
      return { fill: 'yellow', shape: 'ring', text: t('binding') };
    case 'bound':
      return { fill: 'green', shape: 'dot', text: t('bound', { mode: RED._(`smpp-gateway.mode.${ev.mode}`) }) };
    case 'retrying':
      return { fill: 'red', shape: 'ring', text: t('retry', { seconds: Math.ceil((ev.retryInMs ?? 0) / 1000), reason: ev.status ?? shortReason(ev.reason) }) };
    case 'stopped':
      return { fill: 'grey', shape: 'ring', text: t('stopped') };
    case 'closing':
    case 'closed':
      return { fill: 'grey', shape: 'ring', text: t('closed') };
  }
}

function shortReason(reason: string | undefined): string {
  if (!reason) return '';
  return reason.length > 40 ? reason.slice(0, 39) + '…' : reason;
}
