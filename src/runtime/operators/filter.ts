/** `op_<n>_filter`: keeps the tuples whose WHERE condition is true (null and false drop). */
import type { Evaluator } from "../../expr/types.ts";
import { NodeMetrics } from "../metrics.ts";
import type { OpContext, Operator } from "../operator.ts";
import type { Tuple } from "../tuple.ts";

export class FilterOp implements Operator<Tuple, Tuple> {
  readonly metrics: NodeMetrics;
  /** On a SHARED stream's gated rule: a tuple the fan-out routed by `key` already meets the
   * WHERE's `expr = constant` conjunct, and `condition` (the rest; undefined: none) decides. */
  routed: { key: string; condition: Evaluator | undefined } | undefined;

  constructor(readonly name: string, private readonly condition: Evaluator) {
    this.metrics = new NodeMetrics(name);
  }

  process(batch: Tuple[], ctx: OpContext): Tuple[] {
    const out: Tuple[] = [];
    const cond = this.condition;
    const routed = this.routed;
    for (const t of batch) {
      try {
        if (routed !== undefined && t.routedBy === routed.key) {
          const rest = routed.condition;
          if (rest === undefined || rest(t, ctx) === true) out.push(t);
        } else if (cond(t, ctx) === true) out.push(t);
      } catch (e) {
        ctx.error(this.metrics, (e as Error).message);
      }
    }
    return out;
  }
}
