/** What every node that uses an smpp-gateway does: find it, register with it, deregister on close. */
import type { ClientKind, GatewayClient, GatewayNode } from './gateway-types';
import type { NodeAPI } from './red-types';

export function attachToGateway(RED: NodeAPI, node: GatewayClient, def: Record<string, unknown>, kind: ClientKind): GatewayNode | null {
  let gateway = RED.nodes.getNode(String(def.gateway ?? '')) as GatewayNode | null;
  if (gateway && gateway.type !== 'smpp-gateway') {
    // a flow edited by hand or imported can point anywhere: say so instead of throwing in the constructor
    node.error(`${node.type}: gateway ${JSON.stringify(String(def.gateway))} is not an smpp-gateway (it is a ${gateway.type} node)`);
    gateway = null;
  }
  if (gateway) gateway.register(node, kind);
  // a catalog key with its namespace: the editor shows it in its own language (see gateway-status.ts)
  else node.status({ fill: 'red', shape: 'ring', text: `node-red-contrib-smpp-gateway/${node.type}:${node.type}.errors.nogateway` });
  node.on('close', (_removed, done) => {
    if (gateway) gateway.deregister(node, done);
    else done();
  });
  return gateway;
}
