/**
 * Shared between the benchmark driver and its two Node-RED node types (same
 * process, same module instance): where a bench-sink hands its messages, and
 * the bench-source nodes the driver sends from.
 */
import type { Node, NodeMessage } from '../../../nodes/red-types';

export const sinks = new Map<string, (msg: NodeMessage) => void>();
export const sources = new Map<string, Node>();
