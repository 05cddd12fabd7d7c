/**
 * The SMSC process is killed mid-burst with the window full. Our simulator
 * runs as a child process (the smsc-simulator command); smpp-send in a real
 * Node-RED runtime gets a burst; mid-burst the simulator is frozen (SIGSTOP,
 * so that no answer can arrive and the window fills), then killed (SIGKILL)
 * while the window is full and the queue still holds messages, and started
 * again on the same port after a while. Every msg that entered smpp-send
 * must leave exactly once (counted by _msgid), the reconnects must follow the
 * back-off, and what was queued must be sent after the rebind.
 */
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'child_process';
import * as path from 'path';
import { helper, flow, load, until, collect } from '../nodes/node-harness';
import { freePort } from '../helpers/fake-smsc';

const CLI = path.join(__dirname, '..', '..', 'src', 'simulator', 'cli.js');
const N = 2000;
const WINDOW = 16;
const RECONNECT_MIN = 50;
const RECONNECT_MAX = 400;
const DOWN_MS = 1500;

function startSimulator(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, '--port', String(port), '--account', 'esme:secret1', '--receipts', 'never', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`simulator not ready within 5 s: ${out}`));
    }, 5000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening on')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited (${code}) before it was ready: ${out}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

/** Polls on every turn of the event loop (a 10 ms poll could miss the middle of a fast burst). */
async function untilTight(check: () => boolean, what: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('faults: the SMSC process is killed mid-burst with the window full', function () {
  this.timeout(30_000);
  let children: ChildProcess[] = [];

  afterEach(async () => {
    await helper.unload();
    for (const c of children) {
      if (c.exitCode === null && c.signalCode === null) {
        c.kill('SIGKILL');
        await exited(c);
      }
    }
    children = [];
  });

  for (const inflightOnDrop of ['fail', 'resend'] as const) {
    it(`every msg leaves smpp-send exactly once, reconnects back off, the queue is sent after the rebind (inflightOnDrop=${inflightOnDrop})`, async () => {
      const port = await freePort();
      const first = await startSimulator(port);
      children.push(first);
      await load(
        flow(port, {
          windowSize: WINDOW,
          sendQueueLength: N + 100,
          inflightOnDrop,
          transactionTimeout: 5000,
          heartbeatInterval: 10000,
          receiveTimeout: 20000,
          reconnectMin: RECONNECT_MIN,
          reconnectMax: RECONNECT_MAX,
          registeredDelivery: '0',
        }),
      );
      const ok = collect('ok');
      const bad = collect('bad');
      const engine = helper.getNode('gw1').engine;
      const events: { at: number; state: string; code?: string; retryInMs?: number }[] = [];
      let queuedAtDrop = -1;
      engine.on('state', (ev: any) => {
        events.push({ at: Date.now(), state: ev.state, code: ev.code, retryInMs: ev.retryInMs });
        // the queue when the link went down (with resend, the window is back in it by now)
        if (ev.state === 'retrying' && queuedAtDrop < 0) queuedAtDrop = engine.queueLength;
      });
      await until(() => engine.state === 'bound', 'bound', 5000);

      const s1 = helper.getNode('s1');
      const sent: any[] = [];
      for (let i = 0; i < N; i++) {
        const msg = { payload: `burst ${i}`, to: '4670000001' };
        sent.push(msg);
        s1.receive(msg);
      }
      await untilTight(() => engine.counters.accepted >= 300, '300 accepted', 10000);
      first.kill('SIGSTOP');
      await untilTight(() => engine.inflight === WINDOW, 'the window full', 5000);
      const queuedAtKill = engine.queueLength;
      const acceptedAtKill = engine.counters.accepted;
      const resentBefore = engine.counters.resent;
      const killedAt = Date.now();
      first.kill('SIGKILL');
      await exited(first);
      assert.ok(queuedAtKill > 0, 'killed mid-burst: messages still queued');

      await until(() => engine.state === 'retrying', 'link down', 5000);
      await new Promise((r) => setTimeout(r, DOWN_MS));
      const restartedAt = Date.now();
      const second = await startSimulator(port);
      children.push(second);

      await until(() => ok.length + bad.length >= N, `all ${N} out (now ${ok.length} sent + ${bad.length} failed)`, 15000);
      await new Promise((r) => setTimeout(r, 300));

      // exactly once, by _msgid
      const ids = [...ok, ...bad].map((m) => m._msgid);
      assert.equal(ids.length, N, 'nothing came out twice');
      assert.equal(new Set(ids).size, N, 'each _msgid once');
      for (const m of sent) assert.ok(typeof m._msgid === 'string' && ids.includes(m._msgid));

      if (inflightOnDrop === 'fail') {
        // the full window fails (its outcome is unknown), everything else is sent
        assert.equal(bad.length, WINDOW, 'the window was full when the link dropped');
        assert.ok(bad.every((m) => m.error.status === 'LINK_DOWN'), JSON.stringify(bad.map((m) => m.error.status)));
        assert.equal(ok.length, N - WINDOW);
      } else {
        assert.equal(engine.counters.resent - resentBefore, WINDOW, 'the full window was put back in the queue');
        assert.equal(bad.length, 0, 'resend: the window is sent again after the rebind');
        assert.equal(ok.length, N);
      }
      const afterRebind = ok.filter((m) => Date.parse(m.smpp.acceptedAt) >= restartedAt).length;
      assert.ok(queuedAtDrop > 0);
      assert.equal(afterRebind, queuedAtDrop, 'what was queued at the drop (with resend, the window too) was sent after the rebind');

      // reconnects while the SMSC was down: spaced by the back-off
      const down = events.filter((e) => e.at >= killedAt && e.at <= restartedAt && e.state === 'retrying');
      const attempts = events.filter((e) => e.at > killedAt && e.at <= restartedAt && e.state === 'connecting').length;
      down.forEach((e, i) => {
        const base = Math.min(RECONNECT_MAX, RECONNECT_MIN * 2 ** i);
        assert.ok(e.retryInMs! >= Math.floor(base / 2) && e.retryInMs! <= base, `retry ${i}: ${e.retryInMs} ms is within [${base / 2}, ${base}]`);
      });
      // the fewest milliseconds k attempts can take under this back-off bounds the attempts in the down time
      let k = 0;
      for (let spent = 0; spent <= restartedAt - killedAt; k++) spent += Math.min(RECONNECT_MAX, RECONNECT_MIN * 2 ** k) / 2;
      assert.ok(attempts >= 2 && attempts <= k, `${attempts} connection attempts in ${restartedAt - killedAt} ms (back-off allows at most ${k})`);
      assert.equal(engine.state, 'bound');
      assert.equal(engine.inflight, 0);
      assert.equal(engine.queueLength, 0);
      console.log(
        `      killed with ${WINDOW} in flight and ${queuedAtKill} queued (${acceptedAtKill} accepted before); ${queuedAtDrop} queued at the drop; ` +
          `${attempts} connection attempts in ${restartedAt - killedAt} ms down (delays ${down.map((e) => e.retryInMs).join(', ')} ms); ` +
          `${ok.length} sent, ${bad.length} failed, ${afterRebind} sent after the rebind`,
      );
    });
  }
});
