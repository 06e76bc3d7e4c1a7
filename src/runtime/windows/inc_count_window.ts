/**
 * `COUNTWINDOW(n[, m])` with incremental aggregation: rows are folded into a {@link GroupFold}
 * per pane of gcd(n, m) rows as they arrive instead of being stored. Emission and `start`/`end`
 * are those of `count_window.ts`, so a rule gives the same results with and without
 * `enableIncrementalWindow`; an emitted window's `rows` are its groups (first row + aggregate
 * results). (Tumbling, session and hopping windows fold through `window_content.ts`, sliding
 * windows through `inc_sliding_window.ts`.)
 *
 * @module
 */
import type { Tuple } from "../tuple.ts";
import { gcd } from "./align.ts";
import { GroupFold } from "./group_fold.ts";
import { type WindowCore, type WindowResult, WindowStateError } from "./types.ts";

interface IncCountState {
  panes: unknown[];
  inPane: number;
  held: number;
  counted: number;
  lastEmit: number | null;
}

/**
 * `COUNTWINDOW(n[, m])` folded by panes of gcd(n, m) rows: every m-th row emits the merge of the
 * last n rows' panes once n rows are held, exactly when `count_window.ts` emits. With m = n
 * there is one pane, folded and taken whole (no merge needed).
 */
export class IncCountWindow implements WindowCore {
  private panes: GroupFold[] = [];
  private readonly pane: number;
  /** Rows in the newest pane. */
  private inPane = 0;
  /** Rows the row-keeping window would hold (at most n). */
  private held = 0;
  private counted = 0;
  private lastEmit: number | undefined;

  constructor(
    private readonly size_: number,
    private readonly interval: number,
    private readonly newFold: () => GroupFold,
  ) {
    this.pane = gcd(size_, interval);
  }

  add(row: Tuple, out: WindowResult[]): void {
    if (this.lastEmit === undefined) this.lastEmit = row.timestamp;
    if (this.inPane === 0) {
      this.panes.push(this.newFold());
      // Panes older than the last n rows can be in no window.
      if (this.panes.length > this.size_ / this.pane) this.panes.shift();
    }
    this.panes[this.panes.length - 1].add(row);
    this.inPane = (this.inPane + 1) % this.pane;
    this.held = Math.min(this.size_, this.held + 1);
    if (++this.counted < this.interval) return;
    this.counted = 0;
    if (this.held < this.size_) return;
    const rows = this.panes.length === 1 ? this.panes[0].take() : GroupFold.merged(this.panes);
    out.push({ start: this.lastEmit, end: row.timestamp, rows });
    this.lastEmit = row.timestamp;
    this.held = Math.max(0, this.held - this.interval);
    // The next window reuses the newest n - m rows' panes.
    const keep = this.held / this.pane;
    this.panes = keep > 0 ? this.panes.slice(this.panes.length - keep) : [];
  }

  advance(): void {}

  nextDeadline(): undefined {
    return undefined;
  }

  size(): number {
    let n = 0;
    for (const f of this.panes) n += f.size();
    return n;
  }

  snapshot(): IncCountState {
    return {
      panes: this.panes.map((f) => f.snapshot()),
      inPane: this.inPane,
      held: this.held,
      counted: this.counted,
      lastEmit: this.lastEmit ?? null,
    };
  }

  restore(state: unknown): void {
    const s = state as IncCountState;
    if (!s || !Array.isArray(s.panes) || typeof s.counted !== "number") {
      throw new WindowStateError("bad incremental count window state");
    }
    this.panes = s.panes.map((snap) => {
      const f = this.newFold();
      f.restore(snap);
      return f;
    });
    this.inPane = s.inPane ?? 0;
    this.held = s.held ?? 0;
    this.counted = s.counted;
    this.lastEmit = s.lastEmit ?? undefined;
  }
}
