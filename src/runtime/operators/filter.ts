/** `op_<n>_filter`: keeps the tuples whose WHERE condition is true (null and false drop). */
import type { Evaluator } from "../../expr/types.ts";
import { NodeMetrics } from "../metrics.ts";
import type { OpContext, Operator } from "../operator.ts";
import type { Tuple } from "../tuple.ts";

export class FilterOp implements Operator<Tuple, Tuple> {
  readonly metrics: NodeMetrics;
  /** On a SHARED stream's gated rule: the dispatch key by which the fan-out routes tuples to
   * this rule. A tuple marked with it was judged there by the whole WHERE and passes. */
  routedKey: string | undefined;

  constructor(readonly name: string, private readonly condition: Evaluator) {
    this.metrics = new NodeMetrics(name);
  }

  process(batch: Tuple[], ctx: OpContext): Tuple[] {
    const out: Tuple[] = [];
    const cond = this.condition;
    const routedKey = this.routedKey;
    for (const t of batch) {
      try {
        if (routedKey !== undefined && t.routedBy === routedKey) out.push(t);
        else if (cond(t, ctx) === true) out.push(t);
      } catch (e) {
        ctx.error(this.metrics, (e as Error).message);
      }
    }
    return out;
  }
}
