/**
 * Every example, imported through the editor's Import menu (Import > Examples)
 * in headless Chromium, deploys and binds to the simulator as `npm start`
 * runs it (127.0.0.1:2775, open-account mode): nobody types anything. The
 * examples share one gateway config node, so importing all five gives one
 * gateway and one link to the SMSC.
 *
 * The simulator needs 127.0.0.1:2775, the port the examples name; the test
 * says so plainly when another process holds it.
 */
/// <reference lib="dom" />
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { SmscSimulator } from '../../src/simulator';
import { RedProcess, ROOT, until } from '../package/red-process';
import { editorLoaded, launchBrowser, SHOTS } from './browser';

const TITLES = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
const SMPP_CLIENTS = ['smpp-send', 'smpp-receive', 'smpp-dlr', 'smpp-control'];

describe('editor: every example imported through Import > Examples binds with no typing, over one gateway', function () {
  this.timeout(300000);
  let red: RedProcess;
  let sim: SmscSimulator;
  let browser: Browser;
  let page: Page;
  const binds: string[] = [];

  before(async () => {
    sim = new SmscSimulator({ host: '127.0.0.1', port: 2775, accounts: [], receiptDelayMs: 50 });
    try {
      await sim.start();
    } catch (e) {
      throw new Error(`this test needs 127.0.0.1:2775 (the port the examples name) for the simulator: ${(e as Error).message}`);
    }
    sim.on('bind', (systemId: string) => binds.push(systemId));
    red = new RedProcess();
    await red.start([]);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    page.setDefaultTimeout(20000);
    await page.goto(red.url);
    await editorLoaded(page);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await red?.stop();
    await sim?.stop();
  });

  async function importExample(title: string, first: boolean): Promise<void> {
    await page.click('#red-ui-header-button-sidemenu');
    await page.click('#menu-item-import');
    const dialog = page.locator('.red-ui-editor-dialog:visible, .ui-dialog:visible').filter({ has: page.locator('#red-ui-clipboard-dialog-import-tabs') });
    await dialog.waitFor();
    await page.locator('#red-ui-clipboard-dialog-import-tabs li a', { hasText: /^Examples$/ }).click();
    const tree = page.locator('.red-ui-clipboard-dialog-tab-library:visible');
    await tree.locator('.red-ui-treeList-label', { hasText: 'node-red-contrib-smpp-gateway' }).click();
    await tree.locator('.red-ui-treeList-label', { hasText: title }).click();
    await page.click('#red-ui-clipboard-dialog-ok');
    if (!first) {
      // the shared gateway is already there: Node-RED asks; "Import copy" keeps the existing config node
      const notice = page.locator('.red-ui-notification:visible').filter({ has: page.locator('button') }).last();
      await notice.locator('button', { hasText: /import copy/i }).click();
    }
    await page.locator('.red-ui-tab', { hasText: title }).first().waitFor();
  }

  it('imports the five examples by their titles', async () => {
    assert.equal(TITLES.length, 5);
    for (let i = 0; i < TITLES.length; i++) await importExample(TITLES[i], i === 0);
    const counts = await page.evaluate(() => {
      const RED = (window as any).RED;
      let gateways = 0;
      const gatewayIds = new Set<string>();
      RED.nodes.eachConfig((n: any) => {
        if (n.type === 'smpp-gateway') gateways++;
      });
      RED.nodes.eachNode((n: any) => {
        if (n.gateway) gatewayIds.add(n.gateway);
      });
      return { gateways, gatewayIds: Array.from(gatewayIds) };
    });
    assert.equal(counts.gateways, 1, 'one gateway config node after importing all five');
    assert.equal(counts.gatewayIds.length, 1, 'every smpp node uses it');
    await page.screenshot({ path: path.join(SHOTS, 'examples-imported.png') });
  });

  it('deploys: every smpp node shows its gateway bound, over one bind, with nothing typed', async () => {
    await page.click('#red-ui-header-button-deploy');
    const statuses = await until(async () => {
      const s = await page.evaluate((types) => {
        const RED = (window as any).RED;
        const out: Array<{ id: string; type: string; fill?: string; text?: string }> = [];
        RED.nodes.eachNode((n: any) => {
          if (types.includes(n.type)) out.push({ id: n.id, type: n.type, fill: n.status?.fill, text: n.status?.text });
        });
        return out;
      }, SMPP_CLIENTS);
      return s.length > 0 && s.every((x) => x.fill === 'green') ? s : undefined;
    }, 'every smpp node green (bound)', 30000).catch(async (e) => {
      await page.screenshot({ path: path.join(SHOTS, 'examples-imported-not-bound.png') });
      throw e;
    });
    assert.ok(statuses.length >= 8, `the examples' smpp nodes (${statuses.length})`);
    assert.equal(binds.length, 1, `one bind for the five examples: ${binds.join(', ')}`);
    await page.locator('.red-ui-tab', { hasText: 'Send and receive' }).first().click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SHOTS, 'examples-bound.png') });
  });
});
