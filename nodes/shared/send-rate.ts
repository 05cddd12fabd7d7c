/**
 * Max Sending Rate under the gateway option Share with other instances
 * (shareInstances): every instance running the same flows takes its sending
 * tokens from one bucket in Redis (the Redis context store named as Receipt
 * Correlation Context Store), so Max Sending Rate is the account's, whatever
 * the number of instances. The bucket is the '<gateway id>:smpp-rate'
 * scope's key 'tokens' (a hash; it expires a minute after its last use); at
 * most 200 ms of the rate is saved up in it. The engine spends leased tokens
 * (src/engine/leased-rate.ts). While Redis cannot be reached nothing is
 * sent: the delay policy keeps the messages queued, the reject policy fails
 * them with this file's error; one warning per outage, one line when it ends.
 */
import type { GatewayConfig } from '../../src/config/gateway-config';
import { LeasedBucket } from '../../src/engine/engine-api';
import type { Node } from '../red-types';
import type { SharedRedis } from './shared-store';

/** Tokens the shared bucket may save up: 200 ms of the rate (the most the instances together send above it over any span). */
export function sharedRateCap(rate: number): number {
  return Math.max(1, Math.ceil(rate / 5));
}

/**
 * The shared bucket for the engine's deps.sendBucket, or undefined (the
 * engine's own bucket) when sharing is off, there is no Max Sending Rate,
 * or no shared store (`store` null: the startup check said why).
 */
export function sharedSendBucket(store: SharedRedis | null, node: Node, config: GatewayConfig | null): LeasedBucket | undefined {
  if (!store || !config || !config.shareInstances) return undefined;
  // no Max Sending Rate: nothing to share
  if (!config.maxSendRate || !config.trafficPolicy) return undefined;
  const who = `smpp-gateway ${node.name || node.id}`;
  const rate = config.maxSendRate;
  const cap = sharedRateCap(rate);
  const scope = `${node.id}:smpp-rate`;
  let down = false;
  return new LeasedBucket(rate, (want, cb) => {
    store.takeTokens(scope, 'tokens', rate, Math.max(cap, want), want).then(
      (got) => {
        if (down) node.log(`${who}: the shared Max Sending Rate is taken from Redis again`);
        down = false;
        cb(null, got);
      },
      (err: Error) => {
        const text = `the shared Max Sending Rate cannot be taken from Redis (${err?.message ?? String(err)})`;
        if (!down) node.warn(`${who}: ${text}: nothing is sent until it can`);
        down = true;
        cb(new Error(text), 0);
      },
    );
  }, Date.now());
}
