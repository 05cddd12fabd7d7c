/** The counting rules of src/completion/completion-tracker.ts, step by step as Node-RED's hooks report them. */
import assert from 'node:assert/strict';
import { CompletionTracker, Outcome } from '../../src/completion/completion-tracker';

function tracked(t: CompletionTracker, id: string, now = 0, kind: 'mo' | 'receipt' = 'mo'): Outcome[] {
  const out: Outcome[] = [];
  assert.equal(t.track(id, kind, now, (o) => out.push(o)), true);
  return out;
}

describe('CompletionTracker', () => {
  it('a chain: handled when the last node is done, not when the first one is', () => {
    const t = new CompletionTracker(1000);
    const out = tracked(t, 'a');
    t.sent('a'); // smpp-receive -> A
    t.received('a');
    t.sent('a'); // A -> B, then A done
    t.completed('a', false);
    assert.deepEqual(out, []);
    t.received('a');
    t.completed('a', false);
    assert.deepEqual(out, ['handled']);
    assert.equal(t.size, 0);
    assert.deepEqual(t.counters.handled, { mo: 1, receipt: 0 });
  });

  it('a copy to two nodes: handled when both are done', () => {
    const t = new CompletionTracker(1000);
    const out = tracked(t, 'a');
    t.sent('a');
    t.sent('a');
    t.received('a');
    t.completed('a', false);
    assert.deepEqual(out, [], 'the second copy is still on its way');
    t.received('a');
    t.completed('a', false);
    assert.deepEqual(out, ['handled']);
  });

  it('a node reached without a send (link in, complete) holds it too', () => {
    const t = new CompletionTracker(1000);
    const out = tracked(t, 'a');
    t.sent('a');
    t.received('a'); // link out
    t.received('a'); // link in, from link out's handler
    t.completed('a', false); // link in done
    assert.deepEqual(out, []);
    t.completed('a', false); // link out done
    assert.deepEqual(out, ['handled']);
  });

  it('an error settles at once as failed, once; later events are ignored', () => {
    const t = new CompletionTracker(1000);
    const out = tracked(t, 'a', 0, 'receipt');
    t.sent('a');
    t.sent('a');
    t.received('a');
    t.completed('a', true);
    t.received('a');
    t.completed('a', false);
    assert.deepEqual(out, ['error']);
    assert.deepEqual(t.counters.failed, { mo: 0, receipt: 1 });
  });

  it('nothing wired: settleIfIdle handles it; with a send on its way it waits', () => {
    const t = new CompletionTracker(1000);
    const idle = tracked(t, 'a');
    t.settleIfIdle('a');
    assert.deepEqual(idle, ['handled']);
    const busy = tracked(t, 'b');
    t.sent('b');
    t.settleIfIdle('b');
    assert.deepEqual(busy, []);
  });

  it('the time limit settles the oldest as timed out, in order, and counts them per kind', () => {
    const t = new CompletionTracker(100);
    const a = tracked(t, 'a', 0);
    const b = tracked(t, 'b', 50, 'receipt');
    assert.equal(t.inFlow('mo'), 1);
    assert.equal(t.inFlow('receipt'), 1);
    assert.equal(t.expire(99), 0);
    assert.equal(t.expire(100), 1);
    assert.deepEqual(a, ['timeout']);
    assert.deepEqual(b, []);
    assert.equal(t.expire(150), 1);
    assert.deepEqual(t.counters.timedOut, { mo: 1, receipt: 1 });
    assert.equal(t.size, 0);
  });

  it('failHeldBy fails the msgs a stopped node still holds, and only those', () => {
    const t = new CompletionTracker(1000);
    const a = tracked(t, 'a');
    const b = tracked(t, 'b');
    t.sent('a');
    t.received('a', 'n1');
    t.sent('b');
    t.received('b', 'n2');
    t.sent('b');
    t.received('b', 'n1');
    t.completed('b', false, 'n1');
    assert.equal(t.failHeldBy((n) => n === 'n1'), 1);
    assert.deepEqual(a, ['error']);
    assert.deepEqual(b, [], 'n1 was done with b');
  });

  it('failAll settles every one as failed; an id tracked twice is refused', () => {
    const t = new CompletionTracker(100);
    const a = tracked(t, 'a');
    assert.equal(t.track('a', 'mo', 0, () => assert.fail('never')), false);
    assert.equal(t.failAll(), 1);
    assert.deepEqual(a, ['error']);
    assert.equal(t.inFlow('mo'), 0);
  });
});
