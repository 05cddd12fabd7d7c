/**
 * smpp-send: msg in, submit_sm or data_sm out through the gateway. Every msg
 * leaves exactly once: on output 1 when the SMSC accepted every part, or on
 * output 2 (and through done(err), for Catch nodes) with msg.error.
 */
import { buildSubmit } from '../src/message/build-submit';
import { LOCAL, SmppError } from '../src/engine/smpp-error';
import type { GatewayNode } from './gateway-types';
import type { Node, NodeAPI, NodeMessage } from './red-types';

type Send = (m: NodeMessage | (NodeMessage | null)[] | null) => void;

export = function register(RED: NodeAPI): void {
  function SmppSendNode(this: Node, def: Record<string, unknown>): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const gateway = RED.nodes.getNode(String(def.gateway ?? '')) as GatewayNode | null;
    const nodeFrom = typeof def.from === 'string' ? def.from : '';
    const remember = String(def.remember ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);

    if (gateway) gateway.register(node, 'send');
    else node.status({ fill: 'red', shape: 'ring', text: RED._('smpp-gateway.status.nogateway') });

    function fail(msg: NodeMessage, err: SmppError, send: Send, done: (e?: Error) => void): void {
      msg.error = err.toJSON();
      send([null, msg]);
      done(err);
    }

    node.on('input', (msg, send, done) => {
      if (!gateway) return fail(msg, new SmppError(LOCAL.NOT_RUNNING, 'smpp-send has no smpp-gateway configured'), send, done);
      const engine = gateway.engine;
      if (!engine || !gateway.config) {
        return fail(msg, new SmppError(LOCAL.NOT_RUNNING, `the smpp-gateway configuration is invalid: ${gateway.configErrors.join('; ')}`), send, done);
      }
      const built = buildSubmit({ payload: msg.payload, to: msg.to, from: msg.from, nodeFrom, smpp: msg.smpp }, gateway.config, gateway.nextRef);
      if (!built.ok) return fail(msg, new SmppError(LOCAL.INVALID, built.error), send, done);

      const parts = built.pdus.length;
      const ids: (string | null)[] = new Array(parts).fill(null);
      let left = parts;
      let firstError: SmppError | null = null;
      const finish = () => {
        const smpp = (msg.smpp && typeof msg.smpp === 'object' ? msg.smpp : {}) as Record<string, unknown>;
        msg.smpp = { ...smpp, command: built.command, messageId: ids[0], messageIds: ids, parts, dataCoding: built.dataCoding };
        if (firstError) return fail(msg, firstError, send, done);
        (msg.smpp as Record<string, unknown>).acceptedAt = new Date().toISOString();
        gateway.remember(ids as string[], msg, remember);
        send([msg, null]);
        done();
      };
      for (let i = 0; i < parts; i++) {
        engine.submit(built.command, built.pdus[i], (err, resp) => {
          if (err) firstError ??= err;
          else ids[i] = String(resp?.message_id ?? '');
          if (--left === 0) finish();
        });
      }
    });

    node.on('close', (_removed, done) => {
      if (gateway) gateway.deregister(node, done);
      else done();
    });
  }

  RED.nodes.registerType('smpp-send', SmppSendNode);
};
