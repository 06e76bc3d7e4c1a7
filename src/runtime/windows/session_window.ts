/**
 * Session window `SESSIONWINDOW(unit, maxDuration, timeout)` (SPEC §5.2).
 *
 * The first row opens a session (`start` = its timestamp). The session closes when no row came
 * for `timeout` ms: the window `[start, lastRow + timeout)` is emitted with all its rows. A
 * row exactly `timeout` after the previous one already starts a new session.
 *
 * Maximum duration: ticks every `maxDuration` on a grid aligned like tumbling windows (from rule
 * start in processing time, from the first row in event time). At a tick T, when the oldest
 * buffered row is at least `maxDuration` old, the rows before T are emitted as `[start, T)` and
 * the session goes on with `start` = T. This mirrors eKuiper's ticker exactly, including that
 * the age is measured from the oldest *buffered* row, not from the session start (rule test
 * `TestWindowRule5`, reproduced in session_window_test.ts). When a timeout and a tick fall on
 * the same instant the timeout wins. A session whose rows were all emitted by a tick stays
 * open until its timeout, and a timeout with no buffered row emits nothing.
 *
 * eKuiper's event-time trigger aligns the tick grid from each session's first row; here one grid
 * serves all sessions (identical whenever maxDuration divides the next-larger unit).
 *
 * @module
 */
import type { Tuple } from "../tuple.ts";
import { alignedWindowEnd, type TimezoneOffset } from "./align.ts";
import type { GroupFold } from "./group_fold.ts";
import { FoldContent, RowContent, type WindowContent } from "./window_content.ts";
import type { TimeUnit } from "./spec.ts";
import { type WindowCore, type WindowResult, windowResult, WindowStateError } from "./types.ts";

export interface SessionWindowConfig {
  maxDuration: number;
  timeout: number;
  rawMaxDuration: number;
  unit: TimeUnit;
  tz: TimezoneOffset;
}

interface SessionState {
  rows: unknown[];
  open: boolean;
  start: number;
  lastTs: number;
  nextTick: number | null;
}

export class SessionWindow implements WindowCore {
  private readonly content: WindowContent;
  private open = false;
  private start = 0;
  private lastTs = 0;
  private nextTick: number | undefined;

  /** With `fold`, rows are folded (incremental aggregation) and a window's rows are groups. */
  constructor(private readonly cfg: SessionWindowConfig, fold?: GroupFold) {
    this.content = fold ? new FoldContent(fold) : new RowContent();
  }

  /** Processing time: the duration ticker is aligned from rule start. */
  startClock(now: number): void {
    if (this.nextTick !== undefined) return;
    this.nextTick = alignedWindowEnd(now, this.cfg.rawMaxDuration, this.cfg.unit, this.cfg.tz);
  }

  add(row: Tuple): void {
    const ts = row.timestamp;
    if (this.nextTick === undefined) {
      this.nextTick = alignedWindowEnd(ts, this.cfg.rawMaxDuration, this.cfg.unit, this.cfg.tz);
    }
    if (!this.open) {
      this.open = true;
      this.start = ts;
      this.lastTs = ts;
    } else if (ts > this.lastTs) {
      this.lastTs = ts;
    }
    this.content.add(row);
  }

  advance(time: number, out: WindowResult[]): void {
    for (;;) {
      if (this.nextTick === undefined) return;
      const timeoutAt = this.open ? this.lastTs + this.cfg.timeout : Infinity;
      if (timeoutAt <= time && timeoutAt <= this.nextTick) {
        if (this.content.size() > 0) {
          out.push(windowResult(this.start, timeoutAt, this.content.takeBefore(Infinity)));
        }
        this.open = false;
        continue;
      }
      if (this.nextTick > time) return;
      if (!this.open) {
        // Nothing to cut: jump the grid past `time` without visiting idle ticks.
        const step = this.cfg.maxDuration;
        this.nextTick += (Math.floor((time - this.nextTick) / step) + 1) * step;
        return;
      }
      this.tick(this.nextTick, out);
      this.nextTick += this.cfg.maxDuration;
    }
  }

  private tick(at: number, out: WindowResult[]): void {
    const oldest = this.content.oldest();
    if (oldest === undefined || at - oldest < this.cfg.maxDuration) return;
    out.push(windowResult(this.start, at, this.content.takeBefore(at)));
    this.start = at;
  }

  nextDeadline(): number | undefined {
    if (!this.open) return undefined;
    const timeoutAt = this.lastTs + this.cfg.timeout;
    if (this.nextTick === undefined || this.content.size() === 0) return timeoutAt;
    return Math.min(timeoutAt, this.nextTick);
  }

  size(): number {
    return this.content.size();
  }

  snapshot(): SessionState {
    return {
      rows: this.content.snapshot(),
      open: this.open,
      start: this.start,
      lastTs: this.lastTs,
      nextTick: this.nextTick ?? null,
    };
  }

  restore(state: unknown): void {
    const s = state as SessionState;
    if (!s || !Array.isArray(s.rows) || typeof s.open !== "boolean") {
      throw new WindowStateError("bad session window state");
    }
    this.content.restore(s.rows);
    this.open = s.open;
    this.start = s.start;
    this.lastTs = s.lastTs;
    this.nextTick = s.nextTick ?? undefined;
  }
}
