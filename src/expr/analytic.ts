/**
 * Analytic calls (`lag(a)`, `acc_sum(a) OVER (PARTITION BY id WHEN b > 0)`): a compiled slot
 * that keeps one state per partition key and steps it once per event.
 *
 * eKuiper evaluates analytic functions for every event before WHERE, so that a filter does
 * not starve their state. The planner does that by hoisting: it gives the compile scope an
 * `analytic(call)` hook, compiles each call with {@link compileAnalyticCall}, steps the slots
 * before WHERE and serves the values back. Without the hook the call compiles inline with its
 * own slot, stepped wherever the expression is evaluated.
 *
 * @example
 * ```ts ignore
 * const slot = compileAnalyticCall(call, scope, registry);
 * for (const t of events) values.push(slot.step(t, ctx));
 * const saved = slot.snapshot(); // JSON data, for checkpoints
 * ```
 *
 * @module
 */
import type { CallExpr } from "../sql/ast.ts";
import type { Tuple } from "../runtime/tuple.ts";
import type { FunctionRegistry } from "../functions/types.ts";
import { builtinFunctions } from "../functions/mod.ts";
import { callError } from "../functions/invoke.ts";
import { checkArgs, resolveReturnType } from "../functions/signature.ts";
import type { CompiledExpr, CompileScope, EvalContext, Evaluator, ValueType } from "./types.ts";
import { CompileError, EvalError } from "./types.ts";
import { MSG } from "./messages.ts";
import { toJson } from "./values.ts";
import { compileWildcardArg } from "./call.ts";
import { compileExpr } from "./compile.ts";

export interface AnalyticSlot {
  type: ValueType;
  /** This event's value; updates the state of the event's partition. */
  step(t: Tuple, ctx: EvalContext): unknown;
  /** Every partition's state, as JSON data. */
  snapshot(): unknown;
  restore(s: unknown): void;
}

export function isAnalyticCall(
  call: CallExpr,
  registry: FunctionRegistry = builtinFunctions,
): boolean {
  return registry.get(call.name.toLowerCase())?.kind === "analytic";
}

/** The key of the single partition of a call without PARTITION BY. */
const WHOLE = "";

export function compileAnalyticCall(
  call: CallExpr,
  scope: CompileScope,
  registry: FunctionRegistry = builtinFunctions,
): AnalyticSlot {
  const name = call.name.toLowerCase();
  const def = registry.get(name);
  if (!def) throw new CompileError(MSG.functionNotFound(name), call.span);
  if (def.kind !== "analytic" || !def.analytic) {
    throw new CompileError(MSG.overNotAllowed(name), call.span);
  }
  const err = checkArgs(def, call.args);
  if (err) throw new CompileError(MSG.validateFunction(name, err), call.span);
  if (call.filter) throw new CompileError(MSG.filterNotAllowed(name), call.span);
  const compile = (e: Parameters<typeof compileExpr>[0]): CompiledExpr =>
    compileExpr(e, scope, registry);
  const args = call.args.map((a) => (a.kind === "Wildcard" ? compileWildcardArg(a) : compile(a)));
  const evals: Evaluator[] = args.map((a) => a.eval);
  const when = call.over?.when && compile(call.over.when).eval;
  const keys = (call.over?.partitionBy ?? []).map((e) => compile(e).eval);
  const impl = def.analytic;
  // deno-lint-ignore no-explicit-any
  let states = new Map<string, any>();
  const buf: unknown[] = new Array(evals.length).fill(null);

  const partition = (t: Tuple, c: EvalContext): string => {
    if (keys.length === 0) return WHOLE;
    if (keys.length > 1) return toJson(keys.map((k) => k(t, c)));
    const v = keys[0](t, c);
    // Primitive keys skip JSON; the prefix keeps "1" and 1 apart.
    if (typeof v === "string") return `s${v}`;
    if (typeof v === "number") return `n${v}`;
    return toJson(v);
  };

  return {
    type: resolveReturnType(def, args.map((a) => a.type), call.args),
    step(t, c) {
      for (let i = 0; i < evals.length; i++) buf[i] = evals[i](t, c);
      const valid = when ? when(t, c) === true : true;
      const key = partition(t, c);
      let state = states.get(key);
      if (state === undefined) {
        state = impl.init();
        states.set(key, state);
      }
      try {
        return impl.step(state, buf, valid);
      } catch (e) {
        if (e instanceof EvalError || e instanceof Error) throw callError(name, e);
        throw e;
      }
    },
    snapshot: () => structuredClone(Object.fromEntries(states)),
    restore(s) {
      if (s === null || typeof s !== "object") {
        throw new Error(`invalid state of analytic function ${name}`);
      }
      states = new Map(Object.entries(structuredClone(s)));
    },
  };
}

/** An analytic call compiled in place, with its own slot (no hoisting scope). */
export function compileInlineAnalytic(
  call: CallExpr,
  scope: CompileScope,
  registry: FunctionRegistry,
): CompiledExpr {
  const slot = compileAnalyticCall(call, scope, registry);
  return { eval: (t, c) => slot.step(t, c), type: slot.type };
}
