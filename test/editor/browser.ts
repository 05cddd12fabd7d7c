/**
 * Headless Debian chromium through playwright-core (no browser download), as
 * the editor tests launch it; screenshots go to test-artifacts/screenshots/
 * (git-ignored; `npm run screenshots` copies them for the README).
 * Runs as root in CI, hence --no-sandbox.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { chromium, Browser } from 'playwright-core';
import { ROOT } from '../package/red-process';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, 'test-artifacts', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run .ci/install-peers.sh (Debian packages chromium, chromium-driver)`);
  fs.mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true, timeout: 30000 });
}
