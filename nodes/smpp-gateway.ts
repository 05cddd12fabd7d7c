/**
 * smpp-gateway: the config node that owns one SMPP link. A thin layer over
 * the GatewayEngine: it validates the configuration, fans the link's state
 * out to every node that uses it (as Node-RED's MQTT broker node does), and
 * routes what the SMSC sends to the smpp-receive and smpp-dlr nodes.
 */
import { parseGatewayConfig, GatewayConfig } from '../src/config/gateway-config';
import { GatewayEngine, StateEvent } from '../src/engine/gateway-engine';
import type { InboundRequest } from '../src/engine/smpp-link';
import { COMMAND_STATUS } from '../src/smpp/command-status';
import { classifyInbound, MoMessage, ReceiptMessage } from '../src/message/inbound';
import { matchesPrefix, parsePrefixes } from '../src/message/addresses';
import { CorrelationStore, SentRecord } from '../src/correlation/memory-store';
import { foldReceipts } from '../src/correlation/fold-receipts';
import { statusOf } from './gateway-status';
import type { NodeAPI, NodeMessage, NodeStatus } from './red-types';
import type { ClientKind, GatewayClient, GatewayNode, ReceiptWaiter } from './gateway-types';

const CORRELATION_TTL_MS = 72 * 3600 * 1000;
const CORRELATION_MAX = 1_000_000;

export = function register(RED: NodeAPI): void {
  function SmppGatewayNode(this: GatewayNode, def: Record<string, unknown>): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const clients = new Map<GatewayClient, ClientKind>();
    const creds = node.credentials ?? {};
    const parsed = parseGatewayConfig(def);
    let ref = Math.floor(Math.random() * 0x10000);
    let status: NodeStatus;

    node.config = parsed.config;
    node.configErrors = parsed.errors;
    node.engine = null;
    node.correlation = new CorrelationStore(CORRELATION_TTL_MS, CORRELATION_MAX, Date.now);
    node.nextRef = () => (ref = (ref + 1) & 0xffff);

    const fanOut = (s: NodeStatus) => {
      status = s;
      for (const c of clients.keys()) c.status(s);
    };

    if (!parsed.config) {
      status = { fill: 'red', shape: 'ring', text: RED._('smpp-gateway.status.badconfig', { error: parsed.errors[0] }) };
      node.error(`smpp-gateway ${node.name || node.id}: ${parsed.errors.join('; ')}`);
    } else {
      const engine = new GatewayEngine(parsed.config, { systemId: creds.systemId ?? '', password: creds.password ?? '' }, {
        log: (level, text) => (level === 'warn' ? node.warn(text) : level === 'info' ? node.log(text) : node.debug(text)),
      });
      node.engine = engine;
      status = statusOf(RED, engine.stateEvent);
      engine.on('state', (ev: StateEvent) => {
        fanOut(statusOf(RED, ev));
        for (const [c, kind] of clients) if (kind === 'control') c.stateChanged?.(ev);
      });
      engine.setInboundHandler((req) => routeInbound(req));
    }

    node.currentStatus = () => status;

    node.register = (client, kind) => {
      clients.set(client, kind);
      client.status(status);
      if (node.engine && node.engine.state === 'idle') node.engine.start();
    };

    node.deregister = (client, done) => {
      clients.delete(client);
      done?.();
    };

    const waiters = new WeakMap<SentRecord, ReceiptWaiter>();

    node.remember = (ids, msg, extra, waiter) => {
      const keep: Record<string, unknown> = { correlationId: msg.correlationId, topic: msg.topic, to: msg.to, _msgid: msg._msgid, parts: ids.length };
      for (const p of extra) if (msg[p] !== undefined) keep[p] = msg[p];
      const rec = node.correlation.add(ids, keep);
      if (waiter) waiters.set(rec, waiter);
      return rec;
    };

    node.forget = (rec) => {
      const had = waiters.delete(rec);
      node.correlation.remove(rec);
      return had;
    };

    function clientsOf(kind: ClientKind): GatewayClient[] {
      const out: GatewayClient[] = [];
      for (const [c, k] of clients) if (k === kind) out.push(c);
      return out;
    }

    function routeInbound(req: InboundRequest): void {
      const inbound = classifyInbound(req.pdu as unknown as Record<string, unknown>, req.raw);
      if (inbound.kind === 'invalid') {
        node.warn(`refused a ${req.pdu.command} from the SMSC: ${inbound.error}`);
        req.respond(COMMAND_STATUS.ESME_RX_P_APPN);
        return;
      }
      if (inbound.kind === 'receipt') return routeReceipt(inbound, req);
      routeMo(inbound, req);
    }

    function routeMo(mo: MoMessage, req: InboundRequest): void {
      const receivers = clientsOf('receive');
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
    }

    function routeReceipt(rm: ReceiptMessage, req: InboundRequest): void {
      const dlrs = clientsOf('dlr');
      const r = rm.receipt;
      const match = node.correlation.find(r.messageId);
      const waiter = match ? waiters.get(match.record) : undefined;
      if (dlrs.length === 0 && !waiter) {
        // nobody to take it: the SMSC keeps it and retries later
        req.respond(COMMAND_STATUS.ESME_RTHROTTLED);
        return;
      }
      const base: Record<string, unknown> = {
        messageId: r.messageId,
        state: r.state,
        final: r.final,
        delivered: r.delivered,
        errorCode: r.errorCode ?? null,
        networkError: r.networkError ?? null,
        submitDate: r.submitDate ?? null,
        doneDate: r.doneDate ?? null,
        submitted: r.submitted ?? null,
        dlvrd: r.dlvrdCount ?? null,
        text: r.text ?? null,
        from: rm.from,
        to: rm.to,
      };
      if (!match) {
        for (const d of dlrs) d.acceptReceipt?.({ ...base, unmatched: true }, null);
        req.respond(COMMAND_STATUS.ESME_ROK);
        return;
      }
      const rec: SentRecord = match.record;
      rec.receipts[match.part] = r;
      if (rec.partIds.length > 1) {
        const folded = foldReceipts(rec.receipts);
        if (!folded.final) {
          // a part's report: held until the message's outcome is known
          req.respond(COMMAND_STATUS.ESME_ROK);
          return;
        }
        Object.assign(base, {
          messageId: rec.partIds[0],
          state: folded.state,
          final: true,
          delivered: folded.delivered,
          parts: rec.receipts.map((p, i) => ({ messageId: rec.partIds[i], state: p?.state ?? null, errorCode: p?.errorCode ?? null })),
        });
      }
      if (base.final) {
        node.correlation.remove(rec);
        if (waiter) {
          waiters.delete(rec);
          waiter({ ...base, unmatched: false });
        }
      }
      for (const d of dlrs) d.acceptReceipt?.({ ...base, unmatched: false }, rec.remembered);
      req.respond(COMMAND_STATUS.ESME_ROK);
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      let called = false;
      const finish = () => {
        if (called) return;
        called = true;
        clearTimeout(guard);
        done();
      };
      // Node-RED waits 15 s for close; never make it wait longer than our own bound
      const guard = setTimeout(finish, 10_000);
      if (!node.engine) return finish();
      node.engine.close().then(finish, finish);
    });
  }

  RED.nodes.registerType('smpp-gateway', SmppGatewayNode, {
    credentials: { systemId: { type: 'text' }, password: { type: 'password' } },
  });
};
