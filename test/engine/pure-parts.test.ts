import assert from 'node:assert/strict';
import { PendingWindow } from '../../src/engine/pending-window';
import { Backoff } from '../../src/engine/backoff';
import { TokenBucket } from '../../src/engine/token-bucket';
import { Fifo } from '../../src/engine/fifo';
import { FrameReader } from '../../src/smpp/frame-reader';

describe('PendingWindow', () => {
  it('takes answered entries and expires the rest oldest first', () => {
    const w = new PendingWindow<string>();
    w.add(1, 'a', 100);
    w.add(2, 'b', 110);
    w.add(3, 'c', 120);
    assert.equal(w.take(2), 'b');
    assert.equal(w.take(2), undefined);
    assert.equal(w.nextDeadline(), 100);
    assert.deepEqual(w.expire(99), []);
    assert.deepEqual(w.expire(120), ['a', 'c']);
    assert.equal(w.size, 0);
    assert.equal(w.nextDeadline(), null);
  });
  it('refuses a sequence number already pending and drains everything', () => {
    const w = new PendingWindow<number>();
    w.add(7, 1, 10);
    assert.throws(() => w.add(7, 2, 10), /already pending/);
    w.add(8, 2, 10);
    assert.deepEqual(w.drain(), [1, 2]);
    assert.equal(w.size, 0);
  });
});

describe('Backoff', () => {
  it('doubles from min to the cap with jitter between half and all of the step, and resets', () => {
    const lo = new Backoff(1000, 60000, () => 0);
    const hi = new Backoff(1000, 60000, () => 1);
    const los = Array.from({ length: 9 }, () => lo.next());
    const his = Array.from({ length: 9 }, () => hi.next());
    assert.deepEqual(his, [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    assert.deepEqual(los, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    hi.reset();
    assert.equal(hi.next(), 1000);
  });
});

describe('TokenBucket', () => {
  it('allows rate per second with a one-second burst, then tells the wait', () => {
    const b = new TokenBucket(10, 0);
    for (let i = 0; i < 10; i++) assert.equal(b.take(0), true);
    assert.equal(b.take(0), false);
    assert.equal(b.waitMs(0), 100);
    assert.equal(b.take(100), true);
    assert.equal(b.take(100), false);
    // a request larger than the rate passes once the bucket is full
    const c = new TokenBucket(2, 0);
    assert.equal(c.take(0, 3), true);
    assert.equal(c.take(0, 1), false);
  });
});

describe('Fifo', () => {
  it('keeps order through growth, unshift and drain', () => {
    const q = new Fifo<number>(4);
    for (let i = 0; i < 10; i++) q.push(i);
    assert.equal(q.shift(), 0);
    q.unshift(-1);
    assert.equal(q.peek(), -1);
    assert.equal(q.length, 10);
    assert.deepEqual(q.drain(), [-1, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(q.shift(), undefined);
  });

  const insertCases: { name: string; start: number; shifted: number; index: number; want: number[] }[] = [
    { name: 'at the front', start: 3, shifted: 0, index: 0, want: [99, 0, 1, 2] },
    { name: 'in the middle', start: 3, shifted: 0, index: 2, want: [0, 1, 99, 2] },
    { name: 'at the end', start: 3, shifted: 0, index: 3, want: [0, 1, 2, 99] },
    { name: 'past the end', start: 3, shifted: 0, index: 10, want: [0, 1, 2, 99] },
    { name: 'negative', start: 2, shifted: 0, index: -1, want: [99, 0, 1] },
    { name: 'into a full ring (grows)', start: 4, shifted: 0, index: 1, want: [0, 99, 1, 2, 3] },
    { name: 'with the head wrapped', start: 4, shifted: 3, index: 2, want: [3, 4, 99, 5, 6] },
  ];
  for (const c of insertCases) {
    it(`insertAt ${c.name}`, () => {
      const q = new Fifo<number>(4);
      let next = 0;
      for (let i = 0; i < c.start; i++) q.push(next++);
      for (let i = 0; i < c.shifted; i++) {
        q.shift();
        q.push(next++);
      }
      q.insertAt(c.index, 99);
      assert.deepEqual(q.drain(), c.want);
    });
  }
});

function pdu(len: number, id = 0x15, seq = 1): Buffer {
  const b = Buffer.alloc(len);
  b.writeUInt32BE(len, 0);
  b.writeUInt32BE(id, 4);
  b.writeUInt32BE(seq, 12);
  return b;
}

describe('FrameReader', () => {
  function reader(max = 100) {
    const out = { frames: [] as number[], oversize: [] as number[], lost: [] as number[] };
    const r = new FrameReader(max, {
      frame: (b) => out.frames.push(b.readUInt32BE(12)),
      oversize: (len) => out.oversize.push(len),
      lostFraming: (len) => out.lost.push(len),
    });
    return { r, out };
  }
  it('cuts frames split across chunks at every byte boundary', () => {
    const stream = Buffer.concat([pdu(16, 0x15, 1), pdu(30, 0x15, 2), pdu(17, 0x15, 3)]);
    for (let cut = 1; cut < stream.length; cut++) {
      const { r, out } = reader();
      r.push(stream.subarray(0, cut));
      r.push(stream.subarray(cut));
      assert.deepEqual(out.frames, [1, 2, 3], `cut at ${cut}`);
    }
  });
  it('skips an oversize PDU and goes on reading', () => {
    const { r, out } = reader(50);
    const big = pdu(80, 0x4, 9);
    r.push(Buffer.concat([big.subarray(0, 20)]));
    r.push(Buffer.concat([big.subarray(20), pdu(16, 0x15, 5)]));
    assert.deepEqual(out.oversize, [80]);
    assert.deepEqual(out.frames, [5]);
  });
  it('reports lost framing once for an impossible length and then reads nothing', () => {
    const { r, out } = reader();
    r.push(Buffer.concat([pdu(16, 0x15, 1), Buffer.from([0, 0, 0, 3]), pdu(16, 0x15, 2)]));
    assert.deepEqual(out.frames, [1]);
    assert.deepEqual(out.lost, [3]);
    r.push(pdu(16, 0x15, 4));
    assert.deepEqual(out.frames, [1]);
  });
});
