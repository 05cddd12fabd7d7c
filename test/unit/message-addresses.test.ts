import assert from 'node:assert/strict';
import {
  afterCountryCode, autoTonNpi, checkDestination, checkSender, matchesPrefix, parsePrefixes, AddressCheck,
} from '../../src/message/addresses';

describe('message/addresses checkDestination', () => {
  const good: [unknown, string, string][] = [
    ['+8612399999999', '8612399999999', 'international'],
    ['+14155550123', '14155550123', 'international'],
    ['+44 7700 900123', '447700900123', 'international'],
    ['+1 (415) 555-0123', '14155550123', 'international'],
    ['008612399999999', '008612399999999', 'number'],
    ['07700900123', '07700900123', 'number'],
    ['123456789', '123456789', 'number'],
    ['12345678', '12345678', 'short'],
    ['12345', '12345', 'short'],
    ['1', '1', 'short'],
    ['+' + '9'.repeat(20), '9'.repeat(20), 'international'],
    ['9'.repeat(20), '9'.repeat(20), 'number'],
    [46701234567, '46701234567', 'number'],
    [Number.MAX_SAFE_INTEGER, String(Number.MAX_SAFE_INTEGER), 'number'],
  ];
  for (const [value, address, kind] of good) {
    it(`accepts ${JSON.stringify(value)} as ${kind} ${address}`, () => {
      assert.deepEqual(checkDestination(value, 'msg.to'), { ok: true, address, kind });
    });
  }

  const bad: [unknown, RegExp][] = [
    [undefined, /^msg\.to is missing/],
    [null, /^msg\.to is missing/],
    ['', /^msg\.to is missing/],
    ['12ab', /^msg\.to "12ab" is not a phone number/],
    ['+', /^msg\.to "\+" is not a phone number/],
    ['++46', /^msg\.to "\+\+46" is not a phone number/],
    ['46+70', /is not a phone number/],
    ['   ', /is not a phone number/],
    ['1'.repeat(21), /is not a phone number.*at most 20 digits/],
    ['1'.repeat(25), /is not a phone number/],
    ['+4670123456a', /is not a phone number/],
    [12345678901234567890, /^msg\.to /],
    [Number.MAX_SAFE_INTEGER + 2, /^msg\.to /],
    [-46701234567, /^msg\.to /],
    [4670.5, /^msg\.to /],
    [NaN, /^msg\.to /],
    [Infinity, /^msg\.to /],
    [true, /^msg\.to must be a phone number as text; got boolean/],
    [{}, /^msg\.to must be a phone number as text; got object/],
    [['+4670'], /^msg\.to must be a phone number as text; got object/],
  ];
  for (const [value, re] of bad) {
    it(`refuses ${typeof value === 'string' || typeof value === 'number' ? JSON.stringify(String(value)) : typeof value}`, () => {
      const r = checkDestination(value, 'msg.to');
      assert.equal(r.ok, false);
      assert.match((r as { error: string }).error, re);
    });
  }
});

describe('message/addresses checkSender', () => {
  const good: [unknown, string, Extract<AddressCheck, { ok: true }>['kind']][] = [
    ['+8612399999999', '8612399999999', 'international'],
    [' +44 7700 900123 ', '447700900123', 'international'],
    ['7777', '7777', 'short'],
    ['12399999999', '12399999999', 'number'],
    ['ACME', 'ACME', 'alphanumeric'],
    ['  ACME Ltd  ', 'ACME Ltd', 'alphanumeric'],
    ['ABCDEFGHIJK', 'ABCDEFGHIJK', 'alphanumeric'],
    ['A.B_C-D&E', 'A.B_C-D&E', 'alphanumeric'],
    ['Shop24', 'Shop24', 'alphanumeric'],
    [46700000000, '46700000000', 'number'],
  ];
  for (const [value, address, kind] of good) {
    it(`accepts ${JSON.stringify(value)} as ${kind}`, () => {
      assert.deepEqual(checkSender(value, 'msg.from'), { ok: true, address, kind });
    });
  }

  const bad: [unknown, RegExp][] = [
    ['ABCDEFGHIJKL', /^msg\.from "ABCDEFGHIJKL" is neither a phone number nor an alphanumeric sender id.*at most 11/],
    ['+', /^msg\.from "\+" is neither/],
    ['ACME!', /^msg\.from "ACME!" is neither/],
    ['Çafé', /^msg\.from "Çafé" is neither/],
    ['1'.repeat(21), /^msg\.from "1{21}" is neither/],
    ['', /^msg\.from "" is neither/],
    [undefined, /^msg\.from must be text; got undefined/],
    [{}, /^msg\.from must be text; got object/],
    [12345678901234567890, /^msg\.from /],
    [-4670, /^msg\.from /],
  ];
  for (const [value, re] of bad) {
    it(`refuses ${typeof value === 'string' || typeof value === 'number' ? JSON.stringify(String(value)) : typeof value}`, () => {
      const r = checkSender(value, 'msg.from');
      assert.equal(r.ok, false);
      assert.match((r as { error: string }).error, re);
    });
  }
});

describe('message/addresses autoTonNpi', () => {
  const rows: [Parameters<typeof autoTonNpi>[0], number, number][] = [
    ['international', 1, 1],
    ['alphanumeric', 5, 0],
    ['short', 3, 0],
    ['number', 0, 1],
  ];
  for (const [kind, ton, npi] of rows) {
    it(`${kind} -> ${ton}/${npi}`, () => assert.deepEqual(autoTonNpi(kind), { ton, npi }));
  }

  it('from checked addresses', () => {
    const kindOf = (v: string) => {
      const r = checkSender(v, 'x');
      assert.ok(r.ok);
      return autoTonNpi(r.kind);
    };
    assert.deepEqual(kindOf('+46701234567'), { ton: 1, npi: 1 });
    assert.deepEqual(kindOf('INFO'), { ton: 5, npi: 0 });
    assert.deepEqual(kindOf('12345'), { ton: 3, npi: 0 });
    assert.deepEqual(kindOf('0701234567'), { ton: 0, npi: 1 });
  });
});

describe('message/addresses parsePrefixes', () => {
  const rows: [string, string[]][] = [
    ['', []],
    [';', []],
    ['123', ['123']],
    ['123;456', ['123', '456']],
    ['123;456;', ['123', '456']],
    [' 123 ; 456 ;; ', ['123', '456']],
  ];
  for (const [list, want] of rows) {
    it(JSON.stringify(list), () => assert.deepEqual(parsePrefixes(list), want));
  }
});

describe('message/addresses afterCountryCode', () => {
  const rows: [string, boolean, string][] = [
    ['8612399999999', true, '12399999999'],
    ['14155550123', true, '4155550123'],
    ['447700900123', true, '7700900123'],
    ['46701234567', true, '701234567'],
    ['008612399999999', false, '12399999999'],
    ['0014155550123', false, '4155550123'],
    ['00447700900123', false, '7700900123'],
    ['12399999999', false, '12399999999'],
    ['07700900123', false, '07700900123'],
    ['ACME', false, 'ACME'],
    // no country code can be read: the number as it is
    ['999123', true, '999123'],
    ['1', true, '1'],
  ];
  for (const [address, international, want] of rows) {
    it(`${international ? '+' : ''}${address} -> ${want}`, () => assert.equal(afterCountryCode(address, international), want));
  }
});

describe('message/addresses matchesPrefix', () => {
  const p = ['123', '456'];
  const rows: [string, boolean, readonly string[], boolean][] = [
    ['8612399999999', true, p, true],
    ['8645600000000', true, p, true],
    ['8678900000000', true, p, false],
    ['008612399999999', false, p, true],
    ['008678900000000', false, p, false],
    ['12399999999', false, p, true],
    ['78900000000', false, p, false],
    // +1: the area code follows the country code
    ['11235550123', true, p, true],
    ['14155550123', true, p, false],
    ['14155550123', true, ['415'], true],
    // +44: the national number without its trunk 0
    ['447700900123', true, ['77'], true],
    ['447700900123', true, ['44'], false],
    ['ACME', false, p, false],
    ['ACMEcorp', false, ['ACME'], true],
    // empty list allows all
    ['8678900000000', true, [], true],
    ['ACME', false, [], true],
    ['', false, [], true],
  ];
  for (const [address, international, prefixes, want] of rows) {
    it(`${international ? '+' : ''}${address} with [${prefixes.join(';')}] -> ${want}`, () => {
      assert.equal(matchesPrefix(address, international, prefixes), want);
    });
  }
});
