/**
 * The gateway's receipt correlation: the in-memory store (synchronous fast
 * path) and, when the gateway names a Node-RED context store
 * (correlationStore), a persistent copy in that store so that receipts still
 * match after a restart or a redeploy.
 *
 *  - every remembered message is written through to the context store (on the
 *    gateway config node's context; layout in src/correlation/context-record.ts);
 *  - a multipart record is rewritten when a part's receipt arrives;
 *  - a record leaving memory (final receipt, expired, evicted, send-and-wait
 *    gave up) is deleted from the context store too;
 *  - a receipt that misses in memory is looked up in the context store, under
 *    every key the messageIdForm allows; a hit is adopted back into memory;
 *  - a periodic sweep (unref'd timer, cleared on close) sweeps memory and
 *    removes expired context entries, applies the bound to them, and counts
 *    both (records from before a restart are not in memory: only the sweep or
 *    a lookup can find out that they expired).
 *
 * Send-and-wait waiters are not persisted: a restart ends them.
 */
import { randomBytes } from 'crypto';
import type { GatewayConfig } from '../src/config/gateway-config';
import { CorrelationStore, RemoveReason, SentRecord } from '../src/correlation/memory-store';
import { idFormsOf } from '../src/correlation/id-form';
import type { IdFormPair } from '../src/receipt/message-id';
import type { Node, NodeAPI } from './red-types';
import {
  bestEntry, candidateKeys, fromStored, idEntriesOf, idEntryOf, RECORD_PREFIX, recordKey, StoredRecord, toStored,
} from '../src/correlation/context-record';

/** The part of a Node-RED context object (node.context()) used here. */
export interface ContextApi {
  get(key: string | string[], store: string, cb: (err: Error | null | undefined, ...values: unknown[]) => void): void;
  set(key: string | string[], value: unknown, store: string, cb?: (err?: Error | null) => void): void;
  keys(store: string, cb: (err: Error | null | undefined, keys?: string[]) => void): void;
}

export interface CorrelationLog {
  error(text: string): void;
  warn(text: string): void;
}

export type LookupResult = { record: SentRecord; part: number } | undefined;

export interface SweepResult {
  expired: number;
  evicted: number;
  /** values under our record prefix that were not records (removed) */
  damaged: number;
  /** records left in the context store */
  kept: number;
}

export interface ContextCorrelationOptions {
  /** bound on records in the context store (the gateway's correlationMax) */
  max: number;
  now: () => number;
  log: CorrelationLog;
  /** a store that does not answer a read within this time counts as failed (default 10 s) */
  lookupTimeoutMs?: number;
}

const DEFAULT_LOOKUP_TIMEOUT_MS = 10_000;
/** how many finished record ids are remembered, against stale async reads */
const GONE_MAX = 10_000;
/** at most one store error line per this many ms (they are all counted) */
const ERROR_LOG_EVERY_MS = 60_000;

export class ContextCorrelation {
  private readonly keysOf = new WeakMap<SentRecord, string[]>();
  private readonly gone = new Set<string>();
  private lastErrorLog = -Infinity;
  private closed = false;

  constructor(
    private readonly ctx: ContextApi,
    readonly store: string,
    private readonly memory: CorrelationStore,
    private readonly forms: IdFormPair,
    private readonly opts: ContextCorrelationOptions,
  ) {
    memory.onRemove = (rec, why) => this.removed(rec, why);
  }

  /** Writes a newly remembered record through to the context store. */
  written(rec: SentRecord): void {
    if (this.closed) return;
    const ids = idEntriesOf(rec, this.forms);
    const idKeys = ids.map((i) => i.key);
    this.keysOf.set(rec, idKeys);
    const keys = [recordKey(rec.rid), ...idKeys];
    const values: unknown[] = [toStored(rec, idKeys), ...ids.map((i) => i.entry)];
    this.write(keys, values);
  }

  /** Rewrites a record whose parts' receipts changed. */
  update(rec: SentRecord): void {
    if (this.closed) return;
    this.write(recordKey(rec.rid), toStored(rec, this.idKeysOf(rec)));
  }

  /**
   * Looks a receipt id up in the context store; calls back with the record
   * (adopted into memory) and the part, or undefined; or with an error when
   * the store failed or did not answer in time.
   */
  lookup(id: string, cb: (err: Error | null, result: LookupResult) => void): void {
    const cands = candidateKeys(id, this.forms);
    if (cands.length === 0 || this.closed) return cb(null, undefined);
    let finished = false;
    const finish = (err: Error | null, result: LookupResult) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (err) this.storeError('read', err);
      cb(err, result);
    };
    const timeoutMs = this.opts.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS;
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`), undefined), timeoutMs);
    const hit = (record: SentRecord, part: number): LookupResult => {
      this.memory.counters.matched++;
      return { record, part: part >= 0 && part < record.partIds.length ? part : 0 };
    };
    try {
      this.ctx.get(cands.map((c) => c.key), this.store, (err, ...values) => {
        if (err) return finish(err, undefined);
        const entry = bestEntry(cands, values);
        if (!entry) return finish(null, undefined);
        const inMemory = this.memory.byRid(entry.rid);
        if (inMemory) return finish(null, hit(inMemory, entry.part));
        if (this.gone.has(entry.rid)) return finish(null, undefined);
        this.ctx.get(recordKey(entry.rid), this.store, (err2, value) => {
          if (err2) return finish(err2, undefined);
          const again = this.memory.byRid(entry.rid);
          if (again) return finish(null, hit(again, entry.part));
          if (this.gone.has(entry.rid)) return finish(null, undefined);
          const stored = fromStored(value);
          if (!stored || stored.rid !== entry.rid) {
            // an id key whose record is gone: clean it up
            this.deleteKeys(entry.rid, cands.map((c) => c.key));
            return finish(null, undefined);
          }
          if (stored.expiresAt <= this.opts.now()) {
            this.forgetStored(stored, 'expired');
            return finish(null, undefined);
          }
          const rec = this.memory.adopt(stored);
          this.keysOf.set(rec, stored.keys);
          this.memory.counters.restored++;
          finish(null, hit(rec, entry.part));
        });
      });
    } catch (e) {
      finish(e as Error, undefined);
    }
  }

  /**
   * Removes expired records from the context store and applies the bound,
   * oldest first; counts both (once: a record also in memory is dropped there).
   */
  sweep(done?: (err: Error | null, result?: SweepResult) => void): void {
    const end = (err: Error | null, result?: SweepResult) => {
      if (err) this.storeError('sweep', err);
      done?.(err, result);
    };
    if (this.closed) return end(null, { expired: 0, evicted: 0, damaged: 0, kept: 0 });
    try {
      this.ctx.keys(this.store, (err, keys) => {
        if (err) return end(err);
        const recKeys = (keys ?? []).filter((k) => k.startsWith(RECORD_PREFIX));
        if (recKeys.length === 0) return end(null, { expired: 0, evicted: 0, damaged: 0, kept: 0 });
        this.ctx.get(recKeys, this.store, (err2, ...values) => {
          if (err2) return end(err2);
          const now = this.opts.now();
          const live: StoredRecord[] = [];
          let expired = 0;
          let damaged = 0;
          const bad: string[] = [];
          values.forEach((v, i) => {
            const stored = fromStored(v);
            if (!stored) {
              if (v !== undefined) {
                damaged++;
                bad.push(recKeys[i]);
              }
            } else if (stored.expiresAt <= now) {
              this.forgetStored(stored, 'expired');
              expired++;
            } else live.push(stored);
          });
          if (bad.length) this.write(bad, bad.map(() => undefined));
          let evicted = 0;
          if (live.length > this.opts.max) {
            live.sort((a, b) => a.createdAt - b.createdAt);
            evicted = live.length - this.opts.max;
            for (let i = 0; i < evicted; i++) this.forgetStored(live[i], 'evicted');
          }
          end(null, { expired, evicted, damaged, kept: live.length - evicted });
        });
      });
    } catch (e) {
      end(e as Error);
    }
  }

  close(): void {
    this.closed = true;
  }

  /** memory.onRemove: whatever leaves memory leaves the context store too. */
  private removed(rec: SentRecord, _why: RemoveReason): void {
    this.markGone(rec.rid);
    this.deleteKeys(rec.rid, this.idKeysOf(rec));
  }

  /** A record that is (most likely) not in memory: dropped there if it is, else deleted and counted here. */
  private forgetStored(stored: StoredRecord, why: 'expired' | 'evicted'): void {
    const mem = this.memory.byRid(stored.rid);
    if (mem) {
      this.memory.drop(mem, why);
      return;
    }
    this.memory.counters[why]++;
    this.markGone(stored.rid);
    this.deleteKeys(stored.rid, stored.keys);
  }

  /** Deletes the record and those of its id keys that still point at it (a later record may own them now). */
  private deleteKeys(rid: string, idKeys: string[]): void {
    if (this.closed) return;
    const recKey = recordKey(rid);
    if (idKeys.length === 0) {
      this.write(recKey, undefined);
      return;
    }
    try {
      this.ctx.get(idKeys, this.store, (err, ...values) => {
        if (err) return this.storeError('read', err);
        const del = [recKey];
        idKeys.forEach((k, i) => {
          if (idEntryOf(values[i])?.rid === rid) del.push(k);
        });
        this.write(del, del.map(() => undefined));
      });
    } catch (e) {
      this.storeError('read', e as Error);
    }
  }

  private idKeysOf(rec: SentRecord): string[] {
    let keys = this.keysOf.get(rec);
    if (!keys) {
      keys = idEntriesOf(rec, this.forms).map((i) => i.key);
      this.keysOf.set(rec, keys);
    }
    return keys;
  }

  private markGone(rid: string): void {
    this.gone.add(rid);
    if (this.gone.size > GONE_MAX) this.gone.delete(this.gone.values().next().value as string);
  }

  /** A write whose failure (reported or thrown by a store plugin) is counted and logged, never thrown. */
  private write(key: string | string[], value: unknown): void {
    try {
      this.ctx.set(key, value, this.store, this.checked);
    } catch (e) {
      this.storeError('write', e as Error);
    }
  }

  private readonly checked = (err?: Error | null): void => {
    if (err) this.storeError('write', err);
  };

  private storeError(what: string, err: Error): void {
    this.memory.counters.storeErrors++;
    const now = Date.now();
    if (now - this.lastErrorLog < ERROR_LOG_EVERY_MS) return;
    this.lastErrorLog = now;
    this.opts.log.error(
      `receipt correlation: context store "${this.store}" ${what} failed: ${err?.message ?? String(err)} (${this.memory.counters.storeErrors} store errors so far)`,
    );
  }
}

// ------------------------------------------------------------------ gateway wiring

export interface Correlation {
  memory: CorrelationStore;
  context: ContextCorrelation | null;
  close(): void;
}

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
export function openCorrelation(RED: NodeAPI, node: Node, config: GatewayConfig | null): Correlation {
  const contextStorage = (RED as unknown as { settings?: { contextStorage?: unknown } }).settings?.contextStorage;
  const ttlMs = (config?.correlationTtl ?? 72) * HOUR_MS;
  const max = config?.correlationMax ?? 1_000_000;
  const forms = idFormsOf(config?.messageIdForm);
  const storeName = config?.correlationStore ?? '';
  const who = `smpp-gateway ${node.name || node.id}`;
  let context: ContextCorrelation | null = null;
  let memory: CorrelationStore;
  const problem = storeName ? storeProblem(storeName, contextStorage) : null;
  if (storeName && !problem) {
    const prefix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}-`;
    memory = new CorrelationStore(ttlMs, max, Date.now, forms, { ridPrefix: prefix });
    context = new ContextCorrelation((node as unknown as { context(): ContextApi }).context(), storeName, memory, forms, {
      max,
      now: Date.now,
      log: { error: (t) => node.error(`${who}: ${t}`), warn: (t) => node.warn(`${who}: ${t}`) },
    });
    const entry = (contextStorage as Record<string, { module?: unknown }>)[storeName];
    if (entry && typeof entry === 'object' && entry.module === 'memory') {
      node.warn(`${who}: the correlation store "${storeName}" is a memory store: sent messages are still forgotten on a restart`);
    }
  } else {
    memory = new CorrelationStore(ttlMs, max, Date.now, forms);
    if (problem) {
      node.error(`${who}: ${problem}; receipts are correlated IN MEMORY ONLY and will not match after a restart. Add the store to contextStorage in settings.js, or clear Receipt Correlation Context Store.`);
    }
  }
  const timer = setInterval(() => {
    memory.sweep();
    context?.sweep();
  }, sweepIntervalMs(ttlMs));
  timer.unref();
  return {
    memory,
    context,
    close() {
      clearInterval(timer);
      context?.close();
    },
  };
}
