import { LinkSupervisor } from '../../src/engine/link-supervisor';
import type { StateEvent } from '../../src/engine/engine-api';
import { parseGatewayConfig, GatewayConfig } from '../../src/config/gateway-config';
import { FakeClock } from '../helpers/fake-clock';
import { FakeNetwork } from '../helpers/fake-socket';

export function config(overrides: Record<string, unknown> = {}): GatewayConfig {
  const r = parseGatewayConfig({ host: '127.0.0.1', port: 2775, ...overrides });
  if (!r.config) throw new Error(r.errors.join('; '));
  return r.config;
}

/** An engine on a fake clock and fake network, random fixed at 1 (no jitter below the step). */
export function harness(overrides: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const net = new FakeNetwork();
  const states: StateEvent[] = [];
  const logs: string[] = [];
  const engine = new LinkSupervisor(config(overrides), { systemId: 'esme', password: 's3cret' }, {
    clock,
    random: () => 1,
    socketFactory: net.factory,
    log: (_l, t) => logs.push(t),
  });
  engine.on('state', (s: StateEvent) => states.push(s));
  return { clock, net, engine, states, logs };
}
