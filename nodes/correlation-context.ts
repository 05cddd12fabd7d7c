/**
 * The gateway's receipt correlation, wired for Node-RED: the matcher
 * (src/correlation/matcher.ts) over the in-memory store and, when the gateway
 * names a Node-RED context store (correlationStore), a persistent copy in
 * that store (src/correlation/stored-copy.ts) through the small key-value
 * interface implemented here on the gateway config node's context; plus the
 * periodic sweep (an unref'd timer, cleared on close). With the gateway
 * option shareInstances and the Redis store, the instances share the part
 * states and hand reports over to the instance that sent the message
 * (sharedCorrelation below; nodes/shared/part-states.ts, receipt-inbox.ts).
 */
import { randomBytes } from 'crypto';
import type { GatewayConfig } from '../src/config/gateway-config';
import { CorrelationStore } from '../src/correlation/memory-store';
import { idFormsOf } from '../src/correlation/id-form';
import { CorrelationKv, StoredCorrelation } from '../src/correlation/stored-copy';
import { ReceiptMatcher } from '../src/correlation/matcher';
import type { CorrelationClock } from '../src/correlation/clock';
import type { Node, NodeAPI } from './red-types';
import type { SharedCorrelation } from '../src/correlation/shared-correlation';
import { SharedRedis, storeOfEntry } from './shared/shared-store';
import { partStatesIn } from './shared/part-states';
import { openReceiptInbox, ReceiptInbox } from './shared/receipt-inbox';

/** The part of a Node-RED context object (node.context()) used here. */
export interface ContextApi {
  get(key: string | string[], store: string, cb: (err: Error | null | undefined, ...values: unknown[]) => void): void;
  set(key: string | string[], value: unknown, store: string, cb?: (err?: Error | null) => void): void;
  keys(store: string, cb: (err: Error | null | undefined, keys?: string[]) => void): void;
}

/** The correlation's key-value store on one store of a Node-RED context. */
export function contextKv(ctx: ContextApi, store: string): CorrelationKv {
  return {
    get: (keys, cb) => ctx.get(keys, store, (err, ...values) => cb(err, values)),
    set: (keys, values, cb) => ctx.set(keys, values, store, cb),
    keys: (cb) => ctx.keys(store, cb),
  };
}

/**
 * Adds the claims of a shared store to kv when the settings.js entry's module
 * is one that makes them (nodes/context-store/redis.ts storeFor): kept in
 * their own scope ('<gateway id>:smpp-claims'), the same on every instance
 * running the same flows. Otherwise kv is returned unchanged (no claims:
 * a single instance needs none).
 */
export function withClaims(kv: CorrelationKv, entry: unknown, gatewayId: string): CorrelationKv {
  const store = storeOfEntry(entry);
  if (!store) return kv;
  const scope = `${gatewayId}:smpp-claims`;
  return {
    ...kv,
    claim: (key, ttlMs, cb) => store.claim(scope, key, ttlMs).then((won) => cb(null, won), (err: Error) => cb(err)),
    release: (key) => void store.release(scope, key).catch(() => undefined),
    confirm: (key, ttlMs) => void store.send(['PEXPIRE', store.redisKey(scope, key), String(Math.max(1, Math.round(ttlMs)))]).catch(() => undefined),
  };
}

/** Real time: Date.now and unref'd timers. */
export const realClock: CorrelationClock = {
  now: Date.now,
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

export interface Correlation {
  matcher: ReceiptMatcher;
  close(): void;
}

/** The Node-RED context scope of a node's own context (what node.context() reads and writes). */
function contextScope(node: Node): string {
  const n = node as unknown as { z?: string; _alias?: string };
  const id = n._alias || node.id;
  return n.z ? `${id}:${n.z}` : id;
}

/**
 * shareInstances with the Redis store: the part states, the inbox this
 * instance (`me`, its rid prefix) reads, and the retiring of finished id
 * keys; null when the store is not our Redis store (then nothing is shared
 * but the claims, as before).
 */
function sharedCorrelation(
  store: SharedRedis,
  node: Node,
  me: string,
  onNote: Parameters<typeof openReceiptInbox>[3],
  onRecovered: Parameters<typeof openReceiptInbox>[4],
): { shared: SharedCorrelation; inbox: ReceiptInbox } {
  const who = `smpp-gateway ${node.name || node.id}`;
  const inbox = openReceiptInbox(store, node.id, me, onNote, onRecovered, (t) => node.warn(`${who}: ${t}`));
  const scope = contextScope(node);
  const shared: SharedCorrelation = {
    me,
    ...partStatesIn(store, node.id),
    handOver: (owner, note, cb) => inbox.handOver(owner, note, cb),
    retire(rid, contextKeys, ms) {
      if (contextKeys.length === 0) return;
      store.script(RETIRE_SCRIPT, contextKeys.map((k) => store.redisKey(scope, k)), [`"rid":${JSON.stringify(rid)}`, String(ms)]).catch(() => undefined);
    },
  };
  return { shared, inbox };
}

/** KEYS: id keys; ARGV: '"rid":"<rid>"', ms. Those still pointing at the record expire in ms. */
const RETIRE_SCRIPT = `local n = 0
for _, k in ipairs(KEYS) do
  local v = redis.call('GET', k)
  if v and string.find(v, ARGV[1], 1, true) then redis.call('PEXPIRE', k, ARGV[2]); n = n + 1 end
end
return n`;

const HOUR_MS = 3600_000;

/** How often memory and the context store are swept: a 24th of the TTL, between 1 and 15 minutes. */
export function sweepIntervalMs(ttlMs: number): number {
  return Math.min(15 * 60_000, Math.max(60_000, Math.floor(ttlMs / 24)));
}

/**
 * Why a context store name cannot be used, or null. contextStorage is
 * settings.js contextStorage (RED.settings.contextStorage).
 */
export function storeProblem(name: string, contextStorage: unknown): string | null {
  const cs = contextStorage && typeof contextStorage === 'object' ? (contextStorage as Record<string, unknown>) : null;
  const names = cs ? Object.keys(cs) : [];
  if (name === '_' || !cs || !Object.prototype.hasOwnProperty.call(cs, name)) {
    return `the context store "${name}" is not in settings.js contextStorage (${names.length ? `stores: ${names.join(', ')}` : 'none configured'})`;
  }
  return null;
}

/**
 * Builds the gateway's correlation from its configuration (null config: the
 * defaults, in memory). The context store must be in settings.js
 * contextStorage; when it is not, the gateway logs an error and correlates in
 * memory only (Node-RED itself would silently use its default store).
 */
export function openCorrelation(RED: NodeAPI, node: Node, config: GatewayConfig | null, shareStore: SharedRedis | null = null): Correlation {
  const contextStorage = (RED as unknown as { settings?: { contextStorage?: unknown } }).settings?.contextStorage;
  const ttlMs = (config?.correlationTtl ?? 72) * HOUR_MS;
  const max = config?.correlationMax ?? 1_000_000;
  const forms = idFormsOf(config?.messageIdForm);
  const storeName = config?.correlationStore ?? '';
  const who = `smpp-gateway ${node.name || node.id}`;
  let context: StoredCorrelation | null = null;
  let memory: CorrelationStore;
  let inbox: ReceiptInbox | null = null;
  let matcher: ReceiptMatcher | null = null;
  const problem = storeName ? storeProblem(storeName, contextStorage) : null;
  if (storeName && !problem) {
    const prefix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}-`;
    memory = new CorrelationStore(ttlMs, max, Date.now, forms, { ridPrefix: prefix });
    const entry = (contextStorage as Record<string, unknown>)[storeName];
    const kv = withClaims(contextKv((node as unknown as { context(): ContextApi }).context(), storeName), entry, node.id);
    const sharing = shareStore ? sharedCorrelation(shareStore, node, prefix, (note) => matcher?.handedOver(note), (done) => (matcher ? matcher.storeRecovered(done) : done(true))) : null;
    inbox = sharing?.inbox ?? null;
    context = new StoredCorrelation(kv, storeName, memory, forms, {
      max,
      clock: realClock,
      log: { error: (t) => node.error(`${who}: ${t}`), warn: (t) => node.warn(`${who}: ${t}`) },
      shared: sharing?.shared,
      // a claim outlives the dlr flow's time to take its receipt (ackTimeLimit), and the store's own timeouts
      pendingClaimMs: Math.max(60_000, (config?.ackTimeLimit ?? 30_000) + 30_000),
    });
    if (entry && typeof entry === 'object' && (entry as { module?: unknown }).module === 'memory') {
      node.warn(`${who}: the correlation store "${storeName}" is a memory store: sent messages are still forgotten on a restart`);
    }
  } else {
    memory = new CorrelationStore(ttlMs, max, Date.now, forms);
    if (problem) {
      node.error(`${who}: ${problem}; receipts are correlated IN MEMORY ONLY and will not match after a restart. Add the store to contextStorage in settings.js, or clear Receipt Correlation Context Store.`);
    }
  }
  matcher = new ReceiptMatcher(memory, context, {
    clock: realClock,
    graceMs: config?.receiptGrace ?? 3000,
    acceptedIsFinal: config?.acceptedIsFinal ?? false,
  });
  const timer = setInterval(() => {
    matcher?.sweep();
    context?.sweep();
  }, sweepIntervalMs(ttlMs));
  timer.unref();
  const m = matcher;
  return {
    matcher: m,
    close() {
      clearInterval(timer);
      inbox?.close();
      m.close();
      context?.close();
    },
  };
}
