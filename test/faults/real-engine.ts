/** A LinkSupervisor on the real clock and real sockets (127.0.0.1), for the fault tests that need no Node-RED. */
import { LinkSupervisor } from '../../src/engine/link-supervisor';
import type { StateEvent } from '../../src/engine/engine-api';
import { parseGatewayConfig } from '../../src/config/gateway-config';
import type { SmppError } from '../../src/smpp/smpp-error';
import type { PDU } from 'smpp';

export interface Result {
  err: SmppError | null;
  resp: PDU | null;
  /** how many times the callback ran (must be 1) */
  calls: number;
}

export function realEngine(port: number, overrides: Record<string, unknown> = {}, credentials = { systemId: 'esme', password: 'secret1' }) {
  const r = parseGatewayConfig({
    host: '127.0.0.1',
    port,
    heartbeatInterval: 1000,
    transactionTimeout: 500,
    receiveTimeout: 5000,
    reconnectMin: 50,
    reconnectMax: 400,
    connectTimeout: 2000,
    bindTimeout: 2000,
    ...overrides,
  });
  if (!r.config) throw new Error(r.errors.join('; '));
  const logs: string[] = [];
  const engine = new LinkSupervisor(r.config, credentials, { log: (level, text) => logs.push(`${level}: ${text}`) });
  const states: (StateEvent & { at: number })[] = [];
  engine.on('state', (s: StateEvent) => states.push({ ...s, at: Date.now() }));

  /** Submits one short submit_sm; resolves on its (first) callback, and counts later ones. */
  function submit(text = 'hello', to = '4670000001'): Promise<Result> {
    return new Promise((resolve) => {
      const result: Result = { err: null, resp: null, calls: 0 };
      engine.submit('submit_sm', { destination_addr: to, short_message: Buffer.from(text), data_coding: 0 }, (err, resp) => {
        result.calls++;
        if (result.calls > 1) return;
        result.err = err;
        result.resp = resp;
        resolve(result);
      });
    });
  }

  return { engine, states, logs, submit, config: r.config };
}

/** Resolves when `check` is true, polling every 10 ms; rejects with `what` after `ms`. */
export async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
