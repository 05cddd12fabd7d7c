import assert from 'node:assert/strict';
import { PDU } from 'smpp';
import { config } from './engine-harness';
import { FakeClock } from '../helpers/fake-clock';
import { FakeNetwork, FakeSocket, friendlySmsc } from '../helpers/fake-socket';
import { LinkPool, linkClientPort, linkModes, usesLinkPool } from '../../src/engine/link-pool';
import { createGateway } from '../../src/engine/create-gateway';
import { LinkSupervisor } from '../../src/engine/link-supervisor';
import type { StateEvent } from '../../src/engine/engine-api';
import type { LinkEvent } from '../../src/engine/engine-api';
import type { LinkSettings } from '../../src/engine/smpp-link';
import { SmppError } from '../../src/smpp/smpp-error';
import { SharedRate } from '../../src/engine/shared-rate';

/** A pool on a fake clock and fake network; sockets are handed out in link order (then reconnects). */
function poolHarness(overrides: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const net = new FakeNetwork();
  const settings: LinkSettings[] = [];
  const states: StateEvent[] = [];
  const linkEvents: LinkEvent[] = [];
  const pool = new LinkPool(config(overrides), { systemId: 'esme', password: 's3cret' }, {
    clock,
    random: () => 1,
    socketFactory: (s) => {
      settings.push(s);
      return net.factory();
    },
  });
  pool.on('state', (s: StateEvent) => states.push(s));
  pool.on('link', (e: LinkEvent) => linkEvents.push(e));
  return { clock, net, pool, states, linkEvents, settings };
}

/** Submits n messages; calls[i] counts the callbacks of message i (the no-loss rule: each exactly 1). */
function submitN(pool: LinkPool, n: number) {
  const calls: number[] = new Array(n).fill(0);
  const results: ({ err: SmppError | null; resp: PDU | null } | undefined)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    pool.submit('submit_sm', { destination_addr: `4670000${i}`, short_message: Buffer.from(`m${i}`), data_coding: 0 }, (err, resp) => {
      calls[i]++;
      results[i] = { err, resp };
    });
  }
  return { calls, results };
}

const answered = new WeakMap<FakeSocket, Set<PDU>>();
/** Answers every submit_sm the socket carried and not yet answered, including those sent as answers free the window. */
function answerAll(s: FakeSocket): number {
  let set = answered.get(s);
  if (!set) answered.set(s, (set = new Set()));
  let n = 0;
  for (;;) {
    const todo = s.sent('submit_sm').filter((p) => !set!.has(p));
    if (!todo.length) return n;
    for (const p of todo) {
      set.add(p);
      n++;
      s.reply(p, { message_id: `id${p.sequence_number}` });
    }
  }
}

function submits(s: FakeSocket): number {
  return s.sent('submit_sm').length;
}

describe('LinkPool: which gateway', () => {
  it('one link without bindSplit stays a plain LinkSupervisor; more links or bindSplit make a pool', () => {
    const creds = { systemId: 'a', password: 'b' };
    assert.ok(createGateway(config(), creds) instanceof LinkSupervisor);
    assert.ok(createGateway(config({ bindSplit: true, bindMode: 'transmitter' }), creds) instanceof LinkSupervisor, 'bindSplit only splits a transceiver');
    assert.ok(createGateway(config({ links: 2 }), creds) instanceof LinkPool);
    assert.ok(createGateway(config({ bindSplit: true }), creds) instanceof LinkPool);
    assert.equal(usesLinkPool(config({ links: 1, bindSplit: false })), false);
    assert.deepEqual(linkModes(config({ links: 2, bindSplit: true })), ['transmitter', 'transmitter', 'receiver', 'receiver']);
    assert.deepEqual(linkModes(config({ links: 3, bindMode: 'receiver', bindSplit: true })), ['receiver', 'receiver', 'receiver']);
  });
  it('gives each link its own Client Port (port + index) when one is fixed', () => {
    assert.equal(linkClientPort(0, 3), 0);
    assert.equal(linkClientPort(5000, 2), 5002);
    assert.equal(linkClientPort(65535, 1), 0, 'past the last port: any port');
    const h = poolHarness({ links: 3, clientPort: 5000 });
    h.pool.start();
    assert.deepEqual(h.settings.map((s) => s.clientPort), [5000, 5001, 5002]);
    assert.deepEqual(h.settings.map((s) => s.bindMode), ['transceiver', 'transceiver', 'transceiver']);
  });
});

describe('LinkPool: spreading sends', () => {
  it('sends each submit to the bound link with the most room', () => {
    const h = poolHarness({ links: 2, windowSize: 10 });
    friendlySmsc(h.net, { answerSubmits: false });
    h.pool.start();
    const [a, b] = h.net.sockets;
    a.accept();
    b.accept();
    assert.equal(h.pool.state, 'bound');
    submitN(h.pool, 6);
    assert.deepEqual([submits(a), submits(b)], [3, 3], 'alternating while rooms are equal');
    answerAll(a);
    submitN(h.pool, 3);
    assert.deepEqual([submits(a), submits(b)], [6, 3], 'all three to the link whose window emptied');
    assert.equal(h.pool.inflight, 6);
  });
  it('counts a link queue against its room, and the queue limit is the gateway total', () => {
    const h = poolHarness({ links: 2, windowSize: 10, sendQueueLength: 4 });
    friendlySmsc(h.net, { answerSubmits: false });
    h.pool.start();
    const [a, b] = h.net.sockets;
    a.accept();
    b.accept();
    const { calls, results } = submitN(h.pool, 26);
    assert.deepEqual([submits(a), submits(b)], [10, 10]);
    const links = h.pool.snapshot().links as { queue: number; inflight: number }[];
    assert.deepEqual(links.map((l) => l.queue), [2, 2]);
    assert.deepEqual(links.map((l) => l.inflight), [10, 10]);
    assert.equal(h.pool.queueLength, 4);
    assert.deepEqual(calls, [...new Array(24).fill(0), 1, 1]);
    assert.equal(results[24]?.err?.status, 'QUEUE_FULL');
    assert.match(results[25]?.err?.message ?? '', /Sending Thread Pool Queue Length 4/);
    assert.equal(h.pool.counters.submitted, 26);
    assert.equal(h.pool.counters.failedByStatus.QUEUE_FULL, 2);
  });
  it('with no link bound, work waits spread over the links; the first to bind takes all of it', () => {
    const h = poolHarness({ links: 2, windowSize: 16 });
    friendlySmsc(h.net);
    h.pool.start();
    const { calls } = submitN(h.pool, 5);
    assert.equal(h.pool.queueLength, 5);
    assert.deepEqual((h.pool.snapshot().links as { queue: number }[]).map((l) => l.queue), [3, 2]);
    const [a, b] = h.net.sockets;
    b.accept();
    assert.equal(submits(b), 5, 'the bound link sent the other link queue too');
    assert.equal(submits(a), 0);
    assert.deepEqual(calls, [1, 1, 1, 1, 1]);
    assert.equal(h.pool.queueLength, 0);
  });
});

describe('LinkPool: one link drops', () => {
  for (const inflightOnDrop of ['fail', 'resend'] as const) {
    it(`its queue moves to the bound link and every submit completes exactly once (inflightOnDrop=${inflightOnDrop})`, () => {
      const h = poolHarness({ links: 2, windowSize: 10, inflightOnDrop });
      friendlySmsc(h.net, { answerSubmits: false });
      h.pool.start();
      const [a, b] = h.net.sockets;
      a.accept();
      b.accept();
      const { calls, results } = submitN(h.pool, 30);
      assert.deepEqual([submits(a), submits(b)], [10, 10]);
      assert.equal(h.pool.queueLength, 10);
      a.fail('ECONNRESET');
      assert.equal(h.pool.state, 'bound', 'still bound on the other link');
      assert.deepEqual(h.states.map((s) => s.state), ['connecting', 'bound'], 'no pool state change for one link');
      assert.ok(h.linkEvents.some((e) => e.index === 0 && e.state === 'retrying'), 'the link event says which link dropped');
      const links = h.pool.snapshot().links as { state: string; queue: number }[];
      assert.equal(links[0].state, 'retrying');
      assert.equal(links[0].queue, 0, 'nothing left waiting on the dropped link');
      assert.equal(links[1].queue, inflightOnDrop === 'resend' ? 20 : 10);
      // the other link carries the rest
      answerAll(b);
      assert.equal(submits(b), inflightOnDrop === 'resend' ? 30 : 20);
      assert.deepEqual(calls, new Array(30).fill(1), 'every callback exactly once');
      const down = results.filter((r) => r?.err?.status === 'LINK_DOWN').length;
      assert.equal(down, inflightOnDrop === 'resend' ? 0 : 10);
      assert.equal(results.filter((r) => r?.err === null).length, 30 - down);
      // the dropped link comes back; nothing is sent twice, no callback runs again
      h.clock.advance(1000);
      h.net.last.accept();
      h.clock.advance(60_000);
      answerAll(b);
      assert.equal(submits(h.net.last), 0);
      assert.deepEqual(calls, new Array(30).fill(1));
      assert.equal(h.pool.queueLength + h.pool.inflight, 0);
      const c = h.pool.counters;
      assert.equal(c.submitted, 30);
      assert.equal(c.accepted + c.failed, 30);
    });
  }
  it('a link that binds again takes a share of the backlog', () => {
    const h = poolHarness({ links: 2, windowSize: 10 });
    friendlySmsc(h.net, { answerSubmits: false });
    h.pool.start();
    const [a, b] = h.net.sockets;
    b.accept();
    a.fail('ECONNREFUSED');
    const { calls } = submitN(h.pool, 30);
    assert.deepEqual([submits(a), submits(b)], [0, 10]);
    assert.equal(h.pool.queueLength, 20);
    h.clock.advance(1000);
    const a2 = h.net.last;
    a2.accept();
    assert.equal(submits(a2), 10, 'the rebound link fills its window at once');
    const queues = (h.pool.snapshot().links as { queue: number }[]).map((l) => l.queue);
    assert.deepEqual(queues, [5, 5], 'and the rest is shared by room');
    for (let i = 0; i < 20 && calls.some((n) => n === 0); i++) {
      answerAll(a2);
      answerAll(b);
    }
    assert.deepEqual(calls, new Array(30).fill(1));
    assert.equal(submits(a2) + submits(b), 30);
  });
});

describe('LinkPool: rate limits are the gateway total', () => {
  it('delay policy: two links together send at most Max Sending Rate', () => {
    const h = poolHarness({ links: 2, maxSendRate: 10, maxReceiveRate: 100, trafficPolicy: 'delay', windowSize: 100 });
    friendlySmsc(h.net);
    h.pool.start();
    const [a, b] = h.net.sockets;
    a.accept();
    b.accept();
    const { calls } = submitN(h.pool, 25);
    assert.equal(submits(a) + submits(b), 10, 'one second burst for the whole gateway, not per link');
    assert.ok(submits(a) > 0 && submits(b) > 0, 'both links used');
    h.clock.advance(500);
    assert.equal(submits(a) + submits(b), 15);
    h.clock.advance(1000);
    assert.equal(submits(a) + submits(b), 25);
    assert.deepEqual(calls, new Array(25).fill(1));
  });
  it('delay policy: links waiting for the shared rate take turns (no link queue is starved)', () => {
    const h = poolHarness({ links: 2, maxSendRate: 10, maxReceiveRate: 100, trafficPolicy: 'delay', windowSize: 100 });
    friendlySmsc(h.net);
    h.pool.start();
    const [a, b] = h.net.sockets;
    a.accept();
    b.accept();
    const { calls } = submitN(h.pool, 40);
    const first = [submits(a), submits(b)];
    assert.equal(first[0] + first[1], 10);
    h.clock.advance(2000);
    const paced = [submits(a) - first[0], submits(b) - first[1]];
    assert.ok(paced[0] + paced[1] <= 20, `at most the rate: ${paced}`);
    assert.ok(paced[0] >= 8 && paced[1] >= 8, `both links got their turn: ${paced}`);
    h.clock.advance(5000);
    assert.equal(submits(a) + submits(b), 40);
    assert.deepEqual(calls, new Array(40).fill(1));
  });
  it('reject policy: what is over the rate across links fails with RATE_LIMITED', () => {
    const h = poolHarness({ links: 3, maxSendRate: 5, maxReceiveRate: 100, trafficPolicy: 'reject', windowSize: 100 });
    friendlySmsc(h.net);
    h.pool.start();
    for (const s of h.net.sockets) s.accept();
    const { results } = submitN(h.pool, 8);
    assert.equal(results.filter((r) => r?.err?.status === 'RATE_LIMITED').length, 3);
    assert.equal(results.filter((r) => r?.err === null).length, 5);
  });
  it('Max Receiving Rate counts MOs of every link together', () => {
    const h = poolHarness({ links: 2, maxSendRate: 5, maxReceiveRate: 2, trafficPolicy: 'delay' });
    friendlySmsc(h.net);
    const got: string[] = [];
    h.pool.setInboundHandler((req) => {
      got.push(String(req.pdu.short_message && (req.pdu.short_message as { message?: string }).message));
      req.respond(0);
    });
    h.pool.start();
    const [a, b] = h.net.sockets;
    a.accept();
    b.accept();
    const mo = (s: FakeSocket, seq: number) => s.send('deliver_sm', { sequence_number: seq, source_addr: '1', destination_addr: '2', short_message: Buffer.from('x'), data_coding: 0 });
    mo(a, 1);
    mo(b, 1);
    mo(b, 2);
    assert.deepEqual(a.sent('deliver_sm_resp').map((p) => p.command_status), [0]);
    assert.deepEqual(b.sent('deliver_sm_resp').map((p) => p.command_status), [0, 0x58]);
    assert.equal(got.length, 2, 'both links feed the one handler');
    assert.equal(h.pool.counters.inboundThrottled, 1);
  });
});

describe('LinkPool: Receiving Thread Pool Queue Length', () => {
  it('the snapshot gives the gateway\'s size (the bound the gateway node keeps for all links), whatever the number of links', () => {
    for (const overrides of [{ links: 2 }, { links: 3, bindSplit: true }]) {
      const h = poolHarness({ ...overrides, receiveQueueLength: 5 });
      friendlySmsc(h.net);
      const held: { respond: (status: number) => void }[] = [];
      h.pool.setInboundHandler((req) => held.push(req));
      h.pool.start();
      for (const s of h.net.sockets) s.accept();
      const receivers = h.net.sockets.slice(h.net.sockets.length - (overrides.links ?? 1));
      receivers.forEach((s, i) => s.send('deliver_sm', { sequence_number: i + 1, source_addr: '1', destination_addr: '2', short_message: Buffer.from('x'), data_coding: 0 }));
      assert.equal(held.length, receivers.length);
      assert.deepEqual(h.pool.snapshot().receiving, { unacknowledged: receivers.length, size: 5 }, JSON.stringify(overrides));
    }
  });
});

describe('LinkPool: separate transmitter and receiver binds', () => {
  it('bindSplit binds a transmitter and a receiver per link; sends go out on transmitters, MOs come in on receivers', () => {
    const h = poolHarness({ links: 2, bindSplit: true });
    friendlySmsc(h.net);
    const mos: number[] = [];
    h.pool.setInboundHandler((req) => {
      mos.push(req.pdu.sequence_number);
      req.respond(0);
    });
    h.pool.start();
    const socks = h.net.sockets;
    assert.equal(socks.length, 4);
    socks[2].accept();
    socks[3].accept();
    assert.notEqual(h.pool.state, 'bound', 'receivers alone do not make the gateway bound for sending');
    socks[0].accept();
    socks[1].accept();
    assert.equal(h.pool.state, 'bound');
    assert.deepEqual(socks.map((s) => s.written[0]?.command), ['bind_transmitter', 'bind_transmitter', 'bind_receiver', 'bind_receiver']);
    assert.deepEqual(h.pool.snapshot().linksBound, { transceiver: 0, transmitter: 2, receiver: 2 });
    const { calls } = submitN(h.pool, 6);
    assert.deepEqual(socks.map(submits), [3, 3, 0, 0]);
    assert.deepEqual(calls, new Array(6).fill(1));
    socks[3].send('deliver_sm', { sequence_number: 77, source_addr: '1', destination_addr: '2', short_message: Buffer.from('mo'), data_coding: 0 });
    assert.deepEqual(mos, [77]);
    assert.equal(socks[3].sent('deliver_sm_resp')[0].command_status, 0);
    // a receiver drop is a link event, not a gateway state change
    const before = h.states.length;
    socks[2].fail('ECONNRESET');
    assert.equal(h.states.length, before);
    assert.deepEqual(h.pool.snapshot().linksBound, { transceiver: 0, transmitter: 2, receiver: 1 });
  });
});

describe('LinkPool: state', () => {
  it('is bound while any sending link is, retrying only when none is, and sums the counters', () => {
    const h = poolHarness({ links: 2 });
    friendlySmsc(h.net);
    h.pool.start();
    const [a, b] = h.net.sockets;
    a.accept();
    b.accept();
    a.fail('ECONNRESET');
    assert.equal(h.pool.state, 'bound');
    b.send('unbind', { sequence_number: 5 });
    assert.equal(h.pool.state, 'retrying');
    assert.equal(h.pool.stateEvent.code, 'peer-unbind', 'the last link to go says why');
    assert.equal(h.pool.stateEvent.retryInMs, 1000);
    h.clock.advance(1000);
    assert.equal(h.pool.state, 'connecting');
    h.net.sockets[2].accept();
    assert.deepEqual(h.states.map((s) => s.state), ['connecting', 'bound', 'retrying', 'connecting', 'bound']);
    assert.ok(h.states.every((s) => s.mode === 'transceiver'));
    const c = h.pool.counters;
    assert.equal(c.binds, 3);
    assert.equal(c.reconnects, 2);
    const snap = h.pool.snapshot();
    assert.equal(snap.state, 'bound');
    assert.deepEqual((snap.links as { index: number; state: string }[]).map((l) => [l.index, l.state]), [[0, 'bound'], [1, 'connecting']]);
    assert.deepEqual(snap.window, { inUse: 0, size: 32, perLink: 16 });
  });
  it('rebuild, disconnect and connect act on every link; queued work fails once on disconnect', async () => {
    const h = poolHarness({ links: 2, windowSize: 10 });
    friendlySmsc(h.net, { answerSubmits: false });
    h.pool.start();
    for (const s of h.net.sockets) s.accept();
    h.pool.rebuild();
    assert.ok(h.net.sockets[0].destroyed && h.net.sockets[1].destroyed);
    assert.equal(h.net.sockets.length, 4);
    for (const s of h.net.sockets.slice(2)) s.accept();
    assert.equal(h.pool.state, 'bound');
    const { calls, results } = submitN(h.pool, 25);
    const stopped = h.pool.disconnect();
    assert.equal(h.pool.state, 'stopped');
    // the queued fail at once; the 20 in flight are failed when the links end
    assert.equal(results.filter((r) => r?.err?.status === 'NOT_RUNNING').length, 5);
    h.clock.advance(5000);
    await stopped;
    assert.deepEqual(calls, new Array(25).fill(1));
    const later = submitN(h.pool, 1);
    assert.match(later.results[0]?.err?.message ?? '', /disconnected by the operator/);
    h.clock.advance(120_000);
    assert.equal(h.net.sockets.length, 4, 'no reconnect while disconnected');
    h.pool.connect();
    assert.equal(h.net.sockets.length, 6);
    h.net.sockets[4].accept();
    assert.equal(h.pool.state, 'bound');
    assert.deepEqual(h.states.map((s) => s.state), ['connecting', 'bound', 'connecting', 'bound', 'stopped', 'connecting', 'bound']);
  });
  it('close closes every link, fails what waits exactly once, and refuses new work', async () => {
    const h = poolHarness({ links: 2, windowSize: 10, drainTimeout: 2000 });
    friendlySmsc(h.net, { answerSubmits: false });
    h.pool.start();
    const [a, b] = h.net.sockets;
    a.accept();
    b.accept();
    const { calls, results } = submitN(h.pool, 24);
    const closed = h.pool.close();
    assert.equal(h.pool.state, 'closing');
    assert.equal(results.filter((r) => r?.err?.status === 'NOT_RUNNING').length, 4, 'the queued fail at once');
    answerAll(a);
    answerAll(b);
    for (let i = 0; i < 50 && (h.pool.state as string) !== 'closed'; i++) {
      h.clock.advance(20);
      await new Promise((r) => setImmediate(r));
    }
    await closed;
    assert.equal(h.pool.state, 'closed');
    assert.deepEqual(calls, new Array(24).fill(1));
    assert.equal(results.filter((r) => r?.err === null).length, 20);
    assert.equal(a.sent('unbind').length + b.sent('unbind').length, 2);
    const after = submitN(h.pool, 1);
    assert.equal(after.results[0]?.err?.status, 'NOT_RUNNING');
    assert.deepEqual(h.states.slice(-2).map((s) => s.state), ['closing', 'closed']);
  });
});

describe('SharedRate', () => {
  it('lets the link that waited longer go first, and forgets a link that stopped asking', () => {
    const rate = new SharedRate(10, 0);
    const a = rate.forLink(0);
    const b = rate.forLink(1);
    for (let i = 0; i < 10; i++) assert.equal(a.take(0), true, 'the burst of one second');
    assert.equal(a.take(0), false, 'empty: a waits');
    assert.equal(b.take(100), false, 'a token is there, but a waited first');
    assert.equal(b.waitMs(100), 100, 'b comes back after a token interval');
    assert.equal(a.take(100), true, 'a takes its turn');
    assert.equal(a.take(200), false, 'now b waited longer');
    assert.equal(b.take(200), true);
    // a stops asking (its link dropped): after two intervals and a margin it no longer holds b back
    assert.equal(b.take(300), false, 'a still counts as waiting');
    assert.equal(b.take(501), true, 'a is forgotten');
  });
});
