/**
 * A FIFO of rows with amortised O(1) removal at the front (a moving head, compacted now and
 * then) and ordered insertion by timestamp. Windows and the watermark buffer drop old rows one
 * at a time on every new row; `Array.prototype.shift`/`splice(0, n)` would copy the whole
 * buffer each time.
 *
 * @module
 */
import type { Tuple } from "../tuple.ts";

/** Compact once this many slots at the front are dead and they are half the array. */
const COMPACT_AT = 1024;

export class RowQueue {
  private items: Tuple[] = [];
  private head = 0;

  constructor(rows: readonly Tuple[] = []) {
    this.items = rows.slice();
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** The i-th row from the front. */
  at(i: number): Tuple {
    return this.items[this.head + i];
  }

  push(t: Tuple): void {
    this.items.push(t);
  }

  /** Inserts after every row with timestamp <= t's (equal timestamps keep arrival order). */
  insertByTime(t: Tuple): void {
    const items = this.items;
    const ts = t.timestamp;
    if (items.length === this.head || items[items.length - 1].timestamp <= ts) {
      items.push(t);
      return;
    }
    let lo = this.head;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (items[mid].timestamp <= ts) lo = mid + 1;
      else hi = mid;
    }
    items.splice(lo, 0, t);
  }

  /** Number of leading rows with timestamp < bound (or <= when `inclusive`). */
  countBefore(bound: number, inclusive = false): number {
    const items = this.items;
    let i = this.head;
    if (inclusive) { while (i < items.length && items[i].timestamp <= bound) i++; }
    else while (i < items.length && items[i].timestamp < bound) i++;
    return i - this.head;
  }

  /** Removes and returns the first n rows. */
  takeFront(n: number): Tuple[] {
    if (n <= 0) return [];
    const taken = this.items.slice(this.head, this.head + n);
    this.dropFront(n);
    return taken;
  }

  dropFront(n: number): void {
    if (n <= 0) return;
    this.head = Math.min(this.head + n, this.items.length);
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AT && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** The live rows, as a new array. */
  toArray(): Tuple[] {
    return this.items.slice(this.head);
  }

  /** The live rows matching `keep`, as a new array. */
  filter(keep: (t: Tuple) => boolean): Tuple[] {
    const out: Tuple[] = [];
    const items = this.items;
    for (let i = this.head; i < items.length; i++) if (keep(items[i])) out.push(items[i]);
    return out;
  }
}
