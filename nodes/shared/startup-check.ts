/**
 * The one startup check of Share with other instances (shareInstances):
 * when it is on and the gateway has no Redis store to share through
 * (shared-store.ts says why), ONE error names what to do, the gateway's
 * status says it while bound (gateway-status.ts 'boundNoRedis'), and the
 * gateway works as a single instance. Every shared feature reads the
 * answer with sharingOf(node) instead of checking (and logging) again.
 */
import type { GatewayConfig } from '../../src/config/gateway-config';
import type { Node, NodeAPI } from '../red-types';
import { SharedRedis, sharedStoreOf } from './shared-store';

export interface Sharing {
  /** the Redis store to share through; null when sharing is off or impossible */
  store: SharedRedis | null;
  /** why sharing is on but impossible, or null */
  problem: string | null;
}

const OFF: Sharing = { store: null, problem: null };
const checked = new WeakMap<object, Sharing>();

/** Checks once at the gateway's start, logs the one error, and keeps the answer for sharingOf. */
export function checkSharing(RED: NodeAPI, node: Node, config: GatewayConfig | null): Sharing {
  let answer = OFF;
  if (config && config.shareInstances) {
    const { store, problem } = sharedStoreOf(RED, config);
    answer = store ? { store, problem: null } : { store: null, problem };
    if (problem) node.error(`smpp-gateway ${node.name || node.id}: ${problem}. Until then this gateway works as a single instance: nothing is shared with other instances`);
  }
  checked.set(node, answer);
  return answer;
}

/** What checkSharing found for a gateway node (off when it was not checked). */
export function sharingOf(node: Node): Sharing {
  return checked.get(node) ?? OFF;
}
