/**
 * `op_<n>_analytic`: steps the rule's analytic functions (`lag`, `acc_*`, `changed_col`, ...)
 * for every event, before WHERE, as eKuiper's AnalyticFuncsOp does, so that a filter never
 * starves their state. A call that fails marks the event as an error and drops it.
 */
import type { AnalyticSlots } from "../../planner/analytic_slots.ts";
import { NodeMetrics } from "../metrics.ts";
import type { OpContext, Operator } from "../operator.ts";
import type { Tuple } from "../tuple.ts";

export class AnalyticOp implements Operator<Tuple, Tuple> {
  readonly metrics: NodeMetrics;

  constructor(readonly name: string, private readonly slots: AnalyticSlots) {
    this.metrics = new NodeMetrics(name);
  }

  process(batch: Tuple[], ctx: OpContext): Tuple[] {
    const out: Tuple[] = [];
    for (const t of batch) {
      try {
        this.slots.step(t, ctx);
        out.push(t);
      } catch (e) {
        ctx.error(this.metrics, (e as Error).message);
      }
    }
    return out;
  }
}
