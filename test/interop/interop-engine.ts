/**
 * A LinkSupervisor on real sockets and the real clock, pointed at a peer on
 * 127.0.0.1, with its states, logs, inbound PDUs and wire traffic recorded.
 */
import assert from 'node:assert/strict';
import { PDU } from 'smpp';
import { LinkSupervisor } from '../../src/engine/link-supervisor';
import type { StateEvent } from '../../src/engine/engine-api';
import { BindMode, GatewayConfig, parseGatewayConfig } from '../../src/config/gateway-config';
import { SmppError } from '../../src/smpp/smpp-error';
import { WireTap } from './wire-tap';
import { waitFor } from './wait-for';

export const ESME_SYSTEM_ID = 'nrgw-interop';
export const ESME_PASSWORD = 'pw1234';

/** short timers so a heartbeat or a timeout shows within a test */
export const FAST_TIMERS = {
  heartbeatInterval: 500,
  transactionTimeout: 400,
  receiveTimeout: 5000,
  connectTimeout: 2000,
  bindTimeout: 2000,
  reconnectMin: 200,
  reconnectMax: 1000,
  windowSize: 10,
  drainTimeout: 1000,
};

export interface SubmitResult {
  index: number;
  err: SmppError | null;
  resp: PDU | null;
}

export class InteropEngine {
  readonly engine: LinkSupervisor;
  readonly config: GatewayConfig;
  readonly tap = new WireTap();
  readonly states: StateEvent[] = [];
  readonly logs: string[] = [];
  readonly inbound: PDU[] = [];

  constructor(port: number, bindMode: BindMode, overrides: Record<string, unknown> = {}, password = ESME_PASSWORD) {
    const { config, errors } = parseGatewayConfig({ host: '127.0.0.1', port, bindMode, ...FAST_TIMERS, ...overrides });
    if (!config) throw new Error(`bad test config: ${errors.join('; ')}`);
    this.config = config;
    this.engine = new LinkSupervisor(config, { systemId: ESME_SYSTEM_ID, password }, {
      socketFactory: this.tap.factory,
      log: (level, text) => this.logs.push(`${level}: ${text}`),
    });
    this.engine.on('state', (e: StateEvent) => this.states.push(e));
    this.engine.setInboundHandler((req) => {
      this.inbound.push(req.pdu);
      req.respond(0);
    });
  }

  start(): this {
    this.engine.start();
    return this;
  }

  /** states, logs and wire traffic, for assertion messages */
  describe(): string {
    const states = this.states.map((s) => `${s.state}${s.code ? ` (${s.code})` : ''}${s.reason ? `: ${s.reason}` : ''}`).join(' -> ');
    return `\n--- engine states: ${states}\n--- engine log ---\n${this.logs.join('\n')}${this.tap.describe()}`;
  }

  async waitForState(state: StateEvent['state'], timeoutMs: number, extra: () => string = () => ''): Promise<void> {
    await waitFor(() => this.engine.state === state, timeoutMs, () => `engine state ${state} (now ${this.engine.state})${this.describe()}${extra()}`);
  }

  /** Submits `n` messages at once and waits (bounded) for every callback. */
  async submitMany(n: number, fields: (i: number) => Record<string, unknown>, timeoutMs: number, extra: () => string = () => ''): Promise<SubmitResult[]> {
    const results: SubmitResult[] = [];
    for (let i = 0; i < n; i++) {
      this.engine.submit('submit_sm', fields(i), (err, resp) => results.push({ index: i, err, resp }));
    }
    await waitFor(() => results.length >= n, timeoutMs, () => `${n} submit callbacks (got ${results.length})${this.describe()}${extra()}`);
    return results.sort((a, b) => a.index - b.index);
  }

  /** the engine's states after it first became bound */
  statesSinceBound(): string[] {
    const i = this.states.findIndex((s) => s.state === 'bound');
    return i < 0 ? [] : this.states.slice(i).map((s) => s.state);
  }
}

/** close() never rejects, but is bounded here all the same */
export async function closeEngine(e: InteropEngine, peer: { describe(): string }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    e.engine.close().then(() => true),
    new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 5000))),
  ]);
  clearTimeout(timer);
  assert.ok(closed, `engine.close() did not finish within 5 s${e.describe()}${peer.describe()}`);
}
