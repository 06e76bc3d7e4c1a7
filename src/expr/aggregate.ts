/**
 * Helpers for the planner's aggregate handling. `compileExpr` never computes an aggregate: it
 * asks `scope.aggregate(call)` for the current group's value. The planner finds the calls with
 * {@link collectAggregates}, compiles each with {@link compileAggregateCall} into per-row
 * argument evaluators plus a group function, and serves the results back through the scope.
 *
 * @example
 * ```ts ignore
 * const calls = collectAggregates(selectExpr);          // [avg(a), count(*)]
 * const aggs = calls.map((c) => compileAggregateCall(c, rowScope));
 * // per group: columns[i] = rows.map((r) => agg.args[i].eval(r, ctx)); agg.exec(columns, ctx)
 * ```
 *
 * @module
 */
import type { CallExpr, Expr } from "../sql/ast.ts";
import type { FunctionDef, FunctionRegistry } from "../functions/types.ts";
import { builtinFunctions } from "../functions/mod.ts";
import { invoke } from "../functions/invoke.ts";
import { checkArgs, resolveReturnType } from "../functions/signature.ts";
import type { CompiledExpr, CompileScope, EvalContext, ValueType } from "./types.ts";
import { CompileError } from "./types.ts";
import { MSG } from "./messages.ts";
import { childExprs } from "./_children.ts";
import { compileWildcardArg } from "./call.ts";
import { compileExpr } from "./compile.ts";

export function isAggregateCall(
  call: CallExpr,
  registry: FunctionRegistry = builtinFunctions,
): boolean {
  return registry.get(call.name.toLowerCase())?.kind === "aggregate";
}

/** The outermost aggregate calls in `expr`, in source order (their arguments are not searched:
 * an aggregate inside an aggregate is an error reported when compiling the outer one). */
export function collectAggregates(
  expr: Expr,
  registry: FunctionRegistry = builtinFunctions,
): CallExpr[] {
  const found: CallExpr[] = [];
  const walk = (e: Expr): void => {
    if (e.kind === "Call" && isAggregateCall(e, registry)) {
      // `last_agg_hit_*` compute no group value: they read their own state (hit.ts).
      if (!registry.get(e.name.toLowerCase())?.hit) found.push(e);
    } else childExprs(e).forEach(walk);
  };
  walk(expr);
  return found;
}

export interface CompiledAggregate {
  call: CallExpr;
  def: FunctionDef;
  /** Per-row evaluators, one per argument (`*` yields the row's message). */
  args: CompiledExpr[];
  /** `FILTER (WHERE cond)`: rows for which it is not true are left out of the group. */
  filter?: CompiledExpr;
  /** Static type of the group result. */
  type: ValueType;
  /** The group result from each argument's per-row values (null policy applied, errors
   * reported as `call func <name> error: ...`). */
  exec(columns: unknown[][], ctx: EvalContext): unknown;
}

/**
 * Compiles an aggregate call for per-group evaluation. Arguments and the FILTER condition are
 * compiled in row (scalar) context, so an aggregate nested in them is a CompileError.
 */
export function compileAggregateCall(
  call: CallExpr,
  scope: CompileScope,
  registry: FunctionRegistry = builtinFunctions,
): CompiledAggregate {
  const name = call.name.toLowerCase();
  const def = registry.get(name);
  if (!def) throw new CompileError(MSG.functionNotFound(name), call.span);
  if (def.kind !== "aggregate") {
    throw new CompileError(`function ${name} is not an aggregate function`, call.span);
  }
  const err = checkArgs(def, call.args);
  if (err) throw new CompileError(MSG.validateFunction(name, err), call.span);
  const rowScope: CompileScope = Object.create(scope, { aggregate: { value: undefined } });
  const args = call.args.map((a) =>
    a.kind === "Wildcard" ? compileWildcardArg(a) : compileExpr(a, rowScope, registry)
  );
  const compiled: CompiledAggregate = {
    call,
    def,
    args,
    type: resolveReturnType(def, args.map((a) => a.type), call.args),
    exec: (columns, ctx) => invoke(def, columns, ctx),
  };
  if (call.filter) compiled.filter = compileExpr(call.filter, rowScope, registry);
  return compiled;
}
