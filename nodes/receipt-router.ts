/**
 * Receipts from the SMSC to the smpp-dlr nodes and send-and-wait waiters: the
 * matcher (src/correlation/matcher.ts) says what a receipt belongs to; this
 * router hands the report out and chooses the SMSC's answer:
 *  - ESME_ROK once every smpp-dlr node it was handed to settled ok (or a
 *    waiter / the multipart fold took it, or it repeats one already taken);
 *  - the error status when a node settled not ok, or the persistent store
 *    failed: the SMSC sends it again, and the correlation entry stays for it;
 *  - ESME_RTHROTTLED when nobody takes it (no smpp-dlr, no waiter here nor,
 *    shareInstances, at the instance that sent it) or the gateway closed
 *    while it was held: the SMSC keeps it and retries.
 * shareInstances: the final report of a message ANOTHER instance sent is
 * first handed over to that instance (its send-and-wait waiter, its memory
 * copy: matcher Applied.handOver, a Redis stream); only then is it output
 * here. The smpp-dlr output happens on THIS instance, the one that received
 * the receipt: its answer to the SMSC waits for the dlr flow (Acknowledge
 * MO/receipts when the flow is done), which only the receiving instance can
 * give on its own SMPP session. A hand-over that fails answers the error
 * status: nothing output, the SMSC sends it again.
 * A receipt held for the response it was ahead of is answered when it is
 * matched or its grace period ends (see the README's receipt promises).
 */
import type { InboundRequest } from '../src/engine/engine-api';
import { COMMAND_STATUS } from '../src/smpp/command-status';
import type { ReceiptMessage } from '../src/message/inbound';
import type { ReceiptMatcher } from '../src/correlation/matcher';
import { isFinalReceipt, reportOf } from '../src/correlation/report';
import type { GatewayClient } from './gateway-types';

export type ReceiptRoute = (rm: ReceiptMessage, req: InboundRequest) => void;

export interface ReceiptRouterOptions {
  acceptedIsFinal: boolean;
  /** the answer when a node did not take the receipt (moack's ackErrorStatus; ESME_RX_T_APPN until then) */
  errorStatus: () => number;
}

/** Hands a report to every dlr node (each its own copy); done(allOk) once each has settled. */
function handOut(dlrs: GatewayClient[], payload: Record<string, unknown>, sent: Record<string, unknown> | null, done: (ok: boolean) => void): void {
  let left = dlrs.length;
  let allOk = true;
  if (left === 0) return done(true);
  let first = true;
  for (const d of dlrs) {
    let once = false;
    const settled = (ok: boolean) => {
      if (once) return;
      once = true;
      if (!ok) allOk = false;
      if (--left === 0) done(allOk);
    };
    if (!d.acceptReceipt) {
      settled(true);
      continue;
    }
    try {
      const own = first ? payload : { ...payload };
      first = false;
      d.acceptReceipt(own, sent, settled);
    } catch {
      settled(false);
    }
  }
}

export function createReceiptRouter(matcher: ReceiptMatcher, dlrClients: () => GatewayClient[], opts: ReceiptRouterOptions): ReceiptRoute {
  return function routeReceipt(rm: ReceiptMessage, req: InboundRequest): void {
    matcher.find(rm.receipt, (found) => {
      const dlrs = dlrClients();
      switch (found.kind) {
        case 'duplicate':
          return req.respond(COMMAND_STATUS.ESME_ROK);
        case 'error':
          // the store failed: not "unmatched" — the SMSC sends the receipt again later
          return req.respond(COMMAND_STATUS.ESME_RX_T_APPN);
        case 'closing':
          return req.respond(COMMAND_STATUS.ESME_RTHROTTLED);
        case 'unmatched': {
          if (dlrs.length === 0) return req.respond(COMMAND_STATUS.ESME_RTHROTTLED);
          const payload = { ...reportOf(rm, isFinalReceipt(rm.receipt, opts.acceptedIsFinal)), unmatched: true };
          return handOut(dlrs, payload, null, (ok) => {
            if (ok) matcher.takenUnmatched(rm, found.held === true);
            req.respond(ok ? COMMAND_STATUS.ESME_ROK : opts.errorStatus());
          });
        }
        case 'hit': {
          // nobody to take it: the SMSC keeps it and retries later
          if (dlrs.length === 0 && !matcher.hasTaker(found.record)) {
            matcher.unclaim(found);
            return req.respond(COMMAND_STATUS.ESME_RTHROTTLED);
          }
          const applied = matcher.apply(found, rm);
          if (applied.kind === 'taken') return req.respond(COMMAND_STATUS.ESME_ROK);
          const output = () => handOut(dlrs, applied.report, applied.sent, (ok) => {
            applied.settle(ok);
            req.respond(ok ? COMMAND_STATUS.ESME_ROK : opts.errorStatus());
          });
          if (!applied.handOver) return output();
          return applied.handOver((err) => {
            if (!err) return output();
            applied.settle(false);
            req.respond(COMMAND_STATUS.ESME_RX_T_APPN);
          });
        }
      }
    });
  };
}
