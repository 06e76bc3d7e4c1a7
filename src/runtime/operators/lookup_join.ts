/**
 * `op_<n>_lookup`: joins each row with a lookup table (eKuiper's LookupPlan). When the ON
 * condition equates the table's KEY with an expression of the row (`t.id = s.device_id`),
 * the row's value is looked up directly; otherwise every table row is tried. INNER drops rows
 * without a match, LEFT keeps them with the table's side null.
 */
import type { Evaluator } from "../../expr/types.ts";
import { NodeMetrics } from "../metrics.ts";
import type { OpContext, Operator } from "../operator.ts";
import type { Row, Tuple } from "../tuple.ts";
import type { LookupTable } from "../lookup_table.ts";

export interface LookupStep {
  /** The table's name in the rule. */
  source: string;
  joinType: "INNER" | "LEFT";
  on: Evaluator | undefined;
  /** The row-side expression equated with the table's KEY in ON, when there is one. */
  probe: Evaluator | undefined;
}

function withPart(t: Tuple, source: string, m: Row | undefined): Tuple {
  const parts = t.parts ? { ...t.parts, [source]: m } : { [t.emitter]: t.message, [source]: m };
  const message: Row = { ...t.message };
  if (m) { for (const k in m) if (!(k in message)) message[k] = m[k]; }
  return { ...t, message, parts };
}

export class LookupJoinOp implements Operator<Tuple, Tuple> {
  readonly metrics: NodeMetrics;

  constructor(
    readonly name: string,
    private readonly step: LookupStep,
    private readonly table: LookupTable,
  ) {
    this.metrics = new NodeMetrics(name);
  }

  process(batch: Tuple[], ctx: OpContext): Tuple[] {
    const { source, joinType, on, probe } = this.step;
    const out: Tuple[] = [];
    for (const t of batch) {
      let matched = false;
      try {
        let candidates: Iterable<Tuple>;
        if (probe) {
          const hit = this.table.get(probe(t, ctx));
          candidates = hit ? [hit] : [];
        } else {
          candidates = this.table.all();
        }
        for (const row of candidates) {
          const joined = withPart(t, source, row.message);
          if (on && on(joined, ctx) !== true) continue;
          out.push(joined);
          matched = true;
        }
      } catch (e) {
        ctx.error(this.metrics, (e as Error).message);
        continue;
      }
      if (!matched && joinType === "LEFT") out.push(withPart(t, source, undefined));
    }
    return out;
  }
}
