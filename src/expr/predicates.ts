/**
 * `IN`, `LIKE` and `IS NULL`.
 *
 * - `x [NOT] IN (a, b)` / `x [NOT] IN arr`: a null `x` makes both forms false; a right side
 *   that is null or not an array contains nothing (IN false, NOT IN true). Elements are
 *   compared with {@link valueEquals}. A list of primitive constants becomes a Set.
 * - `s [NOT] LIKE p`: a null `s` or `p` makes both forms false; any other non-string is an
 *   EvalError.
 *   Constant patterns are compiled once, dynamic ones cached by their last value.
 * - `x IS [NOT] NULL` (an extension): true/false, never null.
 *
 * @module
 */
import type { CompiledExpr, Evaluator } from "./types.ts";
import { EvalError } from "./types.ts";
import { MSG } from "./messages.ts";
import { goString, valueEquals } from "./values.ts";
import { likeToRegExp } from "./like.ts";
import { constValue, fold, isConstant } from "./_node.ts";

function isPrimitive(v: unknown): v is string | number | boolean {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

export function compileInList(
  not: boolean,
  x: CompiledExpr,
  list: readonly CompiledExpr[],
): CompiledExpr {
  const xe = x.eval;
  let evaluator: Evaluator;
  if (list.every((e) => isConstant(e) && isPrimitive(constValue(e)))) {
    const set = new Set(list.map(constValue));
    evaluator = (t, c) => {
      const v = xe(t, c);
      if (v == null) return false;
      // Non-primitive values (dates) need valueEquals; primitives are exact in a Set.
      const found = isPrimitive(v) ? set.has(v) : [...set].some((k) => valueEquals(v, k));
      return not ? !found : found;
    };
  } else {
    const evals = list.map((e) => e.eval);
    evaluator = (t, c) => {
      const v = xe(t, c);
      if (v == null) return false;
      for (let i = 0; i < evals.length; i++) {
        if (valueEquals(v, evals[i](t, c))) return !not;
      }
      return not;
    };
  }
  return fold({ eval: evaluator, type: "boolean" }, [x, ...list]);
}

export function compileInArray(not: boolean, x: CompiledExpr, arr: CompiledExpr): CompiledExpr {
  const xe = x.eval, ae = arr.eval;
  const evaluator: Evaluator = (t, c) => {
    const v = xe(t, c);
    if (v == null) return false;
    const a = ae(t, c);
    if (!Array.isArray(a)) return not;
    for (let i = 0; i < a.length; i++) if (valueEquals(v, a[i])) return !not;
    return not;
  };
  return fold({ eval: evaluator, type: "boolean" }, [x, arr]);
}

function leftOperand(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (v == null) return null;
  throw new EvalError(MSG.likeLeft(goString(v)));
}

export function compileLike(not: boolean, x: CompiledExpr, pattern: CompiledExpr): CompiledExpr {
  const xe = x.eval;
  let evaluator: Evaluator;
  const p = isConstant(pattern) ? constValue(pattern) : undefined;
  if (typeof p === "string") {
    const re = likeToRegExp(p);
    evaluator = (t, c) => {
      const s = leftOperand(xe(t, c));
      return s === null ? false : re.test(s) !== not;
    };
  } else {
    const pe = pattern.eval;
    let lastPattern: string | undefined;
    let lastRe = /$^/;
    evaluator = (t, c) => {
      const s = leftOperand(xe(t, c));
      const q = pe(t, c);
      if (s === null || q == null) return false;
      if (typeof q !== "string") throw new EvalError(MSG.likePattern(goString(q)));
      if (q !== lastPattern) {
        lastRe = likeToRegExp(q);
        lastPattern = q;
      }
      return lastRe.test(s) !== not;
    };
  }
  return fold({ eval: evaluator, type: "boolean" }, [x, pattern]);
}

export function compileIsNull(not: boolean, x: CompiledExpr): CompiledExpr {
  const xe = x.eval;
  const evaluator: Evaluator = not ? (t, c) => xe(t, c) != null : (t, c) => xe(t, c) == null;
  return fold({ eval: evaluator, type: "boolean" }, [x]);
}
