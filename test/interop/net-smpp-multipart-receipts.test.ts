/**
 * Immediate part receipts from Net::SMPP (issue 12): the Perl SMSC
 * (test/interop/net-smpp-smsc.pl --receipts both) answers each submit_sm and
 * sends that part's receipt right after its submit_sm_resp, so the receipt
 * of part 1 arrives while parts 2 and 3 still wait for their responses. A
 * 3-part message must get ONE folded report on smpp-dlr, and in send-and-wait
 * mode leave on delivered. Real Node-RED runtime (node-harness.ts).
 */
import assert from 'node:assert/strict';
import { ESME_PASSWORD, ESME_SYSTEM_ID } from './interop-engine';
import { PeerProcess } from './peer-process';
import { helper, flow, load, collect } from '../nodes/node-harness';
import { SCRIPT, records, requireNetSmpp } from './net-smpp-peer';

describe('interop: immediate part receipts of a long message from Net::SMPP (libnet-smpp-perl)', function () {
  this.timeout(20000);
  let peer: PeerProcess | null = null;

  afterEach(async () => {
    await helper.unload();
    await peer?.stop();
    peer = null;
  });

  async function start(send: Record<string, unknown>) {
    requireNetSmpp();
    const args = [SCRIPT, '--port', '0', '--mo', '0', '--max-seconds', '60', '--receipts', 'both', '--receipt-id-form', 'hex'];
    const p = (peer = new PeerProcess('net-smpp-smsc.pl', 'perl', args));
    const port = Number((await p.waitForOutput(/^LISTENING (\d+)$/m, 10000))[1]);
    const f = flow(port, { bindMode: 'transceiver', registeredDelivery: '1', messageIdForm: 'auto', splitMode: 'concatenated' }, send)
      .filter((n: any) => ['gw1', 's1', 'd1', 'ok', 'bad', 'dlr'].includes(n.id));
    if (send.mode === 'wait') {
      (f.find((n: any) => n.id === 's1') as any).wires = [['ok'], ['bad'], ['late']];
      f.push({ id: 'late', type: 'helper' } as any);
    }
    await load(f, { gw1: { systemId: ESME_SYSTEM_ID, password: ESME_PASSWORD } });
    const out = { ok: collect('ok'), bad: collect('bad'), dlr: collect('dlr'), late: send.mode === 'wait' ? collect('late') : [] };
    await p.waitForOutput(/^SENT bind_transceiver_resp seq=\d+ status=0$/m, 8000);
    await p.waitUntil(() => helper.getNode('gw1').engine?.state === 'bound', 4000, 'the gateway bound');
    return { p, ...out };
  }

  it('submit: a 3-part message gets one folded report, every part receipt answered ESME_ROK', async () => {
    const { p, ok, bad, dlr } = await start({});
    helper.getNode('s1').receive({ payload: 'L'.repeat(400), to: '46700000001', from: 'NodeRED', correlationId: 'long-perl' });
    await p.waitUntil(() => ok.length + bad.length === 1, 8000, 'the message accepted');
    assert.equal(bad.length, 0, JSON.stringify(bad.map((m) => m.error)));
    const ids: string[] = ok[0].smpp.messageIds;
    assert.equal(ids.length, 3);
    await p.waitUntil(() => records(p.stdout, 'SENT receipt').length === 3, 8000, 'three part receipts sent');
    const seqs = records(p.stdout, 'SENT receipt').map((r) => r.seq);
    await p.waitUntil(() => records(p.stdout, 'DELIVER_SM_RESP').filter((r) => seqs.includes(r.seq)).length === 3, 8000, 'three receipts answered');
    await p.waitUntil(() => dlr.length >= 1, 4000, 'the report');
    assert.deepEqual(records(p.stdout, 'DELIVER_SM_RESP').filter((r) => seqs.includes(r.seq)).map((r) => r.status), ['0', '0', '0'], p.describe());
    assert.equal(dlr.length, 1, `one report: ${JSON.stringify(dlr.map((d) => [d.payload.unmatched, d.payload.messageId]))}`);
    assert.equal(dlr[0].payload.unmatched, false);
    assert.equal(dlr[0].payload.state, 'DELIVERED');
    assert.deepEqual(dlr[0].payload.parts.map((x: any) => x.messageId), ids);
    assert.equal(dlr[0].sent.correlationId, 'long-perl');
    assert.equal(helper.getNode('gw1').correlation.size, 0);
  });

  it('send-and-wait: the 3-part message leaves on delivered, not timed out', async () => {
    const { p, ok, bad, late } = await start({ mode: 'wait', waitTimeout: 8000 });
    helper.getNode('s1').receive({ payload: 'W'.repeat(400), to: '46700000002', from: 'NodeRED', correlationId: 'ivr-perl' });
    await p.waitUntil(() => ok.length + bad.length + late.length === 1, 10000, 'the msg leaves');
    assert.equal(ok.length, 1, `delivered output; bad ${JSON.stringify(bad.map((m) => m.error))}, timed out ${late.length}`);
    assert.equal(ok[0].dlr.state, 'DELIVERED');
    assert.equal(ok[0].correlationId, 'ivr-perl');
  });
});
