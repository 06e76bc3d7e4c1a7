/**
 * What a window holds until it is emitted: its rows, or — incremental aggregation — their fold
 * (per-group accumulators, see `group_fold.ts`), whose emitted "rows" are the groups.
 *
 * A fold can only give everything it holds: it serves windows whose rows all leave together.
 * That holds for tumbling and session windows because a core adds a row only after every
 * deadline before the row's time has fired, so whatever is held at a deadline is older than it.
 *
 * @module
 */
import type { Tuple } from "../tuple.ts";
import type { GroupFold } from "./group_fold.ts";

export interface WindowContent {
  add(row: Tuple): void;
  size(): number;
  /** Timestamp of the oldest held row. */
  oldest(): number | undefined;
  /** Everything held before `at`, removed. */
  takeBefore(at: number): Tuple[];
  snapshot(): unknown[];
  restore(s: unknown[]): void;
}

export class RowContent implements WindowContent {
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
  /** The rows of `[start, end)`; afterwards only those at or after `keepFrom` are kept
   * (hopping windows overlap). */
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
