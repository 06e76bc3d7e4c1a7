/**
 * Incremental window cores: the tumbling and count windows of `aligned_window.ts` and
 * `count_window.ts`, with rows folded into a {@link GroupFold} as they arrive instead of being
 * stored. Boundaries, alignment and `start`/`end` are the same as the row-keeping cores, so a
 * rule gives the same results with and without `enableIncrementalWindow`; an emitted window's
 * `rows` are its groups (first row + aggregate results).
 *
 * @module
 */
import type { Tuple } from "../tuple.ts";
import { alignedWindowEnd, type TimezoneOffset } from "./align.ts";
import { MAX_CATCH_UP } from "./aligned_window.ts";
import type { GroupFold } from "./group_fold.ts";
import type { TimeUnit } from "./spec.ts";
import { type WindowCore, type WindowResult, WindowStateError } from "./types.ts";

export interface IncTumblingConfig {
  /** Window length (= period) in ms. */
  length: number;
  rawInterval: number;
  unit: TimeUnit;
  tz: TimezoneOffset;
}

interface IncTumblingState {
  fold: unknown;
  nextEnd: number | null;
  lastEnd: number | null;
}

export class IncTumblingWindow implements WindowCore {
  private nextEnd: number | undefined;
  private lastEnd: number | undefined;

  constructor(private readonly cfg: IncTumblingConfig, private readonly fold: GroupFold) {}

  start(now: number): void {
    if (this.nextEnd !== undefined) return;
    this.nextEnd = alignedWindowEnd(now, this.cfg.rawInterval, this.cfg.unit, this.cfg.tz);
    this.lastEnd = now;
  }

  add(row: Tuple): void {
    if (this.nextEnd === undefined) {
      // Event time: the grid is aligned from the earliest row.
      this.nextEnd = alignedWindowEnd(
        row.timestamp,
        this.cfg.rawInterval,
        this.cfg.unit,
        this.cfg.tz,
      );
      this.lastEnd = row.timestamp;
    }
    this.fold.add(row);
  }

  advance(time: number, out: WindowResult[]): void {
    if (this.nextEnd === undefined || this.nextEnd > time) return;
    const period = this.cfg.length;
    const missed = Math.floor((time - this.nextEnd) / period);
    if (missed > MAX_CATCH_UP) this.nextEnd += (missed - MAX_CATCH_UP) * period;
    while (this.nextEnd <= time) {
      const end = this.nextEnd;
      out.push({ start: this.lastEnd ?? end - period, end, rows: this.fold.take() });
      this.lastEnd = end;
      this.nextEnd += period;
    }
  }

  nextDeadline(): number | undefined {
    return this.nextEnd;
  }

  size(): number {
    return this.fold.size();
  }

  snapshot(): IncTumblingState {
    return {
      fold: this.fold.snapshot(),
      nextEnd: this.nextEnd ?? null,
      lastEnd: this.lastEnd ?? null,
    };
  }

  restore(state: unknown): void {
    const s = state as IncTumblingState;
    if (!s || !Array.isArray(s.fold)) throw new WindowStateError("bad incremental tumbling state");
    this.fold.restore(s.fold);
    this.nextEnd = s.nextEnd ?? undefined;
    this.lastEnd = s.lastEnd ?? undefined;
  }
}

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
