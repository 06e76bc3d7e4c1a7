/**
 * `op_<n>_project`: evaluates the SELECT list into output rows. Null-valued columns are left
 * out unless the rule sets `sendNilField` (eKuiper's default).
 */
import type { ProjectField } from "../../planner/rule_plan.ts";
import { partOf } from "../../planner/join_scope.ts";
import { NodeMetrics } from "../metrics.ts";
import type { OpContext, Operator } from "../operator.ts";
import type { Row, Tuple } from "../tuple.ts";

export class ProjectOp implements Operator<Tuple, Row> {
  readonly metrics: NodeMetrics;

  constructor(
    readonly name: string,
    private readonly fields: ProjectField[],
    private readonly sendNilField: boolean,
  ) {
    this.metrics = new NodeMetrics(name);
  }

  process(batch: Tuple[], ctx: OpContext): Row[] {
    const out: Row[] = [];
    for (const t of batch) {
      try {
        out.push(this.project(t, ctx));
      } catch (e) {
        ctx.error(this.metrics, (e as Error).message);
      }
    }
    return out;
  }

  private project(t: Tuple, ctx: OpContext): Row {
    const row: Row = {};
    const keepNil = this.sendNilField;
    for (const f of this.fields) {
      if (f.wildcard) {
        const { stream, except, replace } = f.wildcard;
        const m = stream === undefined ? t.message : partOf(t, stream) ?? {};
        for (const k in m) {
          if (!except.has(k)) row[k] = m[k];
        }
        for (const r of replace) row[r.name] = r.eval(t, ctx);
        continue;
      }
      const v = f.eval!(t, ctx);
      if (v !== null && v !== undefined) row[f.name] = v;
      else if (keepNil) row[f.name] = null;
      else delete row[f.name];
    }
    return row;
  }
}
