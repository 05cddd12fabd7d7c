/**
 * smpp-send bad-input table, in a real Node-RED runtime bound to the
 * simulator: each wrong input leaves on the failure output with msg.error
 * naming what is wrong, reaches a Catch node through done(err), sends
 * nothing to the SMSC, and a good msg right after it is sent.
 * (The five cases in test/nodes/gateway-nodes.test.ts are not repeated; the
 * pure checks behind these are table-tested in test/unit.)
 */
import assert from 'node:assert/strict';
import { SmscSimulator } from '../../src/simulator';
import { helper, startSimulator, flow, until, collect } from '../nodes/node-harness';
import { loadEnglish } from './english-nodes';

interface Row {
  name: string;
  msg: Record<string, unknown>;
  error: RegExp;
}

const TO = '4670000001';
const circular: Record<string, unknown> = { a: 1 };
circular.self = circular;

const ROWS: Row[] = [
  // payload: types, emptiness, sizes beyond the split limit (255 parts)
  { name: 'payload NaN', msg: { payload: NaN, to: TO }, error: /^msg\.payload must be a string or a Buffer; got number$/ },
  { name: 'payload null', msg: { payload: null, to: TO }, error: /^msg\.payload is empty/ },
  { name: 'payload missing', msg: { to: TO }, error: /^msg\.payload is empty/ },
  { name: 'payload an empty Buffer', msg: { payload: Buffer.alloc(0), to: TO }, error: /^msg\.payload is empty/ },
  { name: 'payload an array', msg: { payload: ['hi', 'there'], to: TO }, error: /got an array/ },
  { name: 'payload an object', msg: { payload: { text: 'hi' }, to: TO }, error: /^msg\.payload must be a string or a Buffer; got object$/ },
  { name: 'payload a boolean', msg: { payload: false, to: TO }, error: /got boolean/ },
  { name: 'payload a circular object', msg: { payload: circular, to: TO }, error: /^msg\.payload must be a string or a Buffer; got object$/ },
  { name: 'payload 100,000 GSM characters', msg: { payload: 'x'.repeat(100_000), to: TO }, error: /^msg\.payload: .*\d+ parts.*limit of 255/ },
  { name: 'payload 20,000 emoji (UCS2)', msg: { payload: '\u{1F600}'.repeat(20_000), to: TO }, error: /^msg\.payload: .*\d+ parts.*limit of 255/ },
  { name: 'payload a 70,000-octet Buffer', msg: { payload: Buffer.alloc(70_000, 0x41), to: TO }, error: /^msg\.payload: .*\d+ parts.*limit of 255/ },
  // encodings the chosen data_coding cannot carry
  { name: 'IA5 data_coding with a non-ASCII character', msg: { payload: 'café', to: TO, smpp: { data_coding: 1 } }, error: /^msg\.payload: .*IA5/ },
  { name: 'binary data_coding with a string', msg: { payload: 'abc', to: TO, smpp: { data_coding: 4 } }, error: /^msg\.payload: .*Buffer/ },
  // destination numbers
  { name: 'to NaN', msg: { payload: 'hi', to: NaN }, error: /^msg\.to NaN is not a phone number JavaScript holds exactly/ },
  { name: 'to Infinity', msg: { payload: 'hi', to: Infinity }, error: /^msg\.to Infinity is not a phone number/ },
  { name: 'to -1', msg: { payload: 'hi', to: -1 }, error: /^msg\.to -1 is not a phone number/ },
  { name: 'to 4670000001.5', msg: { payload: 'hi', to: 4670000001.5 }, error: /^msg\.to 4670000001\.5 is not a phone number/ },
  { name: 'to an array', msg: { payload: 'hi', to: [TO] }, error: /^msg\.to must be a phone number as text; got object$/ },
  { name: 'to a boolean', msg: { payload: 'hi', to: true }, error: /^msg\.to must be a phone number as text; got boolean$/ },
  { name: 'to blanks only', msg: { payload: 'hi', to: '   ' }, error: /^msg\.to "   " is not a phone number/ },
  { name: 'to with a NUL inside', msg: { payload: 'hi', to: '4670\u00000001' }, error: /^msg\.to "4670\\u00000001" is not a phone number/ },
  { name: 'to with a right-to-left override', msg: { payload: 'hi', to: `${TO}\u202e` }, error: /^msg\.to .* is not a phone number/ },
  { name: 'to in full-width digits', msg: { payload: 'hi', to: '\uff14\uff16\uff17\uff10' }, error: /^msg\.to .* is not a phone number/ },
  { name: 'to with 21 digits', msg: { payload: 'hi', to: '1'.repeat(21) }, error: /^msg\.to "1{21}" is not a phone number .*at most 20 digits/ },
  // sender
  { name: 'from with a control character', msg: { payload: 'hi', to: TO, from: 'AC\u0007ME' }, error: /^msg\.from "AC\\u0007ME" is neither a phone number nor an alphanumeric sender id/ },
  { name: 'from with a non-ASCII letter', msg: { payload: 'hi', to: TO, from: 'ÄCME' }, error: /^msg\.from "ÄCME" is neither/ },
  { name: 'from with markup', msg: { payload: 'hi', to: TO, from: '<b>ACME</b>' }, error: /^msg\.from "<b>ACME<\/b>" is neither/ },
  { name: 'from a fraction', msg: { payload: 'hi', to: TO, from: 12.5 }, error: /^msg\.from 12\.5 is not a phone number/ },
  // msg.smpp
  { name: 'smpp a number', msg: { payload: 'hi', to: TO, smpp: 5 }, error: /^msg\.smpp must be an object of SMPP fields; got number$/ },
  { name: 'smpp an empty array', msg: { payload: 'hi', to: TO, smpp: [] }, error: /^msg\.smpp must be an object of SMPP fields; got an array$/ },
  { name: 'smpp.esm_class NaN', msg: { payload: 'hi', to: TO, smpp: { esm_class: NaN } }, error: /^msg\.smpp\.esm_class must be a whole number from 0 to 255/ },
  { name: 'smpp.registered_delivery as text', msg: { payload: 'hi', to: TO, smpp: { registered_delivery: '1' } }, error: /^msg\.smpp\.registered_delivery must be a whole number from 0 to 255; got "1"$/ },
  { name: 'smpp.data_coding 256', msg: { payload: 'hi', to: TO, smpp: { data_coding: 256 } }, error: /^msg\.smpp\.data_coding must be a whole number from 0 to 255; got 256$/ },
  { name: 'smpp.dest_addr_ton -1', msg: { payload: 'hi', to: TO, smpp: { dest_addr_ton: -1 } }, error: /^msg\.smpp\.dest_addr_ton must be a whole number from 0 to 255; got -1$/ },
  { name: 'smpp.validity_period of NULs', msg: { payload: 'hi', to: TO, smpp: { validity_period: '\u0000'.repeat(16) } }, error: /^msg\.smpp\.validity_period must be printable ASCII$/ },
  { name: 'smpp.schedule_delivery_time a number', msg: { payload: 'hi', to: TO, smpp: { schedule_delivery_time: 240101120000 } }, error: /^msg\.smpp\.schedule_delivery_time must be text; got number$/ },
  { name: 'smpp.service_type non-ASCII', msg: { payload: 'hi', to: TO, smpp: { service_type: 'é' } }, error: /^msg\.smpp\.service_type must be printable ASCII$/ },
  { name: 'smpp.callback_num of 20 characters', msg: { payload: 'hi', to: TO, smpp: { callback_num: '1'.repeat(20) } }, error: /^msg\.smpp\.callback_num is longer than SMPP allows \(19 octets\)$/ },
  { name: 'smpp.sar_segment_seqnum (the splitter\'s)', msg: { payload: 'hi', to: TO, smpp: { sar_segment_seqnum: 1 } }, error: /^msg\.smpp\.sar_segment_seqnum is set by the gateway's splitter/ },
  { name: 'smpp.__proto__ from JSON', msg: { payload: 'hi', to: TO, smpp: JSON.parse('{"__proto__": {"esm_class": 3}}') }, error: /^msg\.smpp\.__proto__ is not an SMPP field/ },
  // values the field checks cannot describe (they throw in src/message/smpp-fields.ts): smpp-send's guard keeps them on the failure path
  { name: 'smpp.esm_class a BigInt', msg: { payload: 'hi', to: TO, smpp: { esm_class: BigInt(3) } }, error: /^msg\.smpp\.esm_class must be a whole number from 0 to 255; got 3n$/ },
  { name: 'smpp.priority_flag a circular object', msg: { payload: 'hi', to: TO, smpp: { priority_flag: circular } }, error: /^msg\.smpp\.priority_flag must be a whole number from 0 to \d+; got an object$/ },
];

describe('bad input: smpp-send (failure output, Catch node, keeps working)', function () {
  this.timeout(30_000);
  let sim: SmscSimulator;
  let ok: any[];
  let bad: any[];
  let caught: any[];

  before(async () => {
    sim = await startSimulator({ receipts: 'never' });
    const f = flow(sim.port, { maxContentLength: 140 }) as any[];
    // s1 reports failures on its wired output 2; s1c, output 2 unwired, to the Catch node (one report each)
    f.push(
      { id: 's1c', type: 'smpp-send', gateway: 'gw1', wires: [['ok'], []] },
      { id: 'catch1', type: 'catch', scope: ['s1', 's1c'], uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    );
    await loadEnglish(f);
    ok = collect('ok');
    bad = collect('bad');
    caught = collect('caught');
    await until(() => helper.getNode('gw1').engine.state === 'bound', 'bound');
  });
  after(async () => {
    await helper.unload();
    await sim.stop();
  });

  for (const row of ROWS) {
    it(row.name, async () => {
      const s1 = helper.getNode('s1');
      const [okBefore, badBefore, caughtBefore, submitsBefore] = [ok.length, bad.length, caught.length, sim.stats().submits];
      const msg = { ...row.msg };
      s1.receive(msg);
      const msgC = { ...row.msg };
      helper.getNode('s1c').receive(msgC);
      await until(() => bad.length === badBefore + 1 && caught.length === caughtBefore + 1, 'the failure output and the Catch node', 3000);
      const out = bad[bad.length - 1];
      assert.equal(out._msgid, msg._msgid, 'the same msg on the failure output');
      assert.match(out.error.message, row.error);
      assert.equal(out.error.status, 'INVALID');
      assert.equal(out.error.retriable, false);
      const c = caught[caught.length - 1];
      assert.equal(c._msgid, (msgC as any)._msgid);
      // Node-RED writes the error as err.toString(): the class name, then the same text
      assert.equal(c.error.message, `SmppError: ${out.error.message}`, 'the Catch node gets the same clear error');
      assert.equal(c.error.source.id, 's1c');
      assert.equal(c.smpp.error.status, 'INVALID', 'the Catch node gets the SMPP status too');
      assert.equal(ok.length, okBefore, 'nothing on the sent output');
      // the node keeps working: a good msg right after is sent
      s1.receive({ payload: `good after ${row.name}`, to: TO });
      await until(() => ok.length === okBefore + 1, 'the good msg after it', 3000);
      assert.equal(sim.stats().submits, submitsBefore + 1, 'only the good msg reached the SMSC');
      assert.equal(bad.length, badBefore + 1, 'the bad msg left once');
    });
  }
});
