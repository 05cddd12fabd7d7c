/**
 * The Redis store several instances share, as the gateway's shared features
 * see it (Share with other instances, shareInstances): the Redis context
 * store named as the gateway's Receipt Correlation Context Store, found
 * through the settings.js contextStorage entry Node-RED made it from
 * (nodes/context-store/redis.ts storeFor). Key layout and scripts of each
 * feature live in its own file beside this one.
 */
import type { GatewayConfig } from '../../src/config/gateway-config';
import type { NodeAPI } from '../red-types';

/** A blocking-read connection (openReader): node-redis' client, the little used. */
export interface ReaderClient {
  sendCommand(args: string[]): Promise<unknown>;
}

/** What the shared features use of the Redis context store (its public methods beyond Node-RED's API). */
export interface SharedRedis {
  /** '<prefix>{<scope>}<key>': every key of one scope in one hash-tag slot */
  redisKey(scope: string, key: string): string;
  claim(scope: string, key: string, ttlMs: number): Promise<boolean>;
  release(scope: string, key: string): Promise<void>;
  takeTokens(scope: string, key: string, rate: number, cap: number, want: number): Promise<number>;
  send(args: string[]): Promise<unknown>;
  script(lua: string, keys: string[], args: string[]): Promise<unknown>;
  openReader(): Promise<ReaderClient>;
  closeReader(client: ReaderClient): void;
}

export type SharedStoreResult = { store: SharedRedis; problem: null } | { store: null; problem: string };

/**
 * The shared Redis store of a gateway configuration, or why there is none:
 * the correlation store must be in settings.js contextStorage with our
 * Redis module and its config object (so the store Node-RED made is found).
 */
export function sharedStoreOf(RED: NodeAPI, config: Pick<GatewayConfig, 'correlationStore'>): SharedStoreResult {
  const cs = (RED as unknown as { settings?: { contextStorage?: Record<string, unknown> } }).settings?.contextStorage;
  const name = config.correlationStore;
  const entry = name && cs && Object.prototype.hasOwnProperty.call(cs, name) ? cs[name] : undefined;
  const store = storeOfEntry(entry);
  if (store) return { store, problem: null };
  return {
    store: null,
    problem: 'Share with other instances needs Receipt Correlation Context Store set to the Redis context store (settings.js contextStorage: module require(\'node-red-contrib-smpp-gateway/dist/nodes/context-store/redis\') with a config object)',
  };
}

/**
 * The store Node-RED made from a settings.js contextStorage entry, when its
 * module is one that keeps what it made (our Redis store's storeFor); else null.
 */
export function storeOfEntry(entry: unknown): SharedRedis | null {
  const e = entry && typeof entry === 'object' ? (entry as { module?: unknown; config?: unknown }) : null;
  const storeFor = e && e.module ? (e.module as { storeFor?: unknown }).storeFor : undefined;
  return typeof storeFor === 'function' ? (storeFor as (c: unknown) => SharedRedis | null)(e!.config) ?? null : null;
}
