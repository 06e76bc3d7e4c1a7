/**
 * Incremental window cores for the windows whose rows do not simply leave together (tumbling
 * and session windows fold through `window_content.ts`, sliding windows through
 * `inc_sliding_window.ts`): count windows and hopping windows (by panes), with rows folded into a {@link GroupFold} as they arrive instead
 * of being stored. Boundaries, alignment and `start`/`end` are the same as the row-keeping cores, so a
 * rule gives the same results with and without `enableIncrementalWindow`; an emitted window's
 * `rows` are its groups (first row + aggregate results).
 *
 * @module
 */
import type { Tuple } from "../tuple.ts";
import { alignedWindowEnd, type TimezoneOffset } from "./align.ts";
import { MAX_CATCH_UP } from "./aligned_window.ts";
import { GroupFold } from "./group_fold.ts";
import type { TimeUnit } from "./spec.ts";
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
    // The next window reuses the newest n − m rows' panes.
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

export interface IncHoppingConfig {
  /** Window length and hop in ms. */
  length: number;
  period: number;
  rawInterval: number;
  unit: TimeUnit;
  tz: TimezoneOffset;
}

interface IncHoppingState {
  panes: [number, unknown][];
  base: number | null;
  nextEnd: number | null;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * `HOPPINGWINDOW(unit, length, hop)` folded by panes: time is cut into panes of
 * gcd(length, hop) on the windows' grid, each pane folds its rows, and a window merges the
 * panes it covers (accumulators' `merge`). Memory: one fold per pane of the longest window.
 */
export class IncHoppingWindow implements WindowCore {
  private panes = new Map<number, GroupFold>();
  private readonly pane: number;
  /** The grid's origin: the first end. */
  private base: number | undefined;
  private nextEnd: number | undefined;

  constructor(private readonly cfg: IncHoppingConfig, private readonly newFold: () => GroupFold) {
    this.pane = gcd(cfg.length, cfg.period);
  }

  start(now: number): void {
    if (this.nextEnd !== undefined) return;
    this.nextEnd = alignedWindowEnd(now, this.cfg.rawInterval, this.cfg.unit, this.cfg.tz);
    this.base = this.nextEnd;
  }

  add(row: Tuple): void {
    if (this.nextEnd === undefined) {
      this.nextEnd = alignedWindowEnd(
        row.timestamp,
        this.cfg.rawInterval,
        this.cfg.unit,
        this.cfg.tz,
      );
      this.base = this.nextEnd;
    }
    const p = Math.floor((row.timestamp - this.base!) / this.pane);
    let fold = this.panes.get(p);
    if (!fold) {
      fold = this.newFold();
      this.panes.set(p, fold);
    }
    fold.add(row);
  }

  advance(time: number, out: WindowResult[]): void {
    if (this.nextEnd === undefined || this.nextEnd > time) return;
    const { period, length } = this.cfg;
    const missed = Math.floor((time - this.nextEnd) / period);
    if (missed > MAX_CATCH_UP) this.nextEnd += (missed - MAX_CATCH_UP) * period;
    while (this.nextEnd <= time) {
      const end = this.nextEnd;
      const from = Math.floor((end - length - this.base!) / this.pane);
      const to = Math.floor((end - this.base!) / this.pane);
      const covered = [...this.panes.keys()].filter((p) => p >= from && p < to).sort((a, b) =>
        a - b
      );
      out.push({
        start: end - length,
        end,
        rows: GroupFold.merged(covered.map((p) => this.panes.get(p)!)),
      });
      // Panes no later window covers are dropped.
      const keepFrom = Math.floor((end + period - length - this.base!) / this.pane);
      for (const p of [...this.panes.keys()]) if (p < keepFrom) this.panes.delete(p);
      this.nextEnd += period;
    }
  }

  nextDeadline(): number | undefined {
    return this.nextEnd;
  }

  size(): number {
    let n = 0;
    for (const f of this.panes.values()) n += f.size();
    return n;
  }

  snapshot(): IncHoppingState {
    return {
      panes: [...this.panes.entries()].map(([p, f]) => [p, f.snapshot()]),
      base: this.base ?? null,
      nextEnd: this.nextEnd ?? null,
    };
  }

  restore(state: unknown): void {
    const s = state as IncHoppingState;
    if (!s || !Array.isArray(s.panes)) throw new WindowStateError("bad incremental hopping state");
    this.panes = new Map(s.panes.map(([p, snap]) => {
      const f = this.newFold();
      f.restore(snap);
      return [p, f];
    }));
    this.base = s.base ?? undefined;
    this.nextEnd = s.nextEnd ?? undefined;
  }
}
