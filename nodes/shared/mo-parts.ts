/**
 * The parts of long MOs held in Redis under the gateway option Share with
 * other instances (shareInstances), so that every instance on the account
 * puts together the messages whose parts the SMSC spread over their binds
 * (nodes/mo-router.ts routes; src/message/reassembly.ts assembles,
 * src/message/held-part.ts encodes). Layout, in the '<gateway id>:smpp-mo'
 * scope (one hash-tag slot):
 *   g:<via>|<from>|<to>|<ref>|<total>|<dc>  hash: h (the group's header),
 *       c (first part's arrival, Redis server ms), n (parts held), d
 *       (duplicates), p<seqnum> (each part held); once taken whole, a
 *       tombstone {done, d} so a part the SMSC sends again (its answer was
 *       lost) is counted a duplicate, not a new group;
 *   open  sorted set of the groups waiting, scored by c: the sweep's index
 *       and the count for Receiving Thread Pool Queue Length.
 * Every key expires concatWait + 60 s after it was made (the tombstone and the
 * index too), so nothing outlives the instances that wrote it.
 * Each operation is one Lua script, atomic across instances: ADD stores a part
 * and, when it was the last one, takes the whole group (so one instance only
 * ever emits it); SWEEP takes the groups older than concatWait (any instance's
 * sweep, so a stopped instance's parts are not stranded); GIVE_BACK puts a
 * taken group back without its last part (the flow failed the message: the
 * SMSC sends that part again and it completes again). Times are the Redis
 * server's (TIME), so the instances' clocks do not matter.
 */
import type { ConcatInfo, MoMessage } from '../../src/message/inbound';
import { assemble, groupKeyOf, ReassemblyCounters, WholeMo } from '../../src/message/reassembly';
import { encodeHeader, encodePart, groupFromFields } from '../../src/message/held-part';
import type { GatewayConfig } from '../../src/config/gateway-config';
import type { Node, NodeAPI } from '../red-types';
import { sharedStoreOf, SharedRedis } from './shared-store';

/** how long a part waits for Redis' answer before it is refused (the SMSC sends it again) */
export const REDIS_ANSWER_MS = 5000;
/** how long keys outlive concatWait */
export const KEY_MARGIN_MS = 60_000;
/** groups taken by one sweep at most (the next sweep takes the rest) */
const SWEEP_BATCH = 100;

const NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n";
const KEEP_INDEX = "if redis.call('PTTL', open) < ttl then redis.call('PEXPIRE', open, ttl) end\n";

/** KEYS: group, open. ARGV: seq, part, header, total, maxGroups, ttlMs. -> {kind, groups waiting[, parts held | group fields]} */
const ADD = `local g, open = KEYS[1], KEYS[2]
local ttl = tonumber(ARGV[6])
if redis.call('HEXISTS', g, 'done') == 1 then
  redis.call('HINCRBY', g, 'd', 1)
  return {'duplicate', redis.call('ZCARD', open)}
end
if redis.call('EXISTS', g) == 0 then
  local held = redis.call('ZCARD', open)
  if held >= tonumber(ARGV[5]) then return {'full', held} end
  ${NOW}  redis.call('HSET', g, 'h', ARGV[3], 'c', now, 'n', 0, 'd', 0)
  redis.call('PEXPIRE', g, ttl)
  redis.call('ZADD', open, now, g)
  ${KEEP_INDEX}end
if redis.call('HSETNX', g, 'p' .. ARGV[1], ARGV[2]) == 0 then
  redis.call('HINCRBY', g, 'd', 1)
  return {'duplicate', redis.call('ZCARD', open)}
end
local n = redis.call('HINCRBY', g, 'n', 1)
if n < tonumber(ARGV[4]) then return {'held', redis.call('ZCARD', open), n} end
local all = redis.call('HGETALL', g)
redis.call('ZREM', open, g)
redis.call('DEL', g)
redis.call('HSET', g, 'done', 1, 'd', 0)
redis.call('PEXPIRE', g, ttl)
return {'whole', redis.call('ZCARD', open), all}`;

/** KEYS: open. ARGV: waitMs, max. -> {groups still waiting, {group fields, ...}} */
const SWEEP = `local open = KEYS[1]
${NOW}local due = redis.call('ZRANGEBYSCORE', open, '-inf', now - tonumber(ARGV[1]), 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, g in ipairs(due) do
  redis.call('ZREM', open, g)
  if redis.call('HEXISTS', g, 'done') == 0 then
    local all = redis.call('HGETALL', g)
    if #all > 0 then
      redis.call('DEL', g)
      out[#out + 1] = all
    end
  end
end
return {redis.call('ZCARD', open), out}`;

/** KEYS: group, open. ARGV: ttlMs, field, value, ... -> 1 put back, 0 a new group of that key is open already */
const GIVE_BACK = `local g, open = KEYS[1], KEYS[2]
local ttl = tonumber(ARGV[1])
if redis.call('EXISTS', g) == 1 and redis.call('HEXISTS', g, 'done') == 0 then return 0 end
${NOW}redis.call('DEL', g)
redis.call('HSET', g, unpack(ARGV, 2))
redis.call('HSET', g, 'c', now)
redis.call('PEXPIRE', g, ttl)
redis.call('ZADD', open, now, g)
${KEEP_INDEX}return 1`;

export type SharedAddResult =
  | { kind: 'held' | 'duplicate' | 'full' }
  /**
   * the part completed the group, taken from Redis by this instance; giveBack when the flow failed it
   * (resolves once Redis answered, either way: answer the SMSC then, so its resend finds the group back)
   */
  | { kind: 'whole'; message: WholeMo; giveBack: () => Promise<void> }
  /** Redis failed or did not answer within REDIS_ANSWER_MS: nothing may be acknowledged */
  | { kind: 'unavailable'; why: string };

export interface SharedParts {
  /** this instance's counts (parts it received, messages it completed or handed out incomplete) */
  readonly counters: ReassemblyCounters;
  /** groups waiting for parts on the whole account, as Redis last said */
  readonly size: number;
  /** stores a concatenated part; `done` once, when Redis answered (or did not in time) */
  add(mo: MoMessage & { concat: ConcatInfo }, maxGroups: number, done: (r: SharedAddResult) => void): void;
  /** takes the groups that waited concatWait (from every instance), flagged incomplete */
  sweep(out: (list: WholeMo[]) => void): void;
}

export interface SharedPartsOptions {
  waitMs: number;
  /** a part answered 'unavailable' (no answer in time) that completed its group after all: deliver it, no answer owed */
  lateWhole(message: WholeMo, giveBack: () => Promise<void>): void;
  warn(text: string): void;
}

/** Redis' flat [field, value, ...] (RESP2) or a map (RESP3) as an object of strings */
function fieldsOf(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  } else if (reply instanceof Map) {
    for (const [k, v] of reply) out[String(k)] = String(v);
  } else if (reply && typeof reply === 'object') {
    for (const [k, v] of Object.entries(reply)) out[String(k)] = String(v);
  }
  return out;
}

export function createSharedParts(store: SharedRedis, gatewayId: string, opts: SharedPartsOptions): SharedParts {
  const scope = `${gatewayId}:smpp-mo`;
  const openKey = store.redisKey(scope, 'open');
  const ttl = String(opts.waitMs + KEY_MARGIN_MS);
  const counters: ReassemblyCounters = { parts: 0, reassembled: 0, incomplete: 0, duplicateParts: 0, refusedFull: 0 };
  let size = 0;
  let sweeping = false;
  let failing = false;

  const noteSize = (n: unknown) => {
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0) size = n;
  };

  /** the message of a group read back; a part that cannot be read is left out (and said) */
  function messageOf(fields: Record<string, string>): WholeMo | null {
    const read = groupFromFields(fields);
    if (!read) {
      opts.warn('a long MO held in Redis could not be read (written by another version?): dropped');
      return null;
    }
    if (read.unreadable) opts.warn(`${read.unreadable} part(s) of a long MO held in Redis could not be read: left out`);
    return assemble(read.group);
  }

  function giveBackOf(groupKey: string, fields: Record<string, string>, lastSeq: number): () => Promise<void> {
    return () => {
      const args: string[] = [ttl];
      for (const [k, v] of Object.entries(fields)) {
        if (k === `p${lastSeq}` || k === 'c') continue;
        args.push(k, k === 'n' ? String(Number(v) - 1) : v);
      }
      const back = store.script(GIVE_BACK, [groupKey, openKey], args).then(
        (r) => noteSize(size + (r === 1 ? 1 : 0)),
        (e: Error) => opts.warn(`a long MO the flow failed could not be put back in Redis (${e.message}): when the SMSC sends its last part again, it is taken as a duplicate`),
      );
      // the SMSC's answer waits for Redis at most as long as a part does
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, REDIS_ANSWER_MS)));
      return Promise.race([back, late]).finally(() => clearTimeout(timer));
    };
  }

  function add(mo: MoMessage & { concat: ConcatInfo }, maxGroups: number, done: (r: SharedAddResult) => void): void {
    counters.parts++;
    const groupKey = store.redisKey(scope, `g:${groupKeyOf(mo)}`);
    let answered = false;
    const answer = (r: SharedAddResult) => {
      if (answered) return false;
      answered = true;
      clearTimeout(timer);
      done(r);
      return true;
    };
    const timer = setTimeout(() => answer({ kind: 'unavailable', why: `no answer from Redis within ${REDIS_ANSWER_MS} ms` }), REDIS_ANSWER_MS);
    const args = [String(mo.concat.seq), encodePart(mo), encodeHeader(mo), String(mo.concat.total), String(Math.max(0, maxGroups)), ttl];
    store.script(ADD, [groupKey, openKey], args).then(
      (reply) => {
        failing = false;
        const [kind, groups, extra] = Array.isArray(reply) ? reply : [];
        noteSize(groups);
        switch (kind) {
          case 'held':
            answer({ kind: 'held' });
            return;
          case 'duplicate':
            counters.duplicateParts++;
            answer({ kind: 'duplicate' });
            return;
          case 'full':
            counters.refusedFull++;
            answer({ kind: 'full' });
            return;
          case 'whole': {
            const fields = fieldsOf(extra);
            const message = messageOf(fields);
            if (!message) {
              // nothing that can be emitted: acknowledged, so the SMSC does not send it again forever
              answer({ kind: 'duplicate' });
              return;
            }
            counters.reassembled++;
            const giveBack = giveBackOf(groupKey, fields, mo.concat.seq);
            if (!answer({ kind: 'whole', message, giveBack })) opts.lateWhole(message, giveBack);
            return;
          }
          default:
            answer({ kind: 'unavailable', why: `unexpected answer from Redis: ${JSON.stringify(reply)}` });
        }
      },
      (e: Error) => {
        if (!failing) opts.warn(`long MO parts cannot be stored in Redis (${e.message}): parts are refused, the SMSC sends them again`);
        failing = true;
        answer({ kind: 'unavailable', why: e.message });
      },
    );
  }

  function sweep(out: (list: WholeMo[]) => void): void {
    if (sweeping) return;
    sweeping = true;
    store.script(SWEEP, [openKey], [String(opts.waitMs), String(SWEEP_BATCH)]).then(
      (reply) => {
        sweeping = false;
        const [groups, taken] = Array.isArray(reply) ? reply : [];
        noteSize(groups);
        const list: WholeMo[] = [];
        for (const one of Array.isArray(taken) ? taken : []) {
          const m = messageOf(fieldsOf(one));
          if (m) list.push(m);
        }
        counters.incomplete += list.length;
        if (list.length) out(list);
      },
      () => {
        // Redis down: the groups wait there (until their keys expire); the next sweep tries again
        sweeping = false;
      },
    );
  }

  return {
    counters,
    get size() {
      return size;
    },
    add,
    sweep,
  };
}

/**
 * The Redis store for long MOs' parts, or null (held in this process's memory)
 * when sharing is off; an error is logged when it is on but cannot work.
 */
export function sharedPartsStore(RED: NodeAPI, node: Node, config: GatewayConfig | null): SharedRedis | null {
  if (!config || !config.shareInstances) return null;
  const { store, problem } = sharedStoreOf(RED, config);
  if (!store) node.error(`smpp-gateway ${node.name || node.id}: ${problem}; long MOs are put together by each instance alone`);
  return store;
}
