/** The little of Node-RED's runtime API these nodes use (Node-RED ships no types of its own). */
export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export interface NodeMessage {
  _msgid?: string;
  payload?: unknown;
  topic?: string;
  [key: string]: unknown;
}

export interface Node {
  id: string;
  type: string;
  name?: string;
  credentials?: Record<string, string | undefined>;
  status(s: NodeStatus): void;
  send(msg: NodeMessage | (NodeMessage | null)[] | null): void;
  error(err: unknown, msg?: NodeMessage): void;
  warn(text: unknown): void;
  log(text: unknown): void;
  debug(text: unknown): void;
  on(event: 'input', cb: (msg: NodeMessage, send: (m: NodeMessage | (NodeMessage | null)[] | null) => void, done: (err?: Error) => void) => void): void;
  on(event: 'close', cb: (removed: boolean, done: () => void) => void): void;
}

export interface NodeAPI {
  nodes: {
    createNode(node: object, def: object): void;
    getNode(id: string): unknown;
    registerType(type: string, ctor: Function, opts?: object): void;
  };
  _(key: string, subs?: Record<string, unknown>): string;
  util: {
    generateId(): string;
    evaluateNodeProperty(value: string, type: string, node: object, msg: NodeMessage, cb: (err: Error | null, result: unknown) => void): void;
  };
}
