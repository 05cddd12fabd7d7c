/** smpp-dlr: delivery reports, matched to what smpp-send sent (msg.sent), or flagged unmatched. */
import type { GatewayClient, GatewayNode } from './gateway-types';
import type { NodeAPI } from './red-types';

export = function register(RED: NodeAPI): void {
  function SmppDlrNode(this: GatewayClient, def: Record<string, unknown>): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const gateway = RED.nodes.getNode(String(def.gateway ?? '')) as GatewayNode | null;
    const onlyFinal = def.onlyFinal === true || def.onlyFinal === 'true';

    node.acceptReceipt = (payload, sent) => {
      if (onlyFinal && !payload.final) return;
      node.send({ topic: String(payload.state), payload, sent, correlationId: sent?.correlationId });
    };

    if (gateway) gateway.register(node, 'dlr');
    else node.status({ fill: 'red', shape: 'ring', text: RED._('smpp-dlr.errors.nogateway') });

    node.on('close', (_removed, done) => {
      if (gateway) gateway.deregister(node, done);
      else done();
    });
  }

  RED.nodes.registerType('smpp-dlr', SmppDlrNode);
};
