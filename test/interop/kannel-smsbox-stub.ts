/**
 * drive_smpp (Kannel's test SMSC) also plays an smsbox: a second after its
 * first ESME connects it dials a bearerbox on 127.0.0.1:13001 (fixed in its
 * source), tries once more two seconds later, and aborts the whole process
 * if nobody answers. This listener only accepts that connection and holds
 * it, so drive_smpp lives as long as the SMPP session under test. It speaks
 * no protocol: drive_smpp only reads from it, and nothing is sent.
 */
import * as net from 'net';

export const DRIVE_SMPP_BEARERBOX_PORT = 13001;

export interface SmsboxStub {
  /** 'listening' = ours; 'in-use' = something else already listens there, which serves drive_smpp as well */
  readonly mode: 'listening' | 'in-use';
  readonly connections: number;
  close(): Promise<void>;
}

export function startSmsboxStub(): Promise<SmsboxStub> {
  return new Promise((resolve, reject) => {
    const sockets = new Set<net.Socket>();
    let connections = 0;
    const server = net.createServer((s) => {
      connections++;
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    });
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') {
        resolve({ mode: 'in-use', connections: 0, close: async () => undefined });
      } else reject(e);
    });
    server.listen(DRIVE_SMPP_BEARERBOX_PORT, '127.0.0.1', () => {
      resolve({
        mode: 'listening',
        get connections() {
          return connections;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
