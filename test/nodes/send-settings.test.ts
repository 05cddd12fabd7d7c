/* smpp-send's own settings: checked as the editor checks them; a wrong one fails each msg, naming it. */
import assert from 'node:assert/strict';
import { readSendSettings } from '../../nodes/send-settings';
import { SmscSimulator } from '../../src/simulator';
import { helper, flow, load, until, collect, simulatorEachTest } from './node-harness';

describe('smpp-send settings (table)', () => {
  const cases: { name: string; def: Record<string, unknown>; error: RegExp | null; wait?: boolean; timeout?: number; remember?: string[] }[] = [
    { name: 'nothing set', def: {}, error: null, wait: false, timeout: 300000, remember: [] },
    { name: 'submit', def: { mode: 'submit' }, error: null, wait: false },
    { name: 'wait with a timeout', def: { mode: 'wait', waitTimeout: '5000' }, error: null, wait: true, timeout: 5000 },
    { name: 'wait, timeout as a number', def: { mode: 'wait', waitTimeout: 86400000 }, error: null, timeout: 86400000 },
    { name: 'an unknown mode', def: { mode: 'fire' }, error: /^mode must be submit or wait; got "fire"$/ },
    { name: 'wait, timeout too small', def: { mode: 'wait', waitTimeout: '999' }, error: /^waitTimeout must be a whole number of ms from 1000 to 86400000; got "999"$/ },
    { name: 'wait, timeout not a number', def: { mode: 'wait', waitTimeout: '5s' }, error: /waitTimeout .* got "5s"$/ },
    { name: 'wait, timeout too big', def: { mode: 'wait', waitTimeout: '86400001' }, error: /waitTimeout/ },
    { name: 'submit ignores a bad timeout', def: { mode: 'submit', waitTimeout: 'x' }, error: null },
    { name: 'remember names and a path', def: { remember: 'caller, payload.template ,ivr_step' }, error: null, remember: ['caller', 'payload.template', 'ivr_step'] },
    { name: 'remember with a bad name', def: { remember: 'caller, 2nd, a b' }, error: /^remember must list msg property names separated by commas; not a name: 2nd, a b$/ },
    { name: 'two errors at once', def: { mode: 'x', remember: '-' }, error: /^mode must be .*; remember must/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = readSendSettings(c.def);
      if (c.error) assert.match(s.error ?? '(no error)', c.error);
      else assert.equal(s.error, null);
      if (c.wait !== undefined) assert.equal(s.wait, c.wait);
      if (c.timeout !== undefined) assert.equal(s.waitTimeout, c.timeout);
      if (c.remember !== undefined) assert.deepEqual(s.remember, c.remember);
    });
  }
});

describe('smpp-send settings in Node-RED', function () {
  this.timeout(15000);
  let sim: SmscSimulator;
  simulatorEachTest((s) => (sim = s), () => sim);

  it('a misconfigured node fails each msg on output 2 naming the setting, and sends nothing', async () => {
    const f = flow(sim.port, {}, { mode: 'later' });
    await load(f);
    const ok = collect('ok');
    const bad = collect('bad');
    await until(() => (helper.getNode('gw1') as any).engine.state === 'bound', 'bound');
    helper.getNode('s1').receive({ payload: 'hi', to: '4670000001' });
    helper.getNode('s1').receive({ payload: 'again', to: '4670000001' });
    await until(() => bad.length === 2, 'two failures');
    assert.equal(ok.length, 0);
    assert.equal(bad[0].error.status, 'INVALID');
    assert.match(bad[0].error.message, /smpp-send is misconfigured: mode must be submit or wait; got "later"/);
    assert.equal(sim.stats().submits, 0);
  });

  it('remembers a dotted property path for smpp-dlr', async () => {
    await load(flow(sim.port, {}, { remember: 'payloadInfo.template,caller' }));
    const ok = collect('ok');
    const dlr = collect('dlr');
    await until(() => (helper.getNode('gw1') as any).engine.state === 'bound', 'bound');
    helper.getNode('s1').receive({ payload: 'hi', to: '4670000001', caller: '+4670000009', payloadInfo: { template: 'hours' } });
    await until(() => ok.length === 1 && dlr.length === 1, 'sent and reported');
    assert.equal(dlr[0].sent.caller, '+4670000009');
    assert.equal(dlr[0].sent['payloadInfo.template'], 'hours');
  });
});
