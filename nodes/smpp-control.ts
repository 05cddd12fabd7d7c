/** smpp-control: the reference page's Gateway Monitoring: rebuild, disconnect, connect, status; state events out. */
import type { StateEvent } from '../src/engine/gateway-engine';
import type { GatewayClient } from './gateway-types';
import { attachToGateway } from './gateway-client';
import type { NodeAPI } from './red-types';

const COMMANDS = ['rebuild', 'disconnect', 'connect', 'status'] as const;
type Command = (typeof COMMANDS)[number];

export = function register(RED: NodeAPI): void {
  function SmppControlNode(this: GatewayClient, def: Record<string, unknown>): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const gateway = attachToGateway(RED, node, def, 'control');
    const events = def.events !== false && def.events !== 'false';

    node.stateChanged = (ev: StateEvent) => {
      if (!events) return;
      node.send({ topic: 'state', payload: { event: ev.state, ...ev, since: new Date(ev.since).toISOString() } });
    };

    node.on('input', (msg, send, done) => {
      const raw = typeof msg.topic === 'string' && (COMMANDS as readonly string[]).includes(msg.topic) ? msg.topic : msg.payload;
      const command = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      if (!(COMMANDS as readonly string[]).includes(command)) {
        return done(new Error(`smpp-control: msg.topic or msg.payload must be one of ${COMMANDS.join(', ')}; got ${JSON.stringify(raw)}`));
      }
      const engine = gateway?.engine;
      if (!engine) return done(new Error(`smpp-control: the gateway is not running (${gateway ? gateway.configErrors.join('; ') : 'no gateway configured'})`));
      switch (command as Command) {
        case 'rebuild':
          engine.rebuild();
          break;
        case 'disconnect':
          void engine.disconnect();
          break;
        case 'connect':
          engine.connect();
          break;
        case 'status':
          msg.topic = 'status';
          msg.payload = { ...engine.snapshot(), correlation: { pending: gateway!.correlation.size, ...gateway!.correlation.counters } };
          send(msg);
          break;
      }
      done();
    });

  }

  RED.nodes.registerType('smpp-control', SmppControlNode);
};
