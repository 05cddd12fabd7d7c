/**
 * The gateway engine for a configuration: one GatewayEngine for one link (as
 * before), a LinkPool for several links or separate transmitter and receiver
 * binds. Both are GatewayLike.
 */
import type { GatewayConfig } from '../config/gateway-config';
import type { GatewayLike } from './engine-api';
import { Credentials, EngineDeps, GatewayEngine } from './gateway-engine';
import { LinkPool, usesLinkPool } from './link-pool';

export function createGateway(config: GatewayConfig, credentials: Credentials, deps: EngineDeps = {}): GatewayLike {
  return usesLinkPool(config) ? new LinkPool(config, credentials, deps) : new GatewayEngine(config, credentials, deps);
}
