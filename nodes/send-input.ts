/**
 * smpp-send's optional To, From and Text properties: typed inputs (msg, flow,
 * global, env, str) the node evaluates for a msg that has none of its own
 * (msg.to, msg.from, msg.payload), the way Node-RED's core nodes read theirs.
 */
import type { NodeAPI, NodeMessage } from './red-types';

export const INPUT_TYPES = ['msg', 'flow', 'global', 'env', 'str'] as const;

interface Typed {
  value: string;
  type: string;
}

export interface SendInputs {
  to: Typed | null;
  from: Typed | null;
  text: Typed | null;
  /** a property whose type is not one of INPUT_TYPES, or null */
  error: string | null;
}

function typed(def: Record<string, unknown>, key: string, errors: string[]): Typed | null {
  const value = def[key] === undefined || def[key] === null ? '' : String(def[key]);
  // a node saved before the typed inputs has no type: its value is a string
  const type = def[`${key}Type`] === undefined || def[`${key}Type`] === '' ? 'str' : String(def[`${key}Type`]);
  if (!(INPUT_TYPES as readonly string[]).includes(type)) errors.push(`${key}Type must be one of ${INPUT_TYPES.join(', ')}; got ${JSON.stringify(type).slice(0, 20)}`);
  return value.trim() === '' ? null : { value, type };
}

export function readSendInputs(def: Record<string, unknown>): SendInputs {
  const errors: string[] = [];
  const out = { to: typed(def, 'to', errors), from: typed(def, 'from', errors), text: typed(def, 'text', errors) };
  return { ...out, error: errors.length ? errors.join('; ') : null };
}

function evaluate(RED: NodeAPI, node: object, msg: NodeMessage, p: Typed | null, own: unknown): Promise<unknown> {
  if (own !== undefined || !p) return Promise.resolve(own);
  if (p.type === 'str') return Promise.resolve(p.value);
  return new Promise((resolve, reject) => {
    RED.util.evaluateNodeProperty(p.value, p.type, node, msg, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/**
 * The msg's own to and payload, each replaced by the node's property when the
 * msg has none (undefined; an empty payload counts as none), and the node's
 * sender for a msg without from (buildSubmit reads msg.from first).
 */
export async function resolveSendInputs(RED: NodeAPI, node: object, msg: NodeMessage, inputs: SendInputs): Promise<{ to: unknown; nodeFrom: string; payload: unknown }> {
  const payload = msg.payload === '' ? undefined : msg.payload;
  const ownFrom = msg.from === undefined || msg.from === null || msg.from === '' ? undefined : msg.from;
  const [to, from, text] = await Promise.all([
    evaluate(RED, node, msg, inputs.to, msg.to),
    evaluate(RED, node, msg, inputs.from, ownFrom),
    evaluate(RED, node, msg, inputs.text, payload),
  ]);
  const nodeFrom = ownFrom !== undefined || from === undefined || from === null ? '' : String(from);
  return { to, nodeFrom, payload: text === undefined ? msg.payload : text };
}
