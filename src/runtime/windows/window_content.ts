/**
 * What a window holds until it is emitted: its rows, or - incremental aggregation - their fold
 * (per-group accumulators, see `group_fold.ts`), whose emitted "rows" are the groups.
 *
 * A fold can only give everything it holds: it serves windows whose rows all leave together.
 * That holds for tumbling and session windows because a core adds a row only after every
 * deadline before the row's time has fired, so whatever is held at a deadline is older than it.
 * Hopping windows overlap: they cut their content with `slice`, which rows support directly and
 * folds support by panes (`PaneContent`).
 *
 * @module
 */
import type { Tuple } from "../tuple.ts";
import { GroupFold } from "./group_fold.ts";
import { RowColumns } from "./row_columns.ts";

/** A window's rows: tuples, or columns (`ColumnContent`). */
export type WindowRows = Tuple[] | RowColumns;

export interface WindowContent {
  add(row: Tuple): void;
  size(): number;
  /** Timestamp of the oldest held row. */
  oldest(): number | undefined;
  /** Everything held before `at`, removed. */
  takeBefore(at: number): WindowRows;
  snapshot(): unknown[];
  restore(s: unknown[]): void;
}

/** Content a hopping window can cut. */
export interface SlicedContent extends WindowContent {
  /** The rows of `[start, end)`; afterwards only those at or after `keepFrom` are kept. */
  slice(start: number, end: number, keepFrom: number): WindowRows;
}

export class RowContent implements SlicedContent {
  private rows: Tuple[] = [];
  add(row: Tuple): void {
    this.rows.push(row);
  }
  size(): number {
    return this.rows.length;
  }
  oldest(): number | undefined {
    return this.rows[0]?.timestamp;
  }
  takeBefore(at: number): Tuple[] {
    const content: Tuple[] = [];
    const kept: Tuple[] = [];
    for (const r of this.rows) (r.timestamp < at ? content : kept).push(r);
    this.rows = kept;
    return content;
  }
  slice(start: number, end: number, keepFrom: number): Tuple[] {
    const content: Tuple[] = [];
    const kept: Tuple[] = [];
    for (const r of this.rows) {
      const ts = r.timestamp;
      if (ts >= start && ts < end) content.push(r);
      if (ts >= keepFrom) kept.push(r);
    }
    this.rows = kept;
    return content;
  }
  snapshot(): Tuple[] {
    return this.rows;
  }
  restore(s: unknown[]): void {
    this.rows = (s as Tuple[]).slice();
  }
}

/** Rows held as columns (see `row_columns.ts`); checkpoints hold them as tuples, as
 * {@link RowContent} does. */
export class ColumnContent implements SlicedContent {
  private rows: RowColumns;
  constructor(emitter: string, names: readonly string[]) {
    this.rows = new RowColumns(emitter, names);
  }
  add(row: Tuple): void {
    this.rows.add(row);
  }
  size(): number {
    return this.rows.length;
  }
  oldest(): number | undefined {
    return this.rows.length > 0 ? this.rows.timestamp(0) : undefined;
  }
  takeBefore(at: number): RowColumns {
    return this.rows.split((ts) => ts < at, (ts) => ts >= at);
  }
  slice(start: number, end: number, keepFrom: number): RowColumns {
    // (ts < end) in parentheses: Bun reads `ts < end, (ts) => ts >` as type arguments.
    return this.rows.split((ts) => ts >= start && (ts < end), (ts) => ts >= keepFrom);
  }
  snapshot(): Tuple[] {
    return this.rows.tuples();
  }
  restore(s: unknown[]): void {
    this.rows = new RowColumns(this.rows.emitter, this.rows.names);
    for (const t of s as Tuple[]) this.rows.add(t);
  }
}

export class FoldContent implements WindowContent {
  private oldestTs: number | undefined;
  constructor(private readonly fold: GroupFold) {}
  add(row: Tuple): void {
    this.oldestTs ??= row.timestamp;
    this.fold.add(row);
  }
  size(): number {
    return this.fold.size();
  }
  oldest(): number | undefined {
    return this.oldestTs;
  }
  takeBefore(): Tuple[] {
    this.oldestTs = undefined;
    return this.fold.take();
  }
  snapshot(): unknown[] {
    return [this.oldestTs ?? null, this.fold.snapshot()];
  }
  restore(s: unknown[]): void {
    this.oldestTs = (s[0] as number | null) ?? undefined;
    this.fold.restore(s[1]);
  }
}

/**
 * A hopping window's rows folded by panes: time is cut into panes of gcd(length, hop) on the
 * windows' grid (every window bound is a pane bound), each pane folds its rows, and a slice
 * merges the panes it covers (accumulators' `merge`). Memory: one fold per pane of a window.
 */
export class PaneContent implements SlicedContent {
  private panes = new Map<number, GroupFold>();
  /** Where pane bounds fall: the grid's offset within a pane. */
  private offset = 0;

  constructor(private readonly pane: number, private readonly newFold: () => GroupFold) {}

  /** Puts the pane bounds on the windows' grid, given any of its window bounds. */
  align(bound: number): void {
    this.offset = ((bound % this.pane) + this.pane) % this.pane;
  }

  private index(ts: number): number {
    return Math.floor((ts - this.offset) / this.pane);
  }

  add(row: Tuple): void {
    const p = this.index(row.timestamp);
    let fold = this.panes.get(p);
    if (!fold) {
      fold = this.newFold();
      this.panes.set(p, fold);
    }
    fold.add(row);
  }

  size(): number {
    let n = 0;
    for (const f of this.panes.values()) n += f.size();
    return n;
  }

  oldest(): number | undefined {
    let p: number | undefined;
    for (const k of this.panes.keys()) if (p === undefined || k < p) p = k;
    return p === undefined ? undefined : p * this.pane + this.offset;
  }

  takeBefore(at: number): Tuple[] {
    return this.slice(-Infinity, at, at);
  }

  slice(start: number, end: number, keepFrom: number): Tuple[] {
    const from = this.index(start), to = this.index(end), keep = this.index(keepFrom);
    const covered = [...this.panes.keys()].filter((p) => p >= from && p < to).sort((a, b) => a - b);
    const groups = GroupFold.merged(covered.map((p) => this.panes.get(p)!));
    for (const p of [...this.panes.keys()]) if (p < keep) this.panes.delete(p);
    return groups;
  }

  snapshot(): unknown[] {
    return [this.offset, [...this.panes.entries()].map(([p, f]) => [p, f.snapshot()])];
  }

  restore(s: unknown[]): void {
    this.offset = s[0] as number;
    this.panes = new Map((s[1] as [number, unknown][]).map(([p, snap]) => {
      const f = this.newFold();
      f.restore(snap);
      return [p, f];
    }));
  }
}
