/**
 * Records the PDU headers that cross a real engine socket, both ways, so a
 * test can see what the peer actually answered (enquire_link_resp,
 * unbind_resp ...) and how many requests were outstanding at once. It only
 * observes: the bytes go through untouched. Headers are read here by hand
 * (SMPP 3.4 section 3.2), not with the codec under test.
 */
import * as net from 'net';
import { LinkSettings, defaultSocketFactory } from '../../src/engine/smpp-link';

/** SMPP 3.4 command_id values (section 5.1.2) the interop tests look for */
export const CMD = {
  generic_nack: 0x80000000,
  bind_receiver: 0x00000001,
  bind_receiver_resp: 0x80000001,
  bind_transmitter: 0x00000002,
  bind_transmitter_resp: 0x80000002,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  unbind: 0x00000006,
  unbind_resp: 0x80000006,
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
} as const;

const NAMES = new Map<number, string>(Object.entries(CMD).map(([k, v]) => [v, k]));

export interface WireFrame {
  /** 'in' = from the peer, 'out' = from the engine */
  dir: 'in' | 'out';
  commandId: number;
  status: number;
  seq: number;
  length: number;
}

class Framer {
  private buf = Buffer.alloc(0);
  constructor(private readonly dir: 'in' | 'out', private readonly sink: (f: WireFrame) => void) {}
  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk);
    while (this.buf.length >= 16) {
      const length = this.buf.readUInt32BE(0);
      if (length < 16) {
        // out of step: record it and stop reading this direction
        this.sink({ dir: this.dir, commandId: -1, status: -1, seq: -1, length });
        this.buf = Buffer.alloc(0);
        return;
      }
      if (this.buf.length < length) return;
      this.sink({ dir: this.dir, commandId: this.buf.readUInt32BE(4), status: this.buf.readUInt32BE(8), seq: this.buf.readUInt32BE(12), length });
      this.buf = this.buf.subarray(length);
    }
  }
}

export class WireTap {
  readonly frames: WireFrame[] = [];
  sockets = 0;

  /** a SocketFactory for EngineDeps: the real TCP socket, observed */
  readonly factory = (s: LinkSettings): net.Socket => {
    const sock = defaultSocketFactory(s);
    this.sockets++;
    const inbound = new Framer('in', (f) => this.frames.push(f));
    const outbound = new Framer('out', (f) => this.frames.push(f));
    sock.on('data', (c: Buffer) => inbound.push(c));
    const write = sock.write.bind(sock) as (...args: unknown[]) => boolean;
    sock.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (Buffer.isBuffer(chunk)) outbound.push(chunk);
      return write(chunk, ...rest);
    }) as typeof sock.write;
    return sock;
  };

  count(dir: 'in' | 'out', commandId: number, status?: number): number {
    return this.frames.filter((f) => f.dir === dir && f.commandId === commandId && (status === undefined || f.status === status)).length;
  }

  /** the most `request`s sent by the engine and not yet answered by `response`, at any moment */
  maxOutstanding(request: number, response: number): number {
    const open = new Set<number>();
    let max = 0;
    for (const f of this.frames) {
      if (f.dir === 'out' && f.commandId === request) open.add(f.seq);
      else if (f.dir === 'in' && (f.commandId === response || f.commandId === CMD.generic_nack)) open.delete(f.seq);
      max = Math.max(max, open.size);
    }
    return max;
  }

  /** the requests of one kind the engine sent, each paired with the peer's answer (if any) */
  answered(request: number, response: number): { seq: number; status: number | null }[] {
    const answers = new Map<number, number>();
    for (const f of this.frames) if (f.dir === 'in' && (f.commandId === response || f.commandId === CMD.generic_nack)) answers.set(f.seq, f.status);
    return this.frames.filter((f) => f.dir === 'out' && f.commandId === request).map((f) => ({ seq: f.seq, status: answers.get(f.seq) ?? null }));
  }

  /** a readable log of the traffic, for assertion messages */
  describe(max = 80): string {
    const lines = this.frames.map(
      (f) => `${f.dir === 'in' ? 'peer ->' : '<- engine'} ${NAMES.get(f.commandId) ?? `0x${(f.commandId >>> 0).toString(16)}`} seq=${f.seq} status=${f.status} len=${f.length}`,
    );
    const shown = lines.length > max ? ['...', ...lines.slice(-max)] : lines;
    return `\n--- wire (${this.frames.length} PDUs) ---\n${shown.join('\n')}\n--- end of wire ---`;
  }
}
