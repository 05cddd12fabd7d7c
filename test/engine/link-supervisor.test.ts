import assert from 'node:assert/strict';
import { PDU } from 'smpp';
import { harness } from './engine-harness';
import { friendlySmsc, FakeSocket } from '../helpers/fake-socket';
import { SmppError } from '../../src/smpp/smpp-error';

type Result = { err: SmppError | null; resp: PDU | null };

function submitN(engine: ReturnType<typeof harness>['engine'], n: number): Result[] {
  const results: Result[] = [];
  for (let i = 0; i < n; i++) {
    engine.submit('submit_sm', { destination_addr: `4670000${i}`, short_message: Buffer.from('hi'), data_coding: 0 }, (err, resp) => results.push({ err, resp }));
  }
  return results;
}

/** accepts the TCP connection of the newest socket (bind then happens synchronously with friendlySmsc) */
function up(h: ReturnType<typeof harness>): FakeSocket {
  h.net.last.accept();
  return h.net.last;
}

describe('LinkSupervisor: bind', () => {
  it('binds as transceiver with the configured fields, Nagle off, and reports bound', () => {
    const h = harness({ systemType: 'VMA', addrTon: 1, addrNpi: 1, addressRange: '123' });
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    assert.equal(s.noDelay, true);
    const bind = s.sent('bind_transceiver')[0];
    assert.equal(bind.system_id, 'esme');
    assert.equal(bind.password, 's3cret');
    assert.equal(bind.system_type, 'VMA');
    assert.equal(bind.interface_version, 0x34);
    assert.equal(bind.addr_ton, 1);
    assert.equal(bind.address_range, '123');
    assert.equal(h.engine.state, 'bound');
    assert.deepEqual(h.states.map((x) => x.state), ['connecting', 'bound']);
  });

  for (const [mode, command] of [['receiver', 'bind_receiver'], ['transmitter', 'bind_transmitter']]) {
    it(`binds as ${mode} with ${command}`, () => {
      const h = harness({ bindMode: mode });
      friendlySmsc(h.net);
      h.engine.start();
      assert.equal(up(h).sent(command).length, 1);
      assert.equal(h.engine.state, 'bound');
    });
  }

  it('reports a bind refused for a system error with its status name and retries with back-off, not in a storm', () => {
    const h = harness();
    h.net.onSocket = (s) => {
      s.onPdu = (pdu, sock) => sock.reply(pdu, { command_status: 0x08 });
    };
    h.engine.start();
    up(h);
    const st = h.engine.stateEvent;
    assert.equal(st.state, 'retrying');
    assert.equal(st.status, 'ESME_RSYSERR');
    assert.match(st.reason ?? '', /ESME_RSYSERR/);
    assert.equal(st.retryInMs, 1000);
    assert.equal(h.net.sockets.length, 1);
    h.clock.advance(999);
    assert.equal(h.net.sockets.length, 1, 'no reconnect before the delay');
    h.clock.advance(1);
    assert.equal(h.net.sockets.length, 2);
    up(h);
    assert.equal(h.engine.stateEvent.retryInMs, 2000);
    assert.ok(!JSON.stringify(h.states).includes('s3cret'), 'the password is in no state event');
    assert.ok(!h.logs.join('\n').includes('s3cret'), 'the password is in no log line');
  });

  for (const [status, name, login] of [[0x0e, 'ESME_RINVPASWD', 'password'], [0x0f, 'ESME_RINVSYSID', 'system-id'], [0x53, 'ESME_RINVSYSTYP', 'system-type'], [0x0d, 'ESME_RBINDFAIL', 'bind-failed']] as const) {
    it(`a login refused with ${name} waits the longest reconnect delay at once, every time, and says why`, () => {
      const h = harness({ reconnectMin: 1000, reconnectMax: 60_000 });
      h.net.onSocket = (s) => {
        s.onPdu = (pdu, sock) => sock.reply(pdu, { command_status: status });
      };
      h.engine.start();
      up(h);
      const st = h.engine.stateEvent;
      assert.equal(st.state, 'retrying');
      assert.equal(st.status, name);
      assert.equal(st.code, 'bind-refused');
      assert.equal(st.loginRefused, login);
      assert.equal(st.retryInMs, 60_000);
      h.clock.advance(59_999);
      assert.equal(h.net.sockets.length, 1, 'no bind again before reconnectMax');
      h.clock.advance(1);
      assert.equal(h.net.sockets.length, 2);
      up(h);
      assert.equal(h.engine.stateEvent.retryInMs, 60_000);
      assert.equal(h.engine.stateEvent.loginRefused, login);
    });
  }

  it('times out a bind that is never answered', () => {
    const h = harness({ bindTimeout: 5000 });
    h.engine.start();
    up(h);
    h.clock.advance(5000);
    assert.equal(h.engine.stateEvent.code, 'bind-timeout');
    assert.ok(h.net.last.destroyed);
  });

  it('times out a TCP connect that never completes', () => {
    const h = harness({ connectTimeout: 3000 });
    h.engine.start();
    h.clock.advance(3000);
    assert.equal(h.engine.stateEvent.code, 'connect-timeout');
  });
});

describe('LinkSupervisor: back-off', () => {
  it('grows the delay on each failure, caps it, and resets after a good bind', () => {
    const h = harness({ reconnectMin: 1000, reconnectMax: 8000 });
    h.engine.start();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      h.net.last.fail('ECONNREFUSED');
      delays.push(h.engine.stateEvent.retryInMs as number);
      h.clock.advance(delays[i]);
    }
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 8000, 8000]);
    friendlySmsc(h.net);
    h.net.last.onPdu = (pdu, sock) => sock.reply(pdu);
    up(h);
    assert.equal(h.engine.state, 'bound');
    h.net.last.fail('ECONNRESET');
    assert.equal(h.engine.stateEvent.retryInMs, 1000, 'reset after a good bind');
    assert.equal(h.engine.counters.reconnects, 7);
  });
});

describe('LinkSupervisor: heartbeat', () => {
  it('sends enquire_link every Heartbeat Interval once bound and keeps the link while answered', () => {
    const h = harness({ heartbeatInterval: 30000 });
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    h.clock.advance(29999);
    assert.equal(s.sent('enquire_link').length, 0);
    h.clock.advance(1);
    assert.equal(s.sent('enquire_link').length, 1);
    h.clock.advance(90000);
    assert.equal(s.sent('enquire_link').length, 4);
    assert.equal(h.engine.state, 'bound');
  });

  it('drops the link after Max Connection Times Upon No Heartbeat Response misses in a row', () => {
    const h = harness({ heartbeatInterval: 30000, transactionTimeout: 6000, maxHeartbeatMisses: 3, resendTimes: 0 });
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    s.onPdu = null; // the SMSC stops answering
    h.clock.advance(30000 + 6000 + 30000 + 6000 + 30000 + 5999);
    assert.equal(h.engine.state, 'bound', 'two misses and a pending third: still up');
    h.clock.advance(1);
    assert.equal(h.engine.stateEvent.code, 'heartbeat');
    assert.equal(s.sent('enquire_link').length, 3);
    assert.ok(s.destroyed);
  });

  it('resends an unanswered heartbeat Resending Times, after Resending Waiting Time each', () => {
    const h = harness({ heartbeatInterval: 30000, transactionTimeout: 6000, maxHeartbeatMisses: 1, resendTimes: 2, resendWait: 1000 });
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    s.onPdu = null;
    h.clock.advance(30000);
    assert.equal(s.sent('enquire_link').length, 1);
    h.clock.advance(6000 + 1000);
    assert.equal(s.sent('enquire_link').length, 2);
    h.clock.advance(7000);
    assert.equal(s.sent('enquire_link').length, 3);
    assert.equal(h.engine.state, 'bound');
    h.clock.advance(6000);
    assert.equal(h.engine.stateEvent.code, 'heartbeat', 'one miss = the first try and both resends unanswered');
  });

  it('a late answer to a resend still counts as alive', () => {
    const h = harness({ heartbeatInterval: 30000, transactionTimeout: 6000, maxHeartbeatMisses: 1, resendTimes: 1, resendWait: 0 });
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    s.onPdu = null;
    h.clock.advance(36000);
    const resend = s.sent('enquire_link')[1];
    s.reply(resend);
    h.clock.advance(10000);
    assert.equal(h.engine.state, 'bound');
  });
});

describe('LinkSupervisor: receiving timeout and error packets', () => {
  it('drops the link when nothing arrives for Receiving Timeout', () => {
    const h = harness({ heartbeatInterval: 40000, transactionTimeout: 6000, receiveTimeout: 50000, maxHeartbeatMisses: 0 });
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    s.onPdu = null;
    h.clock.advance(20000);
    s.send('enquire_link', { sequence_number: 77 }); // data resets the timer
    h.clock.advance(49999);
    assert.equal(h.engine.state, 'bound');
    h.clock.advance(1);
    assert.equal(h.engine.stateEvent.code, 'receive-timeout');
  });

  it('answers bad PDUs with generic_nack, counts them, and drops after Max Error Packets in a row', () => {
    const h = harness({ maxErrorPackets: 3 });
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    const unknown = Buffer.alloc(16);
    unknown.writeUInt32BE(16, 0);
    unknown.writeUInt32BE(0x00000777, 4);
    unknown.writeUInt32BE(5, 12);
    s.push(unknown);
    s.push(unknown);
    s.send('enquire_link', { sequence_number: 9 }); // a good PDU breaks the run
    s.push(unknown);
    s.push(unknown);
    assert.equal(h.engine.state, 'bound');
    const nacks = s.sent('generic_nack');
    assert.equal(nacks.length, 4);
    assert.equal(nacks[0].command_status, 0x03);
    assert.equal(nacks[0].sequence_number, 5);
    s.push(unknown);
    assert.equal(h.engine.stateEvent.code, 'error-packets');
    assert.equal(h.engine.counters.errorPackets, 5);
  });

  it('logs error packets at most once a second, counting the rest', () => {
    const h = harness({ maxErrorPackets: 0 });
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    const unknown = Buffer.alloc(16);
    unknown.writeUInt32BE(16, 0);
    unknown.writeUInt32BE(0x00000777, 4);
    for (let i = 0; i < 50; i++) s.push(unknown);
    h.clock.advance(1000);
    s.push(unknown);
    const warned = h.logs.filter((l) => l.startsWith('error packet'));
    assert.equal(h.engine.counters.errorPackets, 51);
    assert.equal(warned.length, 2);
    assert.match(warned[1], /and 49 more error packets/);
  });

  it('survives a truncated deliver_sm body and keeps reading', () => {
    const h = harness({ maxErrorPackets: 10 });
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    const bad = Buffer.alloc(20, 0xff);
    bad.writeUInt32BE(20, 0);
    bad.writeUInt32BE(0x00000005, 4);
    bad.writeUInt32BE(0, 8);
    bad.writeUInt32BE(3, 12);
    assert.doesNotThrow(() => s.push(bad));
    s.send('enquire_link', { sequence_number: 4 });
    assert.equal(h.engine.state, 'bound');
    assert.equal(s.sent('enquire_link_resp').length, 1, 'the next PDU is still read and answered');
  });

  it('refuses a PDU over Max Message Length as an error packet', () => {
    const h = harness({ maxMessageLength: 200, maxContentLength: 140 });
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    const big = Buffer.alloc(300);
    big.writeUInt32BE(300, 0);
    big.writeUInt32BE(0x00000005, 4);
    big.writeUInt32BE(8, 12);
    s.push(big);
    assert.equal(h.engine.counters.errorPackets, 1);
    assert.equal(s.sent('generic_nack')[0].command_status, 0x01);
    assert.equal(h.engine.state, 'bound');
  });
});

describe('LinkSupervisor: window and queue', () => {
  it('keeps at most Sliding Window Size outstanding and sends the next as a slot frees', () => {
    const h = harness({ windowSize: 10 });
    friendlySmsc(h.net, { answerSubmits: false });
    h.engine.start();
    const s = up(h);
    const results = submitN(h.engine, 15);
    assert.equal(s.sent('submit_sm').length, 10);
    assert.equal(h.engine.queueLength, 5);
    s.reply(s.sent('submit_sm')[3], { message_id: 'x' });
    assert.equal(s.sent('submit_sm').length, 11);
    assert.equal(results.length, 1);
    assert.equal(results[0].resp?.message_id, 'x');
  });

  it('fails a request with a timeout after Transaction Timeout and ignores the late answer', () => {
    const h = harness({ windowSize: 10, transactionTimeout: 6000 });
    friendlySmsc(h.net, { answerSubmits: false });
    h.engine.start();
    const s = up(h);
    const results = submitN(h.engine, 12);
    h.clock.advance(6000);
    assert.equal(results.length, 10);
    assert.ok(results.every((r) => r.err?.status === 'TIMEOUT' && r.err.retriable));
    assert.equal(s.sent('submit_sm').length, 12, 'the queued two went out as slots freed');
    s.reply(s.sent('submit_sm')[0], { message_id: 'late' });
    assert.equal(results.length, 10, 'a late response is ignored');
    assert.equal(h.engine.state, 'bound');
  });

  it('holds messages in the queue while connecting and sends them once bound', () => {
    const h = harness();
    friendlySmsc(h.net);
    h.engine.start();
    const results = submitN(h.engine, 3);
    assert.equal(results.length, 0);
    up(h);
    assert.equal(results.length, 3);
    assert.ok(results.every((r) => r.err === null));
  });

  it('refuses at once when the queue is full', () => {
    const h = harness({ sendQueueLength: 2 });
    h.engine.start();
    const results = submitN(h.engine, 3);
    assert.equal(results.length, 1);
    assert.equal(results[0].err?.status, 'QUEUE_FULL');
    assert.match(results[0].err?.message ?? '', /Sending Thread Pool Queue Length 2/);
  });

  it('fails everything outstanding at once when the link drops, then sends the queue after rebind', () => {
    const h = harness({ windowSize: 10 });
    friendlySmsc(h.net, { answerSubmits: false });
    h.engine.start();
    const s = up(h);
    const results = submitN(h.engine, 13);
    s.fail('ECONNRESET');
    assert.equal(results.length, 10);
    assert.ok(results.every((r) => r.err?.status === 'LINK_DOWN'));
    assert.match(results[0].err?.message ?? '', /outcome is unknown/);
    friendlySmsc(h.net);
    h.clock.advance(1000);
    up(h);
    assert.equal(results.length, 13);
    assert.ok(results.slice(10).every((r) => r.err === null));
  });

  it('with inflightOnDrop=resend, sends the outstanding again after reconnect, in order', () => {
    const h = harness({ windowSize: 10, inflightOnDrop: 'resend' });
    friendlySmsc(h.net, { answerSubmits: false });
    h.engine.start();
    const s = up(h);
    const results = submitN(h.engine, 12);
    s.fail('ECONNRESET');
    assert.equal(results.length, 0);
    friendlySmsc(h.net);
    h.clock.advance(1000);
    const s2 = up(h);
    assert.equal(results.length, 12);
    assert.deepEqual(s2.sent('submit_sm').map((p) => p.destination_addr), Array.from({ length: 12 }, (_, i) => `4670000${i}`));
  });

  it('backs off and resends on ESME_RTHROTTLED, and succeeds once the SMSC recovers', () => {
    const h = harness({ resendWait: 0 });
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    let throttle = 2;
    s.onPdu = (pdu, sock) => {
      if (pdu.command === 'submit_sm') {
        if (throttle-- > 0) sock.reply(pdu, { command_status: 0x58 });
        else sock.reply(pdu, { message_id: 'ok1' });
      } else sock.reply(pdu);
    };
    const results = submitN(h.engine, 1);
    assert.equal(results.length, 0);
    h.clock.advance(1000);
    assert.equal(results.length, 0);
    h.clock.advance(2000);
    assert.equal(results.length, 1);
    assert.equal(results[0].resp?.message_id, 'ok1');
    assert.equal(s.sent('submit_sm').length, 3);
  });

  it('resends a throttled window in the order it was first sent', () => {
    const h = harness({ resendWait: 0 });
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    // the first round is held, then all answered ESME_RTHROTTLED at once, as a busy SMSC does
    const held: { pdu: any; sock: any }[] = [];
    let throttledRound = true;
    s.onPdu = (pdu, sock) => {
      if (pdu.command !== 'submit_sm') return sock.reply(pdu);
      if (throttledRound) held.push({ pdu, sock });
      else sock.reply(pdu, { message_id: `id-${pdu.destination_addr}` });
    };
    const results = submitN(h.engine, 8);
    assert.equal(held.length, 8);
    throttledRound = false;
    for (const { pdu, sock } of held) sock.reply(pdu, { command_status: 0x58 });
    assert.equal(results.length, 0);
    h.clock.advance(5000);
    assert.equal(results.length, 8);
    const resent = s.sent('submit_sm').slice(8).map((p) => p.destination_addr);
    assert.deepEqual(resent, Array.from({ length: 8 }, (_, i) => `4670000${i}`));
  });

  it('never resends a permanent failure', () => {
    const h = harness({ resendTimes: 3 });
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    s.onPdu = (pdu, sock) => sock.reply(pdu, { command_status: 0x0b });
    const results = submitN(h.engine, 1);
    h.clock.advance(10000);
    assert.equal(results.length, 1);
    assert.equal(results[0].err?.status, 'ESME_RINVDSTADR');
    assert.equal(results[0].err?.retriable, false);
    assert.equal(s.sent('submit_sm').length, 1);
  });

  it('resends a transient failure Resending Times after Resending Waiting Time', () => {
    const h = harness({ resendTimes: 2, resendWait: 500 });
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    s.onPdu = (pdu, sock) => (pdu.command === 'submit_sm' ? sock.reply(pdu, { command_status: 0x08 }) : sock.reply(pdu));
    const results = submitN(h.engine, 1);
    h.clock.advance(499);
    assert.equal(s.sent('submit_sm').length, 1);
    h.clock.advance(1);
    assert.equal(s.sent('submit_sm').length, 2);
    h.clock.advance(500);
    assert.equal(results.length, 1);
    assert.equal(results[0].err?.status, 'ESME_RSYSERR');
    assert.equal(s.sent('submit_sm').length, 3);
  });
});

describe('LinkSupervisor: inbound', () => {
  function deliver(s: FakeSocket, seq: number): void {
    s.send('deliver_sm', { sequence_number: seq, source_addr: '111', destination_addr: '222', short_message: Buffer.from('hello'), data_coding: 0 });
  }
  it('acknowledges a deliver_sm only when the handler responds', () => {
    const h = harness();
    friendlySmsc(h.net);
    const held: Array<(status: number) => void> = [];
    h.engine.setInboundHandler((req) => held.push(req.respond));
    h.engine.start();
    const s = up(h);
    deliver(s, 40);
    assert.equal(s.sent('deliver_sm_resp').length, 0);
    held[0](0);
    held[0](0);
    const resps = s.sent('deliver_sm_resp');
    assert.equal(resps.length, 1);
    assert.equal(resps[0].sequence_number, 40);
    assert.equal(resps[0].command_status, 0);
  });
  it('answers ESME_RTHROTTLED when no node takes inbound messages or the receiving queue is full', () => {
    const h = harness({ receiveQueueLength: 1 });
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    deliver(s, 1);
    assert.equal(s.sent('deliver_sm_resp')[0].command_status, 0x58);
    h.engine.setInboundHandler(() => undefined); // takes and never answers: fills the queue
    deliver(s, 2);
    deliver(s, 3);
    const resps = s.sent('deliver_sm_resp');
    assert.equal(resps.length, 2);
    assert.equal(resps[1].sequence_number, 3);
    assert.equal(resps[1].command_status, 0x58);
    assert.equal(h.engine.counters.inboundThrottled, 2);
  });
  it('answers the SMSC unbind and reconnects', () => {
    const h = harness();
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    s.send('unbind', { sequence_number: 12 });
    assert.equal(s.sent('unbind_resp')[0].sequence_number, 12);
    assert.equal(h.engine.stateEvent.code, 'peer-unbind');
    h.clock.advance(1000);
    up(h);
    assert.equal(h.engine.state, 'bound');
  });
  it('refuses requests an ESME does not serve with generic_nack ESME_RINVCMDID', () => {
    const h = harness();
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    s.send('query_sm', { sequence_number: 21, message_id: 'x' });
    assert.equal(s.sent('generic_nack')[0].command_status, 0x03);
    assert.equal(h.engine.state, 'bound');
  });
});

describe('LinkSupervisor: operator and close', () => {
  it('disconnect stays down, fails queued and new messages at once, and connect binds again', async () => {
    const h = harness();
    friendlySmsc(h.net);
    h.engine.start();
    const queued = submitN(h.engine, 2);
    await h.engine.disconnect();
    assert.equal(h.engine.state, 'stopped');
    assert.equal(queued.length, 2);
    assert.ok(queued.every((r) => r.err?.status === 'NOT_RUNNING'));
    h.clock.advance(120000);
    assert.equal(h.net.sockets.length, 1, 'no reconnect while disconnected');
    const later = submitN(h.engine, 1);
    assert.match(later[0].err?.message ?? '', /disconnected by the operator/);
    h.engine.connect();
    up(h);
    assert.equal(h.engine.state, 'bound');
  });
  it('rebuild drops the link and binds again at once', () => {
    const h = harness();
    friendlySmsc(h.net);
    h.engine.start();
    const s1 = up(h);
    h.engine.rebuild();
    assert.ok(s1.destroyed);
    up(h);
    assert.equal(h.net.sockets.length, 2);
    assert.equal(h.engine.state, 'bound');
  });
  it('close fails the queue, waits for outstanding answers, unbinds and refuses new work', async () => {
    const h = harness({ windowSize: 10, drainTimeout: 2000 });
    friendlySmsc(h.net, { answerSubmits: false });
    h.engine.start();
    const s = up(h);
    const results = submitN(h.engine, 12);
    const closed = h.engine.close();
    assert.equal(results.length, 2, 'the two queued fail at once');
    for (const p of s.sent('submit_sm')) s.reply(p, { message_id: 'ok' });
    h.clock.advance(20);
    await closed;
    assert.equal(results.length, 12);
    assert.equal(results.filter((r) => r.err === null).length, 10);
    assert.equal(s.sent('unbind').length, 1);
    assert.equal(h.engine.state, 'closed');
    const after = submitN(h.engine, 1);
    assert.equal(after[0].err?.status, 'NOT_RUNNING');
  });
  it('close gives up waiting after drainTimeout and fails what is left as link down', async () => {
    const h = harness({ windowSize: 10, drainTimeout: 2000, transactionTimeout: 6000 });
    friendlySmsc(h.net, { answerSubmits: false });
    h.engine.start();
    const s = up(h);
    s.onPdu = null;
    const results = submitN(h.engine, 3);
    const closed = h.engine.close();
    for (let i = 0; i < 200 && results.length < 3; i++) {
      h.clock.advance(20);
      await new Promise((r) => setImmediate(r));
    }
    await closed;
    assert.equal(results.length, 3);
    assert.ok(results.every((r) => r.err?.status === 'LINK_DOWN'));
  });
});

describe('LinkSupervisor: Max Sending Rate', () => {
  it('delay policy: sends at most the rate per second and queues the rest', () => {
    const h = harness({ maxSendRate: 10, maxReceiveRate: 10, trafficPolicy: 'delay', windowSize: 100 });
    friendlySmsc(h.net);
    h.engine.start();
    const s = up(h);
    const results = submitN(h.engine, 25);
    assert.equal(s.sent('submit_sm').length, 10, 'a one-second burst');
    h.clock.advance(500);
    assert.equal(s.sent('submit_sm').length, 15);
    h.clock.advance(1000);
    assert.equal(s.sent('submit_sm').length, 25);
    assert.equal(results.length, 25);
    assert.ok(results.every((r) => r.err === null));
  });
  it('reject policy: fails what is over the rate at once with RATE_LIMITED', () => {
    const h = harness({ maxSendRate: 5, maxReceiveRate: 5, trafficPolicy: 'reject', windowSize: 100 });
    friendlySmsc(h.net);
    h.engine.start();
    up(h);
    const results = submitN(h.engine, 8);
    const limited = results.filter((r) => r.err?.status === 'RATE_LIMITED');
    assert.equal(limited.length, 3);
    assert.match(limited[0].err?.message ?? '', /Max Sending Rate 5\/s/);
    assert.equal(results.filter((r) => r.err === null).length, 5);
  });
  it('Max Receiving Rate: MOs over the rate get ESME_RTHROTTLED', () => {
    const h = harness({ maxSendRate: 5, maxReceiveRate: 2, trafficPolicy: 'delay' });
    friendlySmsc(h.net);
    h.engine.setInboundHandler((req) => req.respond(0));
    h.engine.start();
    const s = up(h);
    for (let i = 1; i <= 3; i++) s.send('deliver_sm', { sequence_number: i, source_addr: '1', destination_addr: '2', short_message: Buffer.from('x'), data_coding: 0 });
    assert.deepEqual(s.sent('deliver_sm_resp').map((p) => p.command_status), [0, 0, 0x58]);
  });
});

describe('LinkSupervisor: no protocol shortcut (issue 12 item 5)', () => {
  function deliver(s: FakeSocket, seq: number): void {
    s.send('deliver_sm', { sequence_number: seq, source_addr: '111', destination_addr: '222', short_message: Buffer.from('hello'), data_coding: 0 });
  }

  for (const wrong of ['enquire_link_resp', 'deliver_sm_resp', 'data_sm_resp', 'bind_transceiver_resp'] as const) {
    it(`a ${wrong} carrying a submit's sequence number is an error packet, never the submit's outcome`, () => {
      const h = harness({ transactionTimeout: 5000 });
      friendlySmsc(h.net, { answerSubmits: false });
      h.engine.start();
      const s = up(h);
      const results = submitN(h.engine, 1);
      const submit = s.sent('submit_sm')[0];
      s.push(new PDU(wrong, { sequence_number: submit.sequence_number, command_status: 0 }).toBuffer());
      assert.equal(results.length, 0, 'no outcome from a response of another type');
      assert.equal(h.engine.counters.errorPackets, 1);
      assert.equal(h.engine.inflight, 1, 'the submit still waits for its own response');
      s.reply(submit, { message_id: 'real-1' });
      assert.equal(results.length, 1);
      assert.equal(results[0].err, null);
      assert.equal(results[0].resp?.message_id, 'real-1');
    });
  }

  it('generic_nack with a submit sequence number answers it (SMPP 3.4 section 4.3)', () => {
    const h = harness();
    friendlySmsc(h.net, { answerSubmits: false });
    h.engine.start();
    const s = up(h);
    const results = submitN(h.engine, 1);
    s.push(new PDU('generic_nack', { sequence_number: s.sent('submit_sm')[0].sequence_number, command_status: 0x03 }).toBuffer());
    assert.equal(results.length, 1);
    assert.equal(results[0].err?.status, 'ESME_RINVCMDID');
    assert.equal(h.engine.counters.errorPackets, 0);
  });

  it('an MO arriving while the link unbinds (disconnect, redeploy) gets ESME_RTHROTTLED, not ESME_RINVBNDSTS', () => {
    const h = harness();
    h.net.onSocket = (sock) => {
      sock.onPdu = (pdu, peer) => {
        if (pdu.command.startsWith('bind_')) peer.reply(pdu, { system_id: 'FAKE' });
        // unbind is not answered yet: the link stays in 'unbinding'
      };
    };
    h.engine.setInboundHandler((req) => req.respond(0));
    h.engine.start();
    const s = up(h);
    void h.engine.disconnect();
    assert.equal(s.sent('unbind').length, 1);
    deliver(s, 77);
    const resp = s.sent('deliver_sm_resp');
    assert.equal(resp.length, 1);
    assert.equal(resp[0].sequence_number, 77);
    assert.equal(resp[0].command_status, 0x58);
  });

  it('an MO or receipt arriving while the gateway closes (drain before unbind) gets ESME_RTHROTTLED', async () => {
    const h = harness({ drainTimeout: 2000 });
    friendlySmsc(h.net, { answerSubmits: false });
    let handed = 0;
    h.engine.setInboundHandler((req) => {
      handed++;
      req.respond(0);
    });
    h.engine.start();
    const s = up(h);
    submitN(h.engine, 1); // in flight: close waits for its answer before unbinding
    const closed = h.engine.close();
    assert.equal(h.engine.state, 'closing');
    deliver(s, 78);
    s.send('deliver_sm', { sequence_number: 79, esm_class: 0x04, source_addr: '1', destination_addr: '2', short_message: Buffer.from('id:1 stat:DELIVRD'), data_coding: 0 });
    assert.equal(handed, 0, 'nothing handed to nodes that are closing');
    assert.deepEqual(s.sent('deliver_sm_resp').map((p) => [p.sequence_number, p.command_status]), [[78, 0x58], [79, 0x58]]);
    h.clock.advance(2000);
    await closed;
  });

  it('with Resending Times > 0, a submit that timed out fails as TIMEOUT under the default (at most once)', () => {
    const h = harness({ resendTimes: 2, resendWait: 500, transactionTimeout: 1000 });
    friendlySmsc(h.net, { answerSubmits: false });
    h.engine.start();
    const s = up(h);
    const results = submitN(h.engine, 1);
    h.clock.advance(1000);
    assert.equal(results.length, 1);
    assert.equal(results[0].err?.status, 'TIMEOUT');
    h.clock.advance(5000);
    assert.equal(s.sent('submit_sm').length, 1, 'never sent again: the SMSC may have it');
    assert.equal(h.engine.counters.resent, 0);
  });

  it('with Resending Times > 0 and inflightOnDrop = resend (at least once), a timed-out submit is sent again', () => {
    const h = harness({ resendTimes: 2, resendWait: 500, transactionTimeout: 1000, inflightOnDrop: 'resend' });
    friendlySmsc(h.net, { answerSubmits: false });
    h.engine.start();
    const s = up(h);
    const results = submitN(h.engine, 1);
    h.clock.advance(1000);
    assert.equal(results.length, 0);
    h.clock.advance(500);
    assert.equal(s.sent('submit_sm').length, 2);
    s.reply(s.sent('submit_sm')[1], { message_id: 'second' });
    assert.equal(results.length, 1);
    assert.equal(results[0].err, null);
  });

  it('Max Message Length over 16384: a 50000-octet data_sm is received and one is sent', () => {
    const h = harness({ maxMessageLength: 99999 });
    friendlySmsc(h.net);
    const got: number[] = [];
    h.engine.setInboundHandler((req) => {
      if (req.inbound.kind === 'mo') got.push(req.inbound.body.length);
      req.respond(0);
    });
    h.engine.start();
    const s = up(h);
    const big = Buffer.alloc(50_000, 0x41);
    s.send('data_sm', { sequence_number: 5, source_addr: '1', destination_addr: '2', data_coding: 0, message_payload: big });
    assert.deepEqual(got, [50_000]);
    assert.equal(s.sent('data_sm_resp')[0].command_status, 0);
    assert.equal(h.engine.counters.errorPackets, 0);
    const results: Result[] = [];
    h.engine.submit('data_sm', { source_addr: '1', destination_addr: '2', data_coding: 0, message_payload: big }, (err, resp) => results.push({ err, resp }));
    assert.equal(results.length, 1);
    assert.equal(results[0].err, null, results[0].err?.message);
    assert.ok(s.sent('data_sm')[0].command_length > 50_000);
  });
});

describe('LinkSupervisor: inbound classified once (SMPP 3.4 section 5.2.12)', () => {
  const cases: [string, Record<string, unknown>, 'mo' | 'receipt' | 'invalid', 'mos' | 'receipts'][] = [
    ['a default message', { esm_class: 0, short_message: Buffer.from('hi') }, 'mo', 'mos'],
    ['a default message with receipted_message_id', { esm_class: 0, short_message: Buffer.from('hi'), receipted_message_id: 'ab' }, 'mo', 'mos'],
    ['esm_class 0x18 (conversation abort) with receipt text', { esm_class: 0x18, short_message: Buffer.from('id:ab stat:DELIVRD') }, 'mo', 'mos'],
    ['an SMSC delivery receipt', { esm_class: 0x04, short_message: Buffer.from('id:ab stat:DELIVRD') }, 'receipt', 'receipts'],
    ['a receipt without any id', { esm_class: 0x04, short_message: Buffer.from('nothing') }, 'invalid', 'receipts'],
  ];
  for (const [name, fields, kind, counter] of cases) {
    it(`${name}: handed over as ${kind} and counted in ${counter}, by the same result`, () => {
      const h = harness();
      friendlySmsc(h.net);
      const kinds: string[] = [];
      h.engine.setInboundHandler((req) => {
        kinds.push(req.inbound.kind);
        req.respond(0);
      });
      h.engine.start();
      const s = up(h);
      s.send('deliver_sm', { sequence_number: 3, source_addr: '1', destination_addr: '2', data_coding: 0, ...fields });
      assert.deepEqual(kinds, [kind]);
      assert.equal(h.engine.counters[counter], 1);
      assert.equal(h.engine.counters[counter === 'mos' ? 'receipts' : 'mos'], 0);
    });
  }
});
