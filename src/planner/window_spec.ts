/**
 * A GROUP BY window call turned into the window engine's spec, its conditions compiled once
 * and bound to the rule's EvalContext when the rule starts.
 */
import type { WindowExpr } from "../sql/ast.ts";
import type { EvalContext, Evaluator } from "../expr/types.ts";
import type { Tuple } from "../runtime/tuple.ts";
import { type WindowSpec, WindowSpecError, windowSpecFromAst } from "../runtime/windows/mod.ts";
import { CompileError } from "../expr/types.ts";

/** The compiled expressions of a window call. */
export interface WindowParts {
  filter: Evaluator | undefined;
  trigger: Evaluator | undefined;
  /** Per argument: the compiled condition (state windows), or undefined for literals. */
  args: (Evaluator | undefined)[];
  partitionBy: Evaluator[];
}

export function windowSpecOf(w: WindowExpr, parts: WindowParts, ctx: EvalContext): WindowSpec {
  const bound = (ev: Evaluator) => (t: Tuple) => ev(t, ctx);
  const compiled = new Map<unknown, Evaluator>();
  if (w.filter && parts.filter) compiled.set(w.filter, parts.filter);
  if (w.trigger && parts.trigger) compiled.set(w.trigger, parts.trigger);
  w.args.forEach((a, i) => parts.args[i] && compiled.set(a, parts.args[i]!));
  (w.partitionBy ?? []).forEach((p, i) => compiled.set(p, parts.partitionBy[i]));
  try {
    return windowSpecFromAst(w, (e) => {
      const ev = compiled.get(e);
      if (!ev) throw new WindowSpecError("window condition expected");
      return bound(ev);
    });
  } catch (e) {
    if (e instanceof WindowSpecError) throw new CompileError(e.message, w.span);
    throw e;
  }
}
