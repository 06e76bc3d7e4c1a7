/**
 * Lookup joins: the table to index by its KEY, and the probe - the row expression the ON
 * condition equates with the KEY, looked up directly instead of scanning the table.
 *
 * @module
 */
import type { Expr } from "../sql/ast.ts";
import type { Evaluator } from "../expr/types.ts";
import { childExprs } from "../expr/_children.ts";
import { formatConfig, formatName, optionString } from "../catalog/stream_def.ts";
import { getFormat } from "../formats/mod.ts";
import { PlanError } from "../errors.ts";
import type { LookupStep } from "../runtime/operators/lookup_join.ts";
import type { LookupPlan } from "./logical/plan.ts";
import type { LookupTableStagePlan } from "./rule_plan.ts";
import { located } from "./plan_errors.ts";

/** Plans one lookup join: the table to index and the join step that probes it. */
export function lookupOf(
  sql: string,
  l: LookupPlan,
  compile: (e: Expr) => Evaluator,
): { table: LookupTableStagePlan; step: LookupStep } {
  const stream = l.source.def;
  if (l.joinType !== "INNER" && l.joinType !== "LEFT") {
    throw new PlanError(
      `lookup table ${stream.name} can only be joined with INNER or LEFT JOIN, not ${l.joinType}`,
    );
  }
  const key = optionString(stream, "KEY");
  if (!key) throw new PlanError(`lookup table ${stream.name} needs the KEY option`);
  const format = getFormat(formatName(stream), formatConfig(stream));
  if (!format) throw new PlanError(`format ${formatName(stream)} is not supported`);
  const ref = l.source.ref;
  // `ref.KEY = <row expression>` in ON: the row's value is looked up directly.
  let probe: Evaluator | undefined;
  const isKey = (e: Expr) => e.kind === "FieldRef" && e.stream === ref && e.name === key;
  const readsTable = (e: Expr): boolean =>
    (e.kind === "FieldRef" && e.stream === ref) || childExprs(e).some(readsTable);
  const conjuncts = (e: Expr | undefined): Expr[] =>
    !e
      ? []
      : e.kind === "Binary" && e.op === "AND"
      ? [...conjuncts(e.left), ...conjuncts(e.right)]
      : [e];
  for (const c of conjuncts(l.on)) {
    if (c.kind !== "Binary" || c.op !== "=") continue;
    const other = isKey(c.left) ? c.right : isKey(c.right) ? c.left : undefined;
    if (other && !readsTable(other)) {
      probe = located(sql, () => compile(other));
      break;
    }
  }
  return {
    table: {
      stream,
      ref,
      format,
      schema: stream.fields.length > 0 ? stream.fields : undefined,
      retainSize: Number.MAX_SAFE_INTEGER,
      key,
    },
    step: {
      source: ref,
      joinType: l.joinType,
      on: l.on && located(sql, () => compile(l.on!)),
      probe,
    },
  };
}
