/**
 * What the editor's SMPP sidebar shows: every running gateway with its state
 * and since when, window and queue use, rates, counters, throttling and last
 * error. Each gateway is published on RED.comms (topic smpp-gateway/state/<id>)
 * when its view changed, at most once a second; the sidebar reads the whole
 * list once when it opens (GET /smpp-gateway/gateways). No credentials are
 * in it: the snapshot holds the configuration's host and port, never the
 * login.
 */
import type { StateEvent } from '../src/engine/engine-api';
import { canvasWord, detailOf } from './gateway-status';
import type { GatewayNode } from './gateway-types';

export const TOPIC = 'smpp-gateway/state';
export const PUBLISH_EVERY_MS = 1000;

export interface Publisher {
  publish(topic: string, data: unknown, retain?: boolean): void;
}

interface Entry {
  node: GatewayNode;
  last: string;
  throttled: { status: string; pauseMs: number; at: string } | null;
  timer: ReturnType<typeof setInterval>;
  off: () => void;
}

export type GatewayAction = 'rebuild' | 'disconnect' | 'connect';
export const ACTIONS: readonly GatewayAction[] = ['rebuild', 'disconnect', 'connect'];

/** The timer the feed ticks on (replaceable in tests). */
export interface Ticker {
  setInterval(fn: () => void, ms: number): ReturnType<typeof setInterval>;
  clearInterval(t: ReturnType<typeof setInterval>): void;
}

export class SidebarFeed {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly comms: Publisher | null,
    private readonly ticker: Ticker = { setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: (t) => clearInterval(t) },
  ) {}

  /** A gateway node started: follow it until `remove`. */
  add(node: GatewayNode): void {
    this.remove(node.id);
    const entry: Entry = { node, last: '', throttled: null, timer: this.ticker.setInterval(() => this.flush(entry), PUBLISH_EVERY_MS), off: () => undefined };
    entry.timer.unref?.();
    const engine = node.engine;
    if (engine) {
      const onThrottled = (t: { status: string; pauseMs: number; at: number }) => {
        entry.throttled = { status: t.status, pauseMs: t.pauseMs, at: new Date(t.at).toISOString() };
      };
      engine.on('throttled', onThrottled);
      entry.off = () => engine.removeListener('throttled', onThrottled);
    }
    this.entries.set(node.id, entry);
    this.flush(entry);
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.ticker.clearInterval(entry.timer);
    entry.off();
    this.entries.delete(id);
    this.comms?.publish(`${TOPIC}/${id}`, { id, removed: true }, false);
  }

  list(): Record<string, unknown>[] {
    return [...this.entries.values()].map((e) => this.view(e));
  }

  /** The sidebar's buttons: the same actions as smpp-control's commands. false when there is no such running gateway. */
  act(id: string, action: GatewayAction): boolean {
    const engine = this.entries.get(id)?.node.engine;
    if (!engine) return false;
    if (action === 'rebuild') engine.rebuild();
    else if (action === 'disconnect') void engine.disconnect('disconnected from the editor');
    else engine.connect();
    return true;
  }

  private flush(entry: Entry): void {
    const view = this.view(entry);
    const text = JSON.stringify(view);
    if (text === entry.last) return;
    entry.last = text;
    this.comms?.publish(`${TOPIC}/${entry.node.id}`, view, false);
  }

  private view(entry: Entry): Record<string, unknown> {
    const { node } = entry;
    const c = node.config;
    const base: Record<string, unknown> = {
      id: node.id,
      name: node.name || '',
      address: c ? `${c.host}:${c.port}` : '',
      tls: c ? c.tls : false,
    };
    if (!node.engine) return { ...base, state: 'badconfig', word: 'badconfig', detail: node.configErrors.join('; ') };
    const ev: StateEvent = node.engine.stateEvent;
    const snap = node.engine.snapshot();
    return {
      ...base,
      state: ev.state,
      word: canvasWord(ev),
      mode: ev.mode,
      since: new Date(ev.since).toISOString(),
      detail: detailOf(ev),
      reason: ev.reason ?? null,
      code: ev.code ?? null,
      status: ev.status ?? null,
      retryInMs: ev.retryInMs ?? null,
      window: snap.window,
      queue: snap.queue,
      receiving: snap.receiving,
      rates: snap.rates,
      counters: snap.counters,
      links: snap.links ?? null,
      throttled: entry.throttled,
      lastError: snap.lastError ?? null,
      lastErrorAt: snap.lastErrorAt ?? null,
    };
  }
}
