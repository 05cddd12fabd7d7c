/**
 * Runs items after a delay with a single timer for the whole queue instead of
 * one timer per item. Items are kept ordered by due time; with a constant
 * delay (the usual case) every push is an append. clear() drops everything
 * and cancels the timer.
 */
export class DelayQueue<T> {
  private dues: number[] = [];
  private items: Array<T | undefined> = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerDue = 0;
  private generation = 0;

  constructor(
    private readonly run: (item: T) => void,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  push(delayMs: number, item: T): void {
    const due = Date.now() + (delayMs > 0 ? delayMs : 0);
    let i = this.items.length;
    if (i > this.head && this.dues[i - 1] > due) {
      while (i > this.head && this.dues[i - 1] > due) i--;
      this.dues.splice(i, 0, due);
      this.items.splice(i, 0, item);
    } else {
      this.dues.push(due);
      this.items.push(item);
    }
    this.arm();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dues = [];
    this.items = [];
    this.head = 0;
    this.generation++;
  }

  private arm(): void {
    if (this.head >= this.items.length) return;
    const next = this.dues[this.head];
    if (this.timer) {
      if (this.timerDue <= next) return;
      clearTimeout(this.timer);
    }
    this.timerDue = next;
    this.timer = setTimeout(this.fire, Math.max(0, next - Date.now()));
  }

  private readonly fire = (): void => {
    this.timer = null;
    const now = Date.now();
    const generation = this.generation;
    while (this.head < this.items.length && this.dues[this.head] <= now) {
      const item = this.items[this.head] as T;
      this.items[this.head] = undefined;
      this.head++;
      try {
        this.run(item);
      } catch (err) {
        this.onError(err);
      }
      if (generation !== this.generation) return; // cleared by the item it ran
    }
    if (this.head === this.items.length) {
      this.dues = [];
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.dues = this.dues.slice(this.head);
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.arm();
  };
}
