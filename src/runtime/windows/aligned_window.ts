/**
 * Tumbling and hopping windows: ends on a fixed grid aligned to natural time (SPEC §5.2).
 *
 * At each end T the window holds the rows with `T - length <= ts < T` (left inclusive, right
 * exclusive); a tumbling window holds every buffered row with `ts < T`, which also covers the
 * first window since rule start. Tumbling keeps only rows at or after T; hopping keeps only rows
 * the next window can still use (`ts >= T + hop - length`), so memory is one window's worth.
 *
 * `start` (window_start()): tumbling = the previous end (first window: rule start in processing
 * time, first row's timestamp in event time, as eKuiper); hopping = `T - length`, the real
 * content bound (eKuiper reports `previous end - hop`, which equals it only when length = 2·hop).
 *
 * If time jumps over many ends at once (a stalled process, an event-time gap), the missed
 * windows are emitted in order, empty ones included, up to {@link MAX_CATCH_UP}; older ones are
 * skipped (tumbling rows are never lost: they fall into the first emitted window). eKuiper's
 * processing-time ticker instead drops a tick that is more than 50 ms late and re-aligns.
 *
 * @module
 */
import type { Tuple } from "../tuple.ts";
import { alignedWindowEnd, gcd, type TimezoneOffset } from "./align.ts";
import type { TimeUnit } from "./spec.ts";
import { type WindowCore, type WindowResult, windowResult, WindowStateError } from "./types.ts";
import type { GroupFold } from "./group_fold.ts";
import {
  ColumnContent,
  FoldContent,
  PaneContent,
  RowContent,
  type SlicedContent,
  type WindowContent,
} from "./window_content.ts";

/** The columns a window holds its rows as: those its rule reads of its one stream. */
export interface HeldColumns {
  emitter: string;
  names: readonly string[];
}

/** Most consecutive windows emitted for one jump of time. */
export const MAX_CATCH_UP = 1000;

export interface AlignedWindowConfig {
  /** Window length in ms. */
  length: number;
  /** Distance between ends in ms (= length for tumbling). */
  period: number;
  /** The interval as written in SQL and its unit, for the first end's alignment. */
  rawInterval: number;
  unit: TimeUnit;
  tumbling: boolean;
  tz: TimezoneOffset;
}

interface AlignedState {
  rows: unknown[];
  nextEnd: number | null;
  lastEnd: number | null;
}

export class AlignedWindow implements WindowCore {
  /** Rows (or, folding, their groups: one fold when tumbling, one per pane when hopping) not
   * emitted yet. */
  private readonly content: WindowContent | SlicedContent;
  private nextEnd: number | undefined;
  /** Previous end, or where the first window starts. */
  private lastEnd: number | undefined;

  /** With `fold`, rows are folded and a window's rows are its groups; a hopping window folds
   * panes of gcd(length, hop) and merges those a window covers (accumulators need `merge`).
   * With `columns`, rows are held (and emitted) as those columns. */
  constructor(
    private readonly cfg: AlignedWindowConfig,
    fold?: () => GroupFold,
    columns?: HeldColumns,
  ) {
    this.content = !fold
      ? columns ? new ColumnContent(columns.emitter, columns.names) : new RowContent()
      : cfg.tumbling
      ? new FoldContent(fold())
      : new PaneContent(gcd(cfg.length, cfg.period), fold);
  }

  /** Sets the first end; a pane content takes its grid from it. */
  private setFirstEnd(end: number): void {
    this.nextEnd = end;
    if (this.content instanceof PaneContent) this.content.align(end);
  }

  /** Processing time: the first window runs from rule start to the next aligned end. */
  start(now: number): void {
    if (this.nextEnd !== undefined) return;
    this.setFirstEnd(alignedWindowEnd(now, this.cfg.rawInterval, this.cfg.unit, this.cfg.tz));
    this.lastEnd = now;
  }

  add(row: Tuple): void {
    if (this.nextEnd === undefined) {
      // Event time: the grid is aligned from the earliest row.
      this.setFirstEnd(
        alignedWindowEnd(row.timestamp, this.cfg.rawInterval, this.cfg.unit, this.cfg.tz),
      );
      this.lastEnd = row.timestamp;
    }
    this.content.add(row);
  }

  advance(time: number, out: WindowResult[]): void {
    if (this.nextEnd === undefined || this.nextEnd > time) return;
    const period = this.cfg.period;
    const missed = Math.floor((time - this.nextEnd) / period);
    if (missed > MAX_CATCH_UP) this.nextEnd += (missed - MAX_CATCH_UP) * period;
    while (this.nextEnd <= time) {
      out.push(
        this.cfg.tumbling ? this.emitTumbling(this.nextEnd) : this.emitHopping(this.nextEnd),
      );
      this.lastEnd = this.nextEnd;
      this.nextEnd += period;
    }
  }

  private emitTumbling(end: number): WindowResult {
    return windowResult(this.lastEnd ?? end - this.cfg.length, end, this.content.takeBefore(end));
  }

  private emitHopping(end: number): WindowResult {
    const start = end - this.cfg.length;
    const keepFrom = end + this.cfg.period - this.cfg.length;
    return windowResult(start, end, (this.content as SlicedContent).slice(start, end, keepFrom));
  }

  nextDeadline(): number | undefined {
    return this.nextEnd;
  }

  size(): number {
    return this.content.size();
  }

  snapshot(): AlignedState {
    return {
      rows: this.content.snapshot(),
      nextEnd: this.nextEnd ?? null,
      lastEnd: this.lastEnd ?? null,
    };
  }

  restore(state: unknown): void {
    const s = state as AlignedState;
    if (!s || !Array.isArray(s.rows)) throw new WindowStateError("bad tumbling/hopping state");
    this.content.restore(s.rows);
    this.nextEnd = s.nextEnd ?? undefined;
    this.lastEnd = s.lastEnd ?? undefined;
  }
}
