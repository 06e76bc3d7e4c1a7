/** `op_<n>_order`: sorts the rows of one emission by ORDER BY keys (nulls first), then LIMIT. */
import type { OrderKey } from "../../planner/plan_rule.ts";
import { NodeMetrics } from "../metrics.ts";
import type { OpContext } from "../operator.ts";
import type { Tuple } from "../tuple.ts";

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

export class OrderOp {
  readonly metrics: NodeMetrics;

  constructor(
    readonly name: string,
    private readonly keys: OrderKey[],
    private readonly limit: number | undefined,
  ) {
    this.metrics = new NodeMetrics(name);
  }

  /** Orders the tuples of one emission. */
  apply(tuples: Tuple[], ctx: OpContext): Tuple[] {
    let sorted = tuples;
    if (this.keys.length > 0 && tuples.length > 1) {
      const keyed = tuples.map((t) => ({ t, k: this.keys.map((k) => k.eval(t, ctx)) }));
      keyed.sort((x, y) => {
        for (let i = 0; i < this.keys.length; i++) {
          const c = compare(x.k[i], y.k[i]);
          if (c !== 0) return this.keys[i].descending ? -c : c;
        }
        return 0;
      });
      sorted = keyed.map((e) => e.t);
    }
    return this.limit === undefined ? sorted : sorted.slice(0, this.limit);
  }
}
