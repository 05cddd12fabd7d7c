/**
 * The parts of long MOs held in Redis under the gateway option Share with
 * other instances (shareInstances), so that every instance on the account
 * puts together the messages whose parts the SMSC spread over their binds:
 * nodes/mo-router.ts routes, src/message/reassembly.ts assembles,
 * src/message/held-part.ts encodes, mo-scripts.ts has the Redis layout and
 * the scripts (each operation one atomic script). Here: calling them, a
 * bounded wait for Redis' answer, reading the groups back.
 */
import { randomBytes } from 'crypto';
import type { ConcatInfo, MoMessage } from '../../src/message/inbound';
import { assemble, groupKeyOf, ReassemblyCounters, WholeMo } from '../../src/message/reassembly';
import { encodeHeader, encodePart, groupFromFields } from '../../src/message/held-part';
import type { SharedRedis } from './shared-store';
import { ADD, GIVE_BACK, SETTLE, SWEEP } from './mo-scripts';

/** how long a part waits for Redis' answer before it is refused (the SMSC sends it again) */
export const REDIS_ANSWER_MS = 5000;
/** how long keys outlive concatWait (or a lease) */
export const KEY_MARGIN_MS = 60_000;
/** groups taken by one sweep at most (the next sweep takes the rest) */
const SWEEP_BATCH = 100;

/**
 * Settles a message taken from Redis, once: ok (the flow handled it, or no
 * node wanted it) leaves a tombstone; not ok (the flow failed it, or the
 * gateway closes) puts the group back without the part that completed it.
 * Resolves once Redis answered, or after REDIS_ANSWER_MS: answer the SMSC then,
 * so that its resend of that part finds the group waiting again.
 */
export type Settle = (ok: boolean) => Promise<void>;

export type SharedAddResult =
  | { kind: 'held' | 'duplicate' | 'full' }
  /** the part completed the group, taken from Redis by this instance (until settled or its lease ends) */
  | { kind: 'whole'; message: WholeMo; settle: Settle }
  /** another instance is handing this message to its flow: refused, the SMSC sends the part again later */
  | { kind: 'busy' }
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
  /**
   * how long an instance may hold a whole message before settling it (the
   * flow's time limit and a margin): a part of it that arrives after that
   * makes the instance that gets it take the message over
   */
  leaseMs: number;
  /** a part answered 'unavailable' (no answer in time) that completed its group after all: deliver it, no answer owed */
  lateWhole(message: WholeMo, settle: Settle): void;
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
  const lease = String(Math.max(1, Math.round(opts.leaseMs)));
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

  /** waits for `p` at most REDIS_ANSWER_MS; never rejects */
  function bounded(p: Promise<unknown>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, REDIS_ANSWER_MS)));
    return Promise.race([p.then(() => undefined, () => undefined), late]).finally(() => clearTimeout(timer));
  }

  function settleOf(groupKey: string, token: string, seq: number): Settle {
    let once: Promise<void> | null = null;
    return (ok) => {
      if (once) return once;
      const p = ok
        ? store.script(SETTLE, [groupKey], [token, ttl]).catch((e: Error) => {
          opts.warn(`a long MO handled by the flow could not be marked so in Redis (${e.message}): if the SMSC sends a part of it again after ${lease} ms, it is output again`);
        })
        : store.script(GIVE_BACK, [groupKey, openKey], [token, String(seq), ttl]).then(
          (r) => noteSize(size + (r === 1 ? 1 : 0)),
          (e: Error) => opts.warn(`a long MO the flow failed could not be put back to wait in Redis (${e.message}): it is output again when the SMSC sends its last part again after ${lease} ms`),
        );
      return (once = bounded(p));
    };
  }

  function add(mo: MoMessage & { concat: ConcatInfo }, maxGroups: number, done: (r: SharedAddResult) => void): void {
    counters.parts++;
    const groupKey = store.redisKey(scope, `g:${groupKeyOf(mo)}`);
    const token = randomBytes(8).toString('hex');
    let answered = false;
    const answer = (r: SharedAddResult) => {
      if (answered) return false;
      answered = true;
      clearTimeout(timer);
      done(r);
      return true;
    };
    const refuse = (why: string) => {
      if (!failing) opts.warn(`long MO parts cannot be stored in Redis (${why}): parts are refused, the SMSC sends them again`);
      failing = true;
      answer({ kind: 'unavailable', why });
    };
    const timer = setTimeout(() => refuse(`no answer from Redis within ${REDIS_ANSWER_MS} ms`), REDIS_ANSWER_MS);
    const args = [String(mo.concat.seq), encodePart(mo), encodeHeader(mo), String(mo.concat.total), String(Math.max(0, maxGroups)), ttl, lease, token];
    store.script(ADD, [groupKey, openKey], args).then(
      (reply) => {
        failing = false;
        const [kind, groups, extra] = Array.isArray(reply) ? reply : [];
        noteSize(groups);
        switch (kind) {
          case 'held':
          case 'busy':
            answer({ kind });
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
            const settle = settleOf(groupKey, token, mo.concat.seq);
            const message = messageOf(fieldsOf(extra));
            if (!message) {
              // nothing that can be output: acknowledged, so the SMSC does not send it again and again
              void settle(true);
              answer({ kind: 'duplicate' });
              return;
            }
            counters.reassembled++;
            if (!answer({ kind: 'whole', message, settle })) opts.lateWhole(message, settle);
            return;
          }
          default:
            answer({ kind: 'unavailable', why: `unexpected answer from Redis: ${JSON.stringify(reply)}` });
        }
      },
      (e: Error) => refuse(e.message),
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
