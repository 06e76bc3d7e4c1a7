/**
 * `SLIDINGWINDOW(unit, length[, delay]) [OVER (WHEN ...)]` with incremental aggregation.
 *
 * A sliding window has no grid: every triggering row at t ends a window of its own over the
 * rows of `[t - length, t]` (delay D: `[t - length, t + D)`, emitted at t + D), as in
 * `sliding_window.ts`, whose boundaries this follows exactly. Rows leave one by one as time
 * passes, so no pane coarser than a row's timestamp keeps the results exact. The finest
 * exact pane is a *slice*: the rows of one group that share one timestamp (1 ms), folded into
 * one accumulator state per aggregate. A slice keeps no rows, only the group's first row cut
 * down to what the statement reads of it outside aggregates (`FoldPlan.firstRow`).
 *
 * Each group's slices form a FIFO aggregated with the two-stacks algorithm (Tangwongsan et al.,
 * "General incremental sliding-window aggregation", VLDB 2015): new slices go on a back stack
 * with a running aggregate, eviction pops a front stack whose entries carry the aggregate of
 * themselves and everything newer in front, refilled from the back stack in one pass when empty.
 * A window's result per group is `merge(front top, back)`. Adding and evicting cost O(1)
 * amortised merges; emitting costs one merge per group held, whatever the window length.
 * Accumulators' `merge` must keep order (older first): collect, merge_agg and last_value
 * depend on it.
 *
 * Groups come out in the order of their oldest row in the window, as grouping the window's rows
 * would give them.
 *
 * @module
 */
import type { Tuple } from "../tuple.ts";
import { FoldError, type FoldFunc, type GroupFold } from "./group_fold.ts";
import { insertSorted } from "./sliding_window.ts";
import {
  matches,
  type Predicate,
  type WindowCore,
  type WindowResult,
  WindowStateError,
} from "./types.ts";

export interface IncSlidingConfig {
  length: number;
  delay: number;
  trigger?: Predicate;
  onError?: (message: string) => void;
}

/** A fold that failed in a slice: merging with it keeps the failure (as a batch would fail). */
class Failed {
  constructor(readonly cause: unknown) {}
}

/** The rows of one group at one timestamp, folded. */
interface Slice {
  ts: number;
  /** Arrival order of the slice's first row: groups are emitted in this order. */
  seq: number;
  first: Tuple;
  states: unknown[];
}

class GroupQueue {
  /** Oldest slice last; `aggs[i]` folds `front[i]` and every newer slice of `front`. */
  front: Slice[] = [];
  aggs: unknown[][] = [];
  back: Slice[] = [];
  backAgg: unknown[];

  constructor(private readonly merger: StateMerger) {
    this.backAgg = merger.init();
  }

  get length(): number {
    return this.front.length + this.back.length;
  }

  newest(): Slice | undefined {
    return this.back.length > 0 ? this.back[this.back.length - 1] : this.front[0];
  }

  oldest(): Slice | undefined {
    return this.front.length > 0 ? this.front[this.front.length - 1] : this.back[0];
  }

  push(s: Slice): void {
    this.back.push(s);
    this.backAgg = this.merger.merge(this.backAgg, s.states);
  }

  /** Folds `lifted` into the newest slice, which must be on the back stack. */
  foldIntoNewest(lifted: unknown[]): void {
    const s = this.back[this.back.length - 1];
    s.states = this.merger.merge(s.states, lifted);
    this.backAgg = this.merger.merge(this.backAgg, lifted);
  }

  shift(): void {
    if (this.front.length === 0) this.flip();
    this.front.pop();
    this.aggs.pop();
  }

  /** The aggregate of every slice held. */
  total(): unknown[] {
    if (this.front.length === 0) return this.backAgg;
    return this.merger.merge(this.aggs[this.aggs.length - 1], this.backAgg);
  }

  private flip(): void {
    // Newest first, so each entry's aggregate covers itself and what is newer.
    let agg: unknown[] | undefined;
    for (let i = this.back.length - 1; i >= 0; i--) {
      const s = this.back[i];
      agg = agg === undefined ? s.states : this.merger.merge(s.states, agg);
      this.front.push(s);
      this.aggs.push(agg);
    }
    this.back = [];
    this.backAgg = this.merger.init();
  }
}

/** Pure, order-keeping merges of whole state vectors (one state per folded aggregate). */
class StateMerger {
  constructor(private readonly funcs: readonly FoldFunc[]) {}

  init(): unknown[] {
    return this.funcs.map((f) => f.acc.init());
  }

  merge(a: unknown[], b: unknown[]): unknown[] {
    const out = new Array<unknown>(a.length);
    for (let i = 0; i < a.length; i++) {
      const x = a[i], y = b[i];
      if (x instanceof Failed) out[i] = x;
      else if (y instanceof Failed) out[i] = y;
      else {
        // Partial states can clash as rows would (max of a number and a string).
        try {
          out[i] = this.funcs[i].acc.merge!(x, y);
        } catch (e) {
          out[i] = new Failed(e);
        }
      }
    }
    return out;
  }

  results(states: unknown[]): unknown[] {
    return states.map((s, i) =>
      s instanceof Failed ? new FoldError(this.funcs[i].name, s.cause) : this.funcs[i].acc.result(s)
    );
  }
}

interface IncSlidingState {
  /** Slices in arrival order: [ts, seq, group key, first row, states]. */
  slices: [number, number, string, Tuple, unknown[]][];
  pending: number[];
  seq: number;
}

export class IncSlidingWindow implements WindowCore {
  private groups = new Map<string, GroupQueue>();
  /** Every slice held, oldest first (eviction order across groups). */
  private order: { ts: number; key: string }[] = [];
  private head = 0;
  private pending: number[] = [];
  private seq = 0;
  private readonly merger: StateMerger;

  constructor(private readonly cfg: IncSlidingConfig, private readonly fold: GroupFold) {
    this.merger = new StateMerger(fold.funcs);
  }

  add(row: Tuple, out: WindowResult[]): void {
    const t = row.timestamp;
    const { length, delay } = this.cfg;
    this.evictBefore(t - length - delay);
    this.fold1(row);
    if (this.cfg.trigger && !matches(this.cfg.trigger, row, this.cfg.onError)) return;
    if (delay > 0) {
      insertSorted(this.pending, t + delay);
      return;
    }
    out.push({ start: t - length, end: t, rows: this.results() });
  }

  advance(time: number, out: WindowResult[]): void {
    while (this.pending.length > 0 && this.pending[0] <= time) {
      const end = this.pending.shift()!;
      const start = end - this.cfg.delay - this.cfg.length;
      // Every slice held is older than `end`: the operator fires a deadline before adding
      // a row at or past it.
      this.evictBefore(start);
      out.push({ start, end, rows: this.results() });
    }
  }

  nextDeadline(): number | undefined {
    return this.pending[0];
  }

  /** Slices held (each stands for one group's rows at one timestamp). */
  size(): number {
    return this.order.length - this.head;
  }

  snapshot(): IncSlidingState {
    const slices: IncSlidingState["slices"] = [];
    for (const [key, q] of this.groups) {
      const all = [...q.front].reverse().concat(q.back);
      for (const s of all) {
        slices.push([s.ts, s.seq, key, s.first, s.states.map((x) => failedToJson(x))]);
      }
    }
    slices.sort((a, b) => a[1] - b[1]);
    return { slices, pending: this.pending.slice(), seq: this.seq };
  }

  restore(state: unknown): void {
    const s = state as IncSlidingState;
    if (!s || !Array.isArray(s.slices) || !Array.isArray(s.pending)) {
      throw new WindowStateError("bad incremental sliding window state");
    }
    this.groups = new Map();
    this.order = [];
    this.head = 0;
    // Eviction goes by time: rebuild the order by timestamp, arrival within one.
    const slices = s.slices.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [ts, seq, key, first, states] of slices) {
      this.queue(key).push({ ts, seq, first, states: states.map((x) => failedFromJson(x)) });
      this.order.push({ ts, key });
    }
    this.pending = s.pending.slice();
    this.seq = s.seq ?? slices.length;
  }

  private queue(key: string): GroupQueue {
    let q = this.groups.get(key);
    if (!q) {
      q = new GroupQueue(this.merger);
      this.groups.set(key, q);
    }
    return q;
  }

  private fold1(row: Tuple): void {
    const key = this.fold.groupKey(row);
    if (key === undefined) return;
    const funcs = this.fold.funcs;
    const lifted = new Array<unknown>(funcs.length);
    for (let i = 0; i < funcs.length; i++) {
      try {
        lifted[i] = this.fold.addTo(i, funcs[i].acc.init(), row);
      } catch (e) {
        lifted[i] = new Failed(e);
      }
    }
    const q = this.queue(key);
    const newest = q.newest();
    if (newest && newest.ts === row.timestamp && q.back.length > 0) {
      q.foldIntoNewest(lifted);
      return;
    }
    q.push({ ts: row.timestamp, seq: this.seq++, first: this.slim(row), states: lifted });
    this.order.push({ ts: row.timestamp, key });
  }

  private evictBefore(start: number): void {
    const order = this.order;
    while (this.head < order.length && order[this.head].ts < start) {
      const { key } = order[this.head++];
      const q = this.groups.get(key)!;
      q.shift();
      if (q.length === 0) this.groups.delete(key);
    }
    if (this.head > 1024 && this.head * 2 > order.length) {
      this.order = order.slice(this.head);
      this.head = 0;
    }
  }

  private results(): Tuple[] {
    const held: { seq: number; first: Tuple; q: GroupQueue }[] = [];
    for (const q of this.groups.values()) {
      const s = q.oldest()!;
      held.push({ seq: s.seq, first: s.first, q });
    }
    held.sort((a, b) => a.seq - b.seq);
    return held.map(({ first, q }) => ({ ...first, inc: this.merger.results(q.total()) }));
  }

  /** The part of a group's first row the statement can read. */
  private slim(row: Tuple): Tuple {
    const keep = this.fold.firstRow;
    if (!keep) return row;
    const message: Record<string, unknown> = {};
    for (const c of keep.columns) if (c in row.message) message[c] = row.message[c];
    const slim: Tuple = {
      emitter: row.emitter,
      message,
      meta: keep.meta ? row.meta : undefined,
      timestamp: row.timestamp,
    };
    if (row.analytic) slim.analytic = row.analytic;
    return slim;
  }
}

function failedToJson(x: unknown): unknown {
  return x instanceof Failed ? { $failed: String((x.cause as Error)?.message ?? x.cause) } : x;
}

function failedFromJson(x: unknown): unknown {
  if (x !== null && typeof x === "object" && "$failed" in x) {
    return new Failed(new Error(String((x as { $failed: unknown }).$failed)));
  }
  return x;
}
