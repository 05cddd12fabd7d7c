/**
 * A Node-RED context-store plugin (not a node: Node-RED loads it from
 * settings.js contextStorage, never from the palette) backed by Redis, so
 * that several Node-RED instances share context (the gateway's receipt
 * correlation, see correlationStore). In settings.js:
 *
 *   contextStorage: {
 *     default: { module: 'memory' },
 *     redis: {
 *       module: require('node-red-contrib-smpp-gateway/dist/nodes/context-store/redis'),
 *       config: { url: 'redis://127.0.0.1:6379', prefix: 'nodered:', ttlSeconds: 86400 },
 *     },
 *   }
 *
 * (The old path dist/nodes/redis-context-store still loads this module.)
 *
 * It implements the API of Node-RED's own stores (open, close, get, set,
 * keys, delete, clean), asynchronous only: get and keys need a callback, set
 * without one is fire-and-forget (errors are logged).
 *
 * Layout: one Redis string per top-level context key,
 *   <prefix>{<scope>}<key>  ->  JSON of the value
 * (scope: a node id, 'node id:flow id', a flow id or 'global'; '%', '{' and
 * '}' in it are %-escaped). The braces are a Redis hash tag: every key of a
 * scope lives in the same slot. A key with a property path ('a.b', 'a[0]')
 * reads and rewrites the top-level value (ordered within this process, not
 * atomic between processes). Several keys set at once are written in one
 * atomic script. keys() and delete() SCAN the keyspace.
 *
 * Config: url ('redis://[user:password@]host:port[/db]', 'rediss://' for
 * TLS) or host/port/username/password/db; prefix (default 'nodered:');
 * ttlSeconds: every key written expires that long after its last write (PX),
 * absent or 0 = no expiry; clean (default true): when Node-RED cleans (on
 * start and after every deploy), delete what THIS store wrote without a time
 * to live for nodes no longer in this instance's flows — never another
 * instance's keys (see clean()); connectTimeoutMs (default 10000):
 * open() fails when Redis is not reachable within it; clientOptions: passed
 * to node-redis' createClient.
 *
 * The 'redis' npm package (node-redis) is an optional peer dependency,
 * loaded when a store is created: `npm install redis` in the Node-RED user
 * directory. After open(), commands fail at once while the connection is
 * down (no offline queue) and the client reconnects in the background.
 *
 * Beyond Node-RED's API, for several gateways sharing one Redis: claim /
 * release (a receipt reported once), takeTokens (one Max Sending Rate), and
 * send / script / openReader for the gateway's other shared structures
 * (nodes/shared/); storeFor(config) finds the store Node-RED made. (Over 350 lines: Node-RED's
 * key syntax, the store API and its Redis scripts belong together.)
 */

/** The little of a node-redis client used here (v5 and v6). */
interface RedisClient {
  connect(): Promise<unknown>;
  sendCommand(args: string[]): Promise<unknown>;
  on(event: 'error', fn: (err: Error) => void): unknown;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  destroy?(): void;
  disconnect?(): Promise<unknown>;
}

interface RedisModule {
  createClient(options: Record<string, unknown>): RedisClient;
}

interface RedisStoreConfig {
  url?: string;
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  db?: number;
  prefix?: string;
  ttlSeconds?: number;
  clean?: boolean;
  connectTimeoutMs?: number;
  clientOptions?: Record<string, unknown>;
  /** added by Node-RED (userDir); unused */
  settings?: unknown;
}

type Callback = (err: Error | null | undefined, ...values: unknown[]) => void;
type Segment = string | number;

const NAME = 'redis-context-store';
/** keys per MGET / script / UNLINK */
const BATCH = 1000;
const SCAN_COUNT = '1000';
const LOG_EVERY_MS = 60_000;

/**
 * Sets (value: JSON) or deletes (value: '') every key, each with the TTL in
 * ms (ARGV[1], '0' = none), atomically.
 */
const SET_SCRIPT = `local ttl = tonumber(ARGV[1])
for i, k in ipairs(KEYS) do
  local v = ARGV[i + 1]
  if v == '' then redis.call('DEL', k)
  elseif ttl > 0 then redis.call('SET', k, v, 'PX', ttl)
  else redis.call('SET', k, v) end
end
return #KEYS`;

/**
 * Deletes those of KEYS that have no time to live of their own (PTTL -1), in
 * one step: a key another instance rewrote with an expiry meanwhile stays.
 */
const CLEAN_SCRIPT = `local n = 0
for _, k in ipairs(KEYS) do
  if redis.call('PTTL', k) == -1 then redis.call('UNLINK', k); n = n + 1 end
end
return n`;

/**
 * A token bucket in a hash (tokens, last ms): filled at ARGV[1] a second up
 * to ARGV[2], then up to ARGV[3] tokens taken; returns how many. Redis'
 * own clock, so instances' clocks do not matter. Expires when unused.
 */
const TOKENS_SCRIPT = `local rate = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local v = redis.call('HMGET', KEYS[1], 'tokens', 'last')
local tokens = tonumber(v[1])
local last = tonumber(v[2])
if not tokens or not last then tokens = cap; last = now end
if now > last then tokens = math.min(cap, tokens + (now - last) * rate / 1000); last = now end
local got = math.min(want, math.floor(tokens))
if got < 0 then got = 0 end
tokens = tokens - got
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'last', tostring(last))
redis.call('PEXPIRE', KEYS[1], 60000)
return got`;

function loadRedis(): RedisModule {
  const errors: string[] = [];
  for (const name of ['redis', '@redis/client']) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const m = require(name) as RedisModule;
      if (m && typeof m.createClient === 'function') return m;
      errors.push(`${name}: no createClient`);
    } catch (e) {
      errors.push(`${name}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(
    `${NAME}: the 'redis' npm package is not installed. It is an optional peer of node-red-contrib-smpp-gateway: run \`npm install redis\` in the Node-RED user directory (${errors.join('; ')})`,
  );
}

function invalidExpr(expr: string): Error {
  const e = new Error(`${NAME}: invalid context key '${expr}'`) as Error & { code: string };
  e.code = 'INVALID_EXPR';
  return e;
}

/**
 * A context key as path segments: 'a', 'a.b', 'a[0]', 'a["b"]', "a['b.c']".
 * Segment 0 is always a non-empty string (the top-level key). Follows Node-RED's
 * normalisePropertyExpression, stricter in odd cases (it refuses 'a[0]b').
 */
function parseContextKey(expr: string): Segment[] {
  if (typeof expr !== 'string' || expr.length === 0) throw invalidExpr(String(expr));
  const out: Segment[] = [];
  let i = 0;
  let cur = '';
  let afterBracket = false;
  const pushCur = () => {
    if (cur.length === 0) throw invalidExpr(expr);
    out.push(cur);
    cur = '';
  };
  while (i < expr.length) {
    const c = expr[i];
    if (c === '.') {
      if (afterBracket) afterBracket = false;
      else pushCur();
      // as Node-RED: a segment after a dot starts with a-z, 0-9, $ or _
      if (!/[a-z0-9$_]/i.test(expr[i + 1] ?? '')) throw invalidExpr(expr);
      i++;
    } else if (c === '[') {
      if (!afterBracket) pushCur();
      const q = expr[i + 1];
      if (q === '"' || q === "'") {
        const end = expr.indexOf(q + ']', i + 2);
        if (end < 0) throw invalidExpr(expr);
        out.push(expr.slice(i + 2, end));
        i = end + 2;
      } else {
        const end = expr.indexOf(']', i + 1);
        const num = end < 0 ? '' : expr.slice(i + 1, end);
        if (!/^[0-9]+$/.test(num)) throw invalidExpr(expr);
        out.push(Number(num));
        i = end + 1;
      }
      afterBracket = true;
      if (i < expr.length && expr[i] !== '.' && expr[i] !== '[') throw invalidExpr(expr);
    } else if (c === ']' || c === ' ' || c === '"' || c === "'" || (afterBracket && c !== '.')) {
      throw invalidExpr(expr);
    } else {
      cur += c;
      i++;
    }
  }
  if (!afterBracket) pushCur();
  if (typeof out[0] !== 'string' || out[0].length === 0) throw invalidExpr(expr);
  return out;
}

function getPath(value: unknown, path: Segment[]): unknown {
  let v = value;
  for (let i = 1; i < path.length; i++) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[path[i]];
  }
  return v;
}

/** The top-level value with path (length > 1) set to value (undefined: deleted), as Node-RED's setObjectProperty. */
function setPath(top: unknown, path: Segment[], value: unknown): unknown {
  const create = value !== undefined;
  let root = top;
  if (root === null || typeof root !== 'object') {
    if (!create) return top;
    root = typeof path[1] === 'number' ? [] : {};
  }
  let obj = root as Record<string | number, unknown>;
  for (let i = 1; i < path.length - 1; i++) {
    const k = path[i];
    const next = obj[k];
    if (next !== null && typeof next === 'object') obj = next as Record<string | number, unknown>;
    else if (next === undefined && create) {
      const made = typeof path[i + 1] === 'number' ? [] : {};
      obj[k] = made;
      obj = made as Record<string | number, unknown>;
    } else return root;
  }
  const last = path[path.length - 1];
  if (value === undefined) {
    if (typeof last === 'number' && Array.isArray(obj)) obj.splice(last, 1);
    else delete obj[last];
  } else obj[last] = value;
  return root;
}

function escapeScope(scope: string): string {
  return scope.replace(/[%{}]/g, (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => '\\' + c);
}

function decode(key: string, raw: unknown): unknown {
  if (raw === null || raw === undefined) return undefined;
  try {
    return JSON.parse(String(raw));
  } catch {
    throw new Error(`${NAME}: the value of '${key}' is not JSON`);
  }
}

function encode(value: unknown): string {
  const json = JSON.stringify(value);
  // a function or a symbol at the top level: nothing to store, as in a JSON file store
  return json === undefined ? '' : json;
}

function chunks<T>(list: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
}

class RedisContextStore {
  readonly prefix: string;
  readonly ttlMs: number;
  private readonly cleanScopes: boolean;
  private readonly connectTimeoutMs: number;
  private readonly clientOptions: Record<string, unknown>;
  private readonly where: string;
  private readonly redis: RedisModule;
  private client: RedisClient | null = null;
  private closed = false;
  /** set while a read-modify-write is in flight: later operations wait for it */
  private barrier: Promise<void> | null = null;
  private lastLog = -Infinity;
  /** the top-level keys this store wrote without a time to live, by scope: what clean() may delete */
  private readonly written = new Map<string, Set<string>>();
  /** SHA1 of each Lua script loaded by script() */
  private readonly shas = new Map<string, string>();

  constructor(config: RedisStoreConfig = {}) {
    const c = config ?? {};
    if (c.url !== undefined && typeof c.url !== 'string') throw new TypeError(`${NAME}: config.url must be a string`);
    if (c.prefix !== undefined && typeof c.prefix !== 'string') throw new TypeError(`${NAME}: config.prefix must be a string`);
    if (c.ttlSeconds !== undefined && !(typeof c.ttlSeconds === 'number' && Number.isFinite(c.ttlSeconds) && c.ttlSeconds >= 0)) {
      throw new TypeError(`${NAME}: config.ttlSeconds must be a number of seconds (0 or absent: no expiry)`);
    }
    this.prefix = c.prefix ?? 'nodered:';
    this.ttlMs = c.ttlSeconds ? Math.max(1, Math.round(c.ttlSeconds * 1000)) : 0;
    this.cleanScopes = c.clean !== false;
    this.connectTimeoutMs = c.connectTimeoutMs ?? 10_000;
    const opts: Record<string, unknown> = { ...(c.clientOptions ?? {}) };
    if (c.url) opts.url = c.url;
    else {
      opts.socket = { host: c.host ?? '127.0.0.1', port: c.port ?? 6379, ...((opts.socket as object) ?? {}) };
      if (c.username !== undefined) opts.username = c.username;
      if (c.password !== undefined) opts.password = c.password;
      if (c.db !== undefined) opts.database = c.db;
    }
    // fail at once while disconnected instead of queueing without bound
    opts.disableOfflineQueue = true;
    this.clientOptions = opts;
    this.where = c.url ? c.url.replace(/\/\/[^@/]*@/, '//***@') : `${c.host ?? '127.0.0.1'}:${c.port ?? 6379}`;
    this.redis = loadRedis();
  }

  // ------------------------------------------------------------- lifecycle

  open(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.closed = false;
    const client = this.redis.createClient(this.clientOptions);
    client.on('error', (err) => this.logError(`connection to ${this.where}: ${err?.message ?? String(err)}`));
    this.client = client;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${NAME}: no connection to Redis at ${this.where} within ${this.connectTimeoutMs} ms`)), this.connectTimeoutMs);
    });
    return Promise.race([client.connect(), timeout]).then(
      () => {
        clearTimeout(timer);
      },
      (err: Error) => {
        clearTimeout(timer);
        this.client = null;
        this.closed = true;
        try {
          client.destroy?.();
        } catch {
          /* already down */
        }
        throw err;
      },
    );
  }

  async close(): Promise<void> {
    const client = this.client;
    this.closed = true;
    this.client = null;
    if (!client) return;
    try {
      await this.barrier;
      if (client.close) await client.close();
      else if (client.quit) await client.quit();
    } catch {
      try {
        client.destroy?.();
      } catch {
        /* already down */
      }
    }
  }

  // ------------------------------------------------------------- the store API

  get(scope: string, key: string | string[], callback?: Callback): void {
    if (typeof callback !== 'function') throw new Error(`${NAME}: only asynchronous access is supported (give get a callback)`);
    let paths: Segment[][];
    try {
      paths = (Array.isArray(key) ? key : [key]).map(parseContextKey);
    } catch (e) {
      callback(e as Error);
      return;
    }
    this.run(() => this.readTops(scope, paths.map((p) => p[0] as string)), false).then(
      (tops) => {
        const values = paths.map((p, i) => (p.length === 1 ? tops[i] : getPath(tops[i], p)));
        if (Array.isArray(key)) callback(null, ...values);
        else callback(null, values[0]);
      },
      (err: Error) => callback(err),
    );
  }

  set(scope: string, key: string | string[], value: unknown, callback?: (err?: Error | null) => void): void {
    if (callback !== undefined && typeof callback !== 'function') throw new Error(`${NAME}: callback must be a function`);
    const done = (err?: Error | null) => {
      if (callback) callback(err ?? null);
      else if (err) this.logError(`set in scope ${scope}: ${err.message}`);
    };
    let keys: string[];
    let values: unknown[];
    if (Array.isArray(key)) {
      keys = key;
      values = Array.isArray(value) ? value : [value];
    } else {
      keys = [key];
      values = [value];
    }
    let paths: Segment[][];
    try {
      paths = keys.map(parseContextKey);
    } catch (e) {
      done(e as Error);
      return;
    }
    const vals = paths.map((_, i) => (i < values.length ? values[i] : null));
    const nested = paths.some((p) => p.length > 1);
    this.run(() => this.write(scope, paths, vals, nested), nested).then(() => done(null), (err: Error) => done(err));
  }

  keys(scope: string, callback?: (err: Error | null | undefined, keys?: string[]) => void): void {
    if (typeof callback !== 'function') throw new Error(`${NAME}: only asynchronous access is supported (give keys a callback)`);
    const head = this.scopeHead(scope);
    this.run(() => this.scan(globEscape(head) + '*'), false).then(
      (found) => callback(null, [...new Set(found.map((k) => k.slice(head.length)))]),
      (err: Error) => callback(err),
    );
  }

  /** Deletes every key of a scope. */
  delete(scope: string): Promise<void> {
    return this.run(async () => {
      const found = await this.scan(globEscape(this.scopeHead(scope)) + '*');
      await this.unlink(found);
      this.written.delete(scope);
    }, false);
  }

  /**
   * Node-RED calls clean(active node ids) on start and after EVERY deploy
   * (full, flows or nodes: lib/nodes/context/index.js clean(), from
   * lib/flows/index.js setFlows). Redis is shared, so another instance's
   * context must survive it: only keys this store wrote since it opened,
   * without a time to live (a key with one goes when due), in scopes of nodes
   * (and flows) not in activeNodes, are deleted; never 'global', never a key
   * another instance wrote. Off with config clean: false.
   */
  clean(activeNodes: string[]): Promise<void> {
    if (!this.cleanScopes) return Promise.resolve();
    const active = new Set(activeNodes);
    return this.run(async () => {
      const drop: string[] = [];
      for (const [scope, tops] of this.written) {
        if (scope === 'global' || active.has(scope.split(':')[0])) continue;
        for (const top of tops) drop.push(this.redisKey(scope, top));
        this.written.delete(scope);
      }
      for (const part of chunks(drop, BATCH)) await this.command(['EVAL', CLEAN_SCRIPT, String(part.length), ...part]);
    }, false);
  }

  // ------------------------------------------------------------- beyond the store API

  /**
   * Takes `key` of a scope for ttlMs if nobody holds it (SET NX PX: atomic
   * across every instance on this Redis); true when this call took it. The
   * gateway claims each matched receipt so that a resent one is reported by
   * one instance only (src/correlation/stored-copy.ts claim). Claims always
   * expire, so clean() never touches them.
   */
  claim(scope: string, key: string, ttlMs: number): Promise<boolean> {
    const ms = String(Math.max(1, Math.round(ttlMs)));
    return this.run(() => this.command(['SET', this.redisKey(scope, key), '1', 'NX', 'PX', ms]), false).then((r) => r !== null && r !== undefined);
  }

  /**
   * Takes up to `want` tokens from a token bucket kept in Redis (key of a
   * scope) filling at `rate` a second up to `cap`, timed by the Redis
   * server's clock, atomically for every instance: how many were taken. The
   * gateway's shared Max Sending Rate (nodes/shared/send-rate.ts).
   */
  takeTokens(scope: string, key: string, rate: number, cap: number, want: number): Promise<number> {
    const args = ['EVAL', TOKENS_SCRIPT, '1', this.redisKey(scope, key), String(rate), String(cap), String(want)];
    return this.run(() => this.command(args), false).then((r) => Number(r) || 0);
  }

  /** Gives a claim back. */
  release(scope: string, key: string): Promise<void> {
    return this.run(() => this.command(['DEL', this.redisKey(scope, key)]), false).then(() => undefined);
  }

  /**
   * Runs a Redis command on the store's connection (for the gateway's own
   * shared structures; keys built with redisKey). Fails at once while the
   * connection is down, as every command here.
   */
  send(args: string[]): Promise<unknown> {
    return this.run(() => this.command(args), false);
  }

  /**
   * Runs a Lua script atomically (EVALSHA, loaded on first use; EVAL again
   * after a Redis restart flushed its script cache). keys: full Redis keys
   * (redisKey), all in one hash-tag slot for a cluster.
   */
  script(lua: string, keys: string[], args: string[]): Promise<unknown> {
    return this.run(async () => {
      let sha = this.shas.get(lua);
      if (sha) {
        try {
          return await this.command(['EVALSHA', sha, String(keys.length), ...keys, ...args]);
        } catch (e) {
          if (!/NOSCRIPT/.test((e as Error)?.message ?? '')) throw e;
        }
      }
      sha = String(await this.command(['SCRIPT', 'LOAD', lua]));
      this.shas.set(lua, sha);
      return this.command(['EVALSHA', sha, String(keys.length), ...keys, ...args]);
    }, false);
  }

  /**
   * A second connection with the store's settings, for blocking reads
   * (XREAD BLOCK, BLPOP) that would hold up the store's own connection; the
   * caller closes it (closeReader). Rejects when Redis is not reachable
   * within connectTimeoutMs or the store is closed.
   */
  async openReader(): Promise<RedisClient> {
    if (this.closed || !this.client) throw new Error(`${NAME}: the store is ${this.closed ? 'closed' : 'not open'}`);
    const client = this.redis.createClient(this.clientOptions);
    client.on('error', (err) => this.logError(`reader connection to ${this.where}: ${err?.message ?? String(err)}`));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${NAME}: no connection to Redis at ${this.where} within ${this.connectTimeoutMs} ms`)), this.connectTimeoutMs);
    });
    try {
      await Promise.race([client.connect(), timeout]);
      return client;
    } catch (e) {
      closeClient(client);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes a connection made by openReader (at once: a blocking read in flight is given up). */
  closeReader(client: RedisClient): void {
    closeClient(client);
  }

  // ------------------------------------------------------------- internals

  /** The Redis key of a top-level context key in a scope. */
  redisKey(scope: string, top: string): string {
    return this.scopeHead(scope) + top;
  }

  private scopeHead(scope: string): string {
    return `${this.prefix}{${escapeScope(scope)}}`;
  }

  /**
   * Runs an operation in order: an exclusive one (read-modify-write) starts
   * after everything before it and holds back everything after it; others
   * start at once unless such a one is in flight.
   */
  private run<T>(fn: () => Promise<T>, exclusive: boolean): Promise<T> {
    if (this.closed || !this.client) return Promise.reject(new Error(`${NAME}: the store is ${this.closed ? 'closed' : 'not open'}`));
    if (!this.barrier && !exclusive) return fn();
    const start = this.barrier ?? Promise.resolve();
    const p = start.then(fn);
    if (exclusive) {
      const settled: Promise<void> = p.then(
        () => undefined,
        () => undefined,
      );
      this.barrier = settled;
      void settled.then(() => {
        if (this.barrier === settled) this.barrier = null;
      });
    }
    return p;
  }

  private command(args: string[]): Promise<unknown> {
    const client = this.client;
    if (!client) return Promise.reject(new Error(`${NAME}: the store is closed`));
    return client.sendCommand(args);
  }

  /** The decoded values of top-level keys (undefined when absent). */
  private async readTops(scope: string, tops: string[]): Promise<unknown[]> {
    const keys = tops.map((t) => this.redisKey(scope, t));
    const out: unknown[] = [];
    for (const part of chunks(keys, BATCH)) {
      const raw = (await this.command(['MGET', ...part])) as unknown[];
      part.forEach((k, i) => out.push(decode(k, raw[i])));
    }
    return out;
  }

  private async write(scope: string, paths: Segment[][], values: unknown[], nested: boolean): Promise<void> {
    // the final value of each top-level key touched, in the order of the keys
    const finals = new Map<string, unknown>();
    if (nested) {
      const need = [...new Set(paths.filter((p) => p.length > 1).map((p) => p[0] as string))];
      const read = await this.readTops(scope, need);
      need.forEach((t, i) => finals.set(t, read[i]));
    }
    paths.forEach((p, i) => {
      const top = p[0] as string;
      finals.set(top, p.length === 1 ? values[i] : setPath(finals.get(top), p, values[i]));
    });
    const entries = [...finals].map(([top, v]) => [this.redisKey(scope, top), encode(v)] as const);
    if (this.ttlMs === 0) this.noteWritten(scope, [...finals.keys()], entries.map((e) => e[1] !== ''));
    const ttl = String(this.ttlMs);
    if (entries.length === 1) {
      const [k, v] = entries[0];
      if (v === '') await this.command(['DEL', k]);
      else if (this.ttlMs > 0) await this.command(['SET', k, v, 'PX', ttl]);
      else await this.command(['SET', k, v]);
      return;
    }
    for (const part of chunks(entries, BATCH)) {
      await this.command(['EVAL', SET_SCRIPT, String(part.length), ...part.map((e) => e[0]), ttl, ...part.map((e) => e[1])]);
    }
  }

  /** Remembers which keys of a scope this store wrote without a time to live (kept[i] false: deleted). */
  private noteWritten(scope: string, tops: string[], kept: boolean[]): void {
    let set = this.written.get(scope);
    tops.forEach((top, i) => {
      if (kept[i]) {
        if (!set) this.written.set(scope, (set = new Set()));
        set.add(top);
      } else set?.delete(top);
    });
    if (set && set.size === 0) this.written.delete(scope);
  }

  private async scan(match: string): Promise<string[]> {
    const found = new Set<string>();
    let cursor = '0';
    do {
      const reply = (await this.command(['SCAN', cursor, 'MATCH', match, 'COUNT', SCAN_COUNT])) as [unknown, unknown[]];
      cursor = String(reply[0]);
      for (const k of reply[1]) found.add(String(k));
    } while (cursor !== '0');
    return [...found];
  }

  private async unlink(keys: string[]): Promise<void> {
    for (const part of chunks(keys, BATCH)) await this.command(['UNLINK', ...part]);
  }

  private logError(text: string): void {
    const now = Date.now();
    if (now - this.lastLog < LOG_EVERY_MS) return;
    this.lastLog = now;
    console.warn(`[${NAME}] ${text}`);
  }
}

/** Drops a connection at once, whatever state it is in. */
function closeClient(client: RedisClient): void {
  try {
    if (client.destroy) client.destroy();
    else void client.disconnect?.().catch(() => undefined);
  } catch {
    /* already down */
  }
}

/** the store Node-RED made from each config object (Node-RED passes settings.js' own object) */
const made = new WeakMap<object, RedisContextStore>();

/** The module Node-RED calls with the store's config (contextStorage.<name>.module). */
function redisContextStore(config?: RedisStoreConfig): RedisContextStore {
  const store = new RedisContextStore(config);
  if (config && typeof config === 'object') made.set(config, store);
  return store;
}

/** The store made from a settings.js contextStorage config object (for the gateway's claims), or null. */
function storeFor(config: unknown): RedisContextStore | null {
  return config && typeof config === 'object' ? made.get(config) ?? null : null;
}

export = Object.assign(redisContextStore, {
  RedisContextStore,
  storeFor,
  parseContextKey,
  /** what Node-RED logs as the store's module ("module=redis-context-store") */
  toString: () => NAME,
});
