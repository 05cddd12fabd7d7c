/** smpp-dlr: delivery reports, matched to what smpp-send sent (msg.sent), or flagged unmatched. */
import type { GatewayClient } from './gateway-types';
import { attachToGateway } from './gateway-client';
import type { NodeAPI } from './red-types';

export = function register(RED: NodeAPI): void {
  function SmppDlrNode(this: GatewayClient, def: Record<string, unknown>): void {
    RED.nodes.createNode(this, def);
    const node = this;
    attachToGateway(RED, node, def, 'dlr');
    const onlyFinal = def.onlyFinal === true || def.onlyFinal === 'true';

    node.acceptReceipt = (payload, sent, settled) => {
      if (!onlyFinal || payload.final) node.send({ topic: String(payload.state), payload, sent, correlationId: sent?.correlationId });
      settled(true);
    };

  }

  RED.nodes.registerType('smpp-dlr', SmppDlrNode);
};
