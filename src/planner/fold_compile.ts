/**
 * Compiling a folded window (incremental aggregation): each aggregate call's accumulator,
 * arguments and FILTER, and a scope where `inc_agg_col_N` reads the group's result N.
 *
 * @module
 */
import type { Expr, FieldRef } from "../sql/ast.ts";
import type { CompiledExpr, CompileScope, Evaluator } from "../expr/types.ts";
import { compileWildcardArg } from "../expr/call.ts";
import { builtinFunctions } from "../functions/mod.ts";
import type { Tuple } from "../runtime/tuple.ts";
import { FoldError, type FoldFunc } from "../runtime/windows/mod.ts";
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
