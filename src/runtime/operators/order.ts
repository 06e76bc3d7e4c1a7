/**
 * `op_<n>_order`: ORDER BY and LIMIT, applied per emission. Without a window each tuple is its
 * own emission of one row, so ordering is the identity and LIMIT keeps or drops the row; the
 * planner still compiles the ORDER BY keys, so a bad key is refused at rule creation. Sorting
 * the rows of a window's emission arrives with windows.
 */
import { NodeMetrics } from "../metrics.ts";
import type { OpContext, Operator } from "../operator.ts";
import type { Tuple } from "../tuple.ts";

export class OrderOp implements Operator<Tuple, Tuple> {
  readonly metrics: NodeMetrics;

  constructor(readonly name: string, private readonly limit: number | undefined) {
    this.metrics = new NodeMetrics(name);
  }

  process(batch: Tuple[], _ctx: OpContext): Tuple[] {
    return this.limit === 0 ? [] : batch;
  }
}
