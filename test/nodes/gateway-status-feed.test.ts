/**
 * The gateway's canvas status (a short catalog key the editor translates) and
 * the SMPP sidebar's feed: each state maps to a word that both catalogs have;
 * a refused login is told apart from other refusals; the feed publishes a
 * gateway's view when it changes (never with a credential), acts with the
 * same engine calls as smpp-control, and says when a gateway goes.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'events';
import * as fs from 'fs';
import * as path from 'path';
import { CATALOG, canvasWord, detailOf, statusOf } from '../../nodes/gateway-status';
import { PUBLISH_EVERY_MS, SidebarFeed } from '../../nodes/sidebar-feed';

const ROOT = path.join(__dirname, '..', '..', '..');
const catalog = (lang: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'nodes', 'locales', lang, 'smpp-gateway.json'), 'utf8'))['smpp-gateway'];
const ev = (e: Record<string, unknown>) => ({ mode: 'transceiver', since: 0, ...e }) as any;

describe('gateway status words and the SMPP sidebar feed', () => {
  it('each state is a short namespaced key; both catalogs have every word', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ state: 'connecting' }, 'connecting'],
      [{ state: 'binding' }, 'binding'],
      [{ state: 'bound' }, 'bound'],
      [{ state: 'bound', mode: 'receiver' }, 'boundRx'],
      [{ state: 'bound', mode: 'transmitter' }, 'boundTx'],
      [{ state: 'retrying', code: 'bind-refused', status: 'ESME_RINVPASWD', retryInMs: 60000 }, 'refusedLogin'],
      [{ state: 'retrying', code: 'bind-refused', status: 'ESME_RINVSYSID' }, 'refusedLogin'],
      [{ state: 'retrying', code: 'bind-refused', status: 'ESME_RSYSERR' }, 'bindRefused'],
      [{ state: 'retrying', code: 'bind-timeout', reason: 'no bind response within 500 ms' }, 'noAnswer'],
      [{ state: 'retrying', code: 'connect-failed', reason: '127.0.0.1:1: ECONNREFUSED' }, 'retrying'],
      [{ state: 'stopped' }, 'stopped'],
      [{ state: 'closed' }, 'closed'],
    ];
    const en = catalog('en-US');
    const zh = catalog('zh-CN');
    for (const [e, word] of cases) {
      assert.equal(canvasWord(ev(e)), word, JSON.stringify(e));
      const text = String(statusOf(ev(e)).text);
      assert.equal(text, `${CATALOG}:smpp-gateway.canvas.${word}`);
      // Node-RED's editor translates a status text that starts with a letter (red.js: /^[@a-zA-Z]/)
      assert.match(text, /^[@a-zA-Z]/);
      assert.ok(en.canvas[word] && en.canvas[word].length <= 16, `en-US canvas.${word} short`);
      assert.ok(zh.canvas[word], `zh-CN canvas.${word}`);
    }
    assert.equal(detailOf(ev({ state: 'retrying', code: 'bind-refused', status: 'ESME_RINVPASWD', retryInMs: 60000 })), 'retry in 60 s: ESME_RINVPASWD');
    for (const s of ['ESME_RINVPASWD', 'ESME_RINVSYSID', 'ESME_RBINDFAIL', 'other']) assert.ok(en.refused[s] && zh.refused[s], `refused.${s} in words`);
  });

  it('publishes a gateway view without credentials, acts on its engine, and says when it goes', () => {
    const published: [string, any][] = [];
    const feed = new SidebarFeed({ publish: (topic, data) => published.push([topic, data]) });
    const calls: string[] = [];
    const engine = Object.assign(new EventEmitter(), {
      stateEvent: ev({ state: 'bound', since: Date.parse('2026-01-01T00:00:00Z') }),
      snapshot: () => ({ window: { inUse: 1, size: 16 }, queue: { depth: 0, size: 2000 }, rates: { sendPerSecond: 2, receivePerSecond: 0 }, counters: { submitted: 3 }, lastError: null }),
      rebuild: () => calls.push('rebuild'),
      disconnect: async (why: string) => void calls.push(`disconnect ${why}`),
      connect: () => calls.push('connect'),
    });
    const node = { id: 'gw1', name: 'A', credentials: { systemId: 'acct', password: 'Secret-9' }, config: { host: '10.0.0.1', port: 2775, tls: false }, configErrors: [], engine } as any;
    feed.add(node);
    try {
      assert.equal(published.length, 1);
      const [topic, view] = published[0];
      assert.equal(topic, 'smpp-gateway/state/gw1');
      assert.equal(view.state, 'bound');
      assert.equal(view.word, 'bound');
      assert.equal(view.address, '10.0.0.1:2775');
      assert.equal(view.since, '2026-01-01T00:00:00.000Z');
      assert.deepEqual(view.window, { inUse: 1, size: 16 });
      assert.ok(!JSON.stringify(feed.list()).includes('Secret-9') && !JSON.stringify(feed.list()).includes('acct'), 'no credential in the view');
      engine.emit('throttled', { status: 'ESME_RTHROTTLED', pauseMs: 500, at: 0 });
      assert.equal(feed.list()[0].throttled && (feed.list()[0].throttled as any).status, 'ESME_RTHROTTLED');
      assert.equal(feed.act('gw1', 'rebuild'), true);
      assert.equal(feed.act('gw1', 'disconnect'), true);
      assert.equal(feed.act('gw1', 'connect'), true);
      assert.equal(feed.act('nope', 'connect'), false);
      assert.deepEqual(calls, ['rebuild', 'disconnect disconnected from the editor', 'connect']);
    } finally {
      feed.remove('gw1');
    }
    assert.deepEqual(published[published.length - 1], ['smpp-gateway/state/gw1', { id: 'gw1', removed: true }]);
    assert.equal(engine.listenerCount('throttled'), 0, 'the feed let go of the engine');
    assert.deepEqual(feed.list(), []);
  });

  it('publishes at most once a tick (1 s) per gateway, and only when its view changed', () => {
    const published: any[] = [];
    const ticks: (() => void)[] = [];
    const feed = new SidebarFeed(
      { publish: (_topic, data) => published.push(data) },
      { setInterval: (fn, ms) => (assert.equal(ms, PUBLISH_EVERY_MS), ticks.push(fn), 0 as any), clearInterval: () => undefined },
    );
    let submitted = 0;
    const engine = Object.assign(new EventEmitter(), {
      stateEvent: ev({ state: 'bound' }),
      snapshot: () => ({ counters: { submitted } }),
    });
    feed.add({ id: 'gw1', name: '', config: { host: 'h', port: 1, tls: false }, configErrors: [], engine } as any);
    assert.equal(published.length, 1, 'the first view at once');
    ticks[0]();
    assert.equal(published.length, 1, 'nothing changed: nothing sent');
    for (let i = 0; i < 100; i++) submitted++;
    engine.stateEvent = ev({ state: 'retrying', code: 'bind-refused', status: 'ESME_RINVPASWD' });
    assert.equal(published.length, 1, 'changes wait for the tick');
    ticks[0]();
    assert.equal(published.length, 2, 'a hundred changes in one tick: one message');
    assert.equal(published[1].counters.submitted, 100);
    assert.equal(published[1].word, 'refusedLogin');
    feed.remove('gw1');
  });
});
