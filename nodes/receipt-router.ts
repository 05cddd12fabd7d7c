/**
 * Receipts from the SMSC to the smpp-dlr nodes and send-and-wait waiters:
 * correlation with what smpp-send remembered, multipart folding, and the
 * answer to the SMSC (ESME_ROK only once a node or waiter took it).
 *
 * Correlation is looked up in memory first (synchronous); a receipt that
 * misses there is looked up in the gateway's context store when it has one
 * (asynchronous: the deliver_sm_resp goes out after the lookup). When the
 * store fails, the SMSC is asked to retry (ESME_RX_T_APPN) rather than the
 * receipt being reported unmatched.
 */
import type { InboundRequest } from '../src/engine/engine-api';
import { COMMAND_STATUS } from '../src/smpp/command-status';
import type { ReceiptMessage } from '../src/message/inbound';
import type { SentRecord } from '../src/correlation/memory-store';
import { foldReceipts, partOutcome } from '../src/correlation/fold-receipts';
import type { GatewayClient, GatewayNode, ReceiptWaiter } from './gateway-types';

export type ReceiptRoute = (rm: ReceiptMessage, req: InboundRequest) => void;

/** Installs node.remember and node.forget, and returns the receipt route. */
export function createReceiptRouter(node: GatewayNode, dlrClients: () => GatewayClient[]): ReceiptRoute {
  const waiters = new WeakMap<SentRecord, ReceiptWaiter>();

  node.remember = (ids, msg, extra, waiter) => {
    const keep: Record<string, unknown> = { correlationId: msg.correlationId, topic: msg.topic, to: msg.to, _msgid: msg._msgid, parts: ids.length };
    for (const p of extra) {
      // a dotted name (payload.caller) is read as a path, as the editor allows
      const v = p.includes('.') ? p.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), msg) : msg[p];
      if (v !== undefined) keep[p] = v;
    }
    const rec = node.correlation.add(ids, keep);
    node.correlationContext?.written(rec);
    if (waiter) waiters.set(rec, waiter);
    return rec;
  };

  node.forget = (rec) => {
    const had = waiters.delete(rec);
    node.correlation.remove(rec);
    return had;
  };

  function payloadOf(rm: ReceiptMessage): Record<string, unknown> {
    const r = rm.receipt;
    return {
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
      source: r.source,
      from: rm.from,
      to: rm.to,
    };
  }

  function unmatched(rm: ReceiptMessage, req: InboundRequest, dlrs: GatewayClient[]): void {
    const base = payloadOf(rm);
    for (const d of dlrs) d.acceptReceipt?.({ ...base, unmatched: true }, null);
    req.respond(COMMAND_STATUS.ESME_ROK);
  }

  function matched(rm: ReceiptMessage, req: InboundRequest, dlrs: GatewayClient[], rec: SentRecord, part: number): void {
    const r = rm.receipt;
    const waiter = waiters.get(rec);
    const base = payloadOf(rm);
    rec.receipts[part] = partOutcome(r);
    let keep = false;
    if (rec.partIds.length > 1) {
      const folded = foldReceipts(rec.receipts);
      const allFinal = rec.receipts.every((p) => p !== null && p.final);
      if (!folded.final || rec.reported) {
        // a part's report: held until the message's outcome is known; or a
        // late part of a message whose failure is already out (taken, not output)
        if (rec.reported && allFinal) node.correlation.remove(rec);
        else node.correlationContext?.update(rec);
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
      // failed before every part reported: keep the record for the other parts' receipts
      keep = !allFinal;
    }
    if (base.final) {
      if (keep) {
        rec.reported = true;
        node.correlationContext?.update(rec);
      } else node.correlation.remove(rec);
      if (waiter) {
        waiters.delete(rec);
        waiter({ ...base, unmatched: false });
      }
    }
    for (const d of dlrs) d.acceptReceipt?.({ ...base, unmatched: false }, rec.remembered);
    req.respond(COMMAND_STATUS.ESME_ROK);
  }

  return function routeReceipt(rm: ReceiptMessage, req: InboundRequest): void {
    const dlrs = dlrClients();
    const match = node.correlation.find(rm.receipt.messageId);
    if (match) {
      if (dlrs.length === 0 && !waiters.has(match.record) && !match.record.reported) {
        // nobody to take it: the SMSC keeps it and retries later
        req.respond(COMMAND_STATUS.ESME_RTHROTTLED);
        return;
      }
      matched(rm, req, dlrs, match.record, match.part);
      return;
    }
    if (dlrs.length === 0) {
      req.respond(COMMAND_STATUS.ESME_RTHROTTLED);
      return;
    }
    const context = node.correlationContext;
    if (!context) {
      unmatched(rm, req, dlrs);
      return;
    }
    context.lookup(rm.receipt.messageId, (err, found) => {
      if (err) {
        // the store failed: not "unmatched" — the SMSC sends the receipt again later
        req.respond(COMMAND_STATUS.ESME_RX_T_APPN);
        return;
      }
      const now = dlrClients();
      if (now.length === 0) {
        req.respond(COMMAND_STATUS.ESME_RTHROTTLED);
        return;
      }
      if (found) matched(rm, req, now, found.record, found.part);
      else unmatched(rm, req, now);
    });
  };
}
