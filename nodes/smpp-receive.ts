/**
 * smpp-receive: MO messages from the SMSC, decoded by their whole
 * data_coding byte, filtered by destination prefix and keyword.
 */
import { moPayload, MoMessage } from '../src/message/inbound';
import { parsePrefixes } from '../src/message/addresses';
import type { GatewayClient } from './gateway-types';
import { attachToGateway } from './gateway-client';
import type { NodeAPI } from './red-types';

export = function register(RED: NodeAPI): void {
  function SmppReceiveNode(this: GatewayClient, def: Record<string, unknown>): void {
    RED.nodes.createNode(this, def);
    const node = this;
    attachToGateway(RED, node, def, 'receive');
    const toPrefixes = parsePrefixes(String(def.filterTo ?? ''));
    const keyword = String(def.filterKeyword ?? '').trim().toLowerCase();

    node.acceptMo = (mo: MoMessage): boolean => {
      if (toPrefixes.length && !toPrefixes.some((p) => mo.to.startsWith(p))) return false;
      const payload = moPayload(mo.dataCoding, mo.body);
      if (keyword) {
        if (typeof payload !== 'string') return false;
        const first = payload.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
        if (first !== keyword) return false;
      }
      node.send({
        topic: mo.to,
        payload,
        from: mo.from,
        to: mo.to,
        smpp: {
          command: mo.command,
          data_coding: mo.dataCoding,
          esm_class: mo.esmClass,
          fields: mo.fields,
          udh: mo.udh ? Buffer.from(mo.udh) : undefined,
          concat: mo.concat,
          parts: mo.concat ? mo.concat.total : 1,
          incomplete: false,
        },
      });
      return true;
    };

  }

  RED.nodes.registerType('smpp-receive', SmppReceiveNode);
};
