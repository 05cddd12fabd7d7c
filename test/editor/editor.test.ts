/**
 * The Node-RED editor in headless Chromium (Debian's chromium, driven by
 * playwright-core; no browser download), against a real Node-RED 4.1 with
 * this package and our simulator: a user drags an smpp-send node in, adds an
 * smpp-gateway through its dialog (host, port, credentials), deploys, and
 * sees the node's status turn to "bound as trx". On the way it checks that
 * the dialog has every parameter on the tab of its group, and that the
 * cross-field rule (Transaction Timeout < Heartbeat Interval < Receiving
 * Timeout) flags a wrong value as it is typed. Saves the screenshots the
 * README shows to docs/screenshots/.
 *
 * Runs as root in CI, hence --no-sandbox.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { chromium, Browser, Page } from 'playwright-core';
import { SmscSimulator } from '../../src/simulator';
import { PARAMETERS } from '../../src/config/parameters';
import { RedProcess, ROOT } from '../package/red-process';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'docs', 'screenshots');
const GROUP_TITLES = ['Basic configuration', 'ESME connection configuration', 'Message protocol parameters', 'Advanced'];
const GROUPS = ['basic', 'connection', 'protocol', 'advanced'];
const STEP_MS = 15000;

describe('editor in a real browser: gateway dialog, send node, deploy, bound', function () {
  this.timeout(180000);
  let red: RedProcess;
  let sim: SmscSimulator;
  let browser: Browser | null = null;
  let page: Page;
  const binds: string[] = [];

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run .ci/install-peers.sh (Debian packages chromium, chromium-driver)`);
    sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'e2e', password: 'e2e-pw' }], receiptDelayMs: 50 });
    sim.on('bind', (systemId: string) => binds.push(systemId));
    await sim.start();
    red = new RedProcess();
    await red.start([]);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true, timeout: 30000 });
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
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
  /**
   * Shows tab i of the gateway dialog. Node-RED's tabs take two clicks within
   * 400 ms (on any tab) as a double click, so clicks are spaced like a person's.
   */
  async function showTab(i: number): Promise<void> {
    await page.waitForTimeout(450);
    await page.locator('#node-config-smpp-gateway-tabs li').nth(i).locator('a').click();
    await page.locator(`#smpp-gateway-tab-${GROUPS[i]}`).waitFor({ state: 'visible' });
  }

  it('opens the editor with the SMPP nodes in the palette', async () => {
    await page.goto(red.url);
    for (const t of ['smpp-send', 'smpp-receive', 'smpp-dlr', 'smpp-control']) {
      await page.locator(`.red-ui-palette-node[data-palette-type="${t}"]`).waitFor({ state: 'attached' });
    }
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

  it('adds a gateway: the dialog has every parameter on the tab of its group', async () => {
    await page.click((await page.locator('#node-input-btn-gateway-add').count()) ? '#node-input-btn-gateway-add' : '#node-input-lookup-gateway'); // Node-RED 4+ : 3.1
    await field('host').waitFor();
    assert.deepEqual(await page.locator('#node-config-smpp-gateway-tabs li').allTextContents(), GROUP_TITLES);
    for (const p of PARAMETERS) {
      assert.equal(await page.locator(`#smpp-gateway-tab-${p.group} #smpp-gw-row-${p.key}`).count(), 1, `${p.key} on the ${p.group} tab`);
    }
    assert.equal(await page.locator('#smpp-gateway-tab-basic #smpp-gw-row-systemId').count(), 1, 'Login Name on the basic tab');
    assert.equal(await page.locator('#smpp-gateway-tab-basic #smpp-gw-row-password').count(), 1, 'Login Password on the basic tab');
    const catalog = JSON.parse(fs.readFileSync(path.join(ROOT, 'nodes', 'locales', 'en-US', 'smpp-gateway.json'), 'utf8'))['smpp-gateway'];
    for (let i = 0; i < GROUPS.length; i++) {
      await showTab(i);
      // every row of the tab, read in one go
      const rows = await page.$$eval(`#smpp-gateway-tab-${GROUPS[i]} .smpp-gw-row`, (els: any[]) => {
        const out: Record<string, { visible: boolean; label: string; hint: string; na: string }> = {};
        for (const el of els) {
          out[String(el.id).replace('smpp-gw-row-', '')] = {
            visible: el.offsetParent !== null,
            label: String(el.querySelector('label.smpp-gw-label')?.textContent ?? '').trim(),
            hint: String(el.querySelector('.smpp-gw-hint')?.textContent ?? ''),
            na: String(el.querySelector('.smpp-gw-na-tip')?.textContent ?? ''),
          };
        }
        return out;
      });
      for (const p of PARAMETERS.filter((x) => x.group === GROUPS[i])) {
        const row = rows[p.key];
        assert.ok(row && row.visible, `${p.key} visible on its tab`);
        // the reference page's name (our own options: their catalog label)
        assert.equal(row.label, catalog.param[p.key] ?? p.page, `label of ${p.key}`);
        if (p.page && catalog.param[p.key]) assert.equal(catalog.param[p.key], p.page, `${p.key}: the page's own name`);
        if (p.type === 'int') assert.match(row.hint, new RegExp(`Default: ${p.default}\\. From ${p.min} to ${p.max}`), `hint of ${p.key}`);
        if (p.notApplicable) assert.match(row.na, /Not applicable in Node\.js/, `${p.key} says it does not apply`);
      }
    }
    await showTab(0);
    await field('host').fill('127.0.0.1');
    await field('port').fill(String(sim.port));
    await field('systemId').fill('e2e');
    await field('password').fill('e2e-pw');
    await field('name').fill('SMSC simulator');
    assert.equal(await hasError('port'), false);
    await page.screenshot({ path: path.join(SHOTS, 'gateway-dialog.png') });
  });

  it('flags Transaction Timeout < Heartbeat Interval < Receiving Timeout as the value is typed', async () => {
    await showTab(1);
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
    await showTab(0);
  });

  it('deploys and the send node shows "bound as trx"', async () => {
    await page.click('#node-config-dialog-ok');
    await page.locator('#node-config-dialog-ok').waitFor({ state: 'detached' });
    await page.click('#node-dialog-ok');
    await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
    await page.click('#red-ui-header-button-deploy');
    const status = page.locator('#red-ui-workspace-chart .red-ui-flow-node-status-label', { hasText: 'bound as trx' });
    await status.waitFor({ timeout: 30000 });
    assert.ok(binds.includes('e2e'), 'the simulator saw the bind with the credentials typed in the dialog');
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
    assert.ok(!JSON.stringify(flows).includes('e2e-pw'), 'the password is not in the exported flows');
  });
});
