/**
 * Compiling a folded window (incremental aggregation): each aggregate call's accumulator,
 * arguments and FILTER, and a scope where `inc_agg_col_N` reads the group's result N.
 *
 * @module
 */
import type { Expr, FieldRef } from "../sql/ast.ts";
import type { CompiledExpr, CompileScope, Evaluator } from "../expr/types.ts";
import { compileWildcardArg } from "../expr/call.ts";
import { childExprs } from "../expr/_children.ts";
import { builtinFunctions } from "../functions/mod.ts";
import type { Tuple } from "../runtime/tuple.ts";
import { FoldError, type FoldFunc, type FoldPlan } from "../runtime/windows/mod.ts";
import type { AnalyzedSelect } from "./analyze.ts";
import { INC_COLUMN, type IncFunc } from "./incremental.ts";

export function foldFunc(f: IncFunc, compile: (e: Expr) => Evaluator): FoldFunc {
  const def = builtinFunctions.get(f.call.name)!;
  return {
    name: f.call.name,
    acc: def.incremental!,
    args: f.call.args.map((a) => (a.kind === "Wildcard" ? compileWildcardArg(a).eval : compile(a))),
    filter: f.call.filter && compile(f.call.filter),
  };
}

/** `scope` where an unqualified `inc_agg_col_N` is the group's Nth folded aggregate. */
export function withIncColumns(scope: CompileScope): CompileScope {
  const wrapped: CompileScope = Object.create(scope);
  if (scope.shareKey !== undefined) wrapped.shareKey = `${scope.shareKey}+inc`;
  wrapped.field = (ref: FieldRef): CompiledExpr => {
    const m = ref.stream === undefined ? INC_COLUMN.exec(ref.name) : null;
    if (!m) return scope.field(ref);
    const i = Number(m[1]) - 1;
    return {
      type: "any",
      eval: (t: Tuple) => {
        const v = t.inc?.[i];
        if (v instanceof FoldError) v.raise();
        return v === undefined ? null : v;
      },
    };
  };
  return wrapped;
}

/**
 * What the (rewritten) statement reads of a group's first row outside aggregates: columns of
 * projections, HAVING, ORDER BY and dimensions, and whether `meta()` is read; undefined when a
 * `*` reads it all.
 */
export function firstRowReads(a: AnalyzedSelect): FoldPlan["firstRow"] {
  const columns = new Set<string>();
  let meta = false;
  let all = false;
  const visit = (e: Expr) => {
    if (e.kind === "Wildcard") all = true;
    else if (e.kind === "Call" && (e.name === "meta" || e.name === "mqtt")) meta = true;
    else if (e.kind === "FieldRef" && !INC_COLUMN.test(e.name)) columns.add(e.name);
    childExprs(e).forEach(visit);
  };
  const { stmt } = a;
  stmt.fields.forEach((f) => visit(f.expr));
  if (stmt.having) visit(stmt.having);
  stmt.orderBy?.forEach((o) => visit(o.expr));
  a.dimensions.forEach(visit);
  return all ? undefined : { columns: [...columns].sort(), meta };
}
