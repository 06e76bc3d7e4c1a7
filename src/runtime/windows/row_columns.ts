/**
 * Rows of one stream held as columns: what a tumbling or hopping window keeps when the rule
 * reads a known few columns of a single stream (`WindowStagePlan.columns`).
 *
 * A window holds a second of a flood, 100k rows and more, until it closes. As objects, each
 * row is a tuple and a pruned message scattered over the heap: every young-generation GC copies
 * them, and the close walks them through cache misses. As columns they are a few arrays of
 * values (numbers unboxed), and the close reads them in order: the aggregate operator groups
 * row indexes and aggregates read argument columns directly (`GroupOp.processColumns`,
 * `planner/group_aggregate.ts`). Anything else gets the rows as tuples, made on demand.
 *
 * @module
 */
import type { Row, Tuple } from "../tuple.ts";

export class RowColumns {
  /** Per column, the rows' values (undefined where a row lacks the column). */
  private cols: unknown[][];
  private ts: number[] = [];
  private metas: (Row | undefined)[] = [];
  private readonly index: Map<string, number>;

  constructor(readonly emitter: string, readonly names: readonly string[]) {
    this.cols = names.map(() => []);
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
  column(name: string): readonly unknown[] | undefined {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.cols[i];
  }

  timestamp(i: number): number {
    return this.ts[i];
  }

  /** Row `i`'s message: a new object, which the caller may keep. */
  message(i: number): Row {
    const m: Row = {};
    for (let k = 0; k < this.names.length; k++) {
      const v = this.cols[k][i];
      if (v !== undefined) m[this.names[k]] = v;
    }
    return m;
  }

  /** Row `i` as a tuple of its own. */
  tuple(i: number): Tuple {
    return {
      emitter: this.emitter,
      message: this.message(i),
      meta: this.metas[i],
      timestamp: this.ts[i],
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
    const n = this.ts.length;
    let all = true;
    let none = true;
    for (let i = 0; i < n; i++) {
      if (take(this.ts[i])) none = false;
      else all = false;
      if (keep(this.ts[i])) all = false;
    }
    // The common cases move whole arrays.
    if (all) {
      [out.cols, out.ts, out.metas] = [this.cols, this.ts, this.metas];
      this.clear();
      return out;
    }
    const cols = this.names.map(() => [] as unknown[]);
    const ts: number[] = [];
    const metas: (Row | undefined)[] = [];
    for (let i = 0; i < n; i++) {
      const t = this.ts[i];
      if (!none && take(t)) out.pushRow(this, i);
      if (keep(t)) {
        for (let k = 0; k < cols.length; k++) cols[k].push(this.cols[k][i]);
        ts.push(t);
        metas.push(this.metas[i]);
      }
    }
    [this.cols, this.ts, this.metas] = [cols, ts, metas];
    return out;
  }

  private pushRow(from: RowColumns, i: number): void {
    for (let k = 0; k < this.cols.length; k++) this.cols[k].push(from.cols[k][i]);
    this.ts.push(from.ts[i]);
    this.metas.push(from.metas[i]);
  }

  private clear(): void {
    this.cols = this.names.map(() => []);
    this.ts = [];
    this.metas = [];
  }
}
