// Issue 12 item 5: error texts quote at most a short prefix of a bad value.
// A 1 MB msg.to or msg.from used to be quoted whole in the error and the log.
import assert from 'node:assert/strict';
import { parseGatewayConfig, GatewayConfig } from '../../src/config/gateway-config';
import { buildSubmit } from '../../src/message/build-submit';
import { checkDestination, checkSender } from '../../src/message/addresses';
import { checkSmppFields } from '../../src/message/smpp-fields';
import { quoteValue, QUOTE_MAX } from '../../src/text/quote';

const MB = 1024 * 1024;
const LIMIT = 300; // an error text stays short

function cfg(over: Record<string, unknown> = {}): GatewayConfig {
  const r = parseGatewayConfig({ host: '127.0.0.1', ...over });
  assert.ok(r.config, r.errors.join('; '));
  return r.config;
}

function errorOf(r: { ok: boolean; error?: string }): string {
  assert.equal(r.ok, false);
  return (r as { error: string }).error;
}

describe('quoteValue', () => {
  it('quotes short strings whole and cuts long ones, saying their length', () => {
    assert.equal(quoteValue('abc'), '"abc"');
    const long = 'x'.repeat(MB);
    assert.equal(quoteValue(long), `"${'x'.repeat(QUOTE_MAX)}"... (${MB} characters)`);
  });

  it('never cuts a surrogate pair in two', () => {
    const s = 'a'.repeat(QUOTE_MAX - 1) + '😀' + 'b'.repeat(10);
    const q = quoteValue(s);
    assert.ok(!q.includes('\\ud83d'), q);
    assert.ok(q.startsWith('"' + 'a'.repeat(QUOTE_MAX - 1) + '"'), q);
  });

  it('names the other kinds without dumping them, and never throws', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    assert.equal(quoteValue(circular), 'an object');
    assert.equal(quoteValue(Buffer.alloc(MB)), `a Buffer of ${MB} bytes`);
    assert.equal(quoteValue(new Array(5)), 'an array of 5');
    assert.equal(quoteValue(12n), '12n');
    assert.equal(quoteValue(null), 'null');
    assert.equal(quoteValue(undefined), 'undefined');
    assert.equal(quoteValue(Symbol('s')), 'a symbol');
    assert.equal(quoteValue(() => 1), 'a function');
  });
});

describe('bad values in error texts are quoted short', () => {
  const huge = '+1' + 'a'.repeat(MB);

  it('a 1 MB msg.to', () => {
    const e = errorOf(buildSubmit({ payload: 'hi', to: huge }, cfg(), () => 0));
    assert.ok(e.length < LIMIT, `${e.length} characters`);
    assert.match(e, /^msg\.to "\+1a+"\.\.\. \(1048578 characters\) is not a phone number/);
    assert.ok(errorOf(checkDestination(huge, 'msg.to')).length < LIMIT);
  });

  it('a 1 MB msg.from', () => {
    const e = errorOf(buildSubmit({ payload: 'hi', to: '+46701234567', from: huge }, cfg(), () => 0));
    assert.ok(e.length < LIMIT, `${e.length} characters`);
    assert.match(e, /^msg\.from "\+1a+"\.\.\. \(1048578 characters\) is neither/);
    assert.ok(errorOf(checkSender(huge, 'msg.from')).length < LIMIT);
  });

  it('a long sender refused by the Sender ID Prefix', () => {
    const e = errorOf(buildSubmit({ payload: 'hi', to: '+46701234567', from: '+4670' + '1'.repeat(15) }, cfg({ senderIdPrefix: '9' }), () => 0));
    assert.ok(e.length < LIMIT);
    assert.match(e, /is not allowed/);
  });

  it('a huge msg.smpp value', () => {
    const e = errorOf(checkSmppFields({ validity_period: 'x'.repeat(MB) }));
    assert.ok(e.length < LIMIT, e.slice(0, 200));
    const f = errorOf(checkSmppFields({ priority_flag: 'y'.repeat(MB) }));
    assert.ok(f.length < LIMIT, f.slice(0, 200));
  });

  it('a huge gateway parameter value', () => {
    const r = parseGatewayConfig({ host: '127.0.0.1', port: '9'.repeat(MB), bindMode: 'z'.repeat(MB) });
    assert.ok(r.errors.length >= 2);
    for (const e of r.errors) assert.ok(e.length < LIMIT, e.slice(0, 200));
  });
});
