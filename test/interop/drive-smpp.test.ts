/**
 * Interoperability with Kannel's test SMSC, drive_smpp (Debian package
 * kannel-extras): the PDU codec on the other side is Kannel's (gw/smsc/smpp_pdu.c),
 * not ours and not the `smpp` npm package.
 *
 * What drive_smpp does (test/drive_smpp.c in Kannel 1.4.5):
 * - serves ONE ESME connection on -p PORT, then exits when it closes;
 * - answers bind_transmitter and bind_receiver; bind_transceiver is "Unhandled" (no answer);
 * - answers submit_sm with submit_sm_resp (status 0, empty message_id) and logs each short_message;
 * - to a receiver, sends -m N deliver_sm (source 456, destination 123, text "1".."N"),
 *   each followed by an enquire_link;
 * - answers enquire_link and unbind; logs every PDU it handles ("Handling SMPP PDU of type X");
 * - on exit prints counters ("Number of messages sent to SMSC: N", "... to ESME: N").
 * It also dials 127.0.0.1:13001 as an smsbox and aborts if nothing is there: see kannel-smsbox-stub.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { CMD } from './wire-tap';
import { InteropEngine, closeEngine } from './interop-engine';
import { PeerProcess } from './peer-process';
import { freePort, isListening } from './ports';
import { SmsboxStub, startSmsboxStub } from './kannel-smsbox-stub';

const DRIVE_SMPP = '/usr/lib/kannel/test/drive_smpp';
const INSTALL_HINT = `${DRIVE_SMPP} is not installed: run \`bash .ci/install-peers.sh\` as root (Debian package kannel-extras)`;

function requireDriveSmpp(): void {
  let ok = false;
  try {
    fs.accessSync(DRIVE_SMPP, fs.constants.X_OK);
    ok = true;
  } catch {
    ok = false;
  }
  assert.ok(ok, INSTALL_HINT);
}

/** drive_smpp's ERROR / WARNING / PANIC lines (a PDU it could not unpack or did not expect) */
function complaints(peer: PeerProcess): string[] {
  return peer.output.split('\n').filter((l) => /\] (ERROR|WARNING|PANIC): /.test(l));
}

/** how many times drive_smpp logged handling a PDU of this type */
function handled(peer: PeerProcess, type: string): number {
  return (peer.output.match(new RegExp(`Handling SMPP PDU of type ${type}$`, 'gm')) ?? []).length;
}

async function startDriveSmpp(messagesToEsme: number): Promise<{ peer: PeerProcess; port: number }> {
  const port = await freePort();
  const peer = new PeerProcess('drive_smpp', DRIVE_SMPP, ['-p', String(port), '-m', String(messagesToEsme)]);
  // no probe connection: drive_smpp would take it for its one ESME and quit after it
  await peer.waitUntil(() => isListening(port), 5000, `drive_smpp listening on port ${port}`);
  return { peer, port };
}


describe('interop: Kannel drive_smpp (kannel-extras) as the SMSC', function () {
  this.timeout(20000);
  let stub: SmsboxStub | null = null;
  let peer: PeerProcess | null = null;
  let gw: InteropEngine | null = null;

  before(async () => {
    stub = await startSmsboxStub();
  });

  afterEach(async () => {
    if (gw) await Promise.race([gw.engine.close(), new Promise((r) => setTimeout(r, 3000))]);
    gw = null;
    if (peer) await peer.stop();
    peer = null;
  });

  after(async () => {
    await stub?.close();
  });

  it('binds as transmitter, gets an answer for each of 20 submit_sm through a window of 10, heartbeats, unbinds', async () => {
    requireDriveSmpp();
    const started = await startDriveSmpp(0);
    peer = started.peer;
    const p = peer;
    const e = (gw = new InteropEngine(started.port, 'transmitter').start());
    const ctx = () => p.describe();

    await e.waitForState('bound', 5000, ctx);
    await p.waitForOutput(/Handling SMPP PDU of type bind_transmitter$/m, 2000);

    const texts = Array.from({ length: 20 }, (_, i) => `interop ${String(i + 1).padStart(2, '0')}`);
    const results = await e.submitMany(
      20,
      (i) => ({ source_addr: '12345', destination_addr: '4670000001', data_coding: 0, short_message: Buffer.from(texts[i], 'ascii') }),
      10000,
      ctx,
    );
    for (const r of results) {
      assert.equal(r.err, null, `submit #${r.index + 1} failed: ${r.err?.message}${e.describe()}${ctx()}`);
      assert.equal(r.resp?.command, 'submit_sm_resp');
      assert.equal(r.resp?.command_status, 0);
      assert.equal(typeof r.resp?.message_id, 'string', 'submit_sm_resp decoded with a message_id field');
    }
    assert.equal(e.tap.maxOutstanding(CMD.submit_sm, CMD.submit_sm_resp), 10, `the window (10) was filled and never exceeded${e.tap.describe()}`);
    // Kannel's decoder read our bytes back: every text, in order
    await p.waitUntil(() => texts.every((t) => p.output.includes(`submit_sm: short_message = <${t}>`)), 3000, 'drive_smpp to log all 20 short_messages');
    const logged = [...p.output.matchAll(/submit_sm: short_message = <([^>]*)>/g)].map((m) => m[1]);
    assert.deepEqual(logged, texts, `drive_smpp decoded the 20 short_messages in order${ctx()}`);

    // heartbeat: the engine's enquire_link every 500 ms, answered by drive_smpp
    await p.waitUntil(() => e.tap.count('in', CMD.enquire_link_resp, 0) >= 3, 4000, `3 enquire_link_resp from drive_smpp${e.describe()}`);
    await p.waitUntil(() => handled(p, 'enquire_link') >= 3, 3000, 'drive_smpp to handle 3 enquire_link');
    assert.deepEqual(e.tap.answered(CMD.enquire_link, CMD.enquire_link_resp).slice(0, 3).map((a) => a.status), [0, 0, 0]);
    assert.equal(e.logs.filter((l) => l.includes('heartbeat not answered')).length, 0, e.describe());
    assert.deepEqual(e.statesSinceBound(), ['bound'], `the link stayed up${e.describe()}`);
    assert.deepEqual(complaints(p), [], `drive_smpp complained about a PDU${ctx()}`);

    await closeEngine(e, p);
    assert.equal(e.engine.state, 'closed');
    assert.equal(e.tap.count('out', CMD.unbind), 1, e.tap.describe());
    assert.equal(e.tap.count('in', CMD.unbind_resp, 0), 1, `drive_smpp answered unbind${e.tap.describe()}${ctx()}`);
    // its one connection closed, drive_smpp ends by itself and prints its counters
    const exit = await p.waitForExit(5000);
    assert.ok(exit, `drive_smpp did not end after the session closed${ctx()}`);
    assert.equal(handled(p, 'unbind'), 1, ctx());
    assert.equal(exit.code, 0, `drive_smpp ended normally${ctx()}`);
    assert.match(p.output, /Number of messages sent to SMSC: 20$/m, ctx());
    assert.deepEqual(complaints(p), [], `drive_smpp complained about a PDU${ctx()}`);
    assert.equal(e.engine.counters.accepted, 20);
  });

  it('binds as receiver, acknowledges the 5 deliver_sm (MO) it sends and its enquire_links, heartbeats, unbinds', async () => {
    requireDriveSmpp();
    const started = await startDriveSmpp(5);
    peer = started.peer;
    const p = peer;
    const e = (gw = new InteropEngine(started.port, 'receiver').start());
    const ctx = () => p.describe();

    await e.waitForState('bound', 5000, ctx);
    await p.waitUntil(() => e.inbound.length >= 5, 5000, `5 deliver_sm from drive_smpp (got ${e.inbound.length})${e.describe()}`);
    assert.equal(e.inbound.length, 5);
    e.inbound.forEach((pdu, i) => {
      assert.equal(pdu.command, 'deliver_sm');
      assert.equal(pdu.source_addr, '456');
      assert.equal(pdu.destination_addr, '123');
      assert.equal(pdu.short_message?.message, String(i + 1), `MO #${i + 1} text`);
      // drive_smpp adds this TLV for SMPP 3.4 binds; decoding it shows TLV parsing works on Kannel's bytes
      assert.equal(pdu.receipted_message_id, 'receipted_message_id', `MO #${i + 1} receipted_message_id TLV`);
    });
    // our deliver_sm_resp (status 0) went out for each and Kannel decoded them
    assert.equal(e.tap.count('out', CMD.deliver_sm_resp, 0), 5, e.tap.describe());
    await p.waitUntil(() => handled(p, 'deliver_sm_resp') === 5, 3000, 'drive_smpp to handle 5 deliver_sm_resp');
    // drive_smpp sends an enquire_link after each deliver_sm: the engine answers them
    await p.waitUntil(() => handled(p, 'enquire_link_resp') >= 5, 3000, 'drive_smpp to handle 5 enquire_link_resp from the engine');
    assert.equal(e.tap.count('in', CMD.enquire_link), e.tap.count('out', CMD.enquire_link_resp), e.tap.describe());

    // heartbeat from our side too
    await p.waitUntil(() => e.tap.count('in', CMD.enquire_link_resp, 0) >= 3, 4000, `3 enquire_link_resp from drive_smpp${e.describe()}`);
    assert.equal(e.logs.filter((l) => l.includes('heartbeat not answered')).length, 0, e.describe());
    assert.deepEqual(e.statesSinceBound(), ['bound'], `the link stayed up${e.describe()}`);
    assert.deepEqual(complaints(p), [], `drive_smpp complained about a PDU${ctx()}`);

    await closeEngine(e, p);
    assert.equal(e.tap.count('in', CMD.unbind_resp, 0), 1, `drive_smpp answered unbind${e.tap.describe()}${ctx()}`);
    const exit = await p.waitForExit(5000);
    assert.ok(exit, `drive_smpp did not end after the session closed${ctx()}`);
    assert.equal(exit.code, 0, `drive_smpp ended normally${ctx()}`);
    assert.match(p.output, /Number of messages sent to ESME: 5$/m, ctx());
    assert.deepEqual(complaints(p), [], `drive_smpp complained about a PDU${ctx()}`);
  });

  it('bind_transceiver is not served by drive_smpp: the engine reports a bind timeout instead of hanging', async () => {
    requireDriveSmpp();
    const started = await startDriveSmpp(0);
    peer = started.peer;
    const p = peer;
    // reconnectMin keeps the next attempt after the end of this test
    const e = (gw = new InteropEngine(started.port, 'transceiver', { bindTimeout: 500, reconnectMin: 5000, reconnectMax: 5000 }).start());

    await e.waitForState('retrying', 4000, () => p.describe());
    const retry = e.states.find((s) => s.state === 'retrying');
    assert.equal(retry?.code, 'bind-timeout', e.describe());
    assert.ok(!e.states.some((s) => s.state === 'bound'), e.describe());
    assert.equal(e.tap.count('out', CMD.bind_transceiver), 1, e.tap.describe());
    assert.equal(e.tap.count('in', CMD.bind_transceiver_resp), 0, e.tap.describe());
    await p.waitForOutput(/Unhandled SMPP PDU/, 2000);
    await closeEngine(e, p);
    assert.equal(e.engine.state, 'closed');
  });
});
