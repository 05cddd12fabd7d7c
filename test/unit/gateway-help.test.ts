/**
 * The gateway's help panel (nodes/locales/<lang>/smpp-gateway.html) in
 * en-US and zh-CN: every parameter of the table (src/config/parameters.ts)
 * has its row, with the catalog's label, and the status words of Share with
 * other instances are explained.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { PARAMETERS } from '../../src/config/parameters';

const ROOT = path.join(__dirname, '..', '..', '..');
const read = (lang: string, file: string) => fs.readFileSync(path.join(ROOT, 'nodes', 'locales', lang, file), 'utf8');

describe('gateway help in en-US and zh-CN', () => {
  for (const lang of ['en-US', 'zh-CN']) {
    it(`${lang}: a row for every parameter, with its label; the 'bound, no Redis' status explained`, () => {
      const html = read(lang, 'smpp-gateway.html');
      const catalog = JSON.parse(read(lang, 'smpp-gateway.json'))['smpp-gateway'];
      const missing = PARAMETERS.filter((p) => !new RegExp(`<dt>${(catalog.param[p.key] ?? p.page).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} .*<code[^>]*>${p.key}</code></dt>`).test(html));
      assert.deepEqual(missing.map((p) => p.key), []);
      assert.ok(html.includes(`<code style="white-space:normal; word-break:break-all">shareInstances</code>`));
      assert.ok(html.includes(catalog.canvas.boundNoRedis), 'the status word of shareInstances without Redis');
    });
  }
});
