/**
 * countSms: what the smpp-send dialog shows under the text. The browser
 * script (resources/smpp-text.js, the compiled text layer wrapped
 * by scripts/editor-text-bundle.js) runs in a context with no Buffer and must
 * answer exactly as the runtime's module does.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { countSms, CountSettings } from '../../src/text';
import { buildSubmit } from '../../src/message/build-submit';
import { parseGatewayConfig } from '../../src/config/gateway-config';

const BUNDLE = path.join(__dirname, '..', '..', '..', 'resources', 'smpp-text.js');
const DEFAULTS: CountSettings = { messageFormat: 'auto', splitMode: 'concatenated', maxContentLength: 140, concatMode: 'udh', udhReference: '8' };

const CASES: Array<[string, string, Partial<CountSettings>]> = [
  ['short GSM', 'Hello', {}],
  ['160 GSM', 'a'.repeat(160), {}],
  ['161 GSM', 'a'.repeat(161), {}],
  ['GSM extension chars', '€[]{}'.repeat(40), {}],
  ['accented, GSM', 'Zoë à Paris', {}],
  ['accented, not GSM', 'Ça coûte 5 ¥', {}],
  ['Chinese 70', '短'.repeat(70), {}],
  ['Chinese 71', '短'.repeat(71), {}],
  ['emoji', 'ok 👍', {}],
  ['ascii refuses Chinese', '短信', { messageFormat: 'ascii' }],
  ['disabled refuses long', 'a'.repeat(200), { splitMode: 'disabled' }],
  ['physical, 16-bit ref', 'b'.repeat(400), { splitMode: 'physical', udhReference: '16' }],
  ['sar', 'c'.repeat(400), { concatMode: 'sar' }],
  ['ucs2 format', 'abc', { messageFormat: 'ucs2' }],
  ['smaller content', 'd'.repeat(100), { maxContentLength: 70 }],
];

describe('countSms: characters, encoding, parts, the characters that force UCS2', () => {
  it('counts as the runtime sends: parts equal the PDUs buildSubmit makes', () => {
    for (const [name, text, over] of CASES) {
      const s = { ...DEFAULTS, ...over };
      const c = countSms(text, s);
      const r = parseGatewayConfig({ host: '127.0.0.1', ...s });
      assert.ok(r.config, r.errors.join(';'));
      const built = buildSubmit({ payload: text, to: '+46700000001' }, r.config, () => 1);
      if (built.ok) {
        assert.equal(c.error, null, name);
        assert.equal(c.parts, built.pdus.length, `${name}: parts`);
        assert.equal(c.dataCoding, built.dataCoding, `${name}: data_coding`);
      } else {
        assert.ok(c.error, `${name}: refused by the runtime (${built.error}), so the count says why`);
        assert.equal(c.parts, 0);
      }
    }
  });

  it('names the characters that force UCS2, once each, and counts code points', () => {
    const c = countSms('Ça coûte 5 ¥, ça!', DEFAULTS);
    assert.deepEqual(c.ucs2Chars, ['û', 'ç']); // Ç and ¥ are in the GSM alphabet
    assert.equal(c.encoding, 'UCS2');
    assert.equal(countSms('ok 👍', DEFAULTS).chars, 4);
    assert.equal(countSms('', DEFAULTS).chars, 0);
    assert.deepEqual(countSms('Hello', DEFAULTS).ucs2Chars, []);
    assert.equal(countSms('Hello', DEFAULTS).encoding, 'GSM 7-bit');
    assert.equal(countSms('a'.repeat(161), DEFAULTS).parts, 2);
    assert.equal(countSms('短'.repeat(71), DEFAULTS).parts, 2);
  });

  it('the browser script, run with no Buffer, gives exactly what the runtime module gives', () => {
    const context: Record<string, any> = { window: undefined, globalThis: undefined };
    context.window = context;
    vm.createContext(context);
    vm.runInContext(fs.readFileSync(BUNDLE, 'utf8'), context);
    assert.equal(typeof context.SmppText?.countSms, 'function');
    assert.equal(vm.runInContext('typeof Buffer', context), 'undefined', 'no Node Buffer in the browser context');
    for (const [name, text, over] of CASES) {
      const s = { ...DEFAULTS, ...over };
      assert.deepEqual(JSON.parse(JSON.stringify(context.SmppText.countSms(text, s))), JSON.parse(JSON.stringify(countSms(text, s))), name);
    }
  });
});
