/**
 * The two stores a window's columns are made of (`row_columns.ts`).
 *
 * A window may hold a flood's second, 100k rows and more. One array per column, grown by
 * `push`, is reallocated ~30 times on the way and ends in V8's large-object space, where each
 * reallocation maps fresh pages that the copy then faults in, and every discarded copy stays
 * until a full GC: S2's window columns cost ~20k page faults per 400k messages, half of
 * Weir's system time (bench/RESULTS.md, session 9). A {@link Column} appends to fixed-size
 * blocks instead: nothing is copied and no block is large. Values that repeat in runs (a
 * socket read's arrival time, a topic's meta) are kept once per run ({@link RunColumn}).
 *
 * @module
 */

const SHIFT = 11;
/** Values per block: 2,048 doubles are 16 KiB, far below V8's large-object threshold. */
const BLOCK = 1 << SHIFT;
const MASK = BLOCK - 1;

/** Values appended in blocks; read by index. */
export class Column<T = unknown> {
  private blocks: T[][];
  private last: T[] = [];
  length = 0;

  constructor() {
    this.blocks = [this.last];
  }

  push(v: T): void {
    if (this.last.length === BLOCK) {
      this.last = [];
      this.blocks.push(this.last);
    }
    this.last.push(v);
    this.length++;
  }

  /** Appends `from`'s values `[start, end)`. */
  pushRange(from: Column<T>, start: number, end: number): void {
    for (let i = start; i < end; i++) this.push(from.blocks[i >> SHIFT][i & MASK]);
  }

  get(i: number): T {
    return this.blocks[i >> SHIFT][i & MASK];
  }

  toArray(): T[] {
    return this.blocks.flat() as T[];
  }
}

/** Values that repeat in runs, kept once per run; read by index. */
export class RunColumn<T> {
  private values: T[] = [];
  /** Index of each run's first value. */
  private starts: number[] = [];
  length = 0;

  push(v: T): void {
    const n = this.values.length;
    if (n === 0 || this.values[n - 1] !== v) {
      this.values.push(v);
      this.starts.push(this.length);
    }
    this.length++;
  }

  /** Appends `from`'s values `[start, end)`. */
  pushRange(from: RunColumn<T>, start: number, end: number): void {
    if (start >= end) return;
    for (let r = from.runOf(start); r < from.runs && from.starts[r] < end; r++) {
      const n = Math.min(end, from.runEnd(r)) - Math.max(start, from.starts[r]);
      this.pushRun(from.values[r], n);
    }
  }

  /** Appends `n` times `v`. */
  pushRun(v: T, n: number): void {
    if (n <= 0) return;
    this.push(v);
    this.length += n - 1;
  }

  get(i: number): T {
    return this.values[this.runOf(i)];
  }

  /** Number of runs. */
  get runs(): number {
    return this.values.length;
  }

  /** Run `r`'s value. */
  runValue(r: number): T {
    return this.values[r];
  }

  /** Index of run `r`'s first value. */
  runStart(r: number): number {
    return this.starts[r];
  }

  /** Index after run `r`'s last value. */
  runEnd(r: number): number {
    return r + 1 < this.starts.length ? this.starts[r + 1] : this.length;
  }

  /** The run holding value `i`. */
  runOf(i: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
