/**
 * Receipts whatever their timing (issue 12 item 1), in a real Node-RED
 * runtime against a test SMSC (test/helpers/fake-smsc.ts) that answers each
 * submit and sends each receipt when the test says: right after each part's
 * own response, before the response, between the responses, twice, with
 * intermediate states first, and with the same id text under a fixed
 * messageIdForm. No timed assertions: every wait is for an event.
 */
import assert from 'node:assert/strict';
import { FakeSmsc, FakeSession, Received } from '../helpers/fake-smsc';
import { helper, flow, load, until, collect } from './node-harness';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const contextModule = require('@node-red/runtime/lib/nodes/context');

function gw(): any {
  return helper.getNode('gw1');
}

describe('receipts whatever their timing (fake SMSC that sends receipts when told)', function () {
  this.timeout(20000);
  let smsc: FakeSmsc;
  let session: FakeSession;
  let submits: Received[];

  /** The flow of node-harness (send s1 -> ok/bad[/late], dlr d1 -> dlr); submits are taken over by the test. */
  async function start(gwOpts: Record<string, unknown> = {}, sendOpts: Record<string, unknown> = {}) {
    smsc = new FakeSmsc();
    await smsc.start();
    submits = [];
    smsc.onSubmit = (_s, r) => submits.push(r);
    const f = flow(smsc.port, { transactionTimeout: 5000, heartbeatInterval: 10000, receiveTimeout: 30000, ...gwOpts }, sendOpts) as any[];
    if (sendOpts.mode === 'wait') {
      f.find((n) => n.id === 's1').wires = [['ok'], ['bad'], ['late']];
      f.push({ id: 'late', type: 'helper' });
    }
    await load(f);
    const out = { ok: collect('ok'), bad: collect('bad'), dlr: collect('dlr'), late: sendOpts.mode === 'wait' ? collect('late') : [] };
    session = await smsc.waitBound().catch((e) => {
      throw new Error(`${e.message}; gateway: ${gw()?.engine?.state} ${JSON.stringify(gw()?.configErrors)}`);
    });
    await until(() => gw().engine.state === 'bound', 'bound');
    return out;
  }

  afterEach(async () => {
    await helper.unload();
    await smsc?.stop();
    helper.settings({});
  });

  /** Three parts; each part answered and its receipt sent right after its own response, one part at a time. */
  async function eachPartThenItsReceipt(ids: string[]): Promise<(number | null)[]> {
    await until(() => submits.length === 3, 'three submits');
    const statuses: (number | null)[] = [];
    for (let i = 0; i < 3; i++) {
      session.answerSubmit(submits[i], ids[i]);
      statuses.push(await session.sendReceipt(ids[i], 'DELIVRD', { messageState: 2 }));
    }
    return statuses;
  }

  it('a 3-part message whose part receipts come right after each part\'s response gets ONE folded report', async () => {
    const { ok, dlr } = await start();
    helper.getNode('s1').receive({ payload: 'p'.repeat(400), to: '+4670000002', correlationId: 'long-now' });
    const ids = ['a0001', 'a0002', 'a0003'];
    assert.deepEqual(await eachPartThenItsReceipt(ids), [0, 0, 0]);
    await until(() => dlr.length >= 1 && ok.length === 1, 'the folded report and the sent msg');
    assert.equal(dlr.length, 1, `one report, not ${dlr.map((d) => (d.payload.unmatched ? 'unmatched ' : '') + d.payload.messageId).join(', ')}`);
    assert.equal(dlr[0].payload.unmatched, false);
    assert.equal(dlr[0].payload.state, 'DELIVERED');
    assert.deepEqual(dlr[0].payload.parts.map((p: any) => p.messageId), ids);
    assert.equal(dlr[0].sent.correlationId, 'long-now');
    assert.deepEqual(ok[0].smpp.messageIds, ids);
    assert.equal(gw().correlation.size, 0, 'nothing left pending');
  });

  it('send-and-wait: the same 3-part message leaves on delivered, not timed out', async () => {
    const { ok, bad, late } = await start({}, { mode: 'wait', waitTimeout: 8000 });
    helper.getNode('s1').receive({ payload: 'q'.repeat(400), to: '+4670000002', correlationId: 'ivr-long' });
    assert.deepEqual(await eachPartThenItsReceipt(['b0001', 'b0002', 'b0003']), [0, 0, 0]);
    await until(() => ok.length + bad.length + late.length === 1, 'the msg leaves');
    assert.equal(ok.length, 1, `delivered output; got bad ${bad.length}, timed out ${late.length}`);
    assert.equal(ok[0].dlr.state, 'DELIVERED');
    assert.equal(ok[0].correlationId, 'ivr-long');
  });

  /** Sends the receipt first and waits until the gateway has it (held, or already reported). */
  async function receiptFirst(id: string, dlr: any[], stat = 'UNDELIV', messageState = 5): Promise<{ answer: Promise<number | null> }> {
    await until(() => submits.length === 1, 'the submit');
    const answer = session.sendReceipt(id, stat, { messageState });
    await until(() => dlr.length > 0 || gw().correlation.counters.held === 1, 'the receipt reached the gateway');
    return { answer };
  }

  it('a receipt that arrives before its own submit_sm_resp is held, answered and matched when the response comes', async () => {
    const { ok, dlr } = await start();
    helper.getNode('s1').receive({ payload: 'bad number', to: '+4670000003', correlationId: 'early-1' });
    const { answer } = await receiptFirst('c0001', dlr);
    assert.equal(dlr.length, 0, 'not reported unmatched while its response may still come');
    let answered: number | null | undefined;
    void answer.then((s: number | null) => (answered = s));
    await new Promise((r) => setImmediate(r));
    assert.equal(answered, undefined, 'its deliver_sm_resp is held with it');
    session.answerSubmit(submits[0], 'c0001');
    assert.equal(await answer, 0, 'ESME_ROK once matched');
    await until(() => dlr.length === 1 && ok.length === 1, 'report and sent msg');
    assert.equal(dlr[0].payload.unmatched, false);
    assert.equal(dlr[0].payload.state, 'UNDELIVERABLE');
    assert.equal(dlr[0].sent.correlationId, 'early-1');
    assert.equal(gw().correlation.size, 0, 'no entry left waiting 72 h for a receipt already consumed');
  });

  it('send-and-wait: a receipt before its response ends the wait on its outcome', async () => {
    const { ok, bad, late, dlr } = await start({}, { mode: 'wait', waitTimeout: 8000 });
    helper.getNode('s1').receive({ payload: 'x', to: '+4670000003', correlationId: 'early-2' });
    const { answer } = await receiptFirst('c0002', dlr, 'DELIVRD', 2);
    session.answerSubmit(submits[0], 'c0002');
    assert.equal(await answer, 0);
    await until(() => ok.length + bad.length + late.length === 1, 'the msg leaves');
    assert.equal(ok.length, 1, `delivered output; got bad ${bad.length}, timed out ${late.length}`);
    assert.equal(ok[0].dlr.state, 'DELIVERED');
    assert.equal(gw().correlation.size, 0);
  });

  it('only after the grace period is a receipt unmatched; a response after that still finishes its message', async () => {
    const { ok, dlr } = await start({ receiptGrace: 300 });
    helper.getNode('s1').receive({ payload: 'slow response', to: '+4670000003', correlationId: 'grace-1' });
    const { answer } = await receiptFirst('c0003', dlr);
    await until(() => dlr.length === 1, 'the unmatched report after the grace period');
    assert.equal(dlr[0].payload.unmatched, true);
    assert.equal(dlr[0].payload.messageId, 'c0003');
    assert.equal(await answer, 0, 'answered ESME_ROK once reported');
    session.answerSubmit(submits[0], 'c0003');
    await until(() => ok.length === 1, 'sent');
    assert.equal(dlr.length, 1, 'not reported a second time');
    assert.equal(gw().correlation.size, 0, 'no entry left waiting 72 h for a receipt already consumed');
  });

  it('receipts before, between and after the responses of a 3-part message fold into one report', async () => {
    const { ok, dlr } = await start();
    helper.getNode('s1').receive({ payload: 'm'.repeat(400), to: '+4670000002', correlationId: 'mixed' });
    await until(() => submits.length === 3, 'three submits');
    const ids = ['d0001', 'd0002', 'd0003'];
    const before = session.sendReceipt(ids[2], 'DELIVRD', { messageState: 2 }); // part 3's receipt before any response
    await until(() => gw().correlation.counters.held === 1 || dlr.length > 0, 'part 3 receipt reached the gateway');
    session.answerSubmit(submits[0], ids[0]);
    const between = await session.sendReceipt(ids[0], 'DELIVRD', { messageState: 2 }); // between responses
    session.answerSubmit(submits[1], ids[1]);
    session.answerSubmit(submits[2], ids[2]);
    assert.equal(await before, 0);
    await until(() => ok.length === 1, 'sent');
    assert.equal(dlr.length, 0, 'part 2 has not reported yet');
    const after = await session.sendReceipt(ids[1], 'DELIVRD', { messageState: 2 }); // after every response
    assert.deepEqual([between, after], [0, 0]);
    await until(() => dlr.length === 1, 'one report');
    assert.equal(dlr[0].payload.state, 'DELIVERED');
    assert.equal(dlr[0].payload.unmatched, false);
    assert.equal(gw().correlation.size, 0);
  });

  it('a receipt the SMSC sends again is reported once', async () => {
    const { ok, dlr } = await start();
    helper.getNode('s1').receive({ payload: 'once', to: '+4670000001', correlationId: 'dup-1' });
    await until(() => submits.length === 1, 'the submit');
    session.answerSubmit(submits[0], 'e0001');
    await until(() => ok.length === 1, 'sent');
    assert.equal(await session.sendReceipt('e0001', 'DELIVRD', { messageState: 2 }), 0);
    assert.equal(await session.sendReceipt('e0001', 'DELIVRD', { messageState: 2 }), 0, 'the copy is answered too');
    await until(() => dlr.length >= 1, 'the report');
    assert.equal(await session.sendReceipt('e0001', 'DELIVRD', { messageState: 2 }), 0);
    assert.equal(dlr.length, 1, `reported once, not ${dlr.map((d) => (d.payload.unmatched ? 'unmatched' : 'matched')).join(', ')}`);
    assert.equal(dlr[0].payload.unmatched, false);
  });

  it('intermediate receipts (ENROUTE, ACCEPTD, BUFFRED) are not final: the entry stays for the real outcome', async () => {
    const { ok, bad, late, dlr } = await start({}, { mode: 'wait', waitTimeout: 8000 });
    helper.getNode('s1').receive({ payload: 'wait for it', to: '+4670000001', correlationId: 'mid-1' });
    await until(() => submits.length === 1, 'the submit');
    session.answerSubmit(submits[0], 'f0001');
    assert.equal(await session.sendReceipt('f0001', 'ENROUTE', { messageState: 1 }), 0);
    assert.equal(await session.sendReceipt('f0001', 'ACCEPTD', { messageState: 6 }), 0);
    assert.equal(await session.sendReceipt('f0001', 'BUFFRED'), 0, 'Kannel\'s word, text only');
    await until(() => dlr.length === 3, 'three intermediate reports');
    assert.deepEqual(dlr.map((d) => [d.payload.state, d.payload.final, d.payload.unmatched]), [['ENROUTE', false, false], ['ACCEPTED', false, false], ['ENROUTE', false, false]]);
    assert.equal(ok.length + bad.length + late.length, 0, 'still waiting');
    assert.equal(gw().correlation.size, 1, 'the entry stays');
    assert.equal(await session.sendReceipt('f0001', 'DELIVRD', { messageState: 2 }), 0);
    await until(() => ok.length === 1, 'delivered output');
    assert.equal(dlr[3].payload.unmatched, false);
    assert.equal(dlr[3].payload.final, true);
    assert.equal(gw().correlation.size, 0);
  });

  it('acceptedIsFinal: ACCEPTD ends the message for SMSCs that send nothing after it', async () => {
    const { ok, dlr } = await start({ acceptedIsFinal: true });
    helper.getNode('s1').receive({ payload: 'accepted is final', to: '+4670000001', correlationId: 'acc-1' });
    await until(() => submits.length === 1, 'the submit');
    session.answerSubmit(submits[0], 'f0002');
    await until(() => ok.length === 1, 'sent');
    assert.equal(await session.sendReceipt('f0002', 'ACCEPTD', { messageState: 6 }), 0);
    await until(() => dlr.length === 1, 'the report');
    assert.equal(dlr[0].payload.state, 'ACCEPTED');
    assert.equal(dlr[0].payload.final, true);
    assert.equal(gw().correlation.size, 0);
  });

  for (const form of ['receipt-decimal', 'receipt-hex']) {
    it(`messageIdForm ${form}: a receipt with the same id text as the submit_sm_resp still matches`, async () => {
      const { ok, dlr } = await start({ messageIdForm: form });
      helper.getNode('s1').receive({ payload: 'same text', to: '+4670000001', correlationId: `same-${form}` });
      await until(() => submits.length === 1, 'the submit');
      session.answerSubmit(submits[0], '1234567');
      await until(() => ok.length === 1, 'sent');
      assert.equal(await session.sendReceipt('1234567', 'DELIVRD', { messageState: 2 }), 0);
      await until(() => dlr.length === 1, 'the report');
      assert.equal(dlr[0].payload.unmatched, false);
      assert.equal(dlr[0].sent.correlationId, `same-${form}`);
      assert.equal(gw().correlation.size, 0);
    });
  }

  it('answers ESME_ROK only when every smpp-dlr settled ok; a refusal asks for the retry and keeps the entry', async () => {
    const { ok, dlr } = await start();
    // a second dlr client on the gateway that refuses the first copy (as a flow whose node reported an error)
    const seen: boolean[] = [];
    const refuser: any = {
      id: 'refuser', type: 'smpp-dlr', name: '', status: () => undefined, on: () => undefined,
      acceptReceipt: (_p: unknown, _s: unknown, settled: (ok: boolean) => void) => {
        seen.push(true);
        settled(seen.length > 1);
      },
    };
    gw().register(refuser, 'dlr');
    helper.getNode('s1').receive({ payload: 'settle', to: '+4670000001', correlationId: 'settle-1' });
    await until(() => submits.length === 1, 'the submit');
    session.answerSubmit(submits[0], 'g0001');
    await until(() => ok.length === 1, 'sent');
    assert.equal(await session.sendReceipt('g0001', 'DELIVRD', { messageState: 2 }), 0x64, 'ESME_RX_T_APPN: send it again');
    assert.equal(gw().correlation.size, 1, 'the entry stays for the retry');
    assert.equal(await session.sendReceipt('g0001', 'DELIVRD', { messageState: 2 }), 0, 'the retry is taken');
    assert.equal(seen.length, 2);
    assert.equal(dlr.length, 2, 'the retry is reported again (the first was not taken)');
    assert.equal(dlr[1].payload.unmatched, false);
    assert.equal(gw().correlation.size, 0);
    gw().deregister(refuser);
  });

  it('a matched receipt with no smpp-dlr and no waiter gets ESME_RTHROTTLED and stays', async () => {
    const { ok } = await start();
    gw().deregister(helper.getNode('d1'));
    helper.getNode('s1').receive({ payload: 'nobody', to: '+4670000001', correlationId: 'nobody-1' });
    await until(() => submits.length === 1, 'the submit');
    session.answerSubmit(submits[0], 'h0001');
    await until(() => ok.length === 1, 'sent');
    assert.equal(await session.sendReceipt('h0001', 'DELIVRD', { messageState: 2 }), 0x58);
    assert.equal(gw().correlation.size, 1);
  });

  it('with a correlation context store: a receipt ahead of its response is looked up there, held, then matched; the store is left clean', async () => {
    helper.settings({ contextStorage: { default: { module: 'memory' }, corr: { module: 'memory' } } });
    const { ok, dlr } = await start({ correlationStore: 'corr' });
    await contextModule.load(); // the harness does not open the configured stores itself
    assert.ok(gw().correlation.stored, 'the context path is on');
    helper.getNode('s1').receive({ payload: 'stored', to: '+4670000003', correlationId: 'store-1' });
    const { answer } = await receiptFirst('k0001', dlr);
    assert.equal(dlr.length, 0, 'held, not unmatched');
    session.answerSubmit(submits[0], 'k0001');
    assert.equal(await answer, 0);
    await until(() => dlr.length === 1 && ok.length === 1, 'report and sent msg');
    assert.equal(dlr[0].payload.unmatched, false);
    assert.equal(dlr[0].sent.correlationId, 'store-1');
    assert.equal(gw().correlation.size, 0);
    const keys = await new Promise<string[]>((resolve, reject) =>
      gw().context().keys('corr', (err: Error | null, k?: string[]) => (err ? reject(err) : resolve((k ?? []).filter((x) => x.startsWith('smppdlr_'))))));
    assert.deepEqual(keys, [], 'nothing left in the store for a message whose receipt is consumed');
  });
});
