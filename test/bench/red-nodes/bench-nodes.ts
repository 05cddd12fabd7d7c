/**
 * Two node types for the benchmark's Node-RED runtime: bench-source (the
 * driver sends from it, so messages reach smpp-send through Node-RED's own
 * routing, as from any upstream node) and bench-sink (hands every message it
 * receives to the driver's callback for its id).
 */
import type { Node, NodeAPI, NodeMessage } from '../../../nodes/red-types';
import { sinks, sources } from './bench-hooks';

export = function register(RED: NodeAPI): void {
  function BenchSource(this: Node, def: Record<string, unknown>): void {
    RED.nodes.createNode(this, def);
    sources.set(this.id, this);
    this.on('close', (_removed: boolean, done: () => void) => {
      sources.delete(this.id);
      done();
    });
  }
  function BenchSink(this: Node, def: Record<string, unknown>): void {
    RED.nodes.createNode(this, def);
    const id = this.id;
    this.on('input', (msg: NodeMessage, _send: unknown, done: () => void) => {
      const cb = sinks.get(id);
      if (cb) cb(msg);
      done();
    });
  }
  RED.nodes.registerType('bench-source', BenchSource);
  RED.nodes.registerType('bench-sink', BenchSink);
};
