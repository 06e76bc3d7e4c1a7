/**
 * Incremental window cores for the windows whose rows do not simply leave together (tumbling
 * and session windows fold through `window_content.ts`): count windows (`COUNTWINDOW(n)`) and
 * hopping windows (by panes), with rows folded into a {@link GroupFold} as they arrive instead
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
  fold: unknown;
  counted: number;
  lastEmit: number | null;
}

/** `COUNTWINDOW(n)`: every n rows emit their groups (windows do not overlap). */
export class IncCountWindow implements WindowCore {
  private counted = 0;
  private lastEmit: number | undefined;

  constructor(private readonly size_: number, private readonly fold: GroupFold) {}

  add(row: Tuple, out: WindowResult[]): void {
    if (this.lastEmit === undefined) this.lastEmit = row.timestamp;
    this.fold.add(row);
    if (++this.counted < this.size_) return;
    this.counted = 0;
    out.push({ start: this.lastEmit, end: row.timestamp, rows: this.fold.take() });
    this.lastEmit = row.timestamp;
  }

  advance(): void {}

  nextDeadline(): undefined {
    return undefined;
  }

  size(): number {
    return this.fold.size();
  }

  snapshot(): IncCountState {
    return { fold: this.fold.snapshot(), counted: this.counted, lastEmit: this.lastEmit ?? null };
  }

  restore(state: unknown): void {
    const s = state as IncCountState;
    if (!s || !Array.isArray(s.fold) || typeof s.counted !== "number") {
      throw new WindowStateError("bad incremental count window state");
    }
    this.fold.restore(s.fold);
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
