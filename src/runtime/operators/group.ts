/**
 * `op_<n>_aggregate`: splits the rows of one window emission into groups by the GROUP BY
 * dimensions (first-seen order), each group standing as one tuple (its first row) carrying
 * all its rows in `group`. Without dimensions the whole emission is one group - when it has
 * rows: an empty window has no group and emits nothing.
 *
 * A window holding columns (`RowColumns`) is grouped by row index instead: a dimension that is
 * a plain column is read from its column, and each group carries `columns` (the window's
 * columns and its rows' indexes) rather than tuples.
 */
import type { Evaluator } from "../../expr/types.ts";
import { NodeMetrics } from "../metrics.ts";
import type { OpContext, Operator } from "../operator.ts";
import type { Tuple } from "../tuple.ts";
import type { RowColumns } from "../windows/row_columns.ts";
import { GroupMap } from "../group_map.ts";
import { recordStep, stepStart } from "../timed_step.ts";

function groupTuple(rows: Tuple[]): Tuple {
  const first = rows[0];
  return {
    emitter: first.emitter,
    message: first.message,
    meta: first.meta,
    timestamp: first.timestamp,
    parts: first.parts,
    analytic: first.analytic,
    group: rows,
  };
}

export class GroupOp implements Operator<Tuple, Tuple> {
  readonly metrics: NodeMetrics;

  constructor(
    readonly name: string,
    private readonly dimensions: Evaluator[],
    /** Per dimension, the column it is exactly (`CompiledExpr.column`), if any. */
    private readonly dimensionColumns: readonly (string | undefined)[] = [],
  ) {
    this.metrics = new NodeMetrics(name);
  }

  /** The groups of rows held as columns; records its metrics as `timedStep` does. */
  processColumns(rows: RowColumns, ctx: OpContext, now: number): Tuple[] {
    const start = stepStart(this.metrics, now);
    const out = this.groupColumns(rows, ctx);
    recordStep(this.metrics, start, rows.length, out.length, now);
    return out;
  }

  private groupColumns(rows: RowColumns, ctx: OpContext): Tuple[] {
    const n = rows.length;
    if (n === 0) return [];
    const dims = this.dimensions;
    if (dims.length === 0) {
      return [this.columnGroup(rows, Array.from({ length: n }, (_, i) => i))];
    }
    const direct = dims.map((_, d) => {
      const name = this.dimensionColumns[d];
      return name === undefined ? undefined : rows.column(name);
    });
    const groups = new GroupMap<number[]>();
    const values: unknown[] = new Array(dims.length);
    for (let i = 0; i < n; i++) {
      let row: Tuple | undefined;
      try {
        for (let d = 0; d < dims.length; d++) {
          const col = direct[d];
          if (col) {
            const v = col.get(i);
            values[d] = v === undefined ? null : v;
          } else values[d] = dims[d](row ??= rows.tuple(i), ctx);
        }
      } catch (e) {
        ctx.error(this.metrics, (e as Error).message);
        continue;
      }
      const g = groups.get(values);
      if (g) g.push(i);
      else groups.add(values, [i]);
    }
    const out: Tuple[] = [];
    for (const g of groups.values()) out.push(this.columnGroup(rows, g));
    return out;
  }

  private columnGroup(rows: RowColumns, index: number[]): Tuple {
    const t = rows.tuple(index[0]);
    t.columns = { rows, index };
    return t;
  }

  process(rows: Tuple[], ctx: OpContext): Tuple[] {
    if (rows.length === 0) return [];
    if (this.dimensions.length === 0) return [groupTuple(rows)];
    const groups = new GroupMap<Tuple[]>();
    const values: unknown[] = new Array(this.dimensions.length);
    for (const r of rows) {
      try {
        for (let i = 0; i < this.dimensions.length; i++) values[i] = this.dimensions[i](r, ctx);
      } catch (e) {
        ctx.error(this.metrics, (e as Error).message);
        continue;
      }
      const g = groups.get(values);
      if (g) g.push(r);
      else groups.add(values, [r]);
    }
    const out: Tuple[] = [];
    for (const g of groups.values()) out.push(groupTuple(g));
    return out;
  }
}
