/**
 * Max Sending Rate under the gateway option Share with other instances
 * (shareInstances): every instance running the same flows takes its sending tokens from one bucket in Redis (the Redis context
 * store named as Receipt Correlation Context Store), so Max Sending Rate is
 * the account's, whatever the number of instances. The bucket is the
 * '<gateway id>:smpp-rate' scope's key 'tokens' (a hash; it expires a minute
 * after its last use). The engine spends leased tokens (src/engine/leased-rate.ts).
 */
import type { GatewayConfig } from '../../src/config/gateway-config';
import { LeasedBucket } from '../../src/engine/engine-api';
import type { Node, NodeAPI } from '../red-types';
import { sharedStoreOf } from './shared-store';

/**
 * The shared bucket for the engine's deps.sendBucket, or undefined (the
 * engine's own bucket) when sharing is off; an error is logged when it is on
 * but cannot work.
 */
export function sharedSendBucket(RED: NodeAPI, node: Node, config: GatewayConfig | null): LeasedBucket | undefined {
  if (!config || !config.shareInstances) return undefined;
  const who = `smpp-gateway ${node.name || node.id}`;
  // no Max Sending Rate: nothing to share
  if (!config.maxSendRate || !config.trafficPolicy) return undefined;
  const { store, problem } = sharedStoreOf(RED, config);
  if (!store) {
    node.error(`${who}: ${problem}; the rate is this instance's alone`);
    return undefined;
  }
  const rate = config.maxSendRate;
  // at most 200 ms of the rate saved up in Redis: over any span the instances send at most that above the rate
  const cap = Math.max(1, Math.ceil(rate / 5));
  const scope = `${node.id}:smpp-rate`;
  let warned = false;
  return new LeasedBucket(rate, (want, cb) => {
    store.takeTokens(scope, 'tokens', rate, Math.max(cap, want), want).then(
      (got) => {
        warned = false;
        cb(null, got);
      },
      (err: Error) => {
        if (!warned) node.warn(`${who}: the shared sending rate cannot be read from Redis (${err.message}): sending waits until it can`);
        warned = true;
        cb(err, 0);
      },
    );
  }, Date.now());
}
