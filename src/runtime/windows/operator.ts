/**
 * The window operator: one window kind (tumbling, hopping, sliding, session, count, state) in
 * processing time or event time, as a pure synchronous object driven by an injected clock.
 *
 * ## Contract for the rule runtime
 * - `start(now)` at rule start (or the `startTime` option): starts the processing-time clock.
 * - `push(batch, now)`: rows in arrival order; returns the windows they close (count, state,
 *   undelayed sliding, and any time-driven window whose deadline the rows' timestamps or `now`
 *   passed). Rows failing `FILTER (WHERE ...)` never enter the window.
 * - `onTime(now)`: fires the windows due at `now`. Call it at `nextDeadline()` (a timer the
 *   runtime owns); calling it late is fine (missed windows are emitted in order), calling it
 *   early or often is harmless.
 * - `nextDeadline()`: epoch ms of processing time at which `onTime` is next needed, or
 *   undefined (nothing scheduled: count/state windows, event time without an idle timeout).
 *   Re-read it after every `push`/`onTime`/`restore`.
 * - `bufferedCount()`: rows held (window + watermark buffer), for metrics.
 * - `lateDropped()`: event-time rows dropped as late (ts < last watermark).
 * - `snapshot()`/`restore()`: plain state for checkpoints (JSON-serialisable as long as the
 *   tuples are: a bytea value (Uint8Array) needs the checkpoint codec's care). Restore into an
 *   operator built from the same spec and options.
 *
 * ## Time
 * Processing time: a row's time is its `timestamp` (arrival, set by the source); `now` drives
 * the deadlines. Before each row is added, time advances to the row's timestamp (never past
 * `now`), so a window whose end the row is at or past closes without it (ends are exclusive).
 * Tumbling/hopping ends and the session duration ticker are aligned from `startTime`. Pass the
 * rule start there or call `start(now)`: without it the clock starts at the first
 * `push`/`onTime`, so a rule that receives nothing would emit no (empty) windows.
 *
 * Event time (`isEventTime`): rows go through the {@link Watermark} first; released rows enter
 * the window in timestamp order and the watermark is the clock. The first tumbling/hopping end
 * is aligned from the earliest row. `emitters` must be the exact `tuple.emitter` values of the
 * rule's inputs: a declared emitter that never sends holds the watermark back (unless
 * `watermarkIdleTimeout` is set).
 *
 * ## Window bounds
 * `start`/`end` feed window_start()/window_end(). Ends are exclusive except for a sliding
 * window without delay, whose rows satisfy `end - length <= ts <= end` (eKuiper's v1 operator).
 *
 * @module
 */
import type { Tuple } from "../tuple.ts";
import { localTimezone, type TimezoneOffset } from "./align.ts";
import { AlignedWindow, type HeldColumns } from "./aligned_window.ts";
import { CountWindow } from "./count_window.ts";
import { SessionWindow } from "./session_window.ts";
import { SlidingWindow } from "./sliding_window.ts";
import { unitMs, type WindowSpec } from "./spec.ts";
import { StateWindow } from "./state_window.ts";
import {
  matches,
  type Predicate,
  type WindowCore,
  type WindowResult,
  WindowStateError,
} from "./types.ts";
import { Watermark, type WatermarkState } from "./watermark.ts";
import type { GroupFold } from "./group_fold.ts";
import { IncCountWindow } from "./inc_count_window.ts";
import { IncSlidingWindow } from "./inc_sliding_window.ts";

/** eKuiper's code default for `lateTolerance` (its docs say 0). */
export const DEFAULT_LATE_TOLERANCE = 1000;

export interface WindowOptions {
  /** Rule option `isEventTime`. */
  isEventTime?: boolean;
  /** Rule option `lateTolerance` in ms (event time); negative values fall back to the default. */
  lateTolerance?: number;
  /** Proposed rule option `watermarkIdleTimeout` in ms (event time); 0/undefined = off. */
  watermarkIdleTimeout?: number;
  /** The rule's input streams (tuple emitters); event time waits for all of them. */
  emitters?: readonly string[];
  /** Rule start (processing time alignment); default: the first `push`/`onTime` call. */
  startTime?: number;
  /** Local time offset used for alignment; default: the process's time zone. */
  timezone?: TimezoneOffset;
  /** Errors of FILTER/trigger/condition/key evaluation (the row counts as not matching). */
  onError?: (message: string) => void;
  /**
   * Incremental aggregation: rows are folded into the folds this makes instead of being kept,
   * and a window's `rows` are its groups. Every window but state windows; hopping, sliding and
   * `COUNTWINDOW(n, m)` with m != n merge accumulators (they need `merge`).
   */
  fold?: () => GroupFold;
  /** Tumbling and hopping windows hold their rows as these columns (rows of `emitter` only,
   * none of `parts`, `analytic` or `group`) and emit them as `WindowResult.columns`. */
  columns?: HeldColumns;
}

export interface WindowSnapshot {
  version: 1;
  type: WindowSpec["type"];
  isEventTime: boolean;
  started: boolean;
  core: unknown;
  watermark: WatermarkState | null;
}

export class WindowOperator {
  private readonly core: WindowCore;
  private readonly clockStart: ((now: number) => void) | undefined;
  private readonly watermark: Watermark | undefined;
  private readonly filter: Predicate | undefined;
  private readonly onError: ((message: string) => void) | undefined;
  private started = false;
  private lastNow = -Infinity;

  constructor(readonly spec: WindowSpec, options: WindowOptions = {}) {
    const tz = options.timezone ?? localTimezone;
    this.onError = options.onError;
    this.filter = spec.filter;
    const made = makeCore(spec, tz, this.onError, options.fold, options.columns);
    this.core = made.core;
    this.clockStart = made.start;
    if (options.isEventTime) {
      const tol = options.lateTolerance;
      this.watermark = new Watermark({
        lateTolerance: tol === undefined || tol < 0 ? DEFAULT_LATE_TOLERANCE : tol,
        idleTimeout: Math.max(0, options.watermarkIdleTimeout ?? 0),
        emitters: options.emitters,
      });
    }
    if (options.startTime !== undefined) this.ensureStarted(options.startTime);
  }

  /**
   * Starts the clock at rule start (same as the `startTime` option; idempotent): processing-time
   * windows are aligned from here and emit, empty or not, from here on.
   */
  start(now: number): void {
    this.ensureStarted(now);
    if (this.lastNow < now) this.lastNow = now;
  }

  push(batch: readonly Tuple[], now: number): WindowResult[] {
    this.ensureStarted(now);
    this.lastNow = now;
    const out: WindowResult[] = [];
    const wm = this.watermark;
    if (wm) {
      for (const t of batch) {
        if (this.validTime(t) && wm.offer(t, now)) this.release(wm, now, out);
      }
      return out;
    }
    for (const t of batch) {
      if (!this.validTime(t)) continue;
      this.core.advance(Math.min(t.timestamp, now), out);
      this.addFiltered(t, out);
    }
    this.core.advance(now, out);
    return out;
  }

  onTime(now: number): WindowResult[] {
    this.ensureStarted(now);
    this.lastNow = now;
    const out: WindowResult[] = [];
    if (this.watermark) this.release(this.watermark, now, out);
    else this.core.advance(now, out);
    return out;
  }

  nextDeadline(): number | undefined {
    if (!this.watermark) return this.core.nextDeadline();
    return this.watermark.wakeUp(this.lastNow, this.core.nextDeadline());
  }

  bufferedCount(): number {
    return this.core.size() + (this.watermark?.pendingCount() ?? 0);
  }

  lateDropped(): number {
    return this.watermark?.lateDropped() ?? 0;
  }

  /** The current event-time watermark (undefined in processing time or before the first). */
  currentWatermark(): number | undefined {
    return this.watermark?.current();
  }

  snapshot(): WindowSnapshot {
    return structuredClone({
      version: 1,
      type: this.spec.type,
      isEventTime: this.watermark !== undefined,
      started: this.started,
      core: this.core.snapshot(),
      watermark: this.watermark?.snapshot() ?? null,
    });
  }

  restore(s: WindowSnapshot): void {
    if (s?.version !== 1 || s.type !== this.spec.type) {
      throw new WindowStateError(
        `cannot restore a ${s?.type ?? "unknown"} window state into a ${this.spec.type} window`,
      );
    }
    if (s.isEventTime !== (this.watermark !== undefined)) {
      throw new WindowStateError("cannot restore window state across isEventTime settings");
    }
    const copy = structuredClone(s);
    this.core.restore(copy.core);
    if (this.watermark && copy.watermark) this.watermark.restore(copy.watermark);
    this.started = copy.started;
  }

  private ensureStarted(now: number): void {
    if (this.started) return;
    this.started = true;
    if (this.watermark) this.watermark.start(now);
    else this.clockStart?.(now);
  }

  private release(wm: Watermark, now: number, out: WindowResult[]): void {
    const rows = wm.advance(now);
    for (const r of rows) {
      this.core.advance(r.timestamp, out);
      this.addFiltered(r, out);
    }
    const w = wm.current();
    if (w !== undefined) this.core.advance(w, out);
  }

  /** A row without a usable timestamp cannot be placed in time: reported and skipped. */
  private validTime(t: Tuple): boolean {
    if (Number.isFinite(t.timestamp)) return true;
    this.onError?.(`window: invalid timestamp ${String(t.timestamp)}, row skipped`);
    return false;
  }

  private addFiltered(t: Tuple, out: WindowResult[]): void {
    if (this.filter && !matches(this.filter, t, this.onError)) return;
    this.core.add(t, out);
  }
}

/**
 * The core of one window kind. With `fold` (incremental aggregation) the same boundaries hold
 * folds instead of rows: tumbling and session windows hold one, hopping and count windows one
 * per pane, sliding windows one per slice; state windows cannot fold.
 */
function makeCore(
  spec: WindowSpec,
  tz: TimezoneOffset,
  onError: ((message: string) => void) | undefined,
  fold: (() => GroupFold) | undefined,
  columns: HeldColumns | undefined,
): { core: WindowCore; start?: (now: number) => void } {
  switch (spec.type) {
    case "tumbling":
    case "hopping": {
      const ms = unitMs(spec.unit);
      const hop = spec.type === "hopping" ? spec.hop : spec.length;
      const core = new AlignedWindow(
        {
          length: spec.length * ms,
          period: hop * ms,
          rawInterval: hop,
          unit: spec.unit,
          tumbling: spec.type === "tumbling",
          tz,
        },
        fold,
        columns,
      );
      return { core, start: (now) => core.start(now) };
    }
    case "sliding": {
      const ms = unitMs(spec.unit);
      const cfg = {
        length: spec.length * ms,
        delay: spec.delay * ms,
        trigger: spec.trigger,
        onError,
      };
      return { core: fold ? new IncSlidingWindow(cfg, fold()) : new SlidingWindow(cfg) };
    }
    case "session": {
      const ms = unitMs(spec.unit);
      const core = new SessionWindow({
        maxDuration: spec.maxDuration * ms,
        timeout: spec.timeout * ms,
        rawMaxDuration: spec.maxDuration,
        unit: spec.unit,
        tz,
      }, fold?.());
      return { core, start: (now) => core.startClock(now) };
    }
    case "count":
      return {
        core: fold
          ? new IncCountWindow(spec.size, spec.interval, fold)
          : new CountWindow(spec.size, spec.interval),
      };
    case "state":
      if (fold) throw new WindowStateError("a state window cannot fold its rows");
      return {
        core: new StateWindow({
          begin: spec.begin,
          emit: spec.emit,
          partitionBy: spec.partitionBy,
          onError,
        }),
      };
  }
}
