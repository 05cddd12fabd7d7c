/**
 * The Node-RED editor in headless Chromium (Debian's chromium, driven by
 * playwright-core; no browser download), against a real Node-RED 4.1 with
 * this package and our simulator: a user drags an smpp-send node in, adds an
 * smpp-gateway through its dialog, tests the connection with a wrong and then
 * the right password, deploys, and sees the node's status turn to "bound".
 * On the way it checks the dialog: the essentials first, every other
 * parameter folded in its group with its page name and a plain-words line,
 * TON/NPI as named choices, and the cross-field rule (Transaction Timeout <
 * Heartbeat Interval < Receiving Timeout) flagged as it is typed. Then the
 * SMPP sidebar follows messages as they flow and its buttons act on the link,
 * and a zh-CN editor shows the statuses in Chinese.
 *
 * Screenshots go to test-artifacts/screenshots/ (git-ignored);
 * `npm run screenshots` copies them to docs/screenshots for the README.
 * Runs as root in CI, hence --no-sandbox.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { chromium, Browser, Page } from 'playwright-core';
import { SmscSimulator } from '../../src/simulator';
import { PARAMETERS } from '../../src/config/parameters';
import { freePort, RedProcess, ROOT, until } from '../package/red-process';
import { editorLoaded } from './browser';

const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, 'test-artifacts', 'screenshots');
const GROUP_TITLES = ['Basic configuration', 'ESME connection configuration', 'Message protocol parameters', 'Advanced'];
const GROUPS = ['basic', 'connection', 'protocol', 'advanced'];
const ESSENTIALS = ['host', 'port', 'systemId', 'password', 'bindMode', 'tls', 'tlsVerify', 'messageFormat', 'splitMode'];
const STEP_MS = 15000;
const SENDS = 5;

describe('editor in a real browser: gateway dialog, Test connection, deploy, sidebar, zh-CN statuses', function () {
  this.timeout(240000);
  let red: RedProcess;
  let sim: SmscSimulator;
  let browser: Browser | null = null;
  let page: Page;
  const binds: string[] = [];
  const catalog = JSON.parse(fs.readFileSync(path.join(ROOT, 'nodes', 'locales', 'en-US', 'smpp-gateway.json'), 'utf8'))['smpp-gateway'];
  const zh = JSON.parse(fs.readFileSync(path.join(ROOT, 'nodes', 'locales', 'zh-CN', 'smpp-gateway.json'), 'utf8'))['smpp-gateway'];

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run .ci/install-peers.sh (Debian packages chromium, chromium-driver)`);
    sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'e2e', password: 'e2e-pw' }], receiptDelayMs: 50 });
    sim.on('bind', (systemId: string) => binds.push(systemId));
    await sim.start();
    red = new RedProcess();
    await red.start([]);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true, timeout: 30000 });
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 }, locale: 'en-US' });
    page.setDefaultTimeout(STEP_MS);
    page.setDefaultNavigationTimeout(30000);
    fs.mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await red?.stop();
    await sim?.stop();
  });

  const field = (key: string) => page.locator(`#node-config-input-${key}`);
  const hasError = async (key: string) => /\binput-error\b/.test((await field(key).getAttribute('class')) ?? '');
  /** Opens (or closes) the folded group g of the gateway dialog. */
  async function toggleGroup(g: string): Promise<void> {
    await page.locator(`#smpp-gw-fold-${g} .smpp-gw-fold-head`).click();
  }
  async function openGroup(g: string): Promise<void> {
    if (!(await page.locator(`#smpp-gw-fold-${g}`).getAttribute('class'))?.includes('smpp-gw-open')) await toggleGroup(g);
    await page.locator(`#smpp-gateway-group-${g}`).waitFor({ state: 'visible' });
  }

  it('opens the editor with the SMPP nodes in the palette and the SMPP sidebar tab', async () => {
    await page.goto(red.url);
    for (const t of ['smpp-send', 'smpp-receive', 'smpp-dlr', 'smpp-control']) {
      await page.locator(`.red-ui-palette-node[data-palette-type="${t}"]`).waitFor({ state: 'attached' });
    }
    await page.locator('#smpp-gw-sidebar').waitFor({ state: 'attached' });
    // more room for the dialog: hide the sidebar
    await page.keyboard.press('Control+Space');
  });

  it('drags an smpp-send node onto the flow and opens its dialog', async () => {
    const pal = page.locator('.red-ui-palette-node[data-palette-type="smpp-send"]');
    await pal.scrollIntoViewIfNeeded();
    const from = await pal.boundingBox();
    const ws = await page.locator('#red-ui-workspace-chart').boundingBox();
    assert.ok(from && ws);
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(ws.x + 320, ws.y + 160, { steps: 20 });
    await page.mouse.up();
    const node = page.locator('#red-ui-workspace-chart g.red-ui-flow-node-group');
    await node.first().waitFor();
    assert.equal(await node.count(), 1);
    await node.first().locator('rect.red-ui-flow-node').dblclick();
    await page.locator('#node-input-gateway').waitFor();
  });

  it('adds a gateway: the essentials first, every other parameter folded in its group with its page name and a plain-words line', async () => {
    await page.click((await page.locator('#node-input-btn-gateway-add').count()) ? '#node-input-btn-gateway-add' : '#node-input-lookup-gateway'); // Node-RED 4+ : 3.1
    await field('host').waitFor();
    // the essentials, in order, visible at once
    const essentials = await page.$$eval('#smpp-gw-essentials .smpp-gw-row', (els: any[]) => els.map((e) => String(e.id).replace('smpp-gw-row-', '')));
    assert.deepEqual(essentials, ESSENTIALS);
    for (const k of ESSENTIALS) assert.ok(await page.locator(`#smpp-gw-row-${k}`).isVisible(), `${k} visible without unfolding`);
    // the groups, folded, with their whole titles (nothing cut off)
    const heads = await page.$$eval('.smpp-gw-fold-head', (els: any[]) =>
      els.map((e) => ({ title: String(e.querySelector('.smpp-gw-fold-title')?.textContent), cut: e.scrollWidth > e.clientWidth })),
    );
    assert.deepEqual(heads.map((h) => h.title), GROUP_TITLES);
    assert.ok(heads.every((h) => !h.cut), 'no group title is cut off');
    for (const g of GROUPS) assert.equal(await page.locator(`#smpp-gateway-group-${g}`).isVisible(), false, `${g} folded`);
    for (const p of PARAMETERS.filter((x) => !ESSENTIALS.includes(x.key))) {
      assert.equal(await page.locator(`#smpp-gateway-group-${p.group} #smpp-gw-row-${p.key}`).count(), 1, `${p.key} in the ${p.group} group`);
    }
    for (const g of GROUPS) {
      await openGroup(g);
      const rows = await page.$$eval(`#smpp-gateway-group-${g} .smpp-gw-row`, (els: any[]) => {
        const out: Record<string, { visible: boolean; label: string; note: string; hint: string; na: string }> = {};
        for (const el of els) {
          out[String(el.id).replace('smpp-gw-row-', '')] = {
            visible: el.offsetParent !== null,
            label: String(el.querySelector('label.smpp-gw-label')?.textContent ?? '').trim(),
            note: String(el.querySelector('.smpp-gw-note')?.textContent ?? ''),
            hint: String(el.querySelector('.smpp-gw-hint')?.textContent ?? ''),
            na: String(el.querySelector('.smpp-gw-na-tip')?.textContent ?? ''),
          };
        }
        return out;
      });
      for (const p of PARAMETERS.filter((x) => x.group === g && !ESSENTIALS.includes(x.key))) {
        const row = rows[p.key];
        assert.ok(row && row.visible, `${p.key} visible once its group is open`);
        // the reference page's name (our own options: their catalog label)
        assert.equal(row.label, catalog.param[p.key] ?? p.page, `label of ${p.key}`);
        if (p.page && catalog.param[p.key]) assert.equal(catalog.param[p.key], p.page, `${p.key}: the page's own name`);
        if (p.notApplicable) assert.match(row.na, /Not applicable in Node\.js/, `${p.key} says it does not apply`);
        else assert.equal(row.note, catalog.note[p.key], `${p.key}: its plain-words line`);
        if (p.type === 'int' && !/Ton$|Npi$/.test(p.key)) assert.match(row.hint, new RegExp(`Default: ${p.default}\\. From ${p.min} to ${p.max}`), `hint of ${p.key}`);
      }
      await toggleGroup(g);
      await page.locator(`#smpp-gateway-group-${g}`).waitFor({ state: 'hidden' });
    }
  });

  it('TON and NPI are named choices, with auto where the parameter takes it', async () => {
    await openGroup('protocol');
    const options = async (key: string) => page.$$eval(`#node-config-input-${key} option`, (els: any[]) => els.map((e) => [e.value, e.textContent]));
    const ton = await options('sourceAddrTon');
    assert.deepEqual(ton[0], ['auto', catalog.named.auto]);
    assert.ok(ton.some(([v, text]) => v === '1' && text === '1 - International'), JSON.stringify(ton));
    assert.ok(ton.some(([v, text]) => v === '5' && text === '5 - Alphanumeric'));
    const npi = await options('destAddrNpi');
    assert.ok(npi.some(([v, text]) => v === '1' && text === '1 - ISDN (E.163/E.164)'), JSON.stringify(npi));
    // the bind's own TON has no auto
    assert.ok(!(await options('addrTon')).some(([v]) => v === 'auto'));
    await field('sourceAddrTon').selectOption('auto');
    assert.equal(await hasError('sourceAddrTon'), false);
    await toggleGroup('protocol');
  });

  it('Test connection: a wrong password is refused in words, the right one binds and names the SMSC', async () => {
    await field('host').fill('127.0.0.1');
    await field('systemId').fill('e2e');
    await field('password').fill('wrong');
    await field('name').fill('SMSC simulator');
    const result = page.locator('#smpp-gw-test-result');
    // nothing listening: the socket error in words
    await field('port').fill(String(await freePort()));
    await page.click('#smpp-gw-test');
    await page.locator('#smpp-gw-test-result.smpp-gw-test-bad').waitFor();
    assert.equal(await result.textContent(), 'Could not connect: nothing listens on that address and port (ECONNREFUSED)');
    await field('port').fill(String(sim.port));
    assert.equal(await hasError('port'), false);
    await page.click('#smpp-gw-test');
    await page.locator('#smpp-gw-test-result.smpp-gw-test-bad', { hasText: 'Refused' }).waitFor();
    await page.locator('#smpp-gw-test-result.smpp-gw-test-bad').waitFor();
    assert.equal(await result.textContent(), 'Refused: wrong password (ESME_RINVPASWD).');
    await page.screenshot({ path: path.join(SHOTS, 'gateway-test-refused.png') });
    await field('password').fill('e2e-pw');
    await page.click('#smpp-gw-test');
    await page.locator('#smpp-gw-test-result.smpp-gw-test-ok').waitFor();
    assert.match(String(await result.textContent()), /^Bound: the SMSC answered as \S+ \(\d+ ms\), then unbound\.$/);
    assert.ok(binds.includes('e2e'), 'the simulator saw the probe bind');
    await page.screenshot({ path: path.join(SHOTS, 'gateway-dialog.png') });
  });

  it('flags Transaction Timeout < Heartbeat Interval < Receiving Timeout as the value is typed', async () => {
    await openGroup('connection');
    const tt = field('transactionTimeout');
    await tt.fill('');
    await tt.pressSequentially('3000');
    assert.equal(await hasError('transactionTimeout'), false, '3000 < 30000');
    await tt.pressSequentially('0');
    assert.equal(await tt.inputValue(), '30000');
    assert.equal(await hasError('transactionTimeout'), true, '30000 is not less than Heartbeat Interval 30000');
    assert.equal(await hasError('heartbeatInterval'), true, 'the partner is flagged too');
    await tt.hover();
    await page.locator('.red-ui-popover', { hasText: 'Must be less than Heartbeat Interval' }).first().waitFor();
    await tt.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'gateway-dialog-cross-field.png') });
    await tt.press('Backspace');
    assert.equal(await hasError('transactionTimeout'), false, 'fixed by deleting a digit');
    assert.equal(await hasError('heartbeatInterval'), false);

    const hb = field('heartbeatInterval');
    await hb.fill('');
    await hb.pressSequentially('200000');
    assert.equal(await hasError('heartbeatInterval'), true, '200000 is not less than Receiving Timeout 180000');
    assert.equal(await hasError('receiveTimeout'), true);
    await hb.fill('');
    await hb.pressSequentially('30000');
    assert.equal(await hasError('heartbeatInterval'), false);
    assert.equal(await hasError('receiveTimeout'), false);
  });

  it('deploys and the send node shows "bound"', async () => {
    await page.click('#node-config-dialog-ok');
    await page.locator('#node-config-dialog-ok').waitFor({ state: 'detached' });
    await page.click('#node-dialog-ok');
    await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
    await page.click('#red-ui-header-button-deploy');
    const status = page.locator('#red-ui-workspace-chart .red-ui-flow-node-status-label', { hasText: catalog.canvas.bound });
    await status.waitFor({ timeout: 30000 });
    assert.equal(await status.textContent(), 'bound', 'short, and translated from its catalog key');
    // the screenshot without the deploy notice and its shade
    await page.locator('.red-ui-notification').first().waitFor({ state: 'hidden' });
    await page.locator('#red-ui-header-shade').waitFor({ state: 'hidden' });
    await page.screenshot({ path: path.join(SHOTS, 'flow-bound.png'), clip: { x: 0, y: 0, width: 900, height: 520 } });

    const flows = JSON.parse((await red.get('/flows')).text) as Record<string, unknown>[];
    const gw = flows.find((n) => n.type === 'smpp-gateway');
    assert.ok(gw);
    assert.equal(gw.host, '127.0.0.1');
    assert.equal(String(gw.port), String(sim.port));
    assert.equal(gw.transactionTimeout, '3000', 'the value typed in the dialog');
    assert.equal(gw.sourceAddrTon, 'auto', 'the named choice saved as its value');
    assert.ok(!JSON.stringify(flows).includes('e2e-pw'), 'the password is not in the exported flows');
  });

  it('the SMPP sidebar follows messages as they flow, and its buttons act on the link', async () => {
    const flows = JSON.parse((await red.get('/flows')).text) as Record<string, any>[];
    const send = flows.find((n) => n.type === 'smpp-send')!;
    const gw = flows.find((n) => n.type === 'smpp-gateway')!;
    send.wires = [[], []];
    flows.push({
      id: 'inj1', type: 'inject', z: send.z, x: 140, y: 160, name: 'send one', repeat: '', once: false, topic: '',
      props: [{ p: 'payload' }, { p: 'to', v: '4670000001', vt: 'str' }], payload: 'hello from the sidebar test', payloadType: 'str', wires: [[send.id]],
    });
    await red.deploy(flows);
    // the editor's GET /flows held back a second, so the palette is there well before the load ends: a tab
    // picked before the end would be hidden again by the editor (seen on Node-RED 3.1 in 2 runs of 4)
    const flowsGet = /\/flows(\?|$)/;
    await page.route(flowsGet, async (r) => {
      if (r.request().method() === 'GET') await new Promise((res) => setTimeout(res, 1000));
      await r.continue();
    });
    await page.reload();
    await editorLoaded(page);
    await page.unroute(flowsGet);
    await page.evaluate(() => (globalThis as any).RED.sidebar.show('smpp-gateway'));
    const card = page.locator(`#smpp-gw-sidebar .smpp-gw-sb-gateway[data-id="${gw.id}"]`);
    await card.locator('.smpp-gw-sb-word', { hasText: catalog.canvas.bound }).waitFor({ timeout: 30000 });
    const sent = card.locator('tr[data-key="sent"] td').nth(1);
    assert.equal(await sent.textContent(), '0 / 0 / 0');
    // the card is updated in place: a button is never replaced under the pointer while updates arrive
    await card.locator('button.smpp-gw-sb-disconnect').evaluate((b: any) => (b.dataset.marked = 'yes'));
    // messages flow (one inject press at a time, bounded); the sidebar updates from RED.comms, without a reload
    for (let i = 0; i < SENDS; i++) {
      const res = await page.evaluate(async () => (await fetch('inject/inj1', { method: 'POST' })).status);
      assert.equal(res, 200);
    }
    await card.locator('tr[data-key="sent"] td', { hasText: `${SENDS} / ${SENDS} / 0` }).waitFor({ timeout: 15000 });
    assert.equal(await card.locator('button.smpp-gw-sb-disconnect').getAttribute('data-marked'), 'yes', 'the same button element after the updates');
    assert.match(String(await card.locator('tr[data-key="window"] td').nth(1).textContent()), /^\d+ \/ 16$/);
    assert.match(String(await card.locator('.smpp-gw-sb-since').textContent()), /since .* \(\d+ (s|min) ago\)/);
    await page.screenshot({ path: path.join(SHOTS, 'sidebar.png'), clip: { x: 900, y: 0, width: 600, height: 600 } });
    // Disconnect and Connect, as smpp-control's commands
    await card.locator('button.smpp-gw-sb-disconnect').click();
    await page.locator(`#smpp-gw-sidebar .smpp-gw-sb-gateway[data-id="${gw.id}"] .smpp-gw-sb-word`, { hasText: catalog.canvas.stopped }).waitFor();
    await page.locator('#red-ui-workspace-chart .red-ui-flow-node-status-label', { hasText: catalog.canvas.stopped }).waitFor();
    await page.locator(`#smpp-gw-sidebar .smpp-gw-sb-gateway[data-id="${gw.id}"] button.smpp-gw-sb-connect`).click();
    await page.locator(`#smpp-gw-sidebar .smpp-gw-sb-gateway[data-id="${gw.id}"] .smpp-gw-sb-word`, { hasText: catalog.canvas.bound }).waitFor();
  });

  it('a zh-CN editor shows the statuses in Chinese, and a refused login in words', async () => {
    const flows = JSON.parse((await red.get('/flows')).text) as Record<string, any>[];
    const tab = flows.find((n) => n.type === 'tab')!;
    flows.push(
      { id: 'gwBad', type: 'smpp-gateway', name: 'wrong password', host: '127.0.0.1', port: String(sim.port), reconnectMin: '60000', reconnectMax: '60000', credentials: { systemId: 'e2e', password: 'nope' } },
      { id: 'sndBad', type: 'smpp-send', z: tab.id, x: 320, y: 260, gateway: 'gwBad', wires: [[], []] },
    );
    await red.deploy(flows);
    const ctx = await browser!.newContext({ viewport: { width: 1500, height: 1000 }, locale: 'zh-CN' });
    try {
      const zp = await ctx.newPage();
      zp.setDefaultTimeout(STEP_MS);
      await zp.goto(red.url);
      await editorLoaded(zp);
      const labels = zp.locator('#red-ui-workspace-chart .red-ui-flow-node-status-label');
      await labels.filter({ hasText: zh.canvas.bound }).first().waitFor({ timeout: 30000 });
      await labels.filter({ hasText: zh.canvas.refusedLogin }).first().waitFor({ timeout: 30000 });
      const texts = await labels.allTextContents();
      assert.ok(texts.includes('已绑定'), JSON.stringify(texts));
      assert.ok(texts.includes('登录被拒'), JSON.stringify(texts));
      assert.ok(!texts.some((s) => /smpp-gateway\.canvas|bound|retry/.test(s)), `no key and no English: ${JSON.stringify(texts)}`);
      await zp.evaluate(() => (globalThis as any).RED.sidebar.show('smpp-gateway'));
      const bad = zp.locator('#smpp-gw-sidebar .smpp-gw-sb-gateway[data-id="gwBad"]');
      await bad.locator('.smpp-gw-sb-why', { hasText: '密码错误 (ESME_RINVPASWD)' }).waitFor();
      assert.equal(await bad.locator('.smpp-gw-sb-word').textContent(), '登录被拒');
      await zp.screenshot({ path: path.join(SHOTS, 'status-zh-CN.png'), clip: { x: 0, y: 0, width: 1500, height: 560 } });

      // the deployed gateway's dialog, in Chinese: the password field holds Node-RED's placeholder,
      // and Test connection uses the stored (wrong) password by the node's id
      await zp.locator('#red-ui-workspace-chart g[id="sndBad"] rect.red-ui-flow-node').dblclick();
      // the pencil beside the gateway (Node-RED 4+: -btn-<property>-edit; 3.x: -lookup-<property>)
      await zp.locator('#node-input-btn-gateway-edit, #node-input-lookup-gateway').first().click();
      await zp.locator('#smpp-gw-test').waitFor();
      assert.equal(await zp.locator('#smpp-gw-row-host label.smpp-gw-label').textContent(), zh.param.host);
      assert.equal(await zp.locator('#smpp-gw-fold-connection .smpp-gw-fold-title').textContent(), zh.tabs.connection);
      assert.equal(await zp.locator('#node-config-input-password').inputValue(), '__PWRD__', 'the editor never had the password');
      await zp.click('#smpp-gw-test');
      await zp.locator('#smpp-gw-test-result.smpp-gw-test-bad').waitFor();
      assert.equal(await zp.locator('#smpp-gw-test-result').textContent(), '被拒绝：密码错误（ESME_RINVPASWD）。');
      await zp.screenshot({ path: path.join(SHOTS, 'gateway-dialog-zh-CN.png') });
    } finally {
      await ctx.close();
    }
    await until(async () => (sim.stats().bindFailures >= 1 ? true : undefined), 'the refused bind', 5000);
  });
});
