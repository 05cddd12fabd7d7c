/**
 * Issue 12 item 4 through the whole gateway: the simulator injects MOs, the
 * status asserted is the one it read in our deliver_sm_resp.
 *  - data_coding 6 (ISO-8859-5) and 7 (ISO-8859-8) come out as text;
 *  - a reserved coding comes out as GSM 7-bit text (TS 23.038 clause 4);
 *  - a concatenated MO whose UDH has an element that cannot be read is
 *    acknowledged (it used to get a permanent error, and the SMSC dropped it)
 *    and comes out whole, flagged msg.smpp.udhMalformed.
 */
import assert from 'node:assert/strict';
import { SmscSimulator } from '../../src/simulator';
import { helper, flow, load, until, collect, gw, simulatorEachTest } from './node-harness';

const ROK = 0x00;

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('smpp-receive: codings 6 and 7, reserved codings, malformed UDH (issue 12)', function () {
  this.timeout(15000);
  let sim: SmscSimulator;
  simulatorEachTest((s) => (sim = s), () => sim);

  async function started(): Promise<any[]> {
    await load(flow(sim.port, { concatWait: 1000 }) as any[]);
    const mo = collect('mo');
    await until(() => gw().engine.state === 'bound', 'bound');
    return mo;
  }

  const cases: { name: string; dc: number; bytes: Buffer; payload: string }[] = [
    { name: '6 ISO-8859-5 (Cyrillic)', dc: 6, bytes: hex('bf e0 d8 d2 d5 e2 20 f0 35'), payload: 'Привет №5' },
    { name: '7 ISO-8859-8 (Hebrew)', dc: 7, bytes: hex('f9 ec e5 ed 20 aa'), payload: 'שלום ×' },
    { name: '0x80 reserved coding group, read as GSM 7-bit', dc: 0x80, bytes: hex('00 48 69'), payload: '@Hi' },
    { name: '0x0C reserved in SMPP 3.4, read as GSM 7-bit', dc: 0x0c, bytes: hex('48 69 11'), payload: 'Hi_' },
  ];
  for (const c of cases) {
    it(`data_coding ${c.name} comes out as text`, async () => {
      const mo = await started();
      assert.equal(await sim.injectMo({ from: '+46701234567', to: '7777', dataCoding: c.dc, bytes: c.bytes }), ROK);
      await until(() => mo.length === 1, 'the MO in the flow');
      assert.equal(mo[0].payload, c.payload);
      assert.equal(mo[0].smpp.data_coding, c.dc);
    });
  }

  it('a concatenated MO with a malformed UDH element is acknowledged and delivered whole, flagged', async () => {
    const mo = await started();
    // part 1: a good concatenation element, then IEI 0x70 claiming 5 octets of which 1 is there
    const p1 = { from: '+46701234567', to: '7777', esmClass: 0x40, dataCoding: 0, bytes: hex('08 00 03 2a 02 01 70 05 01 48 69') };
    const p2 = { from: '+46701234567', to: '7777', esmClass: 0x40, dataCoding: 0, bytes: hex('05 00 03 2a 02 02 21') };
    assert.equal(await sim.injectMo(p1), ROK);
    assert.equal(await sim.injectMo(p2), ROK);
    await until(() => mo.length === 1, 'the whole MO in the flow');
    assert.equal(mo[0].payload, 'Hi!');
    assert.equal(mo[0].smpp.udhMalformed, true);
    assert.equal(mo[0].smpp.incomplete, false);
    assert.deepEqual(mo[0].smpp.concat, { ref: 0x2a, total: 2, via: 8 });
  });

  it('a single MO whose UDH length runs past its end is acknowledged and delivered, flagged', async () => {
    const mo = await started();
    assert.equal(await sim.injectMo({ from: '+46701234567', to: '7777', esmClass: 0x40, dataCoding: 0, bytes: hex('03 00 05 2a 48 69') }), ROK);
    await until(() => mo.length === 1, 'the MO in the flow');
    assert.equal(mo[0].payload, 'Hi');
    assert.equal(mo[0].smpp.udhMalformed, true);
  });
});
