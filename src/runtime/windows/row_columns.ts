/**
 * Rows of one stream held as columns: what a tumbling or hopping window keeps when the rule
 * reads a known few columns of a single stream (`WindowStagePlan.columns`).
 *
 * A window holds a second of a flood, 100k rows and more, until it closes. As objects, each
 * row is a tuple and a pruned message scattered over the heap: every young-generation GC copies
 * them, and the close walks them through cache misses. As columns they are values in blocks
 * (numbers unboxed, `column.ts`), and the close reads them in order: the aggregate operator
 * groups row indexes and aggregates read argument columns directly (`GroupOp.processColumns`,
 * `planner/group_aggregate.ts`). Timestamps and metas come in runs (one per socket read, one
 * per topic) and are kept once per run. Anything else gets the rows as tuples, made on demand.
 *
 * @module
 */
import type { Row, Tuple } from "../tuple.ts";
import { Column, RunColumn } from "./column.ts";

export class RowColumns {
  /** Per column, the rows' values (undefined where a row lacks the column). */
  private cols: Column[];
  private ts = new RunColumn<number>();
  private metas = new RunColumn<Row | undefined>();
  private readonly index: Map<string, number>;

  constructor(readonly emitter: string, readonly names: readonly string[]) {
    this.cols = names.map(() => new Column());
    this.index = new Map(names.map((n, i) => [n, i]));
  }

  get length(): number {
    return this.ts.length;
  }

  add(t: Tuple): void {
    const m = t.message;
    for (let i = 0; i < this.names.length; i++) this.cols[i].push(m[this.names[i]]);
    this.ts.push(t.timestamp);
    this.metas.push(t.meta);
  }

  /** The values of column `name` (undefined where a row lacks it), or undefined when the rows
   * do not hold that column. */
  column(name: string): Column | undefined {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.cols[i];
  }

  timestamp(i: number): number {
    return this.ts.get(i);
  }

  /** Row `i`'s message: a new object, which the caller may keep. */
  message(i: number): Row {
    const m: Row = {};
    for (let k = 0; k < this.names.length; k++) {
      const v = this.cols[k].get(i);
      if (v !== undefined) m[this.names[k]] = v;
    }
    return m;
  }

  /** Row `i` as a tuple of its own. */
  tuple(i: number): Tuple {
    return {
      emitter: this.emitter,
      message: this.message(i),
      meta: this.metas.get(i),
      timestamp: this.ts.get(i),
    };
  }

  /** The rows at `indexes` (all rows when absent) as tuples. */
  tuples(indexes?: readonly number[]): Tuple[] {
    const out: Tuple[] = [];
    if (indexes) { for (const i of indexes) out.push(this.tuple(i)); }
    else for (let i = 0; i < this.ts.length; i++) out.push(this.tuple(i));
    return out;
  }

  /**
   * Removes the rows `take` selects (by timestamp) into new columns, in order; the rows `keep`
   * selects stay (a row may be in both: hopping windows overlap), the others are dropped.
   */
  split(take: (ts: number) => boolean, keep: (ts: number) => boolean): RowColumns {
    const out = new RowColumns(this.emitter, this.names);
    const ts = this.ts;
    let all = true;
    for (let r = 0; r < ts.runs && all; r++) {
      const t = ts.runValue(r);
      if (!take(t) || keep(t)) all = false;
    }
    // The common case (a tumbling window's close) moves the columns whole.
    if (all) {
      [out.cols, out.ts, out.metas] = [this.cols, this.ts, this.metas];
      this.cols = this.names.map(() => new Column());
      this.ts = new RunColumn();
      this.metas = new RunColumn();
      return out;
    }
    const kept = new RowColumns(this.emitter, this.names);
    for (let r = 0; r < ts.runs; r++) {
      const t = ts.runValue(r);
      const start = ts.runStart(r);
      const end = ts.runEnd(r);
      if (take(t)) out.pushRows(this, start, end);
      if (keep(t)) kept.pushRows(this, start, end);
    }
    [this.cols, this.ts, this.metas] = [kept.cols, kept.ts, kept.metas];
    return out;
  }

  /** Appends `from`'s rows `[start, end)`. */
  private pushRows(from: RowColumns, start: number, end: number): void {
    for (let k = 0; k < this.cols.length; k++) this.cols[k].pushRange(from.cols[k], start, end);
    this.ts.pushRange(from.ts, start, end);
    this.metas.pushRange(from.metas, start, end);
  }
}
