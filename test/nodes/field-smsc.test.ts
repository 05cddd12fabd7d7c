/**
 * Issue 12 through a real Node-RED runtime (node-harness.ts) against the
 * simulator's field modes (src/simulator/field-modes.ts, field-mos.ts): an
 * SMSC that sends what real carriers send. Each test asserts what the user
 * must see out of smpp-send, smpp-dlr and smpp-receive, and the status the
 * SMSC read in our deliver_sm_resp. Over 350 lines on purpose: one file holds
 * issue 12's whole list, one short case each, so the list reads in one place.
 */
import assert from 'node:assert/strict';
import { SmscSimulator, SimulatorOptions, FieldMode, FIELD_MO_TEXT, FieldMoKind, OutbindClient } from '../../src/simulator';
import { freePort } from '../helpers/free-port';
import type { ReceiptState } from '../../src/simulator/receipt-format';
import { helper, startSimulator, flow, load, until, collect } from './node-harness';

function gw(): any {
  return helper.getNode('gw1');
}

/** a pause that lets a message that should not come show up if it were sent */
const settle = (ms = 200) => new Promise((r) => setTimeout(r, ms));

const LONG = 'y'.repeat(400); // 3 parts of 153 GSM septets

describe('issue 12: an SMSC that sends what real carriers send, through a real Node-RED', function () {
  this.timeout(20000);
  let sim: SmscSimulator | null = null;
  let deliverResps: number[] = [];

  async function start(simOpts: SimulatorOptions, field: FieldMode, gwOpts: Record<string, unknown> = {}, wait = false, creds?: object) {
    sim = await startSimulator(simOpts);
    sim.setFieldMode(field);
    deliverResps = [];
    sim.on('deliver_resp', (status: number) => deliverResps.push(status));
    const f = flow(sim.port, gwOpts, wait ? { mode: 'wait', waitTimeout: 4000 } : {}) as any[];
    if (wait) {
      f.find((n) => n.id === 's1').wires = [['ok'], ['bad'], ['late']];
      f.push({ id: 'late', type: 'helper' });
    }
    await load(f, creds);
    const out = {
      ok: collect('ok'), bad: collect('bad'), dlr: collect('dlr'), mo: collect('mo'),
      late: wait ? collect('late') : ([] as any[]),
    };
    await until(() => gw().engine.state === 'bound', 'bound');
    return out;
  }

  afterEach(async () => {
    await helper.unload();
    await sim?.stop();
    sim = null;
  });

  const describeDlr = (dlr: any[]) => JSON.stringify(dlr.map((d) => [d.payload.messageId, d.payload.state, d.payload.final, d.payload.unmatched]));

  describe('receipt timing', () => {
    for (const timing of ['immediate', 'between-parts'] as const) {
      it(`3-part message, each part's receipt ${timing === 'immediate' ? 'right after' : 'between'} the parts' responses: one folded delivered report, nothing unmatched`, async () => {
        const { ok, bad, dlr } = await start({ receiptFields: 'both' }, { receiptTiming: timing });
        helper.getNode('s1').receive({ payload: LONG, to: '+4670000002', correlationId: `long-${timing}` });
        await until(() => ok.length + bad.length === 1, 'sent');
        assert.equal(bad.length, 0, JSON.stringify(bad.map((m) => m.error)));
        const ids: string[] = ok[0].smpp.messageIds;
        assert.equal(ids.length, 3);
        await until(() => deliverResps.length === 3, 'three part receipts answered');
        await until(() => dlr.length >= 1, `the folded report (got ${describeDlr(dlr)})`);
        await settle();
        assert.equal(dlr.length, 1, `one report for the message, none unmatched: ${describeDlr(dlr)}`);
        const d = dlr[0];
        assert.equal(d.payload.unmatched, false);
        assert.equal(d.payload.state, 'DELIVERED');
        assert.equal(d.payload.final, true);
        assert.deepEqual(d.payload.parts.map((p: any) => [p.messageId, p.state]), ids.map((id) => [id, 'DELIVERED']));
        assert.equal(d.sent.correlationId, `long-${timing}`);
        assert.deepEqual(deliverResps, [0, 0, 0]);
        assert.equal(gw().correlation.size, 0, 'nothing left waiting');
      });
    }

    it('send-and-wait, 3 parts with immediate per-part receipts: leaves on delivered', async () => {
      const { ok, bad, late, dlr } = await start({}, { receiptTiming: 'immediate' }, {}, true);
      helper.getNode('s1').receive({ payload: LONG, to: '+4670000002', correlationId: 'wait-long' });
      await until(() => ok.length + bad.length + late.length === 1, 'send-and-wait settled', 8000);
      assert.deepEqual([bad.length, late.length], [0, 0], JSON.stringify([...bad, ...late].map((m) => m.error)));
      assert.equal(ok[0].correlationId, 'wait-long');
      assert.equal(ok[0].dlr.state, 'DELIVERED');
      assert.equal(ok[0].smpp.messageIds.length, 3);
      await settle();
      assert.ok(dlr.every((d) => d.payload.unmatched === false), describeDlr(dlr));
      assert.equal(gw().correlation.size, 0);
    });

    it('receipt a few ms before its own submit_sm_resp: matched, and nothing left waiting', async () => {
      const { ok, dlr } = await start({}, { receiptTiming: 'before-response' });
      helper.getNode('s1').receive({ payload: 'fast failure', to: '+4670000001', correlationId: 'early-1' });
      await until(() => ok.length === 1, 'sent');
      await until(() => dlr.length >= 1, 'the report');
      await settle();
      assert.equal(dlr.length, 1, describeDlr(dlr));
      assert.equal(dlr[0].payload.unmatched, false);
      assert.equal(dlr[0].payload.messageId, ok[0].smpp.messageId);
      assert.equal(dlr[0].sent.correlationId, 'early-1');
      assert.deepEqual(deliverResps, [0]);
      assert.equal(gw().correlation.size, 0, 'no entry waiting 72 h for a receipt already consumed');
    });

    it('send-and-wait, receipt before the response: leaves on delivered, not timed out', async () => {
      const { ok, bad, late } = await start({}, { receiptTiming: 'before-response' }, {}, true);
      helper.getNode('s1').receive({ payload: 'wait early', to: '+4670000001', correlationId: 'wait-early' });
      await until(() => ok.length + bad.length + late.length === 1, 'send-and-wait settled', 8000);
      assert.deepEqual([bad.length, late.length], [0, 0], JSON.stringify([...bad, ...late].map((m) => m.error)));
      assert.equal(ok[0].dlr.state, 'DELIVERED');
      assert.equal(ok[0].dlr.messageId, ok[0].smpp.messageId);
    });
  });

  it('the same receipt sent twice: one matched report, both acknowledged, nothing left waiting', async () => {
    const { ok, dlr } = await start({}, { receiptCopies: 2 });
    helper.getNode('s1').receive({ payload: 'twice', to: '+4670000001', correlationId: 'dup-1' });
    await until(() => ok.length === 1, 'sent');
    await until(() => deliverResps.length === 2, 'both copies answered');
    await settle();
    const matched = dlr.filter((d) => d.payload.unmatched === false);
    assert.equal(matched.length, 1, describeDlr(dlr));
    assert.equal(matched[0].sent.correlationId, 'dup-1');
    assert.deepEqual(deliverResps, [0, 0]);
    assert.equal(gw().correlation.size, 0);
  });

  describe('receipt coding labels', () => {
    it('data_coding 8 (UCS2) over ASCII receipt text: out of smpp-dlr as a matched receipt, never an MO', async () => {
      const { ok, dlr, mo } = await start({ receiptFields: 'text' }, { receiptDataCoding: 8 });
      helper.getNode('s1').receive({ payload: 'label lies', to: '+4670000001', correlationId: 'ucs2-1' });
      await until(() => ok.length === 1, 'sent');
      await until(() => dlr.length + mo.length >= 1, 'the receipt out of a node');
      await settle();
      assert.equal(mo.length, 0, `no MO: ${JSON.stringify(mo.map((m) => m.payload))}`);
      assert.equal(dlr.length, 1);
      assert.equal(dlr[0].payload.unmatched, false);
      assert.equal(dlr[0].payload.state, 'DELIVERED');
      assert.equal(dlr[0].payload.text, 'label lies');
      assert.equal(dlr[0].sent.correlationId, 'ucs2-1');
    });

    it('ids with _ $ @ in a data_coding 0 receipt text: matched, the id as sent', async () => {
      const { ok, dlr } = await start({ receiptFields: 'text' }, { messageIdFormat: 'symbols' });
      helper.getNode('s1').receive({ payload: 'odd ids', to: '+4670000001', correlationId: 'sym-1' });
      await until(() => ok.length === 1, 'sent');
      const id: string = ok[0].smpp.messageId;
      assert.match(id, /_.*\$@$/);
      await until(() => dlr.length === 1, 'the report');
      assert.equal(dlr[0].payload.messageId, id);
      assert.equal(dlr[0].payload.unmatched, false);
      assert.equal(dlr[0].sent.correlationId, 'sym-1');
    });

    it('a trailing NUL after the receipt text: err:000 and the text read without it', async () => {
      const { ok, dlr } = await start({ receiptFields: 'text' }, { receiptTrailingNul: true });
      helper.getNode('s1').receive({ payload: 'nul end', to: '+4670000001', correlationId: 'nul-1' });
      await until(() => ok.length === 1, 'sent');
      await until(() => dlr.length === 1, 'the report');
      assert.equal(dlr[0].payload.unmatched, false);
      assert.equal(dlr[0].payload.errorCode, '000');
      assert.equal(dlr[0].payload.text, 'nul end');
    });
  });

  describe('state words (receipt text only)', () => {
    const FINAL: [ReceiptState, string, boolean][] = [
      ['DELIVRD', 'DELIVERED', true],
      ['UNDELIV', 'UNDELIVERABLE', false],
      ['EXPIRED', 'EXPIRED', false],
      ['REJECTD', 'REJECTED', false],
      ['DELETED', 'DELETED', false],
    ];
    for (const [word, state, delivered] of FINAL) {
      it(`stat:${word} -> ${state}, final, matched; the entry is finished`, async () => {
        const { ok, dlr } = await start({ receiptFields: 'text', receipts: 'always' }, { receiptState: word });
        helper.getNode('s1').receive({ payload: word, to: '+4670000001', correlationId: `w-${word}` });
        await until(() => ok.length === 1, 'sent');
        await until(() => dlr.length === 1, 'the report');
        assert.deepEqual([dlr[0].payload.state, dlr[0].payload.final, dlr[0].payload.delivered, dlr[0].payload.unmatched], [state, true, delivered, false]);
        assert.equal(gw().correlation.size, 0);
      });
    }

    const NOT_FINAL: [string, FieldMode, string][] = [
      ['ACCEPTD', { receiptState: 'ACCEPTD' }, 'ACCEPTED'],
      ['ENROUTE', { receiptState: 'ENROUTE' }, 'ENROUTE'],
      ['ACKED', { receiptState: 'ACKED' }, 'ENROUTE'],
      ['BUFFRED', { receiptState: 'BUFFRED' }, 'ENROUTE'],
      ['UNKNOWN', { receiptState: 'UNKNOWN' }, 'UNKNOWN'],
      ['an unknown word (SOMEWRD)', { statWord: 'SOMEWRD' }, 'UNKNOWN'],
    ];
    for (const [word, field, state] of NOT_FINAL) {
      it(`stat:${word} -> ${state}, not final: the message still waits for its outcome`, async () => {
        const { ok, dlr } = await start({ receiptFields: 'text', receipts: 'always' }, field);
        helper.getNode('s1').receive({ payload: 'not yet', to: '+4670000001', correlationId: 'nf-1' });
        await until(() => ok.length === 1, 'sent');
        await until(() => deliverResps.length === 1, 'the receipt answered');
        await settle();
        assert.deepEqual(deliverResps, [0]);
        assert.ok(dlr.every((d) => d.payload.final === false && d.payload.unmatched === false && d.payload.state === state), describeDlr(dlr));
        assert.equal(gw().correlation.size, 1, 'still remembered for the real outcome');
      });
    }

    it('ACCEPTD then DELIVRD: one final delivered report, matched', async () => {
      const { ok, dlr } = await start({ receiptFields: 'both' }, { intermediateState: 'ACCEPTD' });
      helper.getNode('s1').receive({ payload: 'two steps', to: '+4670000001', correlationId: 'two-1' });
      await until(() => ok.length === 1, 'sent');
      await until(() => deliverResps.length === 2, 'both receipts answered');
      await until(() => dlr.some((d) => d.payload.final), `the final report (got ${describeDlr(dlr)})`);
      await settle();
      const finals = dlr.filter((d) => d.payload.final);
      assert.equal(finals.length, 1, describeDlr(dlr));
      assert.deepEqual([finals[0].payload.state, finals[0].payload.unmatched, finals[0].sent.correlationId], ['DELIVERED', false, 'two-1']);
      assert.ok(dlr.every((d) => d.payload.unmatched === false), describeDlr(dlr));
      assert.deepEqual(deliverResps, [0, 0]);
      assert.equal(gw().correlation.size, 0);
    });

    it('send-and-wait, ACCEPTD then DELIVRD: leaves on delivered', async () => {
      const { ok, bad, late } = await start({}, { intermediateState: 'ACCEPTD', receiptTiming: 'immediate' }, {}, true);
      helper.getNode('s1').receive({ payload: 'wait two steps', to: '+4670000001', correlationId: 'wait-two' });
      await until(() => ok.length + bad.length + late.length === 1, 'send-and-wait settled', 8000);
      assert.deepEqual([bad.length, late.length], [0, 0], JSON.stringify([...bad, ...late].map((m) => [m.error, m.dlr?.state])));
      assert.equal(ok[0].dlr.state, 'DELIVERED');
    });
  });

  describe('receipt text forms', () => {
    it('text: before stat: (receipt text only): the state is read', async () => {
      const { ok, dlr } = await start({ receiptFields: 'text', receiptState: 'UNDELIV' }, { receiptFieldOrder: 'text-first' });
      helper.getNode('s1').receive({ payload: 'hello', to: '+4670000001', correlationId: 'tf-1' });
      await until(() => ok.length === 1, 'sent');
      await until(() => dlr.length === 1, 'the report');
      assert.deepEqual([dlr[0].payload.state, dlr[0].payload.errorCode, dlr[0].payload.text], ['UNDELIVERABLE', '001', 'hello']);
    });

    for (const form of ['yyyymmddhhmmss', 'yyyymmddhhmm', 'smpp-absolute'] as const) {
      it(`dates as ${form}: submit and done dates read`, async () => {
        const { ok, dlr } = await start({ receiptFields: 'text' }, { receiptDateForm: form });
        helper.getNode('s1').receive({ payload: 'dates', to: '+4670000001' });
        await until(() => ok.length === 1, 'sent');
        await until(() => dlr.length === 1, 'the report');
        const { submitDate, doneDate } = dlr[0].payload;
        assert.ok(submitDate instanceof Date && doneDate instanceof Date, `dates read: ${String(submitDate)} ${String(doneDate)}`);
        assert.equal(submitDate.getUTCFullYear(), new Date().getUTCFullYear());
      });
    }
  });

  describe('message ids in the same text in the response and the receipt', () => {
    for (const [form, ids] of [['receipt-decimal', 'decimal'], ['receipt-hex', 'hex']] as const) {
      it(`messageIdForm ${form}, ${ids} ids written the same in the receipt: matched`, async () => {
        const { ok, dlr } = await start({ messageIdFormat: ids, receiptIdFormat: 'same' }, {}, { messageIdForm: form });
        helper.getNode('s1').receive({ payload: 'same text', to: '+4670000001', correlationId: `same-${form}` });
        await until(() => ok.length === 1, 'sent');
        await until(() => dlr.length === 1, 'the report');
        assert.equal(dlr[0].payload.messageId, ok[0].smpp.messageId);
        assert.equal(dlr[0].payload.unmatched, false);
        assert.equal(dlr[0].sent.correlationId, `same-${form}`);
      });
    }
  });

  describe('MOs', () => {
    async function moCase(kind: FieldMoKind) {
      const out = await start({}, {});
      const statuses = await sim!.injectFieldMo(kind, { systemId: 'esme' });
      return { ...out, statuses };
    }

    it('esm_class 0 with a receipted_message_id TLV: an MO with its text, acknowledged, no receipt', async () => {
      const { mo, dlr, statuses } = await moCase('tlv-mo');
      await until(() => mo.length + dlr.length >= 1, 'out of a node');
      await settle();
      assert.deepEqual(statuses, [0]);
      assert.equal(dlr.length, 0, describeDlr(dlr));
      assert.equal(mo.length, 1);
      assert.equal(mo[0].payload, FIELD_MO_TEXT['tlv-mo']);
    });

    it('a concatenated MO with a malformed UDH element: delivered whole, flagged, every part acknowledged', async () => {
      const { mo, statuses } = await moCase('malformed-udh');
      assert.deepEqual(statuses, [0, 0], 'no part refused');
      await until(() => mo.length === 1, 'the MO');
      assert.equal(mo[0].payload, FIELD_MO_TEXT['malformed-udh']);
      assert.equal(mo[0].smpp.udhMalformed, true);
      assert.equal(mo[0].smpp.parts, 2);
      assert.equal(mo[0].smpp.incomplete, false);
    });

    for (const [kind, coding] of [['iso-8859-5', 6], ['iso-8859-8', 7]] as const) {
      it(`data_coding ${coding} (${kind}): text`, async () => {
        const { mo, statuses } = await moCase(kind);
        assert.deepEqual(statuses, [0]);
        await until(() => mo.length === 1, 'the MO');
        assert.equal(typeof mo[0].payload, 'string', 'text, not bytes');
        assert.equal(mo[0].payload, FIELD_MO_TEXT[kind]);
        assert.equal(mo[0].smpp.data_coding, coding);
      });
    }
  });
  describe('no protocol shortcut', () => {
    for (const wrong of ['enquire_link_resp', 'deliver_sm_resp'] as const) {
      it(`a ${wrong} carrying a submit's sequence number is not an acceptance: the msg leaves once, failed`, async () => {
        const { ok, bad } = await start({}, { submitResponse: wrong });
        helper.getNode('s1').receive({ payload: 'wrong type', to: '+4670000001', correlationId: `wt-${wrong}` });
        await until(() => ok.length + bad.length >= 1, 'the msg left smpp-send');
        await settle(800); // past the transaction timeout (500 ms)
        assert.equal(ok.length, 0, `not sent: ${JSON.stringify(ok.map((m) => m.smpp))}`);
        assert.equal(bad.length, 1);
        assert.equal(bad[0].correlationId, `wt-${wrong}`);
      });
    }

    it('an MO and a receipt that arrive while the gateway unbinds get ESME_RTHROTTLED (the SMSC sends them again)', async () => {
      await start({ receipts: 'never' }, { requestsOnUnbind: true });
      await helper.unload(); // the flow is stopped: the gateway unbinds
      await until(() => deliverResps.length === 2, `both answered (got ${JSON.stringify(deliverResps)})`);
      assert.deepEqual(deliverResps, [0x58, 0x58]);
    });

    it('a submit that timed out is not sent again under the default at-most-once promise, even with Resending Times 2', async () => {
      const { ok, bad } = await start({ receipts: 'never' }, {}, { resendTimes: 2, resendWait: 10 });
      sim!.setFailure({ kind: 'late', delayMs: 1200 }); // answers after the transaction timeout (500 ms)
      helper.getNode('s1').receive({ payload: 'once only', to: '+4670000001', correlationId: 'once-1' });
      await until(() => ok.length + bad.length >= 1, 'the msg left smpp-send');
      await settle(1500);
      assert.equal(sim!.stats().submits, 1, 'one submit_sm on the wire');
      assert.equal(ok.length + bad.length, 1);
    });

    it('an outbind with the gateway\'s own password of 14 characters is accepted, as the bind with it is', async () => {
      const upstreamPort = await freePort();
      const account = { systemId: 'esme', password: 'longpassword14' };
      await start({ accounts: [account] }, {}, { bindMode: 'transmitter', upstreamPort }, false, { gw1: account });
      await until(() => gw().engine.snapshot().outbind?.listening === true, 'listening for outbind');
      const smsc = await OutbindClient.connect({ port: upstreamPort, systemId: account.systemId, password: account.password, accounts: [account] });
      try {
        assert.equal(smsc.boundSystemId, 'esme');
      } finally {
        smsc.close();
      }
    });

    it('an MO of 20,000 octets (data_sm message_payload) with Max Message Length 30000: delivered whole', async () => {
      const { mo } = await start({}, {}, { maxMessageLength: 30000 });
      const text = 'long MO '.repeat(2500);
      const status = await sim!.injectMo({ from: '+4670000009', to: '12345', command: 'data_sm', dataCoding: 3, bytes: Buffer.from(text, 'latin1'), systemId: 'esme' });
      assert.equal(status, 0);
      await until(() => mo.length === 1, 'the MO');
      assert.equal(mo[0].payload, text);
    });
  });
});
