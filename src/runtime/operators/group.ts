/**
 * `op_<n>_aggregate`: splits the rows of one window emission into groups by the GROUP BY
 * dimensions (first-seen order), each group standing as one tuple (its first row) carrying
 * all its rows in `group`. Without dimensions the whole emission is one group - when it has
 * rows: an empty window has no group and emits nothing.
 */
import type { Evaluator } from "../../expr/types.ts";
import { NodeMetrics } from "../metrics.ts";
import type { OpContext, Operator } from "../operator.ts";
import type { Tuple } from "../tuple.ts";
import { GroupMap } from "../group_map.ts";

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

  constructor(readonly name: string, private readonly dimensions: Evaluator[]) {
    this.metrics = new NodeMetrics(name);
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
