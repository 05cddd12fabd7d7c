import assert from 'node:assert/strict';
import { timerTick, TimerSettings } from '../../src/engine/link-timers';

const S: TimerSettings = { heartbeatInterval: 30_000, maxHeartbeatMisses: 2, resendTimes: 1, resendWait: 500, receiveTimeout: 60_000 };

describe('link timers: the pure tick', () => {
  it('receive: nothing for Receiving Timeout closes; otherwise checks again when it would be due', () => {
    assert.deepEqual(timerTick({ lastRx: 0, misses: 0 }, { kind: 'receive-due' }, 59_999, S).action, { kind: 'check-receive', inMs: 1 });
    assert.equal(timerTick({ lastRx: 0, misses: 0 }, { kind: 'receive-due' }, 60_000, S).action.kind, 'close');
    assert.deepEqual(timerTick({ lastRx: 50_000, misses: 0 }, { kind: 'receive-due' }, 60_000, S).action, { kind: 'check-receive', inMs: 50_000 });
  });
  it('heartbeat: an answer resets the misses and schedules the next one an interval later', () => {
    const r = timerTick({ lastRx: 0, misses: 1 }, { kind: 'alive' }, 5, S);
    assert.equal(r.state.misses, 0);
    assert.deepEqual(r.action, { kind: 'heartbeat', attempt: 0, inMs: 30_000 });
  });
  it('heartbeat: resent Resending Times, then one miss, then closed at Max misses', () => {
    let st = { lastRx: 0, misses: 0 };
    let r = timerTick(st, { kind: 'heartbeat-timeout', attempt: 0 }, 0, S);
    assert.deepEqual(r.action, { kind: 'heartbeat', attempt: 1, inMs: 500 });
    r = timerTick((st = r.state), { kind: 'heartbeat-timeout', attempt: 1 }, 0, S);
    assert.equal(r.state.misses, 1);
    assert.deepEqual(r.action, { kind: 'heartbeat', attempt: 0, inMs: 30_000, warn: 'heartbeat not answered (1 in a row)' });
    r = timerTick(r.state, { kind: 'heartbeat-timeout', attempt: 1 }, 0, S);
    assert.deepEqual(r.action, { kind: 'close', code: 'heartbeat', message: '2 heartbeats in a row without a response' });
    assert.equal(timerTick({ lastRx: 0, misses: 99 }, { kind: 'heartbeat-timeout', attempt: 1 }, 0, { ...S, maxHeartbeatMisses: 0 }).action.kind, 'heartbeat', 'Max 0: never closed for this');
  });
});
