/**
 * smpp-control bad-input table, in a real Node-RED runtime with the en-US
 * catalog: each wrong command reaches a Catch node through done(err) with an
 * error that says what was given (short, even for a huge or odd value) and
 * what is allowed, nothing is sent, the link is untouched, and a good
 * `status` right after answers. Also: a control node with no gateway.
 * (test/nodes/control.test.ts covers the plain unknown word 'reboot'.)
 */
import assert from 'node:assert/strict';
import { SmscSimulator } from '../../src/simulator';
import { helper, startSimulator, flow, until, collect } from '../nodes/node-harness';
import { loadEnglish } from './english-nodes';

const circular: Record<string, unknown> = { command: 'status' };
circular.self = circular;

const ALLOWED = /: use rebuild, disconnect, connect or status$/;

const ROWS: { name: string; msg: Record<string, unknown>; given: RegExp }[] = [
  { name: 'payload a number', msg: { payload: 42 }, given: /^unknown command 42: / },
  { name: 'payload null', msg: { payload: null }, given: /^unknown command null: / },
  { name: 'no topic and no payload', msg: {}, given: /^unknown command (undefined)?: / },
  { name: 'payload an empty string', msg: { payload: '' }, given: /^unknown command "": / },
  { name: 'payload an object', msg: { payload: { command: 'status' } }, given: /^unknown command \{"command":"status"\}: / },
  { name: 'payload an array', msg: { payload: ['status'] }, given: /^unknown command \["status"\]: / },
  { name: 'payload a boolean', msg: { payload: true }, given: /^unknown command true: / },
  { name: 'payload with a NUL after the word', msg: { payload: 'status\u0000' }, given: /^unknown command "status\\u0000": / },
  { name: 'payload in another script', msg: { payload: '状态' }, given: /^unknown command "状态": / },
  { name: 'topic not a command, payload not a command', msg: { topic: 'Rebuild!', payload: 'now' }, given: /^unknown command "now": / },
  { name: 'payload a BigInt', msg: { payload: BigInt(7) }, given: /^unknown command 7n?: / },
  { name: 'payload a circular object', msg: { payload: circular }, given: /^unknown command .*: / },
  { name: 'payload 100,000 characters', msg: { payload: 'x'.repeat(100_000) }, given: /^unknown command "x+.*: / },
];

describe('bad input: smpp-control (Catch node, keeps working)', function () {
  this.timeout(20_000);
  let sim: SmscSimulator;
  let ctl: any[];
  let caught: any[];

  before(async () => {
    sim = await startSimulator({ receipts: 'never' });
    const f = flow(sim.port) as any[];
    f.find((n) => n.id === 'c1').events = false;
    f.push(
      { id: 'c2', type: 'smpp-control', gateway: '', wires: [['ctl']] },
      { id: 'catch1', type: 'catch', scope: ['c1', 'c2'], uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    );
    await loadEnglish(f);
    ctl = collect('ctl');
    caught = collect('caught');
    await until(() => helper.getNode('gw1').engine.state === 'bound', 'bound');
  });
  after(async () => {
    await helper.unload();
    await sim.stop();
  });

  for (const row of ROWS) {
    it(row.name, async () => {
      const c1 = helper.getNode('c1');
      const [ctlBefore, caughtBefore, bindsBefore] = [ctl.length, caught.length, helper.getNode('gw1').engine.counters.binds];
      const msg = { ...row.msg };
      c1.receive(msg);
      await until(() => caught.length === caughtBefore + 1, 'the Catch node', 3000);
      const c = caught[caught.length - 1];
      assert.equal(c._msgid, msg._msgid);
      assert.equal(c.error.source.id, 'c1');
      const text = String(c.error.message).replace(/^Error: /, '');
      assert.match(text, row.given);
      assert.match(text, ALLOWED);
      assert.ok(text.length <= 200, `a short error (${text.length} characters)`);
      // the node keeps working and the link was not touched
      c1.receive({ payload: 'status' });
      await until(() => ctl.length === ctlBefore + 1, 'the status after it', 3000);
      assert.equal(ctl[ctl.length - 1].topic, 'status');
      assert.equal(ctl[ctl.length - 1].payload.state, 'bound');
      assert.equal(helper.getNode('gw1').engine.counters.binds, bindsBefore);
      assert.equal(caught.length, caughtBefore + 1);
    });
  }

  it('a control node without a gateway: a clear error for each command, and nothing else breaks', async () => {
    const caughtBefore = caught.length;
    helper.getNode('c2').receive({ payload: 'rebuild' });
    await until(() => caught.length === caughtBefore + 1, 'the Catch node', 3000);
    assert.equal(caught[caught.length - 1].error.source.id, 'c2');
    assert.match(caught[caught.length - 1].error.message, /the gateway is not running: no gateway configured/);
    assert.equal(helper.getNode('gw1').engine.state, 'bound');
  });
});
