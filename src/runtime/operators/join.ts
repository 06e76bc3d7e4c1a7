/**
 * `op_<n>_join`: joins the rows of one window emission, eKuiper's way. Rows are split by the
 * source they came from; the FROM source's rows are joined with each JOIN source in turn
 * (left-deep): INNER keeps pairs whose ON is true, LEFT also keeps unmatched left rows (the
 * right side null), RIGHT unmatched right rows, FULL both, CROSS every pair. A joined row
 * keeps each source's message in `parts`.
 */
import type { Evaluator } from "../../expr/types.ts";
import type { JoinType } from "../../sql/ast.ts";
import { NodeMetrics } from "../metrics.ts";
import type { OpContext, Operator } from "../operator.ts";
import type { Row, Tuple } from "../tuple.ts";

export interface JoinStep {
  joinType: JoinType;
  /** The joined source's name in the rule. */
  source: string;
  on: Evaluator | undefined;
}

function joined(parts: Record<string, Row | undefined>, order: string[], base: Tuple): Tuple {
  const message: Row = {};
  for (const ref of order) {
    const m = parts[ref];
    if (!m) continue;
    for (const k in m) if (!(k in message)) message[k] = m[k];
  }
  return {
    emitter: base.emitter,
    message,
    meta: base.meta,
    timestamp: base.timestamp,
    parts,
    analytic: base.analytic,
  };
}

export class JoinOp implements Operator<Tuple, Tuple> {
  readonly metrics: NodeMetrics;

  constructor(
    readonly name: string,
    private readonly from: string,
    private readonly joins: JoinStep[],
    /** Every source in FROM/JOIN order (merge precedence). */
    private readonly order: string[],
  ) {
    this.metrics = new NodeMetrics(name);
  }

  process(rows: Tuple[], ctx: OpContext): Tuple[] {
    const bySource = new Map<string, Tuple[]>();
    for (const r of rows) {
      const list = bySource.get(r.emitter);
      if (list) list.push(r);
      else bySource.set(r.emitter, [r]);
    }
    let acc = (bySource.get(this.from) ?? []).map((t) =>
      joined({ [this.from]: t.message }, this.order, t)
    );
    for (const j of this.joins) acc = this.joinOne(acc, bySource.get(j.source) ?? [], j, ctx);
    return acc;
  }

  private joinOne(left: Tuple[], right: Tuple[], j: JoinStep, ctx: OpContext): Tuple[] {
    const out: Tuple[] = [];
    const keepLeft = j.joinType === "LEFT" || j.joinType === "FULL";
    const keepRight = j.joinType === "RIGHT" || j.joinType === "FULL";
    const rightMatched = keepRight ? new Array<boolean>(right.length).fill(false) : undefined;
    for (const l of left) {
      let matched = false;
      for (let i = 0; i < right.length; i++) {
        const r = right[i];
        const candidate = joined({ ...l.parts, [j.source]: r.message }, this.order, l);
        let ok = true;
        if (j.joinType !== "CROSS" && j.on) {
          try {
            ok = j.on(candidate, ctx) === true;
          } catch (e) {
            ctx.error(this.metrics, (e as Error).message);
            ok = false;
          }
        }
        if (!ok) continue;
        out.push(candidate);
        matched = true;
        if (rightMatched) rightMatched[i] = true;
      }
      if (!matched && keepLeft) {
        out.push(joined({ ...l.parts, [j.source]: undefined }, this.order, l));
      }
    }
    if (rightMatched) {
      for (let i = 0; i < right.length; i++) {
        if (rightMatched[i]) continue;
        const r = right[i];
        const parts: Record<string, Row | undefined> = { [j.source]: r.message };
        for (const ref of this.order) {
          if (ref !== j.source && !(ref in parts)) parts[ref] = undefined;
        }
        out.push(joined(parts, this.order, r));
      }
    }
    return out;
  }
}
