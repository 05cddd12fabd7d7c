import assert from 'node:assert/strict';
import { idKeys, sameMessageId, cleanId, IdForm, ID_FORMS } from '../../src/receipt/message-id';
import { MessageIdIndex } from '../../src/receipt/message-id-index';

describe('receipt message id: idKeys', () => {
  it('drops leading zeros of decimal ids', () => {
    assert.equal(sameMessageId('0000123', '123', 'any'), true);
    assert.equal(sameMessageId('0000123', '123', 'decimal'), true);
    assert.equal(sameMessageId('0000123', '123', 'hex'), true);
    assert.equal(sameMessageId('0000123', '123', 'exact'), false);
  });

  it('matches a hex id with the decimal id of the same number only in form any', () => {
    assert.equal(sameMessageId('7B', '123', 'any'), true);
    assert.equal(sameMessageId('123', '7b', 'any'), true);
    assert.equal(sameMessageId('7B', '123', 'decimal'), false);
    assert.equal(sameMessageId('7B', '123', 'hex'), false);
    assert.equal(sameMessageId('7B', '123', 'exact'), false);
  });

  it('ignores case in every form, exact included (exact = the same text ignoring case)', () => {
    for (const form of ID_FORMS) assert.equal(sameMessageId('ABC', 'abc', form), true, form);
    assert.equal(sameMessageId('ABC', 'ABC', 'exact'), true);
    assert.equal(sameMessageId('ABC', 'ABD', 'exact'), false);
  });

  it('reads both sides as hex in form hex', () => {
    assert.equal(sameMessageId('00ff', 'FF', 'hex'), true);
    assert.equal(sameMessageId('255', 'ff', 'hex'), false);
    assert.deepEqual(idKeys('00ff', 'hex'), ['n:255']);
    assert.deepEqual(idKeys('10', 'hex'), ['n:16']);
  });

  it('reads both sides as decimal in form decimal', () => {
    assert.deepEqual(idKeys('0010', 'decimal'), ['n:10']);
    assert.equal(sameMessageId('10', 'a', 'decimal'), false);
  });

  it('orders keys primary reading first: decimal value, then hex reading', () => {
    assert.deepEqual(idKeys('10'), ['n:10', 'n:16']);
    assert.deepEqual(idKeys('0000123'), ['n:123', 'n:291']);
    assert.deepEqual(idKeys('7B'), ['n:123']);
    assert.deepEqual(idKeys('7'), ['n:7']);
    assert.deepEqual(idKeys('000'), ['n:0']);
  });

  it('handles long decimal ids against their hex form (BigInt path)', () => {
    const dec = '64567564356765435676';
    const hex = BigInt(dec).toString(16).toUpperCase();
    assert.equal(sameMessageId(dec, hex, 'any'), true);
    assert.equal(sameMessageId(dec, '000' + hex.toLowerCase(), 'any'), true);
    assert.equal(sameMessageId(dec, '64567564356765435677', 'any'), false);
    assert.deepEqual(idKeys(dec)[1], 'n:' + BigInt('0x' + dec).toString());
  });

  it('converts hex exactly on both sides of the Number/BigInt boundary', () => {
    for (const hex of ['fffffffffffff', '1fffffffffffff', '10000000000000', 'abcdef0123456', 'abcdef01234567', 'ffffffffffffffffffffffffffffffff']) {
      assert.deepEqual(idKeys(hex, 'hex'), ['n:' + BigInt('0x' + hex).toString()], hex);
    }
    // 17 decimal digits: beyond Number precision, still exact
    assert.equal(sameMessageId('99999999999999999', BigInt('99999999999999999').toString(16), 'any'), true);
    assert.equal(sameMessageId('99999999999999998', BigInt('99999999999999999').toString(16), 'any'), false);
  });

  it('keeps uuid-like ids whole (case-insensitive)', () => {
    const u = 'fa9542be-3c16-44bb-9a8c-d277ea1851ef';
    assert.deepEqual(idKeys(u), ['s:' + u]);
    assert.equal(sameMessageId(u, u.toUpperCase(), 'any'), true);
    assert.equal(sameMessageId(u, u.toUpperCase(), 'exact'), true);
    assert.equal(sameMessageId(u, u.replace('f', 'e'), 'exact'), false);
    assert.equal(sameMessageId(u, u.replace('f', 'e'), 'any'), false);
    assert.equal(sameMessageId('0x7b', '123', 'any'), false);
  });

  it('does not match different numbers', () => {
    assert.equal(sameMessageId('123', '124'), false);
    assert.equal(sameMessageId('10', '17'), false);
    assert.equal(sameMessageId('a', 'b'), false);
  });

  it('trims spaces and NUL padding; empty ids have no keys', () => {
    assert.equal(cleanId(' 12\0\0'), '12');
    assert.deepEqual(idKeys(' 12\0'), ['n:12', 'n:18']);
    assert.deepEqual(idKeys(' AbC\0', 'exact'), ['e:abc']);
    for (const form of ['any', 'exact', 'hex', 'decimal'] as IdForm[]) {
      assert.deepEqual(idKeys('', form), []);
      assert.deepEqual(idKeys(' \0 ', form), []);
    }
    assert.equal(sameMessageId('', ''), false);
  });

  it('keeps key namespaces apart (a string id never equals a number key)', () => {
    assert.equal(sameMessageId('12-3', '123'), false);
    assert.equal(sameMessageId('g', '16'), false);
  });

  it('computes 20,000 key sets, each id with its main key and the other reading', () => {
    let n = 0;
    for (let i = 0; i < 10000; i++) {
      n += idKeys(String(1000000000 + i * 7919)).length;
      n += idKeys((0xa000000 + i * 31).toString(16).toUpperCase()).length;
    }
    assert.equal(n, 30000);
  });
});

describe('receipt message id: MessageIdIndex', () => {
  it('finds by any form of the id in form any', () => {
    const ix = new MessageIdIndex<string>('any');
    ix.add('0000029095', 'm1');
    assert.equal(ix.find('29095'), 'm1');
    assert.equal(ix.find((29095).toString(16)), 'm1');
    assert.equal(ix.find('29096'), undefined);
  });

  it('prefers primary readings when keys collide ("10" and "16")', () => {
    const ix = new MessageIdIndex<string>('any');
    ix.add('10', 'ten');
    ix.add('16', 'sixteen');
    assert.equal(ix.find('16'), 'sixteen');
    assert.equal(ix.find('0016'), 'sixteen');
    assert.equal(ix.find('10'), 'ten');
    assert.equal(ix.find('a'), 'ten'); // hex receipt for decimal 10
    assert.equal(ix.find('22'), 'sixteen'); // "16" was hex: 0x16 = 22
    // order of insertion does not change the outcome
    const iy = new MessageIdIndex<string>('any');
    iy.add('16', 'sixteen');
    iy.add('10', 'ten');
    assert.equal(iy.find('16'), 'sixteen');
    assert.equal(iy.find('a'), 'ten');
  });

  it('take removes the entry found and only that one', () => {
    const ix = new MessageIdIndex<string>('any');
    ix.add('10', 'ten');
    ix.add('16', 'sixteen');
    assert.equal(ix.size, 2);
    assert.equal(ix.take('16'), 'sixteen');
    assert.equal(ix.size, 1);
    // now only "10" holds n:16 (as its hex reading)
    assert.equal(ix.find('16'), 'ten');
    assert.equal(ix.take('a'), 'ten');
    assert.equal(ix.size, 0);
    assert.equal(ix.find('10'), undefined);
    assert.equal(ix.take('10'), undefined);
  });

  it('returns the oldest of two entries with the same id', () => {
    const ix = new MessageIdIndex<number>('any');
    ix.add('55', 1);
    ix.add('055', 2);
    assert.equal(ix.take('55'), 1);
    assert.equal(ix.take('55'), 2);
    assert.equal(ix.size, 0);
  });

  it('remove drops the entry stored with that id and value', () => {
    const ix = new MessageIdIndex<string>('any');
    ix.add('ABC', 'x');
    ix.add('abc', 'y');
    assert.equal(ix.remove('abc', 'z'), false);
    assert.equal(ix.remove('0abc', 'x'), true);
    assert.equal(ix.size, 1);
    assert.equal(ix.find('ABC'), 'y');
    assert.equal(ix.remove('abc', 'x'), false);
    assert.equal(ix.remove('', 'y'), false);
  });

  it('respects form exact and refuses empty ids', () => {
    const ix = new MessageIdIndex<string>('exact');
    assert.equal(ix.add('', 'none'), false);
    assert.equal(ix.size, 0);
    ix.add('0AbC', 'v');
    assert.equal(ix.find('abc'), undefined, 'no leading-zero tolerance in exact');
    assert.equal(ix.find('0abc'), 'v');
    assert.equal(ix.find('0AbC'), 'v');
    ix.clear();
    assert.equal(ix.size, 0);
    assert.equal(ix.find('0AbC'), undefined);
  });

  it('reads added ids in the sent form and looked-up ids in the receipt form', () => {
    const ix = new MessageIdIndex<string>({ sent: 'hex', receipt: 'decimal' });
    ix.add('00ff', 'm');
    assert.equal(ix.find('255'), 'm');
    assert.equal(ix.find('ff'), undefined, 'a hex receipt id is not read as hex');
    assert.equal(ix.remove('FF', 'm'), true, 'remove reads the id in the sent form');
    assert.equal(ix.size, 0);
    const iy = new MessageIdIndex<string>({ sent: 'decimal', receipt: 'hex' });
    iy.add('255', 'm');
    assert.equal(iy.find('00000000000000FF'), 'm');
    assert.equal(iy.find('255'), undefined, 'a decimal receipt id is read as hex (0x255)');
  });
});
