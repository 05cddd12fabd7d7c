/**
 * smpp-gateway: the config node that owns one SMPP link. A thin layer over
 * the LinkSupervisor: it validates the configuration, fans the link's state
 * out to every node that uses it (as Node-RED's MQTT broker node does), and
 * routes what the SMSC sends to the smpp-receive and smpp-dlr nodes.
 */
import { parseGatewayConfig } from '../src/config/gateway-config';
import type { StateEvent } from '../src/engine/engine-api';
import { createGateway, loadTlsCa } from '../src/engine/create-gateway';
import type { InboundRequest } from '../src/engine/engine-api';
import { COMMAND_STATUS } from '../src/smpp/command-status';
import { openCorrelation } from './correlation-context';
import { sharedSendBucket } from './shared/send-rate';
import { checkSharing } from './shared/startup-check';
import { createMoRouter } from './mo-router';
import { createFlowAck } from './flow-ack';
import { createReceiptRouter } from './receipt-router';
import { badConfigStatus, statusOf } from './gateway-status';
import { registerAdminRoutes, AdminRED } from './admin-routes';
import { SidebarFeed, Publisher } from './sidebar-feed';
import type { NodeAPI, NodeStatus } from './red-types';
import type { ClientKind, GatewayClient, GatewayNode } from './gateway-types';

export = function register(RED: NodeAPI): void {
  // the editor's SMPP sidebar and Test connection button (admin endpoints, comms)
  const feed = new SidebarFeed((RED as unknown as { comms?: Publisher }).comms ?? null);
  registerAdminRoutes(RED as unknown as AdminRED, feed);

  function SmppGatewayNode(this: GatewayNode, def: Record<string, unknown>): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const clients = new Map<GatewayClient, ClientKind>();
    const creds = node.credentials ?? {};
    const parsed = parseGatewayConfig(def);
    // tlsCaFile is read once, here; an unreadable one is a configuration error
    const tlsCa = parsed.config ? loadTlsCa(parsed.config) : {};
    if (tlsCa.error) {
      parsed.config = null;
      parsed.errors.push(tlsCa.error);
    }
    let ref = Math.floor(Math.random() * 0x10000);
    let status: NodeStatus;

    node.config = parsed.config;
    node.configErrors = parsed.errors;
    node.engine = null;
    // Share with other instances: one check, one error when there is no Redis store
    const sharing = checkSharing(RED, node, parsed.config);
    const correlation = openCorrelation(RED, node, parsed.config, sharing.store);
    node.correlation = correlation.matcher;
    node.nextRef = () => (ref = (ref + 1) & 0xffff);

    const fanOut = (s: NodeStatus) => {
      status = s;
      for (const c of clients.keys()) c.status(s);
    };

    if (!parsed.config) {
      status = badConfigStatus();
      node.error(`smpp-gateway ${node.name || node.id}: ${parsed.errors.join('; ')}`);
    } else {
      // one link: a LinkSupervisor as before; several links or bindSplit: a LinkPool
      const engine = createGateway(parsed.config, { systemId: creds.systemId ?? '', password: creds.password ?? '' }, {
        log: (level, text) => (level === 'warn' ? node.warn(text) : level === 'info' ? node.log(text) : node.debug(text)),
        tlsCa: tlsCa.ca,
        sendBucket: sharedSendBucket(sharing.store, node, parsed.config),
      });
      node.engine = engine;
      status = statusOf(engine.stateEvent, sharing.problem !== null);
      engine.on('state', (ev: StateEvent) => {
        fanOut(statusOf(ev, sharing.problem !== null));
        for (const [c, kind] of clients) if (kind === 'control') c.stateChanged?.(ev);
      });
      engine.setInboundHandler((req) => routeInbound(req));
    }

    node.currentStatus = () => status;
    feed.add(node);

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

    // Acknowledge MO: on arrival, or when the flow is done with the msg (flow-ack.ts)
    node.flowAck = createFlowAck(RED, node, parsed.config);
    // shared long MOs only with the store the startup check found (it alone logs when there is none)
    const moRouter = createMoRouter(node, () => clientsOf('receive'), sharing.store);
    const routeReceipt = createReceiptRouter(node.correlation, () => clientsOf('dlr'), {
      acceptedIsFinal: parsed.config?.acceptedIsFinal ?? false,
      errorStatus: () => node.flowAck?.errorStatus ?? COMMAND_STATUS.ESME_RX_T_APPN,
    });
    // Receiving Thread Pool Queue Length: MOs and receipts not yet handled (in the flow, long MOs waiting for parts)
    const receiveFull = (): boolean =>
      parsed.config !== null && (node.flowAck?.inFlow() ?? 0) + (node.moCounters?.moHeldGroups ?? 0) >= parsed.config.receiveQueueLength;

    function routeInbound(req: InboundRequest): void {
      // decoded and classified once by the engine (SMPP 3.4 section 5.2.12 message type)
      const inbound = req.inbound;
      if (inbound.kind === 'invalid') {
        node.warn(`refused a ${req.command} from the SMSC: ${inbound.error}`);
        req.respond(COMMAND_STATUS.ESME_RX_P_APPN);
        return;
      }
      if (inbound.kind === 'receipt') return receiveFull() ? req.respond(COMMAND_STATUS.ESME_RTHROTTLED) : routeReceipt(inbound, req);
      moRouter.route(inbound, req);
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      feed.remove(node.id);
      correlation.close();
      let called = false;
      const finish = () => {
        if (called) return;
        called = true;
        clearTimeout(guard);
        done();
      };
      // Node-RED waits 15 s for close; never make it wait longer than our own bound
      const guard = setTimeout(finish, 10_000);
      // stop the MO part sweep; hand held incomplete messages out before the link goes
      moRouter.close();
      // what is still in the flow was not handled: answered ackErrorStatus, the SMSC sends it again
      node.flowAck?.close();
      if (!node.engine) return finish();
      node.engine.close().then(finish, finish);
    });
  }

  RED.nodes.registerType('smpp-gateway', SmppGatewayNode, {
    credentials: { systemId: { type: 'text' }, password: { type: 'password' } },
  });
};
