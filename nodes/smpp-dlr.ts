/** smpp-dlr: delivery reports, matched to what smpp-send sent (msg.sent), or flagged unmatched; acknowledged as the gateway says (flow-ack.ts). */
import type { GatewayClient } from './gateway-types';
import { attachToGateway } from './gateway-client';
import type { NodeAPI } from './red-types';

export = function register(RED: NodeAPI): void {
  function SmppDlrNode(this: GatewayClient, def: Record<string, unknown>): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const gateway = attachToGateway(RED, node, def, 'dlr');
    const onlyFinal = def.onlyFinal === true || def.onlyFinal === 'true';

    // settled: contract 4 (gateway-types.ts): once, when the receipt may be acknowledged (ok) or must be sent again (false)
    node.acceptReceipt = (payload, sent, settled) => {
      if (onlyFinal && !payload.final) return settled(true);
      const msg = { topic: String(payload.state), payload, sent, correlationId: sent?.correlationId };
      if (gateway?.flowAck) gateway.flowAck.output(node, msg, 'receipt', settled);
      else {
        node.send(msg);
        settled(true);
      }
    };

  }

  RED.nodes.registerType('smpp-dlr', SmppDlrNode);
};
