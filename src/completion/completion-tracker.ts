/**
 * When is a msg done with? Counts, per msg id, the deliveries on their way
 * to a node and the nodes holding the msg, from the events Node-RED's
 * messaging hooks report (nodes/flow-ack.ts feeds them in). Pure: no
 * Node-RED, no timers; time is passed in.
 *
 * The rules (README "Acknowledge MO and receipts"):
 * - `sent`: a node sent the msg on a wire (one per wire and per msg): +1 on its way;
 * - `received`: a node got it: one on its way arrived (or, when none was
 *   counted, as from a link-in or complete node, a new holder) and +1 holder;
 * - `completed`: a holder is done with it (done(), or its input handler
 *   returned for a node that takes no done): -1 holder. When nothing is on
 *   its way and nobody holds it, it is handled. An error there settles it at
 *   once as failed.
 * - a node stopped by a partial deploy while it holds the msg (and never
 *   completes it): failHeldBy settles it failed once the flows run again;
 * - a msg neither handled nor failed `limitMs` after `track` is settled as
 *   timed out (expire), so a flow that never completes cannot hold it forever.
 * Each tracked msg is settled exactly once (failAll settles what is left when the flow stops).
 */

export type TrackedKind = 'mo' | 'receipt';
export type Outcome = 'handled' | 'error' | 'timeout';

interface Entry {
  kind: TrackedKind;
  deadline: number;
  onWay: number;
  holders: number;
  /** holders by node id (a node may hold several copies) */
  by: Map<string, number>;
  settle: (outcome: Outcome) => void;
}

export interface KindCounts {
  mo: number;
  receipt: number;
}

export interface CompletionCounters {
  /** settled because the flow was done with it */
  handled: KindCounts;
  /** settled as failed: a node reported an error for it */
  failed: KindCounts;
  /** settled by the time limit */
  timedOut: KindCounts;
}

export class CompletionTracker {
  private readonly entries = new Map<string, Entry>();
  private readonly live: KindCounts = { mo: 0, receipt: 0 };
  readonly counters: CompletionCounters = { handled: { mo: 0, receipt: 0 }, failed: { mo: 0, receipt: 0 }, timedOut: { mo: 0, receipt: 0 } };

  constructor(private readonly limitMs: number) {}

  /** msgs tracked now (in the flow) */
  get size(): number {
    return this.entries.size;
  }

  inFlow(kind: TrackedKind): number {
    return this.live[kind];
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Starts tracking msg `id`; false (and nothing tracked) when the id is already tracked. */
  track(id: string, kind: TrackedKind, now: number, settle: (outcome: Outcome) => void): boolean {
    if (this.entries.has(id)) return false;
    this.entries.set(id, { kind, deadline: now + this.limitMs, onWay: 0, holders: 0, by: new Map(), settle });
    this.live[kind]++;
    return true;
  }

  sent(id: string): void {
    const e = this.entries.get(id);
    if (e) e.onWay++;
  }

  received(id: string, node = ''): void {
    const e = this.entries.get(id);
    if (!e) return;
    if (e.onWay > 0) e.onWay--;
    e.holders++;
    e.by.set(node, (e.by.get(node) ?? 0) + 1);
  }

  completed(id: string, failed: boolean, node = ''): void {
    const e = this.entries.get(id);
    if (!e) return;
    if (e.holders > 0) e.holders--;
    const n = e.by.get(node);
    if (n !== undefined) {
      if (n > 1) e.by.set(node, n - 1);
      else e.by.delete(node);
    }
    if (failed) this.finish(id, e, 'error');
    else if (e.holders === 0 && e.onWay === 0) this.finish(id, e, 'handled');
  }

  /** After the first send: a msg that went nowhere (no wires) is handled at once. */
  settleIfIdle(id: string): void {
    const e = this.entries.get(id);
    if (e && e.holders === 0 && e.onWay === 0) this.finish(id, e, 'handled');
  }

  /** Settles, as timed out, every msg tracked for `limitMs` or longer; returns how many. */
  expire(now: number): number {
    let n = 0;
    // insertion order is deadline order: one limit for all
    for (const [id, e] of this.entries) {
      if (e.deadline > now) break;
      this.finish(id, e, 'timeout');
      n++;
    }
    return n;
  }

  /** Settles as failed every msg a node for which `stopped(nodeId)` is true still holds (it was stopped with it); returns how many. */
  failHeldBy(stopped: (node: string) => boolean): number {
    const hit = [...this.entries].filter(([, e]) => [...e.by.keys()].some(stopped));
    for (const [id, e] of hit) this.finish(id, e, 'error');
    return hit.length;
  }

  /** Settles every tracked msg as failed (the flow is stopping); returns how many. */
  failAll(): number {
    const all = [...this.entries];
    for (const [id, e] of all) this.finish(id, e, 'error');
    return all.length;
  }

  private finish(id: string, e: Entry, outcome: Outcome): void {
    if (this.entries.get(id) !== e) return;
    this.entries.delete(id);
    this.live[e.kind]--;
    const c = outcome === 'handled' ? this.counters.handled : outcome === 'error' ? this.counters.failed : this.counters.timedOut;
    c[e.kind]++;
    e.settle(outcome);
  }
}
