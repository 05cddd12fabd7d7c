/**
 * A real Node-RED runtime in this process, embedded the documented way
 * (require('node-red'), init, start): our package loaded from the project
 * directory as Node-RED loads any installed node module, the flow from a
 * flow file, default message delivery (asynchronous, as users run it). No
 * editor or HTTP server. Used by the benchmark's Node-RED cases.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Node, NodeMessage } from '../../nodes/red-types';
import type { SmscTarget } from './jobs';
import { sinks, sources } from './red-nodes/bench-hooks';

const ROOT = path.join(__dirname, '..', '..', '..');

export interface Runtime {
  node<T = Node>(id: string): T;
  source(id: string): Node;
  onSink(id: string, cb: (msg: NodeMessage) => void): void;
  stop(): Promise<void>;
}

/** The gateway settings every benchmark flow uses (window and receipts per case). */
export function gatewayNode(smsc: SmscTarget, window: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'gw1', type: 'smpp-gateway', name: 'bench', host: smsc.host, port: smsc.port, bindMode: 'transceiver',
    windowSize: window, sendQueueLength: 20000, receiveQueueLength: 20000, transactionTimeout: 10000,
    heartbeatInterval: 30000, receiveTimeout: 180000, reconnectMin: 200, reconnectMax: 2000,
    registeredDelivery: '0', messageFormat: 'auto', splitMode: 'concatenated', ...extra,
  };
}

/** Starts Node-RED with `flow` (tab t1 is added; give nodes z: 't1'); resolves once the flows run. */
export async function startRuntime(flow: object[], smsc: SmscTarget): Promise<Runtime> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-bench-red-'));
  const userDir = path.join(dir, 'user');
  const benchNodes = path.join(dir, 'bench-nodes');
  fs.mkdirSync(userDir);
  fs.mkdirSync(benchNodes);
  // a node file and its (empty) editor file, as Node-RED wants them side by side
  fs.writeFileSync(path.join(benchNodes, 'bench-nodes.js'), `module.exports = require(${JSON.stringify(path.join(__dirname, 'red-nodes', 'bench-nodes.js'))});\n`);
  fs.writeFileSync(path.join(benchNodes, 'bench-nodes.html'), '\n');
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify([{ id: 't1', type: 'tab', label: 'bench' }, ...flow]));
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify({ gw1: { systemId: smsc.systemId, password: smsc.password } }));

  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const RED = require('node-red');
  const started = new Promise<void>((resolve) => {
    const onStarted = () => {
      RED.events.removeListener('flows:started', onStarted);
      resolve();
    };
    RED.events.on('flows:started', onStarted);
  });
  RED.init({
    userDir,
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: false,
    disableEditor: true,
    nodesDir: [benchNodes, ROOT],
    logging: { console: { level: 'error', metrics: false, audit: false } },
    diagnostics: { enabled: false },
    telemetry: { enabled: false },
    SKIP_BUILD_CHECK: true,
  });
  await RED.start();
  await Promise.race([started, new Promise((_r, reject) => setTimeout(() => reject(new Error('Node-RED flows did not start within 20 s')), 20_000))]);
  let stopped = false;
  return {
    node<T>(id: string): T {
      const n = RED.nodes.getNode(id);
      if (!n) throw new Error(`no node ${id} in the running flow`);
      return n as T;
    },
    source(id: string): Node {
      const n = sources.get(id);
      if (!n) throw new Error(`no bench-source ${id}`);
      return n;
    },
    onSink(id, cb) {
      sinks.set(id, cb);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      sinks.clear();
      await Promise.race([RED.stop(), new Promise((r) => setTimeout(r, 15_000))]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
