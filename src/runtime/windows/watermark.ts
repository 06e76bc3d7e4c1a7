/**
 * The event-time watermark (eKuiper's `watermark_op.go`, SPEC §5.4), plus an idle timeout.
 *
 * Per input emitter the largest event timestamp seen is tracked; the watermark is the minimum
 * of those maxima minus `lateTolerance`, and never goes back. Rows are held in timestamp order
 * and released once `ts <= watermark`. A row older than the last watermark is late: it is
 * dropped and counted. Declared emitters that have not sent anything hold the watermark back
 * (eKuiper starts them at `lateTolerance`, which has the same effect).
 *
 * Beyond eKuiper - `idleTimeout` (proposed rule option `watermarkIdleTimeout`, ms, 0 = off):
 * an emitter that has sent nothing for `idleTimeout` ms of processing time stops holding the
 * watermark back; when every emitter is idle, event time flows with the wall clock from the
 * newest row: `watermark = newestTs + (now - lastArrival) - lateTolerance`. So the last window
 * closes without new data, about `windowEnd - newestTs + lateTolerance` after the stream went
 * quiet (and not before `idleTimeout`).
 *
 * @module
 */
import type { Tuple } from "../tuple.ts";
import { RowQueue } from "./row_queue.ts";
import { WindowStateError } from "./types.ts";

export interface WatermarkConfig {
  lateTolerance: number;
  /** ms of processing-time silence after which an emitter is idle; 0 = never. */
  idleTimeout: number;
  /** Emitters to wait for before the watermark moves (the rule's streams); optional. */
  emitters?: readonly string[];
}

interface EmitterState {
  /** Largest event timestamp, -Infinity before the first row. */
  maxTs: number;
  /** Processing time of the last row (or of operator start for declared emitters). */
  lastArrival: number;
}

export interface WatermarkState {
  pending: Tuple[];
  emitters: [string, { maxTs: number | null; lastArrival: number }][];
  watermark: number | null;
  dropped: number;
}

export class Watermark {
  private readonly emitters = new Map<string, EmitterState>();
  private pending = new RowQueue();
  private last = -Infinity;
  private dropped = 0;
  private started = false;

  constructor(private readonly cfg: WatermarkConfig) {}

  /** Declared emitters start their idle clock here. */
  start(now: number): void {
    if (this.started) return;
    this.started = true;
    for (const e of this.cfg.emitters ?? []) {
      if (!this.emitters.has(e)) this.emitters.set(e, { maxTs: -Infinity, lastArrival: now });
    }
  }

  /** Accepts a row (false = late, dropped and counted). */
  offer(t: Tuple, now: number): boolean {
    const ts = t.timestamp;
    const e = this.emitters.get(t.emitter);
    if (e === undefined) this.emitters.set(t.emitter, { maxTs: ts, lastArrival: now });
    else {
      if (ts > e.maxTs) e.maxTs = ts;
      e.lastArrival = now;
    }
    if (ts < this.last) {
      this.dropped++;
      return false;
    }
    this.pending.insertByTime(t);
    return true;
  }

  /** Moves the watermark for processing time `now`; returns the rows it releases, in order. */
  advance(now: number): Tuple[] {
    const wm = this.compute(now);
    if (!(wm > this.last)) return [];
    this.last = wm;
    return this.pending.takeFront(this.pending.countBefore(wm, true));
  }

  private compute(now: number): number {
    const idle = this.cfg.idleTimeout;
    let min = Infinity;
    let active = 0;
    let newest = -Infinity;
    let newestArrival = -Infinity;
    for (const e of this.emitters.values()) {
      if (e.maxTs > newest) newest = e.maxTs;
      if (e.lastArrival > newestArrival) newestArrival = e.lastArrival;
      if (idle > 0 && now - e.lastArrival >= idle) continue;
      active++;
      if (e.maxTs < min) min = e.maxTs;
    }
    if (active > 0) return min - this.cfg.lateTolerance;
    if (idle > 0 && newest > -Infinity) {
      return newest + (now - newestArrival) - this.cfg.lateTolerance;
    }
    return -Infinity;
  }

  /** The current watermark (undefined before the first one). */
  current(): number | undefined {
    return this.last === -Infinity ? undefined : this.last;
  }

  /**
   * With an idle timeout, the processing time at which the watermark would next move on its
   * own far enough to reach event time `target` (or an emitter turns idle); else undefined.
   */
  wakeUp(now: number, target: number | undefined): number | undefined {
    const idle = this.cfg.idleTimeout;
    if (idle <= 0 || this.emitters.size === 0) return undefined;
    let next = Infinity;
    let allIdle = true;
    let newest = -Infinity;
    let newestArrival = -Infinity;
    for (const e of this.emitters.values()) {
      if (e.maxTs > newest) newest = e.maxTs;
      if (e.lastArrival > newestArrival) newestArrival = e.lastArrival;
      if (now - e.lastArrival < idle) {
        allIdle = false;
        next = Math.min(next, e.lastArrival + idle);
      }
    }
    const head = this.pending.length > 0 ? this.pending.at(0).timestamp : Infinity;
    const goal = Math.min(target ?? Infinity, head);
    if (allIdle && goal < Infinity && newest > -Infinity) {
      next = Math.min(next, goal + this.cfg.lateTolerance - newest + newestArrival);
    }
    return next === Infinity ? undefined : Math.max(next, now);
  }

  pendingCount(): number {
    return this.pending.length;
  }

  lateDropped(): number {
    return this.dropped;
  }

  snapshot(): WatermarkState {
    return {
      pending: this.pending.toArray(),
      emitters: [...this.emitters].map((
        [k, e],
      ) => [k, { maxTs: e.maxTs === -Infinity ? null : e.maxTs, lastArrival: e.lastArrival }]),
      watermark: this.last === -Infinity ? null : this.last,
      dropped: this.dropped,
    };
  }

  restore(s: WatermarkState): void {
    if (!s || !Array.isArray(s.pending) || !Array.isArray(s.emitters)) {
      throw new WindowStateError("bad watermark state");
    }
    this.pending = new RowQueue(s.pending);
    this.emitters.clear();
    for (const [k, e] of s.emitters) {
      this.emitters.set(k, { maxTs: e.maxTs ?? -Infinity, lastArrival: e.lastArrival });
    }
    this.last = s.watermark ?? -Infinity;
    this.dropped = s.dropped;
    this.started = true;
  }
}
