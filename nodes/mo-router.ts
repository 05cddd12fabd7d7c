/**
 * MO messages from the SMSC to the smpp-receive nodes, once per gateway
 * (whatever link a part came on): the Accepted Number Prefix check, the
 * reassembly of concatenated messages, and the answer to the SMSC.
 *
 * Answers:
 * - no smpp-receive node uses the gateway: ESME_RTHROTTLED (the SMSC keeps
 *   the message and retries later); nothing is stored;
 * - Receiving Thread Pool Queue Length (receiveQueueLength) MOs and receipts
 *   not yet handled (in the flow, see flow-ack.ts, plus concatenated
 *   messages waiting for parts): a message is refused ESME_RTHROTTLED, a
 *   part that would open another group ESME_RMSGQFUL; the SMSC retries them.
 *   A part of a group already open is taken: it may complete its message;
 * - source not within Accepted Number Prefix: ESME_RX_R_APPN, counted;
 * - a part of a concatenated message that is stored to wait for the others:
 *   ESME_ROK at once. From then on the part is held by this process only: a
 *   crash or a restart of Node-RED between the parts loses the held parts
 *   (the SMSC will not send them again). A closing gateway hands its held
 *   groups out, flagged incomplete (see close());
 * - a part already held (a duplicate): ESME_ROK, ignored, counted;
 * - a single message, or the part that completes a message: handed to the
 *   smpp-receive nodes; ESME_ROK once every node that took it settled it
 *   (Acknowledge MO: on arrival, at once; when handled, once the flow is done
 *   with it or the time limit passed), the gateway's ackErrorStatus when the
 *   flow failed it; when every node's filters refused it, ESME_RX_R_APPN
 *   (counted as unrouted).
 * Groups still missing parts after Concatenated MO wait are handed to the
 * receive nodes flagged incomplete by a sweep timer.
 *
 * Share with other instances (shareInstances, a Redis store): the parts are
 * held in Redis instead (shared/mo-parts.ts), so a message whose parts the
 * SMSC spread over several instances' binds is put together by the instance
 * that stores its last part, once. A part is answered ESME_ROK only once
 * Redis confirmed it; when Redis fails or does not answer within 5 s,
 * ESME_RX_T_APPN whatever Ack Error Status says (a temporary error of this
 * message: the SMSC sends that part again, while single MOs and receipts,
 * which need no Redis, keep flowing; ESME_RTHROTTLED would slow the whole
 * bind). No part is acknowledged and then lost. The wait is the
 * same; any instance's sweep hands a group out incomplete, once. Held groups
 * are the account's: Receiving Thread Pool Queue Length counts every
 * instance's held groups plus this instance's messages in the flow, and a
 * closing gateway leaves them in Redis for the other instances (or its next
 * start). The instance that takes a whole message holds it in Redis until
 * its flow settled it (a lease of Acknowledge time limit + 10 s): handled, a
 * tombstone stays (a part sent again is a duplicate); failed, the group goes
 * back to wait without its last part, so the SMSC's resend of that part
 * completes it again; killed meanwhile, the resend finds the lease over and
 * the instance that gets it takes the message over. A part of a message
 * being handed out is answered ESME_RX_T_APPN (busy).
 */
import type { InboundRequest } from '../src/engine/engine-api';
import { COMMAND_STATUS } from '../src/smpp/command-status';
import type { MoMessage } from '../src/message/inbound';
import type { ConcatInfo } from '../src/message/inbound';
import { AddResult, Reassembler, WholeMo } from '../src/message/reassembly';
import { matchesPrefix, parsePrefixes } from '../src/message/addresses';
import type { GatewayClient, GatewayNode } from './gateway-types';
import { createSharedParts, Settle, SharedAddResult } from './shared/mo-parts';
import type { SharedRedis } from './shared/shared-store';

export interface MoRouter {
  route(mo: MoMessage, req: InboundRequest): void;
  /** hands out the groups that waited long enough, flagged incomplete */
  sweep(now: number): void;
  /** stops the sweep timer and hands out every held group, flagged incomplete; idempotent */
  close(): void;
}

const DEFAULT_WAIT_MS = 60_000;
const DEFAULT_MAX_GROUPS = 2000;
/** shared: how long beyond the flow's time limit an instance holds a message it took from Redis */
const LEASE_MARGIN_MS = 10_000;

/** how often held groups are checked: a quarter of the wait, between 100 ms and 1 s */
export function sweepInterval(waitMs: number): number {
  return Math.min(1000, Math.max(100, Math.floor(waitMs / 4)));
}

type HoldResult = AddResult | SharedAddResult;

/** `sharedStore`: the Redis store holding the parts under Share with other instances, or null (memory) */
export function createMoRouter(node: GatewayNode, receiveClients: () => GatewayClient[], sharedStore: SharedRedis | null = null): MoRouter {
  const config = node.config;
  const waitMs = config?.concatWait ?? DEFAULT_WAIT_MS;
  const reassembler = new Reassembler({ waitMs, maxGroups: config?.receiveQueueLength ?? DEFAULT_MAX_GROUPS });
  // a whole message is settled within the flow's time limit (Acknowledge when handled) or at once
  const leaseMs = (config?.ackMo === 'handled' ? config.ackTimeLimit : 0) + LEASE_MARGIN_MS;
  const shared = sharedStore
    ? createSharedParts(sharedStore, node.id, { waitMs, leaseMs, lateWhole: (m, settle) => deliverLate(m, settle), warn: (text) => node.warn(text) })
    : null;
  const prefixes = parsePrefixes(config?.acceptedNumberPrefix ?? '');
  let refusedPrefix = 0;
  let unrouted = 0;
  let refusedQueue = 0;
  const count = (k: keyof Reassembler['counters']): number => reassembler.counters[k] + (shared?.counters[k] ?? 0);
  const held = (): number => reassembler.size + (shared?.size ?? 0);

  node.moCounters = {
    get moParts() { return count('parts'); },
    get moReassembled() { return count('reassembled'); },
    get moIncomplete() { return count('incomplete'); },
    get moDuplicateParts() { return count('duplicateParts'); },
    get moRefusedPrefix() { return refusedPrefix; },
    get moRefusedFull() { return count('refusedFull'); },
    get moUnrouted() { return unrouted; },
    get moHeldGroups() { return held(); },
    get moRefusedQueue() { return refusedQueue; },
  };
  const limit = config?.receiveQueueLength ?? DEFAULT_MAX_GROUPS;
  const inFlow = (): number => node.flowAck?.inFlow() ?? 0;
  const errorStatus = (): number => node.flowAck?.errorStatus ?? COMMAND_STATUS.ESME_RX_T_APPN;

  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  if (config) {
    timer = setInterval(() => sweep(Date.now()), sweepInterval(waitMs));
    timer.unref();
  }

  /**
   * Hands the message to every receive node; true when at least one took it.
   * `settled(ok)` once every node that took it settled it (never when none did).
   */
  function deliver(m: WholeMo, settled: (ok: boolean) => void): boolean {
    let taken = false;
    let waiting = 1; // released after the loop: a node may settle while we are still handing out
    let failed = false;
    const one = (ok: boolean): void => {
      if (!ok) failed = true;
      if (--waiting === 0 && taken) settled(!failed);
    };
    for (const r of receiveClients()) {
      let once = false;
      const settle = (ok: boolean): void => {
        if (once) return;
        once = true;
        one(ok);
      };
      waiting++;
      let took = false;
      try {
        took = r.acceptMo?.(m, settle) === true;
      } catch (e) {
        node.error(`smpp-receive ${r.id} failed on an MO from ${m.from}: ${(e as Error).message}`);
      }
      if (took) taken = true;
      else if (!once) {
        once = true;
        waiting--;
      }
    }
    one(true);
    return taken;
  }

  function handOutIncomplete(list: WholeMo[], why: string): void {
    for (const m of list) {
      // its parts were answered when they arrived: nothing to answer now
      if (deliver(m, () => undefined)) continue;
      unrouted++;
      const text = typeof m.payload === 'string' ? JSON.stringify(m.payload) : `0x${m.payload.toString('hex')}`;
      node.warn(`an incomplete MO from ${m.from} to ${m.to} (${why}; parts ${m.received.join(',')} of ${m.parts}) was taken by no smpp-receive node: ${text}`);
    }
  }

  function sweep(now: number): void {
    const expired = reassembler.expire(now);
    if (expired.length) handOutIncomplete(expired, 'missing parts not received in time');
    // shared: only an instance that can output them takes groups from Redis
    if (shared && !closed && receiveClients().length > 0) shared.sweep((list) => handOutIncomplete(list, 'missing parts not received in time'));
  }

  /** a message taken from Redis after its part was already refused (Redis answered late): no answer owed */
  function deliverLate(m: WholeMo, settle: Settle): void {
    if (closed || receiveClients().length === 0) {
      void settle(false);
      return;
    }
    if (deliver(m, (ok) => void settle(ok))) return;
    unrouted++;
    void settle(true);
  }

  function answer(r: HoldResult, req: InboundRequest): void {
    switch (r.kind) {
      case 'held':
      case 'duplicate':
        // memory: held by this process from now on (see the top of this file); shared: stored in Redis
        req.respond(COMMAND_STATUS.ESME_ROK);
        return;
      case 'full':
        req.respond(COMMAND_STATUS.ESME_RMSGQFUL);
        return;
      case 'unavailable':
      case 'busy':
        // not stored, or another instance is handing its message out: the SMSC sends it again (see the top of this file)
        req.respond(COMMAND_STATUS.ESME_RX_T_APPN);
        return;
      case 'whole': {
        const settle = 'settle' in r ? r.settle : undefined;
        if (settle && (closed || receiveClients().length === 0)) {
          // taken from Redis while this gateway closed: back to Redis, then the SMSC sends the last part again
          void settle(false).then(() => req.respond(COMMAND_STATUS.ESME_RTHROTTLED));
          return;
        }
        const taken = deliver(r.message, (ok) => {
          // shared: the tombstone is written, or the group is back in Redis, before the SMSC is answered
          if (settle) void settle(ok).then(() => req.respond(ok ? COMMAND_STATUS.ESME_ROK : errorStatus()));
          else req.respond(ok ? COMMAND_STATUS.ESME_ROK : errorStatus());
        });
        if (!taken) {
          unrouted++;
          if (settle) void settle(true);
          req.respond(COMMAND_STATUS.ESME_RX_R_APPN);
        }
        return;
      }
    }
  }

  function route(mo: MoMessage, req: InboundRequest): void {
    if (closed || receiveClients().length === 0) {
      // nobody to take it (or closing, nothing more is held): the SMSC keeps it and retries later
      req.respond(COMMAND_STATUS.ESME_RTHROTTLED);
      return;
    }
    if (!matchesPrefix(mo.from, mo.fields.source_addr_ton === 1, prefixes)) {
      refusedPrefix++;
      node.warn(`refused an MO from ${mo.from}: not within Accepted Number Prefix ${prefixes.join(';')}`);
      req.respond(COMMAND_STATUS.ESME_RX_R_APPN);
      return;
    }
    const flowing = inFlow();
    const part = mo.concat && mo.concat.total > 1 ? (mo as MoMessage & { concat: ConcatInfo }) : null;
    if (!part && flowing + held() >= limit) {
      refusedQueue++;
      req.respond(COMMAND_STATUS.ESME_RTHROTTLED);
      return;
    }
    // a part may open a group only while the messages in the flow leave room
    const maxGroups = Math.max(0, limit - flowing);
    if (part && shared) {
      shared.add(part, maxGroups, (r) => answer(r, req));
      return;
    }
    reassembler.maxGroups = maxGroups;
    answer(reassembler.add(mo, Date.now()), req);
  }

  function close(): void {
    if (closed) return;
    closed = true;
    if (timer) clearInterval(timer);
    timer = null;
    // memory only: the groups held in Redis stay there for the other instances (or this one's next start)
    const flushed = reassembler.flushAll();
    if (flushed.length) handOutIncomplete(flushed, 'the gateway is closing');
  }

  return { route, sweep, close };
}
