/**
 * The persistent copy of the correlation: every remembered message written
 * through to a key-value store (a Node-RED context store in the gateway, see
 * nodes/correlation-context.ts; layout in context-record.ts), so that
 * receipts still match after a restart or a redeploy.
 *
 *  - a record is written once all its parts are answered (each part's id is
 *    in memory, and matching, as soon as its own submit_sm_resp arrives);
 *  - a multipart record is rewritten when a part's receipt arrives;
 *  - a record leaving memory (final receipt, expired, evicted, send-and-wait
 *    gave up) is deleted from the store too;
 *  - a receipt that misses in memory is looked up in the store, under every
 *    key the messageIdForm allows; a hit is adopted back into memory;
 *  - sweep() (the caller runs it periodically) removes expired entries,
 *    applies the bound to them, and counts both (records from before a
 *    restart are not in memory: only the sweep or a lookup can find out that
 *    they expired).
 *
 *  - claim(): with a store shared by several instances (Redis), a matched
 *    receipt is claimed atomically before it is reported, so a receipt the
 *    SMSC sends again to another instance is reported once in all.
 *  - opts.shared (the gateway option shareInstances, shared-correlation.ts):
 *    a record carries its owner (the instance that sent it) and whether it
 *    waits; another instance's record found by a lookup is used for that
 *    receipt only, not kept in memory (detached); a finished record's id
 *    keys are retired for a while rather than deleted (a resend found there
 *    is a duplicate: lookup's third argument); the record JSON is written
 *    once (the part states live in the shared store, not in it).
 *
 * (Over 300 lines: the copy's write, read, sweep and claim, and the shared
 * mode's detached records and retired keys, share one store, its error
 * accounting and the records' id keys.)
 *
 * Pure: the store is the small asynchronous CorrelationKv interface and time
 * comes from an injected clock (no timers, no I/O of its own). Send-and-wait
 * waiters are not persisted: a restart ends them.
 */
import { CorrelationStore, RemoveReason, SentRecord } from './memory-store';
import type { IdFormPair } from '../receipt/message-id';
import {
  bestEntry, candidateKeys, encodeKeyPart, fromStored, idEntriesOf, idEntryOf, KEY_PREFIX, RECORD_PREFIX, recordKey, StoredRecord, toStored,
} from './context-record';
import type { CorrelationClock } from './clock';
import { RETIRED_MS, SharedCorrelation } from './shared-correlation';

/**
 * The key-value store the persistent copy needs: three calls, each answering
 * through a callback (so a store over the network, e.g. Redis, fits). A value
 * of undefined deletes the key. Keys never contain '.', '[', quotes or ']'.
 */
export interface CorrelationKv {
  get(keys: string[], cb: (err: Error | null | undefined, values: unknown[]) => void): void;
  set(keys: string[], values: unknown[], cb: (err?: Error | null) => void): void;
  keys(cb: (err: Error | null | undefined, keys?: string[]) => void): void;
  /**
   * Optional, for a store shared by several instances (Redis): takes `key`
   * if nobody holds it (atomically across instances), for ttlMs; won false
   * when another instance (or this one) holds it. Without it every claim wins.
   */
  claim?(key: string, ttlMs: number, cb: (err: Error | null | undefined, won?: boolean) => void): void;
  /** Gives a claim back (the receipt was not taken: its resend must be reported). */
  release?(key: string): void;
  /** Keeps a claim ttlMs from now (shared: a claim is short until its receipt is taken, see claim()). */
  confirm?(key: string, ttlMs: number): void;
}

/** The claim key of one receipt (a part of a record, in a state): the first instance to take it reports it. */
export function claimKey(rid: string, part: number, state: string): string {
  return `${KEY_PREFIX}c_${encodeKeyPart(rid)}_${part}_${encodeKeyPart(state)}`;
}

/**
 * shared: how long a claim holds before its receipt is taken (confirm), by
 * default (opts.pendingClaimMs). If the receipt is not taken and giving the
 * claim back fails too (Redis went down meanwhile), the SMSC's retry after
 * this is handled again, not lost.
 */
export const PENDING_CLAIM_MS = 60_000;

/** How long a claim is kept at least (a record near its expiry still gets a minute against resends). */
const MIN_CLAIM_MS = 60_000;

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

export interface StoredCorrelationOptions {
  /** bound on records in the store (the gateway's correlationMax) */
  max: number;
  clock: CorrelationClock;
  log: CorrelationLog;
  /** a store that does not answer a read within this time counts as failed (default 10 s) */
  lookupTimeoutMs?: number;
  /** several instances share the store (shareInstances): see the module comment */
  shared?: SharedCorrelation;
  /** shared: how long a claim holds until its receipt is taken (longer than the flow may take it: ackTimeLimit) */
  pendingClaimMs?: number;
}

const DEFAULT_LOOKUP_TIMEOUT_MS = 10_000;
/** how many finished record ids are remembered, against stale async reads */
const GONE_MAX = 10_000;
/** at most one store error line per this many ms (they are all counted) */
const ERROR_LOG_EVERY_MS = 60_000;

export class StoredCorrelation {
  private readonly keysOf = new WeakMap<SentRecord, string[]>();
  /** records written to the store (a record finished before all its parts were answered never is) */
  private readonly inStore = new WeakSet<SentRecord>();
  /** finished record ids (true: retired, see the module comment) */
  private readonly gone = new Map<string, boolean>();
  /** records leaving memory but not the store (another instance finished them, or still uses them) */
  private readonly localOnly = new WeakSet<SentRecord>();
  private lastErrorLog = -Infinity;
  private closed = false;

  constructor(
    private readonly kv: CorrelationKv,
    /** the store's name, for messages */
    readonly store: string,
    private readonly memory: CorrelationStore,
    private readonly forms: IdFormPair,
    private readonly opts: StoredCorrelationOptions,
  ) {
    memory.onRemove = (rec, why) => this.removed(rec, why);
  }

  /** The shared store's side (shareInstances), or undefined. */
  get shared(): SharedCorrelation | undefined {
    return this.closed ? undefined : this.opts.shared;
  }

  /** Writes a record whose parts are all answered through to the store; waiter: a send-and-wait holds it. */
  written(rec: SentRecord, waiter = false, done?: (ok: boolean) => void): void {
    if (this.closed || this.memory.byRid(rec.rid) !== rec) return done?.(true);
    this.inStore.add(rec);
    const ids = idEntriesOf(rec, this.forms);
    const idKeys = ids.map((i) => i.key);
    this.keysOf.set(rec, idKeys);
    const keys = [recordKey(rec.rid), ...idKeys];
    const shared = this.opts.shared ? { owner: this.opts.shared.me, waiter } : undefined;
    const values: unknown[] = [toStored(rec, idKeys, shared), ...ids.map((i) => i.entry)];
    this.write(keys, values, done);
  }

  /**
   * Writes a record again if the store lost it (Redis restarted without its
   * data; its write failed while the store was down): only when neither its
   * record nor any of its id keys is there (a record finished meanwhile by
   * another instance leaves its id keys retired, and is not brought back).
   */
  restore(rec: SentRecord, waiter: boolean, done: (ok: boolean) => void): void {
    if (this.closed || this.memory.byRid(rec.rid) !== rec || rec.unanswered > 0 || rec.partIds.some((p) => !p)) return done(true);
    const keys = [recordKey(rec.rid), ...idEntriesOf(rec, this.forms).map((i) => i.key)];
    try {
      this.kv.get(keys, (err, values) => {
        if (err) {
          this.storeError('read', err);
          return done(false);
        }
        if ((values ?? []).every((v) => v === undefined || v === null)) this.written(rec, waiter, done);
        else done(true);
      });
    } catch (e) {
      this.storeError('read', e as Error);
      done(false);
    }
  }

  /** Rewrites a record whose parts' receipts changed. */
  update(rec: SentRecord): void {
    // shared: the part states are kept apart (writePart), the record is not rewritten
    if (this.closed || !this.inStore.has(rec) || this.opts.shared) return;
    this.write([recordKey(rec.rid)], [toStored(rec, this.idKeysOf(rec))]);
  }

  /**
   * Looks a receipt id up in the context store; calls back with the record
   * (adopted into memory; shared: detached) and the part, or undefined; or
   * with an error when the store failed or did not answer in time. retired
   * (shared): the id is that of a record finished a moment ago.
   */
  lookup(id: string, cb: (err: Error | null, result: LookupResult, retired?: boolean) => void): void {
    const cands = candidateKeys(id, this.forms);
    if (cands.length === 0 || this.closed) return cb(null, undefined);
    let finished = false;
    const finish = (err: Error | null, result: LookupResult, retired = false) => {
      if (finished) return;
      finished = true;
      cancel();
      if (err) this.storeError('read', err);
      cb(err, result, retired);
    };
    const timeoutMs = this.opts.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS;
    const cancel = this.opts.clock.after(timeoutMs, () => finish(new Error(`no answer within ${timeoutMs} ms`), undefined));
    const hit = (record: SentRecord, part: number): LookupResult => {
      this.memory.counters.matched++;
      return { record, part: part >= 0 && part < record.partIds.length ? part : 0 };
    };
    try {
      this.kv.get(cands.map((c) => c.key), (err, values) => {
        if (err) return finish(err, undefined);
        const entry = bestEntry(cands, values ?? []);
        if (!entry) return finish(null, undefined);
        const inMemory = this.memory.byRid(entry.rid);
        if (inMemory) return finish(null, hit(inMemory, entry.part));
        if (this.gone.has(entry.rid)) return finish(null, undefined, this.gone.get(entry.rid));
        this.kv.get([recordKey(entry.rid)], (err2, got) => {
          const value = got?.[0];
          if (err2) return finish(err2, undefined);
          const again = this.memory.byRid(entry.rid);
          if (again) return finish(null, hit(again, entry.part));
          if (this.gone.has(entry.rid)) return finish(null, undefined, this.gone.get(entry.rid));
          const stored = fromStored(value);
          if (value === undefined && this.opts.shared) {
            // shared: the id keys of a finished record are kept a while (retired): a resend
            return finish(null, undefined, true);
          }
          if (!stored || stored.rid !== entry.rid) {
            // an id key whose record is gone: clean it up
            this.deleteKeys(entry.rid, cands.map((c) => c.key));
            return finish(null, undefined);
          }
          if (stored.expiresAt <= this.opts.clock.now()) {
            this.forgetStored(stored, 'expired');
            return finish(null, undefined);
          }
          const rec = this.opts.shared ? this.memory.detached(stored) : this.memory.adopt(stored);
          this.keysOf.set(rec, stored.keys);
          this.inStore.add(rec);
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
      this.kv.keys((err, keys) => {
        if (err) return end(err);
        const recKeys = (keys ?? []).filter((k) => k.startsWith(RECORD_PREFIX));
        if (recKeys.length === 0) return end(null, { expired: 0, evicted: 0, damaged: 0, kept: 0 });
        this.kv.get(recKeys, (err2, values) => {
          if (err2) return end(err2);
          const now = this.opts.clock.now();
          const live: StoredRecord[] = [];
          let expired = 0;
          let damaged = 0;
          const bad: string[] = [];
          (values ?? []).forEach((v, i) => {
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

  /** Whether the store shares claims between instances (see CorrelationKv.claim). */
  get claims(): boolean {
    return typeof this.kv.claim === 'function';
  }

  /**
   * Claims one receipt of a record's part across every instance sharing the
   * store, until the record's expiry: cb(null, key) when this instance won
   * (it reports the receipt), cb(null, null) when another already took it,
   * cb(err) when the store failed (the SMSC should retry). A store without
   * claims: always won (key ''). A claim that gets no answer in time fails.
   */
  claim(rec: SentRecord, part: number, state: string, cb: (err: Error | null, key: string | null) => void): void {
    const kvClaim = this.kv.claim;
    if (!kvClaim || this.closed) return cb(null, '');
    const key = claimKey(rec.rid, part, state);
    let finished = false;
    const finish = (err: Error | null, key2: string | null) => {
      if (finished) return;
      finished = true;
      cancel();
      if (err) this.storeError('claim', err);
      cb(err, key2);
    };
    const timeoutMs = this.opts.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS;
    const cancel = this.opts.clock.after(timeoutMs, () => finish(new Error(`no answer within ${timeoutMs} ms`), null));
    const ttlMs = this.opts.shared ? this.opts.pendingClaimMs ?? PENDING_CLAIM_MS : this.claimTtl(rec);
    try {
      kvClaim.call(this.kv, key, ttlMs, (err, won) => (err ? finish(err, null) : finish(null, won ? key : null)));
    } catch (e) {
      finish(e as Error, null);
    }
  }

  /** shared: the receipt of a claim was taken, the claim now holds as long as the record (a resend is a duplicate). */
  confirm(key: string | undefined, rec: SentRecord): void {
    if (!key || !this.opts.shared || !this.kv.confirm || this.closed) return;
    try {
      this.kv.confirm(key, this.claimTtl(rec));
    } catch (e) {
      this.storeError('write', e as Error);
    }
  }

  private claimTtl(rec: SentRecord): number {
    return Math.max(MIN_CLAIM_MS, rec.expiresAt - this.opts.clock.now());
  }

  /** Gives a claim back (the receipt was not taken). */
  release(key: string): void {
    if (!key || !this.kv.release) return;
    try {
      this.kv.release(key);
    } catch (e) {
      this.storeError('write', e as Error);
    }
  }

  close(): void {
    this.closed = true;
  }

  /** Drops a record from memory only: another instance finished it (shared), the store is left as it is. */
  forgetLocal(rec: SentRecord): void {
    this.localOnly.add(rec);
    this.memory.remove(rec);
  }

  /** A detached record (shared, not in memory) is finished: out of the store as if it had left memory. */
  finishedDetached(rec: SentRecord): void {
    this.removed(rec, 'finished');
  }

  /** memory.onRemove: whatever leaves memory leaves the context store too. */
  private removed(rec: SentRecord, why: RemoveReason): void {
    if (this.localOnly.has(rec)) return;
    const shared = this.shared;
    this.markGone(rec.rid, !!shared && why === 'finished');
    if (shared && rec.partIds.length > 1) shared.dropParts(rec.rid);
    if (!this.inStore.has(rec)) return;
    if (shared && why === 'finished') {
      // the id keys stay a while, so a resend reaching any instance is known as one (lookup: retired)
      this.write([recordKey(rec.rid)], [undefined]);
      shared.retire(rec.rid, this.idKeysOf(rec), RETIRED_MS);
      return;
    }
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
      this.write([recKey], [undefined]);
      return;
    }
    try {
      this.kv.get(idKeys, (err, values) => {
        if (err) return this.storeError('read', err);
        const del = [recKey];
        idKeys.forEach((k, i) => {
          if (idEntryOf(values?.[i])?.rid === rid) del.push(k);
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

  private markGone(rid: string, retired = false): void {
    this.gone.set(rid, retired);
    if (this.gone.size > GONE_MAX) this.gone.delete(this.gone.keys().next().value as string);
  }

  /** A write whose failure (reported or thrown by a store plugin) is counted and logged, never thrown. */
  private write(keys: string[], values: unknown[], done?: (ok: boolean) => void): void {
    try {
      this.kv.set(keys, values, (err) => {
        this.checked(err);
        done?.(!err);
      });
    } catch (e) {
      this.storeError('write', e as Error);
      done?.(false);
    }
  }

  private readonly checked = (err?: Error | null): void => {
    if (err) this.storeError('write', err);
  };

  private storeError(what: string, err: Error): void {
    this.memory.counters.storeErrors++;
    const now = this.opts.clock.now();
    if (now - this.lastErrorLog < ERROR_LOG_EVERY_MS) return;
    this.lastErrorLog = now;
    this.opts.log.error(
      `receipt correlation: store "${this.store}" ${what} failed: ${err?.message ?? String(err)} (${this.memory.counters.storeErrors} store errors so far)`,
    );
  }
}
