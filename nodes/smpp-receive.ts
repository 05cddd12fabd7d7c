/**
 * smpp-receive: whole MO messages from the SMSC (concatenated ones already
 * reassembled by the gateway, see mo-router.ts), decoded by their whole
 * data_coding byte, filtered by destination prefix and keyword.
 *
 * msg.payload: text, or a Buffer for binary and unknown codings
 * msg.from, msg.to, msg.topic (= msg.to)
 * msg.smpp: { command, data_coding, esm_class, fields (of the first part),
 *   parts, incomplete, missing (seqnums, [] when complete), received (seqnums),
 *   concat ({ ref, total, via } when concatenated), udh (of the first part) }
 */
import type { WholeMo } from '../src/message/reassembly';
import { parsePrefixes } from '../src/message/addresses';
import type { GatewayClient } from './gateway-types';
import { attachToGateway } from './gateway-client';
import type { NodeAPI } from './red-types';

/** the first word of the text, lower case, for the keyword filter */
function firstWord(text: string): string {
  return text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
}

export = function register(RED: NodeAPI): void {
  function SmppReceiveNode(this: GatewayClient, def: Record<string, unknown>): void {
    RED.nodes.createNode(this, def);
    const node = this;
    // the editor checks these; a flow imported or deployed by the Admin API may not have been
    const filterTo = String(def.filterTo ?? '').trim();
    const filterKeyword = String(def.filterKeyword ?? '').trim();
    const badSetting = filterTo !== '' && !/^[0-9]+(;[0-9]+)*;?$/.test(filterTo) ? (['filterTo', filterTo] as const)
      : /\s/.test(filterKeyword) ? (['filterKeyword', filterKeyword] as const) : null;
    if (badSetting) {
      // take no MO rather than filter wrongly; not registered, so with no other receive node the SMSC keeps them (ESME_RTHROTTLED)
      const [key, value] = badSetting;
      const rule = RED._(`smpp-receive.errors.${key}`);
      node.error(`smpp-receive: ${key} ${JSON.stringify(value)}: ${rule}`);
      node.status({ fill: 'red', shape: 'ring', text: `${RED._(`smpp-receive.label.${key}`)}: ${rule}` });
      return;
    }
    const gateway = attachToGateway(RED, node, def, 'receive');
    const toPrefixes = parsePrefixes(filterTo);
    const keyword = filterKeyword.toLowerCase();

    node.acceptMo = (mo: WholeMo, settled: (ok: boolean) => void): boolean => {
      if (toPrefixes.length && !toPrefixes.some((p) => mo.to.startsWith(p))) return false;
      if (keyword && (typeof mo.payload !== 'string' || firstWord(mo.payload) !== keyword)) return false;
      // each node gets its own copies: several receive nodes may take the same message
      const smpp: Record<string, unknown> = {
        command: mo.command,
        data_coding: mo.dataCoding,
        esm_class: mo.esmClass,
        fields: { ...mo.fields },
        parts: mo.parts,
        incomplete: mo.incomplete,
        missing: [...mo.missing],
        received: [...mo.received],
      };
      if (mo.concat) smpp.concat = { ...mo.concat };
      if (mo.udh) smpp.udh = Buffer.from(mo.udh);
      if (mo.udhMalformed) smpp.udhMalformed = true;
      const msg = {
        topic: mo.to,
        payload: typeof mo.payload === 'string' ? mo.payload : Buffer.from(mo.payload),
        from: mo.from,
        to: mo.to,
        smpp,
      };
      // answered to the SMSC on arrival, or once the flow is done with it (the gateway's Acknowledge MO)
      if (gateway?.flowAck) gateway.flowAck.output(node, msg, 'mo', settled);
      else {
        node.send(msg);
        settled(true);
      }
      return true;
    };
  }

  RED.nodes.registerType('smpp-receive', SmppReceiveNode);
};
