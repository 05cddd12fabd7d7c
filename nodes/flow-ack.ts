/**
 * Acknowledge when handled: an MO or a receipt that smpp-receive or smpp-dlr
 * outputs is answered to the SMSC once the nodes it reached are done with
 * it. Node-RED's messaging hooks (RED.hooks, Node-RED 2.0 and later: onSend,
 * onReceive, postReceive, onComplete) report each step of a msg, by
 * msg._msgid, to a CompletionTracker (src/completion/completion-tracker.ts,
 * which holds the counting rules). One FlowAck per gateway; its hooks are
 * removed when the gateway closes.
 *
 * How a msg is followed (README "Acknowledge MO and receipts"):
 * - by msg._msgid, which the output gets a fresh one of. Node-RED keeps it
 *   on clones (a node wired to two nodes), and the function node puts it on
 *   the objects it returns. A node that makes msgs with a new _msgid (split,
 *   for one) ends the following there: the msg is handled when that node is
 *   done with its input;
 * - a node whose input handler takes no `done` (written for Node-RED 0.x, or
 *   with no input handler at all) is done when its handler returns;
 * - a node that never calls done, or holds the msg (a join waiting for more),
 *   keeps it in the flow until the time limit (ackTimeLimit): then it is
 *   acknowledged anyway and counted (ackedByTimeLimit);
 * - done(err) (a function node that throws, for one) settles it failed: the
 *   SMSC gets ackErrorStatus and sends it again;
 * - while Node-RED stops or deploys, a node being stopped that completes a
 *   msg (the delay node does so for the msgs it drops) does not handle it:
 *   it settles failed; so does a msg that a node stopped by a partial deploy
 *   still holds when the flows run again; at the gateway's close whatever is
 *   still in the flow settles failed too, so the SMSC sends it again.
 */
import { CompletionTracker, KindCounts, TrackedKind } from '../src/completion/completion-tracker';
import type { GatewayConfig } from '../src/config/gateway-config';
import { COMMAND_STATUS } from '../src/smpp/command-status';
import type { Node, NodeAPI, NodeMessage } from './red-types';

export type AckMode = 'handled' | 'arrival';

/** What smpp-control's snapshot shows (`flow`). */
export interface FlowAckSnapshot {
  ack: AckMode;
  /** MOs and receipts output and not yet handled */
  mos: number;
  receipts: number;
  /** acknowledged because the time limit passed */
  ackedByTimeLimit: KindCounts;
  /** answered ackErrorStatus: a node reported an error, or the flow stopped */
  failed: KindCounts;
}

export interface FlowAck {
  readonly mode: AckMode;
  /** the status answered when the flow failed a msg (ackErrorStatus) */
  readonly errorStatus: number;
  /** Sends `msg` from `source`; `settled(ok)` exactly once: at once (on arrival), or when the flow is done with it (when handled). */
  output(source: Node, msg: NodeMessage, kind: TrackedKind, settled: (ok: boolean) => void): void;
  /** MOs and receipts in the flow now (0 on arrival: not followed) */
  inFlow(): number;
  snapshot(): FlowAckSnapshot;
  /** removes the hooks; what is still in the flow settles failed; idempotent */
  close(): void;
}

interface Hooks {
  add(id: string, cb: (ev: any) => unknown): void;
  remove(id: string): void;
}
interface Events {
  on(name: string, cb: (ev: any) => void): void;
  removeListener(name: string, cb: (ev: any) => void): void;
}

/** RED.hooks; node-red-node-test-helper gives nodes none, so the runtime's own module is used there. */
function hooksOf(RED: NodeAPI): Hooks | null {
  const h = (RED as unknown as { hooks?: Hooks }).hooks;
  if (h && typeof h.add === 'function') return h;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return (require('@node-red/util') as { hooks: Hooks }).hooks;
  } catch {
    return null;
  }
}

/** false when the node has no input handler that takes done: it is done when its handler returns */
function takesDone(n: unknown): boolean {
  const node = n as { _inputCallback?: Function | null; _inputCallbacks?: Function[] | null } | undefined;
  if (!node || (node._inputCallback === undefined && node._inputCallbacks === undefined)) return true; // unknown runtime: wait for done
  const cbs = node._inputCallbacks ?? (node._inputCallback ? [node._inputCallback] : []);
  return cbs.some((cb) => typeof cb === 'function' && cb.length >= 3);
}

function hasWires(n: Node): boolean {
  const wires = (n as unknown as { wires?: unknown[][] }).wires;
  return !Array.isArray(wires) || wires.some((w) => Array.isArray(w) && w.length > 0);
}

let labels = 0;

export function createFlowAck(RED: NodeAPI, gateway: Node, config: GatewayConfig | null): FlowAck {
  const errorStatus = COMMAND_STATUS[config?.ackErrorStatus ?? 'ESME_RX_T_APPN'] ?? COMMAND_STATUS.ESME_RX_T_APPN;
  const limitMs = config?.ackTimeLimit ?? 30_000;
  const tracker = new CompletionTracker(limitMs);
  const hooks = config?.ackMo === 'arrival' ? null : hooksOf(RED);
  const mode: AckMode = config && config.ackMo !== 'arrival' && hooks ? 'handled' : 'arrival';
  if (config && config.ackMo !== 'arrival' && !hooks) {
    gateway.warn('Acknowledge when handled needs Node-RED messaging hooks (RED.hooks), which this runtime lacks: acknowledging on arrival');
  }
  const label = `smppGatewayAck${++labels}x${gateway.id.replace(/[^A-Za-z0-9]/g, '')}`;
  const ids = (ev: any): string | undefined => {
    const id = ev?.msg?._msgid;
    return typeof id === 'string' ? id : undefined;
  };

  // while flows stop: 'all', or the ids / tabs being stopped; null when running
  let stopping: { all: boolean; nodes: Set<string> } | null = null;
  const isStopping = (n: { id?: string; z?: string } | undefined): boolean =>
    stopping !== null && (stopping.all || (n !== undefined && (stopping.nodes.has(n.id ?? '') || stopping.nodes.has(n.z ?? ''))));
  // the tab of each node that held a msg, to know which were stopped by a partial deploy
  const tabOf = new Map<string, string>();
  const onStopping = (ev: any): void => {
    const d = ev?.diff ?? {};
    const list = (k: string): string[] => (Array.isArray(d[k]) ? d[k] : []);
    stopping = { all: ev?.type === 'full' || ev?.type === undefined, nodes: new Set([...list('changed'), ...list('removed'), ...list('rewired'), ...list('linked'), ...list('flowChanged')]) };
  };
  const onStarted = (): void => {
    const was = stopping;
    stopping = null;
    // a node stopped while it held a msg, without completing it: not handled, the SMSC sends it again
    if (was && !was.all) tracker.failHeldBy((id) => was.nodes.has(id) || was.nodes.has(tabOf.get(id) ?? ''));
    tabOf.clear();
  };
  const holder = (n: any): string => {
    const id = typeof n?.id === 'string' ? n.id : '';
    if (id && typeof n?.z === 'string' && !tabOf.has(id)) tabOf.set(id, n.z);
    return id;
  };
  const events = (RED as unknown as { events?: Events }).events;

  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let hooked = false;
  // added at the first msg followed: a gateway that only sends costs the runtime's other msgs nothing
  function addHooks(): void {
    if (hooked || !hooks) return;
    hooked = true;
    hooks.add(`onSend.${label}`, (evs: any) => {
      if (tracker.size === 0 || !Array.isArray(evs)) return;
      for (const ev of evs) {
        const id = ids(ev);
        if (id !== undefined) tracker.sent(id);
      }
    });
    hooks.add(`onReceive.${label}`, (ev: any) => {
      const id = tracker.size === 0 ? undefined : ids(ev);
      if (id !== undefined) tracker.received(id, holder(ev.destination?.node));
    });
    hooks.add(`postReceive.${label}`, (ev: any) => {
      const id = tracker.size === 0 ? undefined : ids(ev);
      if (id !== undefined && tracker.has(id) && !takesDone(ev.destination?.node)) tracker.completed(id, isStopping(ev.destination?.node), holder(ev.destination?.node));
    });
    hooks.add(`onComplete.${label}`, (ev: any) => {
      const id = tracker.size === 0 ? undefined : ids(ev);
      const n = ev.node?.node ?? ev.node;
      if (id !== undefined) tracker.completed(id, ev.error !== undefined && ev.error !== null ? true : isStopping(n), holder(n));
    });
    events?.on('flows:stopping', onStopping);
    events?.on('flows:started', onStarted);
    timer = setInterval(() => tracker.expire(Date.now()), Math.min(1000, Math.max(20, Math.floor(limitMs / 4))));
    timer.unref();
  }

  return {
    mode,
    errorStatus,
    output(source, msg, kind, settled) {
      if (closed) {
        // the gateway is closing: the flow is stopping, the SMSC sends it again later
        settled(false);
        return;
      }
      if (mode === 'arrival') {
        source.send(msg);
        settled(true);
        return;
      }
      addHooks();
      const id = RED.util.generateId();
      msg._msgid = id;
      tracker.track(id, kind, Date.now(), (outcome) => settled(outcome !== 'error'));
      source.send(msg);
      if (!hasWires(source)) tracker.settleIfIdle(id);
    },
    inFlow: () => tracker.size,
    snapshot: () => ({
      ack: mode,
      mos: tracker.inFlow('mo'),
      receipts: tracker.inFlow('receipt'),
      ackedByTimeLimit: { ...tracker.counters.timedOut },
      failed: { ...tracker.counters.failed },
    }),
    close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      timer = null;
      if (hooks && hooked) {
        for (const h of ['onSend', 'onReceive', 'postReceive', 'onComplete']) hooks.remove(`${h}.${label}`);
        events?.removeListener('flows:stopping', onStopping);
        events?.removeListener('flows:started', onStarted);
      }
      tracker.failAll();
    },
  };
}
