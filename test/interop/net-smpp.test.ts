/**
 * Interoperability with an SMSC whose PDU codec is Net::SMPP (Debian package
 * libnet-smpp-perl): test/interop/net-smpp-smsc.pl. The session logic of that
 * script is ours and tiny; every PDU it reads or writes is encoded and decoded
 * by Net::SMPP, so these tests check our bytes against an independent codec,
 * and the engine's decoding against bytes we did not produce.
 * The script prints one line per PDU it receives, with the fields it decoded.
 */
import assert from 'node:assert/strict';
import { CMD } from './wire-tap';
import { ESME_PASSWORD, ESME_SYSTEM_ID, InteropEngine, closeEngine } from './interop-engine';
import { PeerProcess } from './peer-process';
import { SCRIPT, records, requireNetSmpp } from './net-smpp-peer';

const MO_COUNT = 3;


function ucs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

/** what the script sends as MO number n (see net-smpp-smsc.pl) */
function expectedMo(n: number): { dataCoding: number; text: string } {
  return n % 2 ? { dataCoding: 0, text: `mo ${n} hello` } : { dataCoding: 8, text: `mo ${n} \u20ac\u00e5` };
}

/** submit number i: even ones GSM/ASCII text in data_coding 0, odd ones UCS2 in data_coding 8 */
function submission(i: number): { fields: Record<string, unknown>; bytes: Buffer } {
  const bytes = i % 2 ? ucs2(`interop ${i} \u20ac\u00e5\u4e2d`) : Buffer.from(`interop ${i} hello`, 'ascii');
  return {
    bytes,
    fields: {
      source_addr_ton: 5,
      source_addr_npi: 0,
      source_addr: 'NodeRED',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: `46700000${String(i).padStart(2, '0')}`,
      registered_delivery: 1,
      data_coding: i % 2 ? 8 : 0,
      short_message: bytes,
    },
  };
}


describe('interop: Net::SMPP (libnet-smpp-perl) as the SMSC codec', function () {
  this.timeout(20000);
  let peer: PeerProcess | null = null;
  let port = 0;
  let gw: InteropEngine | null = null;

  /** starts the script once for the file; checks the peer is installed first (fails, never skips) */
  async function peerReady(): Promise<PeerProcess> {
    requireNetSmpp();
    if (peer && !peer.exit) return peer;
    const p = new PeerProcess('net-smpp-smsc.pl', 'perl', [SCRIPT, '--port', '0', '--mo', String(MO_COUNT), '--max-seconds', '90']);
    peer = p;
    const m = await p.waitForOutput(/^LISTENING (\d+)$/m, 10000);
    port = Number(m[1]);
    return p;
  }

  afterEach(async () => {
    if (gw) await Promise.race([gw.engine.close(), new Promise((r) => setTimeout(r, 3000))]);
    gw = null;
  });

  after(async () => {
    await peer?.stop();
    peer = null;
  });

  /** the script's report (stdout; Net::SMPP warns on stderr) since `mark`, i.e. for this test's connection */
  function since(p: PeerProcess, mark: number): string {
    return p.stdout.slice(mark);
  }

  /**
   * Waits (bounded) until the script has printed at least `n` lines of `kind`
   * since `mark`, and returns them all. Its stdout may arrive after the PDU it
   * wrote, so a line is never read without this wait.
   */
  async function report(p: PeerProcess, mark: number, kind: string, n: number, timeoutMs = 3000): Promise<Record<string, string>[]> {
    await p.waitUntil(() => records(since(p, mark), kind).length >= n, timeoutMs, `${n} "${kind}" line(s) from the script`);
    return records(since(p, mark), kind);
  }

  async function heartbeatAndUnbind(e: InteropEngine, p: PeerProcess, mark: number): Promise<void> {
    const ctx = () => `${e.describe()}${p.describe()}`;
    await p.waitUntil(() => e.tap.count('in', CMD.enquire_link_resp, 0) >= 3, 4000, `3 enquire_link_resp from Net::SMPP${ctx()}`);
    await report(p, mark, 'ENQUIRE_LINK', 3);
    assert.equal(e.logs.filter((l) => l.includes('heartbeat not answered')).length, 0, ctx());
    assert.deepEqual(e.statesSinceBound(), ['bound'], `the link stayed up${ctx()}`);

    await closeEngine(e, p);
    assert.equal(e.engine.state, 'closed');
    assert.equal(e.tap.count('out', CMD.unbind), 1, e.tap.describe());
    assert.equal(e.tap.count('in', CMD.unbind_resp, 0), 1, `Net::SMPP answered unbind${ctx()}`);
    // the engine closes the socket after unbind_resp: the script sees the end of this connection
    await p.waitUntil(() => /^UNBIND [^\n]*\nEOF\nCLOSED \d+$/m.test(since(p, mark)), 3000, 'the script to see the connection end after unbind');
    // the whole session's report is in now
    assert.equal(records(since(p, mark), 'UNBIND').length, 1, ctx());
    assert.equal(records(since(p, mark), 'UNEXPECTED').length, 0, `Net::SMPP saw a PDU it did not expect${ctx()}`);
    assert.equal(records(since(p, mark), 'GENERIC_NACK').length, 0, `the engine sent generic_nack${ctx()}`);
  }

  it('binds as transmitter (bind fields decoded by Net::SMPP), 20 submit_sm through a window of 10, each answered with its message_id, heartbeat, unbind', async () => {
    const p = await peerReady();
    const mark = p.stdout.length;
    const e = (gw = new InteropEngine(port, 'transmitter').start());
    const ctx = () => `${e.describe()}${p.describe()}`;

    await e.waitForState('bound', 5000, () => p.describe());
    const binds = await report(p, mark, 'BIND', 1);
    assert.equal(binds.length, 1, ctx());
    assert.deepEqual(
      binds[0],
      { mode: 'transmitter', seq: binds[0].seq, system_id: ESME_SYSTEM_ID, password: ESME_PASSWORD, system_type: '', interface_version: '0x34', addr_ton: '0', addr_npi: '0', address_range: '' },
      ctx(),
    );

    const subs = Array.from({ length: 20 }, (_, i) => submission(i));
    const results = await e.submitMany(20, (i) => subs[i].fields, 10000, () => p.describe());
    const peerSubmits = await report(p, mark, 'SUBMIT', 20);
    assert.equal(peerSubmits.length, 20, ctx());
    const ids = new Set<string>();
    for (const r of results) {
      assert.equal(r.err, null, `submit #${r.index} failed: ${r.err?.message}${ctx()}`);
      assert.equal(r.resp?.command, 'submit_sm_resp');
      assert.equal(r.resp?.command_status, 0);
      const id = String(r.resp?.message_id);
      assert.match(id, /^nsm-\d+$/, 'message_id decoded from Net::SMPP submit_sm_resp');
      ids.add(id);
      // the answer belongs to this very submission: Net::SMPP decoded its fields and bytes
      const seen = peerSubmits.find((s) => s.message_id === id);
      assert.ok(seen, `no SUBMIT line for ${id}${ctx()}`);
      const s = subs[r.index];
      assert.equal(seen.sm_hex, s.bytes.toString('hex'), `short_message of submit #${r.index}`);
      assert.equal(seen.data_coding, String(s.fields.data_coding));
      assert.equal(seen.src, '5/0/NodeRED');
      assert.equal(seen.dst, `1/1/${s.fields.destination_addr}`);
      assert.equal(seen.registered_delivery, '1');
      assert.equal(seen.esm_class, '0');
    }
    assert.equal(ids.size, 20, 'a distinct message_id for each');
    assert.equal(e.tap.maxOutstanding(CMD.submit_sm, CMD.submit_sm_resp), 10, `the window (10) was filled and never exceeded${e.tap.describe()}`);
    assert.equal(e.inbound.length, 0, 'a transmitter gets no MO');

    await heartbeatAndUnbind(e, p, mark);
    assert.equal(e.engine.counters.accepted, 20);
  });

  it(`binds as receiver and acknowledges the ${MO_COUNT} deliver_sm (MO, GSM and UCS2, with a TLV) and the enquire_link Net::SMPP sends, heartbeat, unbind`, async () => {
    const p = await peerReady();
    const mark = p.stdout.length;
    const e = (gw = new InteropEngine(port, 'receiver').start());
    const ctx = () => `${e.describe()}${p.describe()}`;

    await e.waitForState('bound', 5000, () => p.describe());
    assert.equal((await report(p, mark, 'BIND', 1))[0].mode, 'receiver', ctx());
    await p.waitUntil(() => e.inbound.length >= MO_COUNT, 4000, `${MO_COUNT} deliver_sm (got ${e.inbound.length})${ctx()}`);
    const sent = await report(p, mark, 'SENT deliver_sm', MO_COUNT);
    assert.equal(sent.length, MO_COUNT, ctx());
    e.inbound.forEach((pdu, i) => {
      const n = i + 1;
      const want = expectedMo(n);
      assert.equal(pdu.command, 'deliver_sm');
      assert.equal(pdu.sequence_number, Number(sent[i].seq));
      assert.equal(pdu.source_addr_ton, 1);
      assert.equal(pdu.source_addr_npi, 1);
      assert.equal(pdu.source_addr, '4670000009');
      assert.equal(pdu.destination_addr, '12345');
      assert.equal(pdu.data_coding, want.dataCoding);
      assert.equal(pdu.short_message?.message, want.text, `MO #${n} text`);
      assert.equal(pdu.user_message_reference, n, `MO #${n} TLV user_message_reference`);
    });
    // Net::SMPP decoded a deliver_sm_resp with status 0 for each, and the enquire_link_resp
    const acks = await report(p, mark, 'DELIVER_SM_RESP', MO_COUNT);
    assert.deepEqual(acks.map((a) => a.seq), sent.map((s) => s.seq), ctx());
    assert.deepEqual(acks.map((a) => a.status), sent.map(() => '0'), ctx());
    const enquireAnswer = (await report(p, mark, 'ENQUIRE_LINK_RESP', 1))[0];
    const sentEnquire = (await report(p, mark, 'SENT enquire_link', 1))[0];
    assert.deepEqual(enquireAnswer, { seq: sentEnquire.seq, status: '0' }, ctx());

    await heartbeatAndUnbind(e, p, mark);
  });

  it('binds as transceiver: 20 submit_sm answered while the MOs arrive and are acknowledged, heartbeat, unbind', async () => {
    const p = await peerReady();
    const mark = p.stdout.length;
    const e = (gw = new InteropEngine(port, 'transceiver').start());
    const ctx = () => `${e.describe()}${p.describe()}`;

    // queued before the bind completes: sent as soon as it does, while the MOs come in
    const subs = Array.from({ length: 20 }, (_, i) => submission(i));
    const results = await e.submitMany(20, (i) => subs[i].fields, 10000, () => p.describe());
    assert.equal((await report(p, mark, 'BIND', 1))[0].mode, 'transceiver', ctx());
    for (const r of results) {
      assert.equal(r.err, null, `submit #${r.index} failed: ${r.err?.message}${ctx()}`);
      assert.match(String(r.resp?.message_id), /^nsm-\d+$/);
    }
    const peerSubmits = await report(p, mark, 'SUBMIT', 20);
    assert.deepEqual(
      peerSubmits.map((s) => s.sm_hex),
      subs.map((s) => s.bytes.toString('hex')),
      `Net::SMPP got the 20 submissions, in order, byte for byte${ctx()}`,
    );
    assert.ok(e.tap.maxOutstanding(CMD.submit_sm, CMD.submit_sm_resp) <= 10, e.tap.describe());

    await p.waitUntil(() => e.inbound.length >= MO_COUNT, 4000, `${MO_COUNT} deliver_sm${ctx()}`);
    assert.deepEqual(
      e.inbound.map((pdu) => pdu.short_message?.message),
      Array.from({ length: MO_COUNT }, (_, i) => expectedMo(i + 1).text),
    );
    assert.deepEqual((await report(p, mark, 'DELIVER_SM_RESP', MO_COUNT)).map((a) => a.status), Array(MO_COUNT).fill('0'), ctx());
    assert.equal((await report(p, mark, 'ENQUIRE_LINK_RESP', 1))[0].status, '0', ctx());

    await heartbeatAndUnbind(e, p, mark);
  });

  it('a bind refused by Net::SMPP (wrong password) is reported with its status, not as bound', async () => {
    const p = await peerReady();
    const mark = p.stdout.length;
    // the next attempt would come after the end of this test
    const e = (gw = new InteropEngine(port, 'transceiver', { reconnectMin: 5000, reconnectMax: 5000 }, 'nope').start());

    await e.waitForState('retrying', 4000, () => p.describe());
    const retry = e.states.find((s) => s.state === 'retrying');
    assert.equal(retry?.code, 'bind-refused', e.describe());
    assert.equal(retry?.status, 'ESME_RINVPASWD', e.describe());
    assert.ok(!e.states.some((s) => s.state === 'bound'), e.describe());
    assert.equal(e.tap.count('in', CMD.bind_transceiver_resp, 0x0e), 1, e.tap.describe());
    assert.equal((await report(p, mark, 'BIND', 1))[0].password, 'nope', p.describe());
    assert.equal((await report(p, mark, 'SENT bind_transceiver_resp', 1))[0].status, String(0x0e), p.describe());
    await closeEngine(e, p);
  });
});
