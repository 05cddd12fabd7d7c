/**
 * MO messages from the SMSC to the smpp-receive nodes: the Accepted Number
 * Prefix check, and the answer to the SMSC (ESME_ROK only once a node took it).
 */
import type { InboundRequest } from '../src/engine/smpp-link';
import { COMMAND_STATUS } from '../src/smpp/command-status';
import type { MoMessage } from '../src/message/inbound';
import { matchesPrefix, parsePrefixes } from '../src/message/addresses';
import type { GatewayClient, GatewayNode } from './gateway-types';

export type MoRoute = (mo: MoMessage, req: InboundRequest) => void;

export function createMoRouter(node: GatewayNode, receiveClients: () => GatewayClient[]): MoRoute {
  return function routeMo(mo: MoMessage, req: InboundRequest): void {
    const receivers = receiveClients();
    if (receivers.length === 0) {
      // nobody to take it: the SMSC keeps it and retries later
      req.respond(COMMAND_STATUS.ESME_RTHROTTLED);
      return;
    }
    const prefixes = parsePrefixes(node.config?.acceptedNumberPrefix ?? '');
    if (!matchesPrefix(mo.from, mo.fields.source_addr_ton === 1, prefixes)) {
      node.warn(`refused an MO from ${mo.from}: not within Accepted Number Prefix ${prefixes.join(';')}`);
      req.respond(COMMAND_STATUS.ESME_RX_R_APPN);
      return;
    }
    let taken = false;
    for (const r of receivers) if (r.acceptMo?.(mo)) taken = true;
    req.respond(taken ? COMMAND_STATUS.ESME_ROK : COMMAND_STATUS.ESME_RX_R_APPN);
  };
}
