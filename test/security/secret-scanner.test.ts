/** The leak scanner must find what it looks for: each form, planted in realistic surroundings. */
import assert from 'node:assert/strict';
import * as crypto from 'crypto';
import * as util from 'util';
import { findSecret, secretForms } from './secret-scanner';

const SECRET = 'Xq7+Lm2z';

describe('secret scanner', () => {
  it('finds nothing in text without the secret', () => {
    assert.deepEqual(findSecret(SECRET, [{ name: 'log', text: '12 Nov 10:00:00 - [warn] [smpp-gateway:gw] bind refused: ESME_RINVPASWD\n' }]), []);
  });

  const planted: [string, string, string][] = [
    ['a log line', `12 Nov 10:00:00 - [debug] [smpp-gateway:gw] sending bind with password ${SECRET}`, 'plain'],
    ['a JSON debug message', JSON.stringify({ topic: 'debug', data: { msg: JSON.stringify({ creds: { password: SECRET } }) } }), 'plain'],
    ['a URL', `GET /x?password=${encodeURIComponent('a b/' + SECRET)}`, 'url-encoded'],
    ['a Buffer dump', util.inspect(Buffer.from(`\0\0\0\x2a${SECRET}\0`)), 'hex spaced'],
    ['a hex dump', Buffer.from(`esme\0${SECRET}\0`).toString('hex'), 'hex'],
    ['an upper-case hex dump', Buffer.from(`esme\0${SECRET}\0`).toString('hex').toUpperCase(), 'hex upper'],
    ['a colon hex dump', Buffer.from(SECRET).toString('hex').replace(/(..)(?!$)/g, '$1:'), 'hex colons'],
  ];
  for (const [where, text, form] of planted) {
    it(`finds it in ${where} (${form})`, () => {
      const hits = findSecret(SECRET, [{ name: where, text }]);
      assert.ok(hits.some((h) => h.form === form && h.source === where), JSON.stringify(hits));
      assert.ok(hits.every((h) => !h.excerpt.includes(SECRET)), 'the report masks the secret');
    });
  }

  it('finds a secret with characters JSON escapes', () => {
    const s = 'a"b\\c\nd1';
    assert.ok(findSecret(s, [{ name: 'json', text: JSON.stringify({ p: s }) }]).some((h) => h.form === 'json-escaped'));
  });

  it('finds it base64-encoded inside longer data, at every alignment', () => {
    for (let pre = 0; pre < 9; pre++) {
      for (let post = 0; post < 4; post++) {
        const data = Buffer.concat([crypto.randomBytes(pre), Buffer.from(SECRET), crypto.randomBytes(post)]);
        const hits = findSecret(SECRET, [{ name: 'b64', text: `auth=${data.toString('base64')}` }]);
        assert.ok(hits.some((h) => h.form.startsWith('base64')), `prefix ${pre}, suffix ${post}`);
      }
    }
  });

  it('reports every occurrence in every source', () => {
    const hits = findSecret(SECRET, [
      { name: 'a', text: `${SECRET} and ${SECRET}` },
      { name: 'b', text: 'clean' },
      { name: 'c', text: `x${SECRET}` },
    ]);
    assert.deepEqual(hits.filter((h) => h.form === 'plain').map((h) => h.source), ['a', 'a', 'c']);
  });

  it('refuses a secret too short to scan for without chance hits', () => {
    assert.throws(() => secretForms('abc'), /6 characters or more/);
  });
});
