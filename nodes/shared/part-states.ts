/**
 * The part states of multipart messages in Redis, for instances sharing the
 * correlation (shareInstances; src/correlation/shared-parts.ts says what is
 * done with them). One hash per message in the scope
 * '<gateway id>:smpp-parts', key = the record id: field '<part index>' ->
 * the part's state (JSON), field 'reported' -> the claim key of the receipt
 * whose report is out. Written by Lua scripts (atomic across instances); the hash
 * expires with the record (PEXPIRE on every write) and is deleted when the
 * record is finished.
 */
import { encodePartState, partStatesOf, SharedCorrelation } from '../../src/correlation/shared-correlation';
import type { SharedRedis } from './shared-store';

/**
 * KEYS[1] the hash; ARGV: part index, state ('' clears it), parts, ttl ms.
 * Returns [the part's state before, reported, state of part 0, 1, ...] ('' for none).
 */
const WRITE_PART = `local prev = redis.call('HGET', KEYS[1], ARGV[1]) or ''
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local out = { prev, redis.call('HGET', KEYS[1], 'reported') or '' }
for i = 0, tonumber(ARGV[3]) - 1 do out[#out + 1] = redis.call('HGET', KEYS[1], tostring(i)) or '' end
return out`;

/**
 * KEYS[1] the hash; ARGV: '1' mark / '0' clear, ttl ms, by. Mark: 1 when
 * the mark is by's (set now or before), 0 when another's; clear: only by's.
 */
const MARK_REPORTED = `local cur = redis.call('HGET', KEYS[1], 'reported')
if ARGV[1] == '1' then
  if not cur then
    redis.call('HSET', KEYS[1], 'reported', ARGV[3])
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return 1
  end
  if cur == ARGV[3] then return 1 end
  return 0
end
if cur == ARGV[3] then redis.call('HDEL', KEYS[1], 'reported') end
return 1`;

export type PartStatesStore = Pick<SharedCorrelation, 'writePart' | 'markReported' | 'dropParts'>;

export function partStatesIn(store: SharedRedis, gatewayId: string): PartStatesStore {
  const scope = `${gatewayId}:smpp-parts`;
  const key = (rid: string) => store.redisKey(scope, rid);
  const ms = (n: number) => String(Math.max(1, Math.round(n)));
  return {
    writePart(rid, part, parts, state, ttlMs, cb) {
      store.script(WRITE_PART, [key(rid)], [String(part), encodePartState(state), String(parts), ms(ttlMs)]).then(
        (reply) => {
          const got = partStatesOf(reply, parts);
          if (got) cb(null, got);
          else cb(new Error('the part states script answered something else'));
        },
        (err: Error) => cb(err),
      );
    },
    markReported(rid, by, on, ttlMs, cb) {
      store.script(MARK_REPORTED, [key(rid)], [on ? '1' : '0', ms(ttlMs), by]).then(
        (won) => cb(null, Number(won) === 1),
        (err: Error) => cb(err),
      );
    },
    dropParts(rid) {
      store.send(['DEL', key(rid)]).catch(() => undefined);
    },
  };
}
