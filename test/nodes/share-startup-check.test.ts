/**
 * Share with other instances (shareInstances) without a Redis store to share
 * through, in a real Node-RED runtime (in-process harness) against the
 * simulator: the gateway logs ONE error that names what to do, its status
 * (and its nodes') says 'bound, no Redis' in both languages, and it works
 * as a single instance (its own Max Sending Rate; the message is sent).
 * With the option off: no such error, the usual 'bound'.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { SmscSimulator } from '../../src/simulator';
import { CATALOG } from '../../nodes/gateway-status';
import { helper, load, flow, until, collect, gw, simulatorEachTest } from './node-harness';

const ROOT = path.join(__dirname, '..', '..', '..');
const catalog = (lang: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'nodes', 'locales', lang, 'smpp-gateway.json'), 'utf8'))['smpp-gateway'];

function errors(): string[] {
  return helper.log().args.map((a: any[]) => a[0]).filter((e: any) => e.level === helper.log().ERROR).map((e: any) => String(e.msg));
}

describe('Share with other instances without a Redis store: one startup check', function () {
  this.timeout(20000);
  let sim: SmscSimulator;
  simulatorEachTest((s) => (sim = s), () => sim);

  async function sendOne(): Promise<any> {
    const ok = collect('ok');
    const bad = collect('bad');
    helper.getNode('s1').receive({ to: '+46700000001', payload: 'hello' });
    await until(() => ok.length + bad.length === 1, 'the message to leave smpp-send');
    assert.equal(bad.length, 0, JSON.stringify(bad[0]?.error));
    return ok[0];
  }

  for (const [what, gwOpts] of [
    ['shareInstances on, no Receipt Correlation Context Store, no Max Sending Rate', { shareInstances: true }],
    ['the old key shareSendRate, a store that is not Redis, Max Sending Rate 50/s', { shareSendRate: true, correlationStore: 'memoryOnly', maxSendRate: 50, maxReceiveRate: 1000, trafficPolicy: 'delay' }],
  ] as [string, Record<string, unknown>][]) {
    it(`${what}: one error naming what to do, status 'bound, no Redis', sends as a single instance`, async () => {
      await load(flow(sim.port, gwOpts));
      await until(() => gw().engine?.state === 'bound', 'bound');
      assert.deepEqual(gw().currentStatus(), { fill: 'yellow', shape: 'dot', text: `${CATALOG}:smpp-gateway.canvas.boundNoRedis` });
      const mine = errors().filter((e) => /Share with other instances/.test(e));
      assert.equal(mine.length, 1, `exactly one error:\n${errors().join('\n')}`);
      assert.match(mine[0], /^smpp-gateway test gw: Share with other instances needs Receipt Correlation Context Store set to the Redis context store \(settings\.js contextStorage: module require\('node-red-contrib-smpp-gateway\/dist\/nodes\/context-store\/redis'\) with a config object\)\. Until then this gateway works as a single instance/);
      assert.ok(catalog('en-US').canvas.boundNoRedis.length <= 16 && /Redis/.test(catalog('en-US').canvas.boundNoRedis));
      assert.match(catalog('zh-CN').canvas.boundNoRedis, /Redis/);
      const sent = await sendOne();
      assert.ok(sent.smpp?.messageId, JSON.stringify(sent.smpp));
      assert.equal(sim.stats().submits, 1);
      assert.equal(errors().filter((e) => /Share with other instances|Redis/.test(e)).length, 1, 'nothing more logged while sending');
    });
  }

  it('shareInstances off: no such error, status bound', async () => {
    await load(flow(sim.port, { maxSendRate: 50, maxReceiveRate: 1000, trafficPolicy: 'delay' }));
    await until(() => gw().engine?.state === 'bound', 'bound');
    assert.deepEqual(errors().filter((e) => /Share with other instances|Redis/.test(e)), []);
    assert.equal(gw().currentStatus().text, `${CATALOG}:smpp-gateway.canvas.bound`);
    await sendOne();
  });
});
