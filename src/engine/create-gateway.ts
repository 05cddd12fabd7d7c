/**
 * The factory of the engine contract (engine-api.ts): one LinkSupervisor for
 * one link, a LinkPool for several links or separate transmitter and receiver
 * binds. Both are GatewayLike.
 */
import type { GatewayConfig } from '../config/gateway-config';
import type { Credentials, GatewayLike } from './engine-api';
import { EngineDeps, LinkSupervisor } from './link-supervisor';
import { LinkPool, usesLinkPool } from './link-pool';

export function createGateway(config: GatewayConfig, credentials: Credentials, deps: EngineDeps = {}): GatewayLike {
  return usesLinkPool(config) ? new LinkPool(config, credentials, deps) : new LinkSupervisor(config, credentials, deps);
}

/** Reads the CA file named in the config (tlsCa) for the deps; nodes/ gets it here with the factory. */
export { loadTlsCa } from './tls-options';

/** Test connection (smpp-gateway's dialog): one bind with the dialog's values, then unbind (probe-bind.ts). */
export { probeBind, probeSettingsOf } from './probe-bind';
export type { ProbeResult, ProbeSettings } from './probe-bind';
