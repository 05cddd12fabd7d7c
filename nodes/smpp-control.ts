/**
 * smpp-control: the reference page's Gateway Monitoring. Commands in
 * (rebuild, disconnect, connect, status); out: an event on every change of
 * the link (connecting, bound, unbound, reconnecting, throttled, error) and,
 * on `status`, a snapshot of the gateway.
 */
import type { CloseReason } from '../src/engine/engine-api';
import type { StateEvent } from '../src/engine/engine-api';
import type { GatewayClient } from './gateway-types';
import { attachToGateway } from './gateway-client';
import type { NodeAPI, NodeMessage } from './red-types';

const COMMANDS = ['rebuild', 'disconnect', 'connect', 'status'] as const;
type Command = (typeof COMMANDS)[number];

/** What a msg gave instead of a command, for the error: as JSON where it can be (never throws), at most 60 characters. */
function describeGiven(raw: unknown): string {
  let s: string;
  try {
    s = typeof raw === 'bigint' ? `${raw}n` : JSON.stringify(raw) ?? String(raw);
  } catch {
    s = `(${Array.isArray(raw) ? 'an array' : 'an object'} that cannot be written as JSON)`;
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

type ControlEvent = 'connecting' | 'bound' | 'unbound' | 'reconnecting' | 'throttled' | 'error';

/** Drops that are an orderly end of the link, not a fault. */
const ORDERLY: ReadonlySet<CloseReason['code']> = new Set(['local', 'peer-unbind', 'unbound']);

/** The events one engine state change makes, in order; `wasBound`: the link was up before it. */
function eventsOf(ev: StateEvent, wasBound: boolean): ControlEvent[] {
  switch (ev.state) {
    case 'connecting':
    case 'binding':
      return ['connecting'];
    case 'bound':
      return ['bound'];
    case 'retrying': {
      const out: ControlEvent[] = [];
      if (wasBound) out.push('unbound');
      if (ev.code && !ORDERLY.has(ev.code)) out.push('error');
      out.push('reconnecting');
      return out;
    }
    case 'stopped':
      return ['unbound'];
    case 'closing':
      return wasBound ? ['unbound'] : [];
    default:
      return [];
  }
}

interface ThrottleInfo {
  status: string;
  pauseMs: number;
  at: number;
}

export = function register(RED: NodeAPI): void {
  function SmppControlNode(this: GatewayClient, def: Record<string, unknown>): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const gateway = attachToGateway(RED, node, def, 'control');
    const events = def.events !== false && def.events !== 'false';
    let wasBound = gateway?.engine?.state === 'bound';

    const emit = (event: ControlEvent, payload: Record<string, unknown>) => {
      if (events) node.send({ topic: 'state', payload: { event, ...payload } });
    };

    node.stateChanged = (ev: StateEvent) => {
      const names = eventsOf(ev, wasBound);
      wasBound = ev.state === 'bound';
      const base: Record<string, unknown> = { state: ev.state, mode: ev.mode, since: new Date(ev.since).toISOString() };
      if (ev.reason !== undefined) base.reason = ev.reason;
      if (ev.code !== undefined) base.code = ev.code;
      if (ev.status !== undefined) base.status = ev.status;
      for (const name of names) {
        const payload = { ...base };
        if (name === 'reconnecting' && ev.retryInMs !== undefined) payload.retryInMs = ev.retryInMs;
        emit(name, payload);
      }
    };

    // the engine starts a back-off after ESME_RTHROTTLED / ESME_RMSGQFUL
    const engine = gateway?.engine ?? null;
    const onThrottled = (t: ThrottleInfo) => {
      const s = engine!.stateEvent;
      emit('throttled', { state: s.state, mode: s.mode, since: new Date(t.at).toISOString(), status: t.status, pauseMs: t.pauseMs });
    };
    engine?.on('throttled', onThrottled);
    node.on('close', (_removed, done) => {
      engine?.removeListener('throttled', onThrottled);
      done();
    });

    node.on('input', (msg: NodeMessage, send, done) => {
      const raw = typeof msg.topic === 'string' && (COMMANDS as readonly string[]).includes(msg.topic) ? msg.topic : msg.payload;
      const command = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      if (!(COMMANDS as readonly string[]).includes(command)) {
        return done(new Error(RED._('smpp-control.errors.unknownCommand', { command: describeGiven(raw) })));
      }
      const eng = gateway?.engine;
      if (!eng) {
        return done(new Error(RED._('smpp-control.errors.notRunning', { reason: gateway ? gateway.configErrors.join('; ') : RED._('smpp-control.errors.nogateway') })));
      }
      switch (command as Command) {
        case 'rebuild':
          eng.rebuild();
          break;
        case 'disconnect':
          void eng.disconnect();
          break;
        case 'connect':
          eng.connect();
          break;
        case 'status':
          msg.topic = 'status';
          msg.payload = { ...eng.snapshot(), correlation: { pending: gateway!.correlation.size, ...gateway!.correlation.counters }, mo: gateway!.moCounters ? { ...gateway!.moCounters } : null, flow: gateway!.flowAck?.snapshot() ?? null };
          send(msg);
          break;
      }
      done();
    });
  }

  RED.nodes.registerType('smpp-control', SmppControlNode);
};
