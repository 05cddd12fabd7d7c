/**
 * Concatenated MO from an SMSC whose PDU codec is Net::SMPP (Debian package
 * libnet-smpp-perl): test/interop/net-smpp-smsc.pl --concat-mo sends, after
 * one plain MO, a UCS2 message in 3 parts with an 8-bit UDH and a GSM 7-bit
 * message in 2 parts with the SAR TLVs, each out of order. The gateway runs in
 * a real Node-RED runtime (node-harness.ts); the script prints the status of
 * each deliver_sm_resp as Net::SMPP decoded it.
 */
import assert from 'node:assert/strict';
import { ESME_PASSWORD, ESME_SYSTEM_ID } from './interop-engine';
import { PeerProcess } from './peer-process';
import { helper, flow, load, until, collect } from '../nodes/node-harness';
import { SCRIPT, records, requireNetSmpp } from './net-smpp-peer';

/** 1 plain MO + 3 UDH parts + 2 SAR parts */
const PDUS = 6;


describe('interop: concatenated MO from Net::SMPP (libnet-smpp-perl) into smpp-receive', function () {
  this.timeout(20000);
  let peer: PeerProcess | null = null;

  afterEach(async () => {
    await helper.unload();
    await peer?.stop();
    peer = null;
  });

  it('reassembles a 3-part UDH UCS2 MO and a 2-part SAR GSM MO sent out of order; every part answered ESME_ROK', async () => {
    requireNetSmpp();
    const p = (peer = new PeerProcess('net-smpp-smsc.pl', 'perl', [SCRIPT, '--port', '0', '--mo', '1', '--concat-mo', '--max-seconds', '60']));
    const port = Number((await p.waitForOutput(/^LISTENING (\d+)$/m, 10000))[1]);
    const f = flow(port, { bindMode: 'receiver', concatWait: 30000 }).filter((n: any) => ['gw1', 'r1', 'mo'].includes(n.id));
    await load(f, { gw1: { systemId: ESME_SYSTEM_ID, password: ESME_PASSWORD } });
    const mo = collect('mo');

    await p.waitUntil(() => mo.length >= 3, 8000, `3 messages in the flow (got ${mo.length}: ${JSON.stringify(mo.map((m) => m.payload))})`);
    const sent = records(p.stdout, 'SENT concat_part');
    assert.deepEqual(sent.map((s) => `${s.via}:${s.part}`), ['udh8:2', 'udh8:3', 'udh8:1', 'sar:2', 'sar:1'], p.describe());

    assert.equal(mo[0].payload, 'mo 1 hello');
    assert.equal(mo[0].smpp.parts, 1);

    assert.equal(mo[1].payload, 'concat \u{1f600} from Net::SMPP in three parts');
    assert.equal(mo[1].smpp.data_coding, 8);
    assert.equal(mo[1].smpp.parts, 3);
    assert.equal(mo[1].smpp.incomplete, false);
    assert.deepEqual(mo[1].smpp.concat, { ref: 0x5a, total: 3, via: 8 });
    assert.equal(mo[1].from, '4670000009');
    assert.equal(mo[1].to, '12345');

    assert.equal(mo[2].payload, 'SAR split 5\u20ac end');
    assert.equal(mo[2].smpp.data_coding, 0);
    assert.equal(mo[2].smpp.parts, 2);
    assert.equal(mo[2].smpp.incomplete, false);
    assert.deepEqual(mo[2].smpp.concat, { ref: 0x1234, total: 2, via: 'sar' });

    // Net::SMPP decoded a deliver_sm_resp with status 0 for each PDU, parts held included
    await p.waitUntil(() => records(p.stdout, 'DELIVER_SM_RESP').length >= PDUS, 4000, `${PDUS} DELIVER_SM_RESP lines`);
    assert.deepEqual(records(p.stdout, 'DELIVER_SM_RESP').map((r) => r.status), Array(PDUS).fill('0'), p.describe());
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(mo.length, 3, 'no part came out on its own');
    const c = helper.getNode('gw1').moCounters;
    assert.equal(c.moParts, 5);
    assert.equal(c.moReassembled, 2);
    assert.equal(c.moHeldGroups, 0);
  });
});
