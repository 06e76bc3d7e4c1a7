/**
 * A bounded FIFO ring buffer. Nothing in Weir buffers without a bound: sources append here, the
 * scheduler drains in batches. The ring starts small and doubles up to `capacity` when a burst
 * needs it: most of a device's rules are idle most of the time, and 10,000 rules preallocating
 * eKuiper's default 1024 slots each held 80 MB for nothing (bench/RESULTS.md, S4).
 */
export class BoundedQueue<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`queue capacity must be >= 1, got ${capacity}`);
    this.items = new Array(Math.min(capacity, INITIAL_SLOTS));
  }

  get length(): number {
    return this.count;
  }

  isFull(): boolean {
    return this.count === this.capacity;
  }

  /** Appends; returns false (and stores nothing) when full. */
  push(item: T): boolean {
    if (this.count === this.items.length) {
      if (this.count === this.capacity) return false;
      this.grow();
    }
    this.items[(this.head + this.count) % this.items.length] = item;
    this.count++;
    return true;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    return item;
  }

  /** Moves up to `max` oldest items into `out`; returns how many. */
  drainInto(out: T[], max: number): number {
    const n = Math.min(max, this.count);
    for (let i = 0; i < n; i++) out.push(this.shift() as T);
    return n;
  }

  clear(): void {
    this.items.fill(undefined);
    this.head = 0;
    this.count = 0;
  }

  /** Twice the slots (at most `capacity`), the items laid out again from slot 0. */
  private grow(): void {
    const old = this.items;
    const next: (T | undefined)[] = new Array(Math.min(this.capacity, old.length * 2));
    for (let i = 0; i < this.count; i++) next[i] = old[(this.head + i) % old.length];
    this.items = next;
    this.head = 0;
  }
}

/** Slots a queue starts with: a trickle of messages never grows it. */
const INITIAL_SLOTS = 16;
