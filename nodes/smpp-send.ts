/**
 * smpp-send: msg in, submit_sm or data_sm out through the gateway. Every msg
 * leaves exactly once: on output 1 when the SMSC accepted every part, or as
 * a failure with msg.error and msg.smpp.error ({ code, status, retriable, message }).
 * A failure goes ONCE to the flow: on its output when that output is wired,
 * else through done(err) to Catch nodes (the Error's code is the SMPP code).
 * To, From and Text (typed inputs, nodes/send-input.ts) serve a msg that has none.
 *
 * In send-and-wait mode (an IVR step) the accepted msg is held until its final
 * delivery report: output 1 delivered, output 2 failed (also when the SMSC
 * refused it), output 3 no final report within waitTimeout.
 */
import { buildSubmit } from '../src/message/build-submit';
import { LOCAL, SmppError } from '../src/smpp/smpp-error';
import type { GatewayClient, GatewayNode } from './gateway-types';
import type { NodeAPI, NodeMessage } from './red-types';
import { attachToGateway } from './gateway-client';
import { readSendSettings } from './send-settings';
import { readSendInputs, resolveSendInputs } from './send-input';
import { rememberedOf } from '../src/correlation/remembered';
import type { SentRecord } from '../src/correlation/memory-store';
import type { ReceiptReport } from '../src/correlation/report';

type Send = (m: NodeMessage | (NodeMessage | null)[] | null) => void;

export = function register(RED: NodeAPI): void {
  function SmppSendNode(this: GatewayClient, def: Record<string, unknown>): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const own = readSendSettings(def);
    const inputs = readSendInputs(def);
    const settings = inputs.error ? { ...own, error: [own.error, inputs.error].filter(Boolean).join('; ') } : own;
    // a node whose own settings are wrong takes no part in the gateway: each msg fails, naming the setting
    const gateway = settings.error ? null : attachToGateway(RED, node, def, 'send');
    if (settings.error) {
      node.error(`smpp-send ${node.name || node.id}: ${settings.error}`);
      node.status({ fill: 'red', shape: 'ring', text: RED._('smpp-send.status.failed', { reason: settings.error }) });
    }
    // failure outputs (2, and 3 in send-and-wait) that lead somewhere; the others' failures go to Catch
    const wires = Array.isArray(def.wires) ? (def.wires as unknown[]) : [];
    const wired = (i: number) => Array.isArray(wires[i]) && (wires[i] as unknown[]).length > 0;
    const { wait, waitTimeout, remember } = settings;
    const held = new Set<() => void>();

    /** a failure reaches the flow once: on output `at` (1 failed, 2 timed out) when wired, else to Catch */
    function reportFailure(msg: NodeMessage, err: SmppError, at: 1 | 2, send: Send, done: (e?: Error) => void): void {
      msg.error = err.toJSON();
      // Node-RED gives a Catch node its own msg.error (keeping the Error's code): the rest stays in msg.smpp.error
      const smpp = (msg.smpp && typeof msg.smpp === 'object' ? msg.smpp : {}) as Record<string, unknown>;
      msg.smpp = { ...smpp, error: err.toJSON() };
      if (wired(at)) {
        const out: (NodeMessage | null)[] = wait ? [null, null, null] : [null, null];
        out[at] = msg;
        send(out);
        done();
      } else done(err);
    }
    function fail(msg: NodeMessage, err: SmppError, send: Send, done: (e?: Error) => void): void {
      reportFailure(msg, err, 1, send, done);
    }

    /**
     * send-and-wait: hold the accepted msg until its final report or the
     * timeout. `early` is the report when it came before every part was
     * answered (a receipt right after its own part's response).
     */
    function hold(gw: GatewayNode, rec: SentRecord, early: ReceiptReport | null, msg: NodeMessage, send: Send, done: (e?: Error) => void): (report: ReceiptReport) => void {
      let settled = false;
      const settle = (out: (NodeMessage | null)[] | null, err?: SmppError, at?: 1 | 2) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        held.delete(timeOut);
        if (err && at) return reportFailure(msg, err, at, send, done);
        send(out);
        done();
      };
      const report = (r: ReceiptReport) => {
        msg.dlr = r;
        if (r.delivered) return settle([msg, null, null]);
        settle(null, new SmppError(LOCAL.UNDELIVERED, `not delivered: ${String(r.state)}${r.errorCode ? ` (err ${String(r.errorCode)})` : ''}`), 1);
      };
      const timeOut = () => {
        if (!gw.correlation.forget(rec)) return;
        settle(null, new SmppError(LOCAL.TIMEOUT, `no final delivery report within ${waitTimeout} ms`), 2);
      };
      const timer = setTimeout(timeOut, waitTimeout);
      held.add(timeOut);
      if (early) report(early);
      return report;
    }

    node.on('input', (msg, send, done) => {
      resolveSendInputs(RED, node, msg, inputs).then(
        (input) => submit(msg, input, send, done),
        (e: Error) => fail(msg, new SmppError(LOCAL.INVALID, `smpp-send cannot read its To, From or Text property: ${e.message}`), send, done),
      );
    });

    function submit(msg: NodeMessage, input: { to: unknown; nodeFrom: string; payload: unknown }, send: Send, done: (e?: Error) => void): void {
      const { nodeFrom } = input;
      // a msg sent again after a failure (a Catch, delay, send loop) starts without the old failure
      if (msg.smpp && typeof msg.smpp === 'object' && 'error' in (msg.smpp as object)) {
        const { error: _old, ...rest } = msg.smpp as Record<string, unknown>;
        msg.smpp = rest;
      }
      // the node's To, when used, is the msg's destination from here on (remembered for smpp-dlr, seen on the outputs)
      if (msg.to === undefined && input.to !== undefined) msg.to = input.to;
      if (settings.error) return fail(msg, new SmppError(LOCAL.INVALID, `smpp-send is misconfigured: ${settings.error}`), send, done);
      if (!gateway) return fail(msg, new SmppError(LOCAL.NOT_RUNNING, 'smpp-send has no smpp-gateway configured'), send, done);
      const engine = gateway.engine;
      if (!engine || !gateway.config) {
        return fail(msg, new SmppError(LOCAL.NOT_RUNNING, `the smpp-gateway configuration is invalid: ${gateway.configErrors.join('; ')}`), send, done);
      }
      // send-and-wait needs the success report too: ask for both unless the flow chose
      const smppIn = wait && (msg.smpp === undefined || (typeof msg.smpp === 'object' && msg.smpp !== null && !('registered_delivery' in msg.smpp)))
        ? { ...((msg.smpp as object) ?? {}), registered_delivery: 1 }
        : msg.smpp;
      let built: ReturnType<typeof buildSubmit>;
      try {
        built = buildSubmit({ payload: input.payload, to: input.to, from: msg.from, nodeFrom, smpp: smppIn }, gateway.config, gateway.nextRef);
      } catch (e) {
        // a value the checks cannot even describe (a BigInt, a circular object): still this msg's failure, on the failure output
        built = { ok: false, error: `the msg holds a value smpp-send cannot check (${(e as Error).message.split('\n')[0]}); use numbers, text and Buffers` };
      }
      if (!built.ok) return fail(msg, new SmppError(LOCAL.INVALID, built.error), send, done);

      const parts = built.pdus.length;
      const ids: (string | null)[] = new Array(parts).fill(null);
      let left = parts;
      let firstError: SmppError | null = null;
      // remembered before the parts go out: each part's id is recorded when ITS response arrives,
      // so a receipt that follows its own part's response (or even comes first) finds the message.
      // No receipt asked for (registered_delivery bits 0-1 and 4 clear) and not waiting: none will match, keep nothing.
      const wantsReceipts = wait || (Number(built.pdus[0].registered_delivery) & 0x13) !== 0;
      let early: ReceiptReport | null = null;
      let onReport: ((r: ReceiptReport) => void) | null = null;
      const rec = wantsReceipts
        ? gateway.correlation.expect(parts, rememberedOf(msg, remember, parts), wait ? (r) => (onReport ? onReport(r) : (early = r)) : undefined)
        : null;
      const finish = () => {
        const smpp = (msg.smpp && typeof msg.smpp === 'object' ? msg.smpp : {}) as Record<string, unknown>;
        msg.smpp = { ...smpp, command: built.command, messageId: ids[0], messageIds: ids, parts, dataCoding: built.dataCoding };
        if (firstError) {
          if (rec) gateway.correlation.forget(rec);
          return fail(msg, firstError, send, done);
        }
        (msg.smpp as Record<string, unknown>).acceptedAt = new Date().toISOString();
        if (wait && rec) {
          onReport = hold(gateway, rec, early, msg, send, done);
          return;
        }
        send([msg, null]);
        done();
      };
      for (let i = 0; i < parts; i++) {
        engine.submit(built.command, built.pdus[i], (err, resp) => {
          if (err) {
            firstError ??= err;
            if (rec) gateway.correlation.refused(rec, i);
          } else {
            ids[i] = String(resp?.message_id ?? '');
            if (rec) gateway.correlation.accepted(rec, i, ids[i] as string);
          }
          if (--left === 0) finish();
        });
      }
    }

    node.on('close', (_removed, done) => {
      // messages still waiting for their report leave now, on the timed-out output
      for (const release of Array.from(held)) release();
      done();
    });
  }

  RED.nodes.registerType('smpp-send', SmppSendNode);
};
