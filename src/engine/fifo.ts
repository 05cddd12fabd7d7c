/** A FIFO queue with O(1) push, shift and unshift (a growable ring buffer). */
export class Fifo<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(initialCapacity = 64) {
    this.buf = new Array(Math.max(4, initialCapacity));
  }

  get length(): number {
    return this.count;
  }

  push(v: T): void {
    if (this.count === this.buf.length) this.grow();
    this.buf[(this.head + this.count) % this.buf.length] = v;
    this.count++;
  }

  unshift(v: T): void {
    if (this.count === this.buf.length) this.grow();
    this.head = (this.head - 1 + this.buf.length) % this.buf.length;
    this.buf[this.head] = v;
    this.count++;
  }

  /** Inserts `v` so that it becomes element `index` (0 = front); O(index). */
  insertAt(index: number, v: T): void {
    if (index <= 0) return this.unshift(v);
    if (index >= this.count) return this.push(v);
    this.unshift(v);
    const n = this.buf.length;
    for (let i = 0; i < index; i++) this.buf[(this.head + i) % n] = this.buf[(this.head + i + 1) % n];
    this.buf[(this.head + index) % n] = v;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) % this.buf.length;
    this.count--;
    return v;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.buf[this.head];
  }

  /** Removes and returns everything, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    while (this.count) out.push(this.shift() as T);
    return out;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.buf.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.buf[(this.head + i) % this.buf.length];
    this.buf = next;
    this.head = 0;
  }
}
