/**
 * Receipts from the SMSC to the smpp-dlr nodes and send-and-wait waiters:
 * correlation with what smpp-send remembered, multipart folding, and the
 * answer to the SMSC (ESME_ROK only once a node or waiter took it).
 */
import type { InboundRequest } from '../src/engine/smpp-link';
import { COMMAND_STATUS } from '../src/smpp/command-status';
import type { ReceiptMessage } from '../src/message/inbound';
import type { SentRecord } from '../src/correlation/memory-store';
import { foldReceipts } from '../src/correlation/fold-receipts';
import type { GatewayClient, GatewayNode, ReceiptWaiter } from './gateway-types';

export type ReceiptRoute = (rm: ReceiptMessage, req: InboundRequest) => void;

/** Installs node.remember and node.forget, and returns the receipt route. */
export function createReceiptRouter(node: GatewayNode, dlrClients: () => GatewayClient[]): ReceiptRoute {
  const waiters = new WeakMap<SentRecord, ReceiptWaiter>();

  node.remember = (ids, msg, extra, waiter) => {
    const keep: Record<string, unknown> = { correlationId: msg.correlationId, topic: msg.topic, to: msg.to, _msgid: msg._msgid, parts: ids.length };
    for (const p of extra) if (msg[p] !== undefined) keep[p] = msg[p];
    const rec = node.correlation.add(ids, keep);
    if (waiter) waiters.set(rec, waiter);
    return rec;
  };

  node.forget = (rec) => {
    const had = waiters.delete(rec);
    node.correlation.remove(rec);
    return had;
  };


  return function routeReceipt(rm: ReceiptMessage, req: InboundRequest): void {
    const dlrs = dlrClients();
    const r = rm.receipt;
    const match = node.correlation.find(r.messageId);
    const waiter = match ? waiters.get(match.record) : undefined;
    if (dlrs.length === 0 && !waiter) {
      // nobody to take it: the SMSC keeps it and retries later
      req.respond(COMMAND_STATUS.ESME_RTHROTTLED);
      return;
    }
    const base: Record<string, unknown> = {
      messageId: r.messageId,
      state: r.state,
      final: r.final,
      delivered: r.delivered,
      errorCode: r.errorCode ?? null,
      networkError: r.networkError ?? null,
      submitDate: r.submitDate ?? null,
      doneDate: r.doneDate ?? null,
      submitted: r.submitted ?? null,
      dlvrd: r.dlvrdCount ?? null,
      text: r.text ?? null,
      from: rm.from,
      to: rm.to,
    };
    if (!match) {
      for (const d of dlrs) d.acceptReceipt?.({ ...base, unmatched: true }, null);
      req.respond(COMMAND_STATUS.ESME_ROK);
      return;
    }
    const rec: SentRecord = match.record;
    rec.receipts[match.part] = r;
    if (rec.partIds.length > 1) {
      const folded = foldReceipts(rec.receipts);
      if (!folded.final) {
        // a part's report: held until the message's outcome is known
        req.respond(COMMAND_STATUS.ESME_ROK);
        return;
      }
      Object.assign(base, {
        messageId: rec.partIds[0],
        state: folded.state,
        final: true,
        delivered: folded.delivered,
        parts: rec.receipts.map((p, i) => ({ messageId: rec.partIds[i], state: p?.state ?? null, errorCode: p?.errorCode ?? null })),
      });
    }
    if (base.final) {
      node.correlation.remove(rec);
      if (waiter) {
        waiters.delete(rec);
        waiter({ ...base, unmatched: false });
      }
    }
    for (const d of dlrs) d.acceptReceipt?.({ ...base, unmatched: false }, rec.remembered);
    req.respond(COMMAND_STATUS.ESME_ROK);
  };
}
