/** Local TCP ports for the interop tests: a free one, and whether one is listening (without connecting to it). */
import * as fs from 'fs';
import * as net from 'net';
import { freePort } from '../helpers/free-port';

export { freePort } from '../helpers/free-port';

/**
 * True when some socket is in LISTEN state on `port` (any local address), read
 * from /proc/net/tcp and tcp6. Used for peers that serve a single connection
 * and quit when it closes, so a probe connection would end them.
 */
export function isListening(port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols[1] = local address "HEXIP:HEXPORT", cols[3] = state, 0A = LISTEN
      if (cols.length > 3 && cols[3] === '0A' && cols[1].endsWith(`:${hexPort}`)) return true;
    }
  }
  return false;
}
