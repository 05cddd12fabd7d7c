/**
 * Reports handed over between instances sharing the correlation
 * (shareInstances): when an instance takes the final receipt of a message
 * another instance sent, it adds a note (src/correlation/shared-correlation.ts
 * HandOver) to that instance's inbox, a Redis STREAM in the scope
 * '<gateway id>:smpp-inbox', key = the owner's name (its record id prefix).
 * The owner reads its stream with XREAD BLOCK on a connection of its own
 * (openReader), hands each note to the matcher (its send-and-wait waiter is
 * woken; its memory copy dropped) and deletes it (XDEL).
 *
 * Why a stream and not pub/sub or keyspace events: those deliver at most
 * once and lose what is published while the subscriber's connection is down
 * (Redis restarting, a network blip), and a waiter would then time out on a
 * delivered SMS. An entry of a stream stays until its reader has it: after
 * a reconnect the owner reads on from the last id it handled. The receipt
 * is acknowledged to the SMSC only once XADD succeeded (receipt-router.ts).
 * Every write sets the stream's expiry (an hour): the inbox of an instance
 * that died goes away by itself. When reading works again after failing
 * (Redis restarted) and the inbox is drained, `onRecovered` runs (the
 * matcher writes again the records Redis lost).
 */
import { decodeHandOver, encodeHandOver, HandOver } from '../../src/correlation/shared-correlation';
import type { ReaderClient, SharedRedis } from './shared-store';

/** XADD with the stream's expiry, in one step. KEYS[1] the stream; ARGV: ttl ms, field, value, ... */
const ADD_NOTE = `local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return id`;

const INBOX_TTL_MS = 3600_000;
const BLOCK_MS = 5000;
const RETRY_MS = 500;

export interface ReceiptInbox {
  handOver(owner: string, note: HandOver, cb: (err: Error | null) => void): void;
  close(): void;
}

/** The entries of an XREAD reply (RESP2 arrays or RESP3 maps): [id, fields][] */
function entriesOf(reply: unknown): [string, unknown][] {
  if (!reply) return [];
  const streams: unknown[] = Array.isArray(reply) ? reply : typeof reply === 'object' ? Object.entries(reply as object) : [];
  const out: [string, unknown][] = [];
  for (const s of streams) {
    const entries = Array.isArray(s) ? s[1] : undefined;
    if (!Array.isArray(entries)) continue;
    for (const e of entries) if (Array.isArray(e) && e.length >= 2) out.push([String(e[0]), e[1]]);
  }
  return out;
}

/**
 * This instance's inbox (`me`), read until close(); notes go to `onNote`.
 * log: a line when reading fails (once until it works again).
 */
export function openReceiptInbox(
  store: SharedRedis,
  gatewayId: string,
  me: string,
  onNote: (note: HandOver) => void,
  onRecovered: (done: (ok: boolean) => void) => void,
  log: (text: string) => void,
): ReceiptInbox {
  const scope = `${gatewayId}:smpp-inbox`;
  const keyOf = (owner: string) => store.redisKey(scope, owner);
  const mine = keyOf(me);
  let closed = false;
  let reader: ReaderClient | null = null;
  let failing = false;
  /** reading failed since the last time the inbox was drained */
  let recovering = false;

  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

  async function loop(): Promise<void> {
    let last = '0-0';
    while (!closed) {
      try {
        if (!reader) {
          const r = await store.openReader();
          if (closed) {
            store.closeReader(r);
            break;
          }
          reader = r;
        }
        // after a failure, a read that does not block: the records are restored as soon as the inbox is drained
        const block = recovering ? [] : ['BLOCK', String(BLOCK_MS)];
        const reply = await reader.sendCommand(['XREAD', 'COUNT', '100', ...block, 'STREAMS', mine, last]);
        failing = false;
        const entries = entriesOf(reply);
        for (const [id, fields] of entries) {
          last = id;
          const note = decodeHandOver(fields);
          try {
            if (note) onNote(note);
          } catch (e) {
            log(`a handed-over receipt could not be taken: ${(e as Error).message}`);
          }
        }
        if (entries.length) store.send(['XDEL', mine, ...entries.map((e) => e[0])]).catch(() => undefined);
        if (recovering && entries.length < 100) {
          // (the store's own connection may come back after this one: then again a moment later)
          const ok = await new Promise<boolean>((resolve) => {
            try {
              onRecovered(resolve);
            } catch (e) {
              log(`restoring the records after Redis came back failed: ${(e as Error).message}`);
              resolve(false);
            }
          });
          if (ok) recovering = false;
          else await sleep(RETRY_MS);
        }
      } catch (e) {
        if (closed) break;
        if (!failing) log(`reading the handed-over receipts from Redis failed (${(e as Error)?.message ?? String(e)}); retrying`);
        failing = true;
        recovering = true;
        await sleep(RETRY_MS);
      }
    }
  }
  void loop();

  return {
    handOver(owner, note, cb) {
      store.script(ADD_NOTE, [keyOf(owner)], [String(INBOX_TTL_MS), ...encodeHandOver(note)]).then(
        () => cb(null),
        (err: Error) => cb(err),
      );
    },
    close() {
      closed = true;
      if (reader) store.closeReader(reader);
      reader = null;
    },
  };
}
