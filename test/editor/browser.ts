/**
 * Headless Debian chromium through playwright-core (no browser download), as
 * the editor tests launch it; screenshots go to test-artifacts/screenshots/
 * (git-ignored; `npm run screenshots` copies them for the README).
 * Runs as root in CI, hence --no-sandbox.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { chromium, Browser, Page } from 'playwright-core';
import { ROOT } from '../package/red-process';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, 'test-artifacts', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run .ci/install-peers.sh (Debian packages chromium, chromium-driver)`);
  fs.mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true, timeout: 30000 });
}

/**
 * Waits until the editor has finished loading: the palette is there, then the flows, and the loading bar
 * is gone. Only then may a test pick a sidebar tab or import: at the end of its load the editor re-selects
 * the tab of the previous session (RED.sidebar.show(':first') in completeLoad; the loading bar goes after
 * it on 3.1, 4 and 5), hiding a tab picked while the flows were still loading.
 */
export async function editorLoaded(p: Page): Promise<void> {
  await p.locator('.red-ui-palette-node[data-palette-type="smpp-send"]').waitFor({ state: 'attached' });
  await p.locator('#red-ui-loading-progress').waitFor({ state: 'hidden' });
}
