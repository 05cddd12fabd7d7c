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
import { classifyInbound } from '../src/message/inbound';
import { CorrelationStore } from '../src/correlation/memory-store';
import { createMoRouter } from './mo-router';
import { createReceiptRouter } from './receipt-router';
import { statusOf } from './gateway-status';
import type { NodeAPI, NodeMessage, NodeStatus } from './red-types';
import type { ClientKind, GatewayClient, GatewayNode } from './gateway-types';

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

    function clientsOf(kind: ClientKind): GatewayClient[] {
      const out: GatewayClient[] = [];
      for (const [c, k] of clients) if (k === kind) out.push(c);
      return out;
    }

    const routeMo = createMoRouter(node, () => clientsOf('receive'));
    const routeReceipt = createReceiptRouter(node, () => clientsOf('dlr'));

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
