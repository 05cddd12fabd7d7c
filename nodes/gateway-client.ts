/** What every node that uses an smpp-gateway does: find it, register with it, deregister on close. */
import type { ClientKind, GatewayClient, GatewayNode } from './gateway-types';
import type { NodeAPI } from './red-types';

export function attachToGateway(RED: NodeAPI, node: GatewayClient, def: Record<string, unknown>, kind: ClientKind): GatewayNode | null {
  const gateway = RED.nodes.getNode(String(def.gateway ?? '')) as GatewayNode | null;
  if (gateway) gateway.register(node, kind);
  else node.status({ fill: 'red', shape: 'ring', text: RED._(`${node.type}.errors.nogateway`) });
  node.on('close', (_removed, done) => {
    if (gateway) gateway.deregister(node, done);
    else done();
  });
  return gateway;
}
