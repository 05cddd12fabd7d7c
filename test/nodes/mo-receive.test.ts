/**
 * smpp-receive against the simulator: MO in each coding, concatenated MO
 * (out of order, across a reconnect, with a missing part, duplicates), the
 * Accepted Number Prefix, the bound on waiting messages, throttling, the
 * node filters on the whole message, and the hand-out of held parts on close.
 * Every status asserted is the one the simulator read in our deliver_sm_resp.
 */
import assert from 'node:assert/strict';
import { SmscSimulator, MoOptions } from '../../src/simulator';
import { helper, flow, load, until, collect, gw, simulatorEachTest } from './node-harness';

const ROK = 0x00;
const RMSGQFUL = 0x14;
const RTHROTTLED = 0x58;
const RX_R_APPN = 0x66;

function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

function ucs2(s: string): Buffer {
  return Buffer.from(s, 'utf16le').swap16();
}

/** an MO part with an 8-bit UDH concatenation element */
function udh8(ref: number, total: number, seq: number, body: Buffer, dataCoding = 0): MoOptions {
  return { from: '+46701234567', to: '7777', esmClass: 0x40, dataCoding, bytes: Buffer.concat([Buffer.from([5, 0, 3, ref, total, seq]), body]) };
}

/** an MO part in a data_sm with the SAR TLVs */
function sar(ref: number, total: number, seq: number, body: Buffer, dataCoding = 8): MoOptions {
  return {
    from: '+46701234567', to: '7777', command: 'data_sm', dataCoding, bytes: body,
    tlvs: { sar_msg_ref_num: ref, sar_total_segments: total, sar_segment_seqnum: seq },
  };
}

/** the flow of node-harness.ts with gateway options and smpp-receive options */
function moFlow(port: number, gwOpts: Record<string, unknown> = {}, receiveOpts: Record<string, unknown> = {}): any[] {
  const f = flow(port, { concatWait: 1000, ...gwOpts }) as any[];
  Object.assign(f.find((n) => n.id === 'r1'), receiveOpts);
  return f;
}

/** a pause that lets a message that should not come show up if it were sent */
const settle = () => new Promise((r) => setTimeout(r, 150));

describe('smpp-receive: MO messages against the simulator', function () {
  this.timeout(15000);
  let sim: SmscSimulator;
  simulatorEachTest((s) => (sim = s), () => sim);

  async function started(f: any[]): Promise<any[]> {
    await load(f);
    const mo = collect('mo');
    await until(() => gw().engine.state === 'bound', 'bound');
    return mo;
  }

  describe('decodes by the whole data_coding byte', () => {
    const cases: { name: string; dc: number; bytes: Buffer; payload: string | Buffer }[] = [
      // @ H i space {ESC ( } {ESC e} {ESC )} space ü
      { name: '0 GSM 7-bit with extension characters', dc: 0, bytes: hex('00 48 69 20 1b28 1b65 1b29 20 7e'), payload: '@Hi {\u20ac} \u00fc' },
      { name: '1 IA5', dc: 1, bytes: Buffer.from('plain ascii 1+1=2', 'ascii'), payload: 'plain ascii 1+1=2' },
      { name: '3 Latin-1', dc: 3, bytes: Buffer.from('Gr\u00fc\u00dfe \u00e0 bient\u00f4t', 'latin1'), payload: 'Gr\u00fc\u00dfe \u00e0 bient\u00f4t' },
      { name: '8 UCS2 (with a character outside the BMP)', dc: 8, bytes: ucs2('\u4f60\u597d \u{1f600}'), payload: '\u4f60\u597d \u{1f600}' },
      { name: '0xF1 message class 1, GSM 7-bit', dc: 0xf1, bytes: Buffer.from('class one', 'ascii'), payload: 'class one' },
      { name: '4 binary, as a Buffer', dc: 4, bytes: hex('00 ff 10 80'), payload: hex('00 ff 10 80') },
      { name: '0xF5 message class 1, 8-bit data, as a Buffer', dc: 0xf5, bytes: hex('0a0b0c'), payload: hex('0a0b0c') },
      { name: '0x0E (KS C 5601, not decoded), as a Buffer, never garbled text', dc: 0x0e, bytes: hex('b0a1 b0a2'), payload: hex('b0a1 b0a2') },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const mo = await started(moFlow(sim.port));
        const status = await sim.injectMo({ from: '+46701234567', to: '7777', dataCoding: c.dc, bytes: c.bytes });
        assert.equal(status, ROK);
        await until(() => mo.length === 1, 'the MO in the flow');
        const m = mo[0];
        if (Buffer.isBuffer(c.payload)) {
          assert.ok(Buffer.isBuffer(m.payload), `a Buffer, got ${typeof m.payload}`);
          assert.deepEqual(Buffer.from(m.payload), c.payload);
        } else {
          assert.equal(m.payload, c.payload);
        }
        assert.equal(m.smpp.data_coding, c.dc);
        assert.equal(m.from, '46701234567');
        assert.equal(m.to, '7777');
        assert.equal(m.topic, '7777');
        assert.equal(m.smpp.command, 'deliver_sm');
        assert.equal(m.smpp.parts, 1);
        assert.equal(m.smpp.incomplete, false);
        assert.deepEqual(m.smpp.missing, []);
        assert.equal(m.smpp.concat, undefined);
        assert.equal(m.smpp.fields.source_addr_ton, 1);
      });
    }
  });

  describe('concatenated MO', () => {
    it('reassembles 3 parts (8-bit UDH) arriving 3,1,2: parts acknowledged, one whole message out', async () => {
      const mo = await started(moFlow(sim.port));
      // the GSM escape of the euro sign is split between parts 1 and 2
      const bodies = [Buffer.concat([Buffer.from('Costs 5'), hex('1b')]), Buffer.concat([hex('65'), Buffer.from(' today, ')]), Buffer.from('pay now')];
      assert.equal(await sim.injectMo(udh8(0x42, 3, 3, bodies[2])), ROK);
      assert.equal(await sim.injectMo(udh8(0x42, 3, 1, bodies[0])), ROK);
      await settle();
      assert.equal(mo.length, 0, 'nothing out before the message is whole');
      assert.equal(gw().moCounters.moHeldGroups, 1);
      assert.equal(await sim.injectMo(udh8(0x42, 3, 2, bodies[1])), ROK);
      await until(() => mo.length === 1, 'the whole message');
      const m = mo[0];
      assert.equal(m.payload, 'Costs 5\u20ac today, pay now');
      assert.equal(m.smpp.parts, 3);
      assert.equal(m.smpp.incomplete, false);
      assert.deepEqual(m.smpp.missing, []);
      assert.deepEqual(m.smpp.concat, { ref: 0x42, total: 3, via: 8 });
      assert.deepEqual(Buffer.from(m.smpp.udh), hex('05 00 03 42 03 01'), 'the UDH of part 1');
      assert.equal(m.smpp.esm_class, 0x40);
      await settle();
      assert.equal(mo.length, 1);
      const c = gw().moCounters;
      assert.equal(c.moParts, 3);
      assert.equal(c.moReassembled, 1);
      assert.equal(c.moIncomplete, 0);
      assert.equal(c.moHeldGroups, 0);
    });

    it('reassembles UCS2 parts in data_sm with SAR TLVs, a surrogate pair split between them', async () => {
      const mo = await started(moFlow(sim.port));
      const all = ucs2('smile \u{1f600} done');
      const cut = ucs2('smile ').length + 2; // after the high surrogate
      assert.equal(await sim.injectMo(sar(0xbeef, 2, 2, all.subarray(cut))), ROK);
      assert.equal(await sim.injectMo(sar(0xbeef, 2, 1, all.subarray(0, cut))), ROK);
      await until(() => mo.length === 1, 'the whole message');
      assert.equal(mo[0].payload, 'smile \u{1f600} done');
      assert.equal(mo[0].smpp.command, 'data_sm');
      assert.equal(mo[0].smpp.data_coding, 8);
      assert.deepEqual(mo[0].smpp.concat, { ref: 0xbeef, total: 2, via: 'sar' });
    });

    it('joins parts that came over two links (the link dropped and was rebuilt in between)', async () => {
      const mo = await started(moFlow(sim.port, { concatWait: 30000 }));
      assert.equal(await sim.injectMo(udh8(7, 2, 1, Buffer.from('before '))), ROK);
      sim.dropConnections();
      await until(() => gw().engine.state !== 'bound', 'link down');
      await until(() => gw().engine.state === 'bound', 'bound again');
      assert.equal(await sim.injectMo(udh8(7, 2, 2, Buffer.from('after'))), ROK);
      await until(() => mo.length === 1, 'the whole message');
      assert.equal(mo[0].payload, 'before after');
      assert.equal(mo[0].smpp.incomplete, false);
    });

    it('a duplicate part is acknowledged, ignored and counted', async () => {
      const mo = await started(moFlow(sim.port));
      assert.equal(await sim.injectMo(udh8(9, 2, 1, Buffer.from('once '))), ROK);
      assert.equal(await sim.injectMo(udh8(9, 2, 1, Buffer.from('once '))), ROK);
      assert.equal(await sim.injectMo(udh8(9, 2, 2, Buffer.from('only'))), ROK);
      await until(() => mo.length === 1, 'the whole message');
      assert.equal(mo[0].payload, 'once only');
      assert.equal(gw().moCounters.moDuplicateParts, 1);
    });

    it('with a part missing: after Concatenated MO wait what arrived comes out flagged incomplete', async () => {
      const mo = await started(moFlow(sim.port, { concatWait: 1000 }));
      assert.equal(await sim.injectMo(udh8(0x11, 3, 1, Buffer.from('first '))), ROK);
      assert.equal(await sim.injectMo(udh8(0x11, 3, 3, Buffer.from('third'))), ROK);
      await until(() => mo.length === 1, 'the incomplete message', 6000);
      const m = mo[0];
      assert.equal(m.payload, 'first third');
      assert.equal(m.smpp.incomplete, true);
      assert.deepEqual(m.smpp.missing, [2]);
      assert.deepEqual(m.smpp.received, [1, 3]);
      assert.equal(m.smpp.parts, 3);
      assert.deepEqual(m.smpp.concat, { ref: 0x11, total: 3, via: 8 });
      const c = gw().moCounters;
      assert.equal(c.moIncomplete, 1);
      assert.equal(c.moReassembled, 0);
      assert.equal(c.moHeldGroups, 0);
    });

    it('hands held parts out, flagged incomplete, when the gateway closes', async () => {
      const mo = await started(moFlow(sim.port, { concatWait: 60000 }));
      assert.equal(await sim.injectMo(udh8(0x21, 2, 2, Buffer.from('tail'))), ROK);
      await gw().close(false);
      await until(() => mo.length === 1, 'the held part on close');
      assert.equal(mo[0].payload, 'tail');
      assert.equal(mo[0].smpp.incomplete, true);
      assert.deepEqual(mo[0].smpp.missing, [1]);
      assert.equal(gw().moCounters.moIncomplete, 1);
    });

    it('over Receiving Thread Pool Queue Length waiting messages, a new one\'s part gets ESME_RMSGQFUL; room again once one completes', async () => {
      const mo = await started(moFlow(sim.port, { receiveQueueLength: 1 }));
      assert.equal(await sim.injectMo(udh8(1, 2, 1, Buffer.from('a'))), ROK);
      assert.equal(await sim.injectMo(udh8(2, 2, 1, Buffer.from('b'))), RMSGQFUL);
      assert.equal(await sim.injectMo(udh8(1, 2, 2, Buffer.from('A'))), ROK);
      await until(() => mo.length === 1, 'the first message');
      // the SMSC retries the refused part: it is taken now
      assert.equal(await sim.injectMo(udh8(2, 2, 1, Buffer.from('b'))), ROK);
      assert.equal(await sim.injectMo(udh8(2, 2, 2, Buffer.from('B'))), ROK);
      await until(() => mo.length === 2, 'the second message');
      assert.deepEqual(mo.map((m) => m.payload), ['aA', 'bB']);
      assert.equal(gw().moCounters.moRefusedFull, 1);
    });
  });

  describe('Accepted Number Prefix', () => {
    it('refuses an MO (and a part) from a number outside it with ESME_RX_R_APPN, counted; accepts the others', async () => {
      const mo = await started(moFlow(sim.port, { acceptedNumberPrefix: '138;139' }));
      assert.equal(await sim.injectMo({ from: '+8613800000000', to: '10086', text: 'ok' }), ROK);
      assert.equal(await sim.injectMo({ from: '+8615900000000', to: '10086', text: 'no' }), RX_R_APPN);
      assert.equal(await sim.injectMo({ ...udh8(3, 2, 1, Buffer.from('part')), from: '+8615900000000' }), RX_R_APPN);
      await until(() => mo.length === 1, 'the accepted MO');
      await settle();
      assert.deepEqual(mo.map((m) => m.payload), ['ok']);
      assert.equal(gw().moCounters.moRefusedPrefix, 2);
      assert.equal(gw().moCounters.moHeldGroups, 0, 'a refused part is not held');
    });
  });

  describe('throttling', () => {
    it('no smpp-receive node: ESME_RTHROTTLED for a single MO and for a part, nothing held', async () => {
      await load(moFlow(sim.port).filter((n) => n.id !== 'r1'));
      await until(() => gw().engine.state === 'bound', 'bound');
      assert.equal(await sim.injectMo({ from: '123', to: '456', text: 'x' }), RTHROTTLED);
      assert.equal(await sim.injectMo(udh8(4, 2, 1, Buffer.from('p'))), RTHROTTLED);
      assert.equal(gw().moCounters.moHeldGroups, 0);
    });

    it('over Max Receiving Rate: ESME_RTHROTTLED, and only what was acknowledged is in the flow', async () => {
      const mo = await started(moFlow(sim.port, { maxReceiveRate: 1, maxSendRate: 100, trafficPolicy: 'delay' }));
      const statuses = await Promise.all([1, 2, 3, 4].map((n) => sim.injectMo({ from: '123', to: '456', text: `burst ${n}` })));
      assert.ok(statuses.includes(RTHROTTLED), `some answered ESME_RTHROTTLED: ${statuses}`);
      assert.ok(statuses.every((s) => s === ROK || s === RTHROTTLED), `${statuses}`);
      const accepted = statuses.filter((s) => s === ROK).length;
      assert.ok(accepted >= 1, `${statuses}`);
      await until(() => mo.length === accepted, `${accepted} MO(s) in the flow`);
      await settle();
      assert.equal(mo.length, accepted);
    });
  });

  describe('node filters apply to the whole message', () => {
    it('keyword in part 1 that arrives last: taken; a message without it: last part refused, counted as unrouted', async () => {
      const mo = await started(moFlow(sim.port, {}, { filterKeyword: 'stop' }));
      assert.equal(await sim.injectMo(udh8(5, 2, 2, Buffer.from(' all messages'))), ROK);
      assert.equal(await sim.injectMo(udh8(5, 2, 1, Buffer.from('STOP'))), ROK);
      await until(() => mo.length === 1, 'the keyword message');
      assert.equal(mo[0].payload, 'STOP all messages');

      assert.equal(await sim.injectMo(udh8(6, 2, 1, Buffer.from('hello '))), ROK, 'held: the filters see whole messages only');
      assert.equal(await sim.injectMo(udh8(6, 2, 2, Buffer.from('there'))), RX_R_APPN);
      await settle();
      assert.equal(mo.length, 1);
      assert.equal(gw().moCounters.moUnrouted, 1);
    });

    it('destination prefix filter', async () => {
      const mo = await started(moFlow(sim.port, {}, { filterTo: '77' }));
      assert.equal(await sim.injectMo({ from: '123', to: '7777', text: 'to us' }), ROK);
      assert.equal(await sim.injectMo({ from: '123', to: '8888', text: 'not to us' }), RX_R_APPN);
      await until(() => mo.length === 1, 'the MO to 77...');
      await settle();
      assert.deepEqual(mo.map((m) => m.payload), ['to us']);
    });
  });
});
