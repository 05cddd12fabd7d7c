/**
 * Delivery receipts from an SMSC whose PDU codec is Net::SMPP (Debian package
 * libnet-smpp-perl): test/interop/net-smpp-smsc.pl --receipts text|tlv|both
 * answers each submit_sm with a hex message_id and then sends a receipt
 * deliver_sm (esm_class 0x04, DELIVERED) as receipt text, as the TLVs
 * receipted_message_id + message_state, or both; --receipt-id-form decimal
 * writes the decimal value of the id in the receipt. A real Node-RED runtime
 * (node-harness.ts) runs smpp-gateway (transceiver) + smpp-send + smpp-dlr;
 * the script prints the status of each deliver_sm_resp as Net::SMPP decoded it.
 * A long message (3 parts) gets each part's receipt right after that part's
 * submit_sm_resp (--receipt-timing immediate, as SMSCs that fail or deliver at
 * once do), in submit mode and in send-and-wait mode; a receipt may also come
 * before its submit_sm_resp (--receipt-timing before-response).
 */
import assert from 'node:assert/strict';
import { ESME_PASSWORD, ESME_SYSTEM_ID } from './interop-engine';
import { PeerProcess } from './peer-process';
import { helper, flow, load, collect } from '../nodes/node-harness';
import { SCRIPT, records, requireNetSmpp } from './net-smpp-peer';

const MESSAGES = 3;


interface Case {
  title: string;
  receipts: 'text' | 'tlv' | 'both';
  idForm: 'hex' | 'decimal';
  source: 'text' | 'tlv' | 'both';
}

const CASES: Case[] = [
  { title: 'receipt text only', receipts: 'text', idForm: 'hex', source: 'text' },
  { title: 'TLVs receipted_message_id + message_state only', receipts: 'tlv', idForm: 'hex', source: 'tlv' },
  { title: 'receipt text and TLVs', receipts: 'both', idForm: 'hex', source: 'both' },
  { title: 'receipt text and TLVs with the decimal form of the hex id (messageIdForm auto)', receipts: 'both', idForm: 'decimal', source: 'both' },
];

describe('interop: delivery receipts from Net::SMPP (libnet-smpp-perl) into smpp-dlr', function () {
  this.timeout(20000);
  let peer: PeerProcess | null = null;

  afterEach(async () => {
    await helper.unload();
    await peer?.stop();
    peer = null;
  });

  async function startPeer(receipts: string, idForm: string, timing = 'immediate'): Promise<{ p: PeerProcess; port: number }> {
    requireNetSmpp();
    const args = [SCRIPT, '--port', '0', '--mo', '0', '--max-seconds', '60', '--receipts', receipts, '--receipt-id-form', idForm, '--receipt-timing', timing];
    const p = (peer = new PeerProcess('net-smpp-smsc.pl', 'perl', args));
    const port = Number((await p.waitForOutput(/^LISTENING (\d+)$/m, 10000))[1]);
    return { p, port };
  }

  async function loadFlow(port: number, send: Record<string, unknown>): Promise<void> {
    const f = flow(port, { bindMode: 'transceiver', registeredDelivery: '1', messageIdForm: 'auto' }, send)
      .filter((n: any) => ['gw1', 's1', 'd1', 'ok', 'bad', 'dlr'].includes(n.id));
    if (send.mode === 'wait') (f.find((n: any) => n.id === 's1') as any).wires = [['ok'], ['bad'], ['late']];
    if (send.mode === 'wait') f.push({ id: 'late', type: 'helper' } as any);
    await load(f, { gw1: { systemId: ESME_SYSTEM_ID, password: ESME_PASSWORD } });
  }

  /** the Perl SMSC accepted the bind and the gateway counts itself bound */
  async function waitBound(p: PeerProcess): Promise<void> {
    await p.waitForOutput(/^SENT bind_transceiver_resp seq=\d+ status=0$/m, 8000);
    await p.waitUntil(() => helper.getNode('gw1').engine?.state === 'bound', 4000, 'the gateway bound');
  }

  for (const c of CASES) {
    it(`matches each receipt sent as ${c.title} to its message; every receipt answered ESME_ROK`, async () => {
      const { p, port } = await startPeer(c.receipts, c.idForm);
      await loadFlow(port, {});
      const ok = collect('ok');
      const bad = collect('bad');
      const dlr = collect('dlr');
      await waitBound(p);

      const s1 = helper.getNode('s1');
      for (let i = 1; i <= MESSAGES; i++) {
        s1.receive({ payload: `dlr ${c.receipts} ${i}`, to: `46700000${i}`, from: 'NodeRED', correlationId: `corr-${c.receipts}-${c.idForm}-${i}` });
      }
      await p.waitUntil(() => ok.length + bad.length >= MESSAGES, 8000, `${MESSAGES} messages accepted (ok ${ok.length}, bad ${JSON.stringify(bad.map((m) => m.error))})`);
      assert.equal(bad.length, 0, JSON.stringify(bad.map((m) => m.error)));
      await p.waitUntil(() => dlr.length >= MESSAGES, 8000, `${MESSAGES} receipts out of smpp-dlr (got ${JSON.stringify(dlr.map((m) => m.payload))})`);

      const sent = records(p.stdout, 'SENT receipt');
      assert.equal(sent.length, MESSAGES, p.describe());
      const submits = records(p.stdout, 'SUBMIT');
      assert.deepEqual(submits.map((s) => s.registered_delivery), Array(MESSAGES).fill('1'), p.describe());

      for (let i = 1; i <= MESSAGES; i++) {
        const corr = `corr-${c.receipts}-${c.idForm}-${i}`;
        const o = ok.find((m) => m.correlationId === corr);
        assert.ok(o, `msg ${corr} accepted`);
        const hexId = String(o.smpp.messageId);
        assert.match(hexId, /^5eed[0-9a-f]{4}$/);
        const s = sent.find((r) => r.id === hexId);
        assert.ok(s, `a receipt was sent for ${hexId}${p.describe()}`);
        const expectedReceiptId = c.idForm === 'decimal' ? String(parseInt(hexId, 16)) : hexId;
        assert.equal(s.receipt_id, expectedReceiptId);
        const d = dlr.find((m) => m.sent?.correlationId === corr);
        assert.ok(d, `receipt for ${corr} came out matched; got ${JSON.stringify(dlr.map((m) => [m.sent?.correlationId, m.payload]))}`);
        assert.equal(d.correlationId, corr);
        assert.equal(d.payload.unmatched, false);
        assert.equal(d.payload.state, 'DELIVERED');
        assert.equal(d.payload.delivered, true);
        assert.equal(d.payload.final, true);
        assert.equal(d.payload.source, c.source);
        assert.equal(d.payload.messageId, expectedReceiptId);
        // the receipt came from the message's destination to its source
        assert.equal(d.payload.from, `46700000${i}`);
        assert.equal(d.payload.to, 'NodeRED');
        if (c.source !== 'tlv') {
          assert.equal(d.payload.dlvrd, 1);
          assert.equal(d.payload.text, `dlr ${c.receipts} ${i}`);
        } else assert.equal(d.payload.text, null);
      }
      assert.equal(dlr.length, MESSAGES, 'no other receipt out of smpp-dlr');

      // Net::SMPP decoded a deliver_sm_resp with status 0 for each receipt (matched by sequence number)
      const receiptSeqs = sent.map((s) => s.seq);
      const answered = () => records(p.stdout, 'DELIVER_SM_RESP').filter((r) => receiptSeqs.includes(r.seq));
      await p.waitUntil(() => answered().length >= MESSAGES, 4000, `${MESSAGES} DELIVER_SM_RESP lines for the receipts`);
      assert.deepEqual(answered().map((r) => r.status), Array(MESSAGES).fill('0'), p.describe());
      assert.deepEqual(answered().map((r) => r.seq).sort(), [...receiptSeqs].sort());
    });
  }

  it('send-and-wait: smpp-send in mode wait leaves on its delivered output with the receipt', async () => {
    const { p, port } = await startPeer('both', 'hex');
    await loadFlow(port, { mode: 'wait', waitTimeout: '10000' });
    const ok = collect('ok');
    const bad = collect('bad');
    const late = collect('late');
    const dlr = collect('dlr');
    await waitBound(p);

    helper.getNode('s1').receive({ payload: 'wait for me', to: '4670000077', from: 'NodeRED', correlationId: 'corr-wait' });
    await p.waitUntil(() => ok.length + bad.length + late.length >= 1, 12000,
      `send-and-wait to settle (bad ${JSON.stringify(bad.map((m) => m.error))}, late ${JSON.stringify(late.map((m) => m.error))})`);
    assert.equal(bad.length, 0, JSON.stringify(bad.map((m) => m.error)));
    assert.equal(late.length, 0, JSON.stringify(late.map((m) => m.error)));
    assert.equal(ok.length, 1);
    const m = ok[0];
    assert.equal(m.correlationId, 'corr-wait');
    assert.match(String(m.smpp.messageId), /^5eed[0-9a-f]{4}$/);
    assert.equal(m.dlr.state, 'DELIVERED');
    assert.equal(m.dlr.delivered, true);
    assert.equal(m.dlr.source, 'both');
    assert.equal(m.dlr.messageId, m.smpp.messageId);

    const sent = records(p.stdout, 'SENT receipt');
    assert.equal(sent.length, 1, p.describe());
    assert.equal(sent[0].id, m.smpp.messageId);
    await p.waitUntil(() => records(p.stdout, 'DELIVER_SM_RESP').some((r) => r.seq === sent[0].seq), 4000, 'DELIVER_SM_RESP for the receipt');
    assert.equal(records(p.stdout, 'DELIVER_SM_RESP').find((r) => r.seq === sent[0].seq)?.status, '0', p.describe());
    // the smpp-dlr node saw it too, matched
    await p.waitUntil(() => dlr.length >= 1, 4000, 'the receipt out of smpp-dlr');
    assert.equal(dlr[0].sent?.correlationId, 'corr-wait');
  });
  /** what the peer wrote, in order: R<id> for a submit_sm_resp, D<id> for a receipt */
  function wireOrder(p: PeerProcess): string[] {
    return p.stdout.split('\n')
      .map((line) => /^SENT submit_sm_resp seq=\d+ id=(\S+)$/.exec(line)?.[1] ? `R${/id=(\S+)$/.exec(line)![1]}` : /^SENT receipt seq=\d+ id=(\S+) /.exec(line) ? `D${/ id=(\S+) /.exec(line)![1]}` : '')
      .filter((x) => x);
  }

  const LONG = 'multipart interop '.repeat(22); // 396 GSM characters: 3 parts

  it('a 3-part message whose parts each get their receipt right after their submit_sm_resp: one folded delivered report', async () => {
    const { p, port } = await startPeer('both', 'hex', 'immediate');
    await loadFlow(port, {});
    const ok = collect('ok');
    const bad = collect('bad');
    const dlr = collect('dlr');
    await waitBound(p);

    helper.getNode('s1').receive({ payload: LONG, to: '4670000088', from: 'NodeRED', correlationId: 'corr-long' });
    await p.waitUntil(() => ok.length + bad.length >= 1, 8000, 'the long message accepted');
    assert.equal(bad.length, 0, JSON.stringify(bad.map((m) => m.error)));
    const ids: string[] = ok[0].smpp.messageIds;
    assert.equal(ids.length, 3);
    await p.waitUntil(() => records(p.stdout, 'SENT receipt').length >= 3, 8000, 'three receipts sent');
    assert.deepEqual(wireOrder(p), ids.flatMap((id) => [`R${id}`, `D${id}`]), `each receipt right after its response${p.describe()}`);
    const receiptSeqs = records(p.stdout, 'SENT receipt').map((r) => r.seq);
    const answered = () => records(p.stdout, 'DELIVER_SM_RESP').filter((r) => receiptSeqs.includes(r.seq));
    await p.waitUntil(() => answered().length >= 3, 4000, 'three DELIVER_SM_RESP lines');
    assert.deepEqual(answered().map((r) => r.status), ['0', '0', '0'], p.describe());
    await p.waitUntil(() => dlr.length >= 1, 4000, 'the report out of smpp-dlr');
    await new Promise((r) => setTimeout(r, 200));
    const shown = JSON.stringify(dlr.map((d) => [d.payload.messageId, d.payload.state, d.payload.unmatched]));
    assert.equal(dlr.length, 1, `one report, nothing unmatched: ${shown}`);
    assert.equal(dlr[0].payload.unmatched, false);
    assert.equal(dlr[0].payload.state, 'DELIVERED');
    assert.equal(dlr[0].payload.final, true);
    assert.deepEqual(dlr[0].payload.parts.map((x: any) => [x.messageId, x.state]), ids.map((id) => [id, 'DELIVERED']));
    assert.equal(dlr[0].sent?.correlationId, 'corr-long');
  });

  it('send-and-wait, a 3-part message with immediate per-part receipts: leaves on delivered', async () => {
    const { p, port } = await startPeer('both', 'hex', 'immediate');
    await loadFlow(port, { mode: 'wait', waitTimeout: '6000' });
    const ok = collect('ok');
    const bad = collect('bad');
    const late = collect('late');
    await waitBound(p);

    helper.getNode('s1').receive({ payload: LONG, to: '4670000089', from: 'NodeRED', correlationId: 'corr-wait-long' });
    await p.waitUntil(() => ok.length + bad.length + late.length >= 1, 10000, 'send-and-wait to settle');
    assert.equal(bad.length, 0, JSON.stringify(bad.map((m) => m.error)));
    assert.equal(late.length, 0, JSON.stringify(late.map((m) => m.error)));
    assert.equal(ok[0].correlationId, 'corr-wait-long');
    assert.equal(ok[0].smpp.messageIds.length, 3);
    assert.equal(ok[0].dlr.state, 'DELIVERED');
    assert.deepEqual(wireOrder(p), (ok[0].smpp.messageIds as string[]).flatMap((id) => [`R${id}`, `D${id}`]), p.describe());
  });

  it('a receipt sent before its own submit_sm_resp: matched, and send-and-wait leaves on delivered', async () => {
    const { p, port } = await startPeer('both', 'hex', 'before-response');
    await loadFlow(port, { mode: 'wait', waitTimeout: '6000' });
    const ok = collect('ok');
    const bad = collect('bad');
    const late = collect('late');
    const dlr = collect('dlr');
    await waitBound(p);

    helper.getNode('s1').receive({ payload: 'receipt first', to: '4670000090', from: 'NodeRED', correlationId: 'corr-early' });
    await p.waitUntil(() => ok.length + bad.length + late.length >= 1, 10000, 'send-and-wait to settle');
    assert.equal(bad.length, 0, JSON.stringify(bad.map((m) => m.error)));
    assert.equal(late.length, 0, JSON.stringify(late.map((m) => m.error)));
    const id = String(ok[0].smpp.messageId);
    assert.deepEqual(wireOrder(p), [`D${id}`, `R${id}`], p.describe());
    assert.equal(ok[0].dlr.state, 'DELIVERED');
    await p.waitUntil(() => dlr.length >= 1, 4000, 'the receipt out of smpp-dlr');
    assert.equal(dlr[0].payload.unmatched, false);
    assert.equal(dlr[0].sent?.correlationId, 'corr-early');
  });
});
