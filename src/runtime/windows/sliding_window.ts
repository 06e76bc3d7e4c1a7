/**
 * Sliding window (SPEC §5.2, eKuiper's v1 window operator).
 *
 * Every row that matches the `OVER (WHEN ...)` trigger (all rows without one) produces a window:
 * - no delay: at once, with the rows `t - length <= ts <= t` (both ends inclusive; `end` = t);
 * - delay D: at `t + D`, with the rows `t - length <= ts < t + D` (`end` = t + D).
 * `start` = `end - length - delay` as eKuiper's window_start(). Non-matching rows are kept for
 * later windows. Rows older than `newest - length - delay` can belong to no future window and
 * are evicted on every row.
 *
 * Not done: eKuiper's `enableSendSlidingWindowTwice` option (send `[t - length, t]` at once and
 * the delayed part later).
 *
 * @module
 */
import type { Tuple } from "../tuple.ts";
import { RowQueue } from "./row_queue.ts";
import {
  matches,
  type Predicate,
  type WindowCore,
  type WindowResult,
  WindowStateError,
} from "./types.ts";

export interface SlidingWindowConfig {
  length: number;
  delay: number;
  trigger?: Predicate;
  onError?: (message: string) => void;
}

interface SlidingState {
  rows: Tuple[];
  pending: number[];
}

export class SlidingWindow implements WindowCore {
  private rows = new RowQueue();
  /** Emission times of delayed windows, ascending. */
  private pending: number[] = [];

  constructor(private readonly cfg: SlidingWindowConfig) {}

  add(row: Tuple, out: WindowResult[]): void {
    const t = row.timestamp;
    this.rows.dropFront(this.rows.countBefore(t - this.cfg.length - this.cfg.delay));
    this.rows.push(row);
    if (this.cfg.trigger && !matches(this.cfg.trigger, row, this.cfg.onError)) return;
    if (this.cfg.delay > 0) {
      insertSorted(this.pending, t + this.cfg.delay);
      return;
    }
    const start = t - this.cfg.length;
    out.push({
      start,
      end: t,
      rows: this.rows.filter((r) => r.timestamp >= start && r.timestamp <= t),
    });
  }

  advance(time: number, out: WindowResult[]): void {
    while (this.pending.length > 0 && this.pending[0] <= time) {
      const end = this.pending.shift()!;
      const start = end - this.cfg.delay - this.cfg.length;
      out.push({
        start,
        end,
        rows: this.rows.filter((r) => r.timestamp >= start && r.timestamp < end),
      });
    }
  }

  nextDeadline(): number | undefined {
    return this.pending[0];
  }

  size(): number {
    return this.rows.length;
  }

  snapshot(): SlidingState {
    return { rows: this.rows.toArray(), pending: this.pending };
  }

  restore(state: unknown): void {
    const s = state as SlidingState;
    if (!s || !Array.isArray(s.rows) || !Array.isArray(s.pending)) {
      throw new WindowStateError("bad sliding window state");
    }
    this.rows = new RowQueue(s.rows);
    this.pending = s.pending.slice();
  }
}

/** Inserts `v` into the ascending array `a`. */
export function insertSorted(a: number[], v: number): void {
  let i = a.length;
  while (i > 0 && a[i - 1] > v) i--;
  a.splice(i, 0, v);
}
