/**
 * smpp-send in a real Node-RED (child process) against our simulator:
 * - a gateway with only address, port and login sends a 400-character GSM
 *   text, a 200-character Chinese text and an accented name (the defaults:
 *   Message Format auto, splitting concatenated); the simulator's decoding
 *   (the smpp package's, not ours) gives the text back;
 * - a failure reaches the flow once: on output 2 when it is wired, else a
 *   Catch node, which gets the SMPP code, status and retriable;
 * - To, From and Text typed inputs are used for a msg that has none.
 */
import assert from 'node:assert/strict';
import type { PDU } from 'smpp';
import { SmscSimulator } from '../../src/simulator';
import { RedProcess, until } from '../package/red-process';

type FlowNode = Record<string, any>;

/** The text of the submits to `to`, parts put in order by their UDH sequence number. */
function received(submits: PDU[], to: string): string {
  const parts = submits
    .filter((p: any) => p.destination_addr === to)
    .map((p: any) => {
      const sm = p.short_message;
      const udh: number[][] = sm.udh ?? [];
      const concat = udh.find((u) => u[0] === 0x00 || u[0] === 0x08);
      const seq = concat ? concat[concat.length - 1] : 1;
      return { seq, text: typeof sm.message === 'string' ? sm.message : String(sm.message) };
    })
    .sort((a, b) => a.seq - b.seq);
  return parts.map((p) => p.text).join('');
}

describe('smpp-send in Node-RED: defaults that send any text; one failure report, reaching Catch', function () {
  this.timeout(120000);
  let red: RedProcess;
  let sim: SmscSimulator;
  const submits: PDU[] = [];

  const probe = async () => JSON.parse((await red.get('/probe')).text);
  const post = async (body: unknown) => {
    const res = await fetch(`${red.url}/go`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200, await res.text());
  };
  const record = (what: string) => `const p = global.get('p') || { out1: [], out2: [], caught: [] }; ${what}; global.set('p', p); return null;`;

  before(async () => {
    sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'test', password: 'test' }] });
    sim.on('submit', (pdu: PDU) => submits.push(pdu));
    await sim.start();
    red = new RedProcess();
    await red.start([]);
    const z = 't1';
    const flow: FlowNode[] = [
      { id: z, type: 'tab', label: 'send' },
      // only address, port and login: every other setting is the default
      { id: 'gw', type: 'smpp-gateway', host: '127.0.0.1', port: String(sim.port), credentials: { systemId: 'test', password: 'test' } },
      { id: 'in', type: 'http in', z, url: '/go', method: 'post', wires: [['route']] },
      { id: 'route', type: 'function', z, outputs: 4, wires: [['sendWired'], ['sendUnwired'], ['sendTyped'], ['resp']],
        func: `const b = msg.payload; const m = Object.assign({}, b.msg); const out = [null, null, null, msg]; out[b.node] = m; msg.payload = 'ok'; return out;` },
      { id: 'resp', type: 'http response', z, wires: [] },
      { id: 'sendWired', type: 'smpp-send', z, gateway: 'gw', wires: [['o1'], ['o2']] },
      { id: 'sendUnwired', type: 'smpp-send', z, gateway: 'gw', wires: [['o1'], []] },
      { id: 'sendTyped', type: 'smpp-send', z, gateway: 'gw', to: 'phone', toType: 'msg', from: 'Shop', fromType: 'str', text: 'Hello from the node', textType: 'str', wires: [['o1'], ['o2']] },
      { id: 'o1', type: 'function', z, func: record('p.out1.push({ to: msg.to, smpp: msg.smpp })'), outputs: 1, wires: [[]] },
      { id: 'o2', type: 'function', z, func: record('p.out2.push({ error: msg.error, smpp: msg.smpp })'), outputs: 1, wires: [[]] },
      { id: 'ca', type: 'catch', z, scope: null, uncaught: false, wires: [['fc']] },
      { id: 'fc', type: 'function', z, func: record('p.caught.push({ error: msg.error, _error: msg._error, smpp: msg.smpp, source: msg.error.source.id })'), outputs: 1, wires: [[]] },
      { id: 'ph', type: 'http in', z, url: '/probe', method: 'get', wires: [['pf']] },
      { id: 'pf', type: 'function', z, func: `msg.payload = global.get('p') || { out1: [], out2: [], caught: [] }; return msg;`, outputs: 1, wires: [['pr']] },
      { id: 'pr', type: 'http response', z, wires: [] },
    ];
    await red.deploy(flow);
    await until(async () => (sim.stats().binds > 0 ? true : undefined), 'the gateway to bind', 20000);
  });

  after(async () => {
    await red?.stop();
    await sim?.stop();
  });

  const GSM400 = 'The quick brown fox jumps over the lazy dog 0123456789 @£$ '.repeat(7).slice(0, 400);
  const CHINESE200 = '短信网关测试，中文内容可以正常发送。'.repeat(12).slice(0, 200);
  const ACCENTED = 'Bonjour Zoë, François et Ångström: ça marche!';

  for (const [name, text, to] of [['a 400-character GSM text', GSM400, '15550000001'], ['a 200-character Chinese text', CHINESE200, '15550000002'], ['an accented name', ACCENTED, '15550000003']] as const) {
    it(`a gateway with only address, port and login sends ${name}, and the SMSC decodes it back`, async () => {
      assert.equal(text.length, text === ACCENTED ? ACCENTED.length : Number(/\d+/.exec(name)![0]));
      await post({ node: 0, msg: { payload: text, to } });
      const p = await until(async () => {
        const q = await probe();
        return q.out1.find((o: any) => o.to === to) ?? (q.out2.length ? Promise.reject(new Error(JSON.stringify(q.out2))) : undefined);
      }, `${name} accepted`, 20000);
      assert.equal(received(submits, to), text);
      if (text !== ACCENTED) assert.ok(p.smpp.parts > 1, `${name} is sent in parts (${p.smpp.parts})`);
    });
  }

  it('a failure with output 2 wired goes there only; with it unwired, to Catch only, with the SMPP code, status and retriable', async () => {
    sim.setFailure({ kind: 'reject', status: 0x0b }); // ESME_RINVDSTADR
    try {
      await post({ node: 0, msg: { payload: 'to output 2', to: '15550000004' } });
      await post({ node: 1, msg: { payload: 'to Catch', to: '15550000005' } });
      const p = await until(async () => {
        const q = await probe();
        return q.out2.length >= 1 && q.caught.length >= 1 ? q : undefined;
      }, 'both failures reported', 20000);
      // a moment for a second report to show up if there were one
      await new Promise((r) => setTimeout(r, 500));
      const q = await probe();
      assert.equal(q.out2.length, 1, 'output 2 once');
      assert.equal(q.caught.length, 1, 'Catch once: not for the failure on the wired output');
      assert.equal(p.out2[0].error.status, 'ESME_RINVDSTADR');
      const c = q.caught[0];
      assert.equal(c.source, 'sendUnwired');
      assert.equal(c.error.code, 0x0b, 'the Error code Node-RED keeps is the SMPP command_status');
      assert.match(c.error.message, /ESME_RINVDSTADR/);
      assert.deepEqual(c.smpp.error, { message: c.smpp.error.message, code: 0x0b, status: 'ESME_RINVDSTADR', retriable: false });
      assert.equal(c._error.status, 'ESME_RINVDSTADR', 'our msg.error, moved aside by Node-RED, is msg._error');
    } finally {
      sim.setFailure({ kind: 'none' });
    }
    // the caught msg, sent again as a retry loop would: sent, without the old failure
    const again = (await probe()).caught[0];
    await post({ node: 0, msg: { payload: 'to Catch', to: '15550000005', smpp: again.smpp } });
    const ok = await until(async () => (await probe()).out1.find((o: any) => o.to === '15550000005'), 'the retry accepted', 20000);
    assert.equal(ok.smpp.error, undefined, 'no stale msg.smpp.error on success');
  });

  it("uses the node's To (msg.phone), From and Text for a msg without to, from and payload; the msg's own first", async () => {
    await post({ node: 2, msg: { phone: '15550000006' } });
    await post({ node: 2, msg: { phone: '15550000007', payload: 'from the msg' } });
    await until(async () => (['15550000006', '15550000007'].every((d) => submits.some((s: any) => s.destination_addr === d)) ? true : undefined), 'the two typed sends', 20000);
    const pdu: any = submits.find((s: any) => s.destination_addr === '15550000006');
    assert.equal(pdu.source_addr, 'Shop');
    assert.equal(received(submits, '15550000006'), 'Hello from the node');
    assert.equal(received(submits, '15550000007'), 'from the msg', "the msg's payload wins over the node's Text");
  });
});
