/**
 * The Redis layout and Lua scripts of long MOs' parts shared by instances
 * (used by mo-parts.ts). In the '<gateway id>:smpp-mo' scope (one hash-tag slot):
 *
 *   g:<via>|<from>|<to>|<ref>|<total>|<dc>   a hash per message:
 *       h        the group's header (src/message/held-part.ts)
 *       c        when it (last) started waiting, Redis server ms
 *       n        parts held;  d  duplicates counted
 *       p<seq>   each part held (held-part.ts encodePart)
 *     while an instance hands the whole message to its flow:
 *       taken    that instance's token;  until  when its lease ends (ms)
 *     once the flow handled it, a tombstone {done, d}: a part the SMSC sends
 *     again (its answer was lost) is a duplicate, not a new message.
 *   open   sorted set of the groups waiting for parts, scored by c: the
 *          sweep's index and the count for Receiving Thread Pool Queue Length.
 *
 * Every key has a time to live: a waiting group and the index concatWait +
 * 60 s (ARGV ttl), a taken group its lease + that, a tombstone the same ttl;
 * so nothing outlives the instances that wrote it. Times are the Redis
 * server's (TIME): the instances' clocks do not matter.
 *
 * ADD stores a part; when it completes the group it takes it (taken/until),
 * so one instance alone hands it out. A part of a taken group is answered
 * 'busy' (the SMSC sends it again later) until the lease ends; after that the
 * taker is presumed gone (it never settled), and the instance that got the
 * part takes the message over. SETTLE (the flow handled it) leaves the
 * tombstone; GIVE_BACK (the flow failed it) puts the group back to wait
 * without the part that completed it, which the SMSC sends again. SWEEP takes
 * the groups that waited concatWait, whichever instance holds their parts.
 */

const NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n";
const KEEP_INDEX = "if redis.call('PTTL', open) < ttl then redis.call('PEXPIRE', open, ttl) end\n";

/**
 * KEYS: group, open. ARGV: seq, part, header, total, maxGroups, ttl, lease, token.
 * -> {kind, groups waiting[, group fields when 'whole']}; kind: held, duplicate, full, busy, whole
 */
export const ADD = `local g, open = KEYS[1], KEYS[2]
local ttl, lease = tonumber(ARGV[6]), tonumber(ARGV[7])
${NOW}local state = redis.call('HMGET', g, 'done', 'until')
if state[1] then
  redis.call('HINCRBY', g, 'd', 1)
  return {'duplicate', redis.call('ZCARD', open)}
end
if state[2] then
  if tonumber(state[2]) > now then return {'busy', redis.call('ZCARD', open)} end
  redis.call('HSETNX', g, 'p' .. ARGV[1], ARGV[2])
  redis.call('HSET', g, 'taken', ARGV[8], 'until', now + lease)
  redis.call('PEXPIRE', g, lease + ttl)
  return {'whole', redis.call('ZCARD', open), redis.call('HGETALL', g)}
end
if redis.call('EXISTS', g) == 0 then
  local held = redis.call('ZCARD', open)
  if held >= tonumber(ARGV[5]) then return {'full', held} end
  redis.call('HSET', g, 'h', ARGV[3], 'c', now, 'n', 0, 'd', 0)
  redis.call('PEXPIRE', g, ttl)
  redis.call('ZADD', open, now, g)
  ${KEEP_INDEX}end
if redis.call('HSETNX', g, 'p' .. ARGV[1], ARGV[2]) == 0 then
  redis.call('HINCRBY', g, 'd', 1)
  return {'duplicate', redis.call('ZCARD', open)}
end
local n = redis.call('HINCRBY', g, 'n', 1)
if n < tonumber(ARGV[4]) then return {'held', redis.call('ZCARD', open)} end
redis.call('ZREM', open, g)
redis.call('HSET', g, 'taken', ARGV[8], 'until', now + lease)
redis.call('PEXPIRE', g, lease + ttl)
return {'whole', redis.call('ZCARD', open), redis.call('HGETALL', g)}`;

/** KEYS: group. ARGV: token, ttl. -> 1 settled, 0 not (or no longer) taken by this token */
export const SETTLE = `local g = KEYS[1]
if redis.call('HGET', g, 'taken') ~= ARGV[1] then return 0 end
redis.call('DEL', g)
redis.call('HSET', g, 'done', 1, 'd', 0)
redis.call('PEXPIRE', g, tonumber(ARGV[2]))
return 1`;

/** KEYS: group, open. ARGV: token, seq of the part that completed it, ttl. -> 1 waiting again, 0 not taken by this token */
export const GIVE_BACK = `local g, open = KEYS[1], KEYS[2]
local ttl = tonumber(ARGV[3])
if redis.call('HGET', g, 'taken') ~= ARGV[1] then return 0 end
${NOW}redis.call('HDEL', g, 'taken', 'until', 'p' .. ARGV[2])
redis.call('HINCRBY', g, 'n', -1)
redis.call('HSET', g, 'c', now)
redis.call('PEXPIRE', g, ttl)
redis.call('ZADD', open, now, g)
${KEEP_INDEX}return 1`;

/** KEYS: open. ARGV: waitMs, max. -> {groups still waiting, {group fields, ...}} */
export const SWEEP = `local open = KEYS[1]
${NOW}local due = redis.call('ZRANGEBYSCORE', open, '-inf', now - tonumber(ARGV[1]), 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, g in ipairs(due) do
  redis.call('ZREM', open, g)
  local state = redis.call('HMGET', g, 'done', 'taken')
  if not state[1] and not state[2] then
    local all = redis.call('HGETALL', g)
    if #all > 0 then
      redis.call('DEL', g)
      out[#out + 1] = all
    end
  end
end
return {redis.call('ZCARD', open), out}`;
