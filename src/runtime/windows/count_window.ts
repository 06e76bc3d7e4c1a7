/**
 * Count window `COUNTWINDOW(n[, m])` (SPEC §5.2). Time plays no part.
 *
 * Every m-th row (m = n when omitted) emits the last n rows, once at least n rows have arrived;
 * the count restarts after every m-th row whether or not a window was emitted (eKuiper's
 * msgCount). Only the rows a later window can use are kept: at most n, and n - m right after an
 * emission.
 *
 * `start`/`end`: the previous emission's time (first window: the first row's timestamp) and the
 * triggering row's timestamp, following SPEC §5.3 ("time of previous emission .. now").
 *
 * @module
 */
import type { Tuple } from "../tuple.ts";
import { RowQueue } from "./row_queue.ts";
import { type WindowCore, type WindowResult, WindowStateError } from "./types.ts";

interface CountState {
  rows: Tuple[];
  counted: number;
  lastEmit: number | null;
}

export class CountWindow implements WindowCore {
  private rows = new RowQueue();
  private counted = 0;
  private lastEmit: number | undefined;

  constructor(private readonly size_: number, private readonly interval: number) {}

  add(row: Tuple, out: WindowResult[]): void {
    if (this.lastEmit === undefined) this.lastEmit = row.timestamp;
    this.rows.push(row);
    if (this.rows.length > this.size_) this.rows.dropFront(1);
    if (++this.counted < this.interval) return;
    this.counted = 0;
    if (this.rows.length < this.size_) return;
    out.push({ start: this.lastEmit, end: row.timestamp, rows: this.rows.toArray() });
    this.lastEmit = row.timestamp;
    this.rows.dropFront(this.interval);
  }

  advance(): void {}

  nextDeadline(): undefined {
    return undefined;
  }

  size(): number {
    return this.rows.length;
  }

  snapshot(): CountState {
    return { rows: this.rows.toArray(), counted: this.counted, lastEmit: this.lastEmit ?? null };
  }

  restore(state: unknown): void {
    const s = state as CountState;
    if (!s || !Array.isArray(s.rows) || typeof s.counted !== "number") {
      throw new WindowStateError("bad count window state");
    }
    this.rows = new RowQueue(s.rows);
    this.counted = s.counted;
    this.lastEmit = s.lastEmit ?? undefined;
  }
}
