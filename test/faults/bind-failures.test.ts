/**
 * The link cannot come up: bind refused (wrong password), SMSC down (nothing
 * listening), SMSC that accepts TCP but never answers the bind. In a real
 * Node-RED runtime: the gateway's status says why in plain words, the
 * retries are spaced by the reconnect back-off (from reconnectMin doubling to
 * reconnectMax, equal jitter; a refused login waits reconnectMax each time,
 * as carriers lock accounts after repeated refused binds), and the attempts in a window stay within
 * what that back-off allows: no storm. Scaled timers (100 ms .. 800 ms); the
 * same arithmetic with the defaults (1 s .. 60 s) gives the figures for an
 * SMSC that is down for minutes.
 */
import assert from 'node:assert/strict';
import { SmscSimulator } from '../../src/simulator';
import { helper, startSimulator, flow, until } from '../nodes/node-harness';
import { loadEnglish } from './english-nodes';
import { detailOf } from '../../nodes/gateway-status';
import { FakeSmsc, freePort } from '../helpers/fake-smsc';

const MIN = 100;
const MAX = 800;
const WATCH_MS = 3000;
const BIND_TIMEOUT = 300;

const upper = (i: number) => Math.min(MAX, MIN * 2 ** i);

/** The most attempts the back-off allows in `ms` when every wait is at its shortest, plus `perAttemptMs` each. */
function maxAttempts(ms: number, min: number, max: number, perAttemptMs = 0): number {
  let k = 0;
  let spent = 0;
  while (true) {
    spent += Math.min(max, min * 2 ** Math.min(k, 30)) / 2 + perAttemptMs;
    if (spent > ms) return k + 1; // the first attempt is at 0
    k++;
  }
}

function gw(): any {
  return helper.getNode('gw1');
}

describe('faults: the link cannot come up (clear status, back-off, no storm)', function () {
  this.timeout(20_000);
  let sim: SmscSimulator | null = null;
  let fake: FakeSmsc | null = null;
  afterEach(async () => {
    await helper.unload();
    await sim?.stop();
    await fake?.stop();
    sim = null;
    fake = null;
  });

  /** the delay range the back-off allows before retry i: equal jitter from reconnectMin doubling to reconnectMax */
  const backoffRange = (i: number): [number, number] => [Math.floor(upper(i) / 2), upper(i)];

  async function watch(
    port: number,
    creds: object | undefined,
    attemptsSoFar: () => number,
    extra: Record<string, unknown> = {},
    onState?: (ev: any) => void,
    range: (i: number) => [number, number] = backoffRange,
  ) {
    const started = Date.now();
    await loadEnglish(flow(port, { reconnectMin: MIN, reconnectMax: MAX, bindTimeout: BIND_TIMEOUT, connectTimeout: 1000, ...extra }), creds);
    const events: any[] = [];
    gw().engine.on('state', (ev: any) => {
      // the gateway's own listener (added first) has already turned this into the node status
      events.push({ ...ev, status: { ...gw().currentStatus(), detail: detailOf(ev) } });
      onState?.(ev);
    });
    await new Promise((r) => setTimeout(r, WATCH_MS));
    const attempts = attemptsSoFar();
    const elapsed = Date.now() - started;
    const retries = events.filter((e) => e.state === 'retrying');
    assert.equal(retries.length, gw().engine.counters.reconnects, 'every retry seen');
    retries.forEach((e, i) => {
      const [lo, hi] = range(i);
      assert.ok(e.retryInMs >= lo && e.retryInMs <= hi, `retry ${i} after ${e.retryInMs} ms: within [${lo}, ${hi}]`);
    });
    // what a user sees whenever the link is waiting to retry: red, with the reason
    const retryStatus = retries.map((e) => e.status);
    assert.ok(retryStatus.length > 0);
    assert.ok(retryStatus.every((st) => st.fill === 'red' && st.shape === 'ring'), JSON.stringify(retryStatus));
    return { attempts, elapsed, retries, status: retryStatus[retryStatus.length - 1] };
  }

  it('bind refused (wrong password): status names ESME_RINVPASWD, every retry waits the longest delay (accounts get locked)', async () => {
    sim = await startSimulator();
    const s = sim;
    const r = await watch(s.port, { gw1: { systemId: 'esme', password: 'wrong-one' } }, () => s.stats().bindFailures, {}, undefined, () => [MAX, MAX]);
    // the first attempt is at 0, then one every reconnectMax
    const bound = Math.floor(r.elapsed / MAX) + 1;
    console.log(`      refused: ${r.attempts} binds in ${r.elapsed} ms (reconnectMax each allows ${bound}); status "${r.status.text}"`);
    assert.equal(s.stats().binds, 0);
    assert.ok(r.attempts >= 3 && r.attempts <= bound, `${r.attempts} bind attempts`);
    assert.ok(r.retries.every((e) => e.loginRefused === 'password'), 'the state event says the password was refused');
    assert.equal(r.status.fill, 'red');
    assert.match(r.status.text, /:smpp-gateway\.canvas\.refusedLogin$/);
    assert.match(r.status.detail, /retry in \d+ s: ESME_RINVPASWD/);
  });

  it('SMSC down (nothing listening): status names ECONNREFUSED, connection attempts spaced by the back-off', async () => {
    const port = await freePort();
    let connecting = 1; // the first attempt starts while the flow loads, before a listener can be attached
    const r = await watch(port, undefined, () => connecting, {}, (ev) => {
      if (ev.state === 'connecting') connecting++;
    });
    const bound = maxAttempts(r.elapsed, MIN, MAX);
    console.log(
      `      down: ${r.attempts} connection attempts in ${r.elapsed} ms (back-off allows ${bound}); status "${r.status.text}"\n` +
        `      with the defaults (reconnectMin 1 s, reconnectMax 60 s) the same arithmetic allows at most ${maxAttempts(60_000, 1000, 60_000)} attempts in the first minute and ${maxAttempts(600_000, 1000, 60_000)} in 10 minutes`,
    );
    assert.ok(r.attempts >= 3 && r.attempts <= bound, `${r.attempts} connection attempts`);
    assert.equal(r.status.fill, 'red');
    assert.match(r.status.text, /:smpp-gateway\.canvas\.retrying$/);
    assert.match(r.status.detail, /retry in \d+ s: .*ECONNREFUSED/);
  });

  it('SMSC accepts TCP but never answers the bind: status says so, each attempt waits Bind Timeout plus the back-off', async () => {
    fake = new FakeSmsc();
    fake.bindAnswer = 'never';
    await fake.start();
    const f = fake;
    const r = await watch(f.port, undefined, () => f.bindAttempts.length);
    const bound = maxAttempts(r.elapsed, MIN, MAX, BIND_TIMEOUT);
    console.log(`      no bind answer: ${r.attempts} binds on ${f.connections.length} connections in ${r.elapsed} ms (allows ${bound}); status "${r.status.text}"`);
    assert.equal(f.connections.length, r.attempts, 'one bind per connection');
    assert.ok(r.attempts >= 2 && r.attempts <= bound, `${r.attempts} bind attempts`);
    assert.equal(r.status.fill, 'red');
    assert.match(r.status.text, /:smpp-gateway\.canvas\.noAnswer$/);
    assert.match(r.status.detail, new RegExp(`retry in \\d+ s: no bind response within ${BIND_TIMEOUT} ms`));
    // the connections it gave up on were closed, not left open
    await until(() => f.sessions.slice(0, -1).every((s) => s.closed), 'abandoned connections closed', 2000);
  });
});
