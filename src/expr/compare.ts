/**
 * Comparisons (`= != < <= > >=`) and `BETWEEN`.
 *
 * eKuiper rules: a comparison with null is false (`null = null` and `x != null` included);
 * numbers compare across int and float; strings lexicographically; booleans only with `=` and
 * `!=`; datetimes with datetimes, epoch ms or parseable strings. Other mixes are an EvalError
 * (`invalid operation string(a) > float64(1)`).
 *
 * @module
 */
import type { BinaryOp } from "../sql/ast.ts";
import type { CompiledExpr, Evaluator } from "./types.ts";
import { EvalError } from "./types.ts";
import { MSG } from "./messages.ts";
import { toEpochMs, typed } from "./values.ts";
import { constValue, fold, isConstant } from "./_node.ts";

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

export function isCompareOp(op: BinaryOp): op is CompareOp {
  return op === "=" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=";
}

function ordered(op: CompareOp, a: number | string, b: number | string): boolean {
  switch (op) {
    case "=":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

/**
 * The full comparison rule on two runtime values; `lInt`/`rInt` say whether the operands are
 * statically integers (only used to name their types in error messages).
 */
export function compareValues(
  op: CompareOp,
  a: unknown,
  b: unknown,
  lInt = false,
  rInt = false,
): boolean {
  if (a == null || b == null) return false;
  const ta = typeof a, tb = typeof b;
  if ((ta === "number" && tb === "number") || (ta === "string" && tb === "string")) {
    return ordered(op, a as number | string, b as number | string);
  }
  if (ta === "boolean" && tb === "boolean") {
    if (op === "=") return a === b;
    if (op === "!=") return a !== b;
  } else if (a instanceof Date || b instanceof Date) {
    const x = toEpochMs(a), y = toEpochMs(b);
    if (x !== undefined && y !== undefined) return ordered(op, x, y);
  }
  throw new EvalError(MSG.invalidOp(typed(a, lInt), op, typed(b, rInt)));
}

function generic(op: CompareOp, le: Evaluator, re: Evaluator, li: boolean, ri: boolean): Evaluator {
  const slow = (a: unknown, b: unknown) => compareValues(op, a, b, li, ri);
  switch (op) {
    case "=":
      return (t, c) => {
        const a = le(t, c), b = re(t, c);
        return typeof a === "number" && typeof b === "number" ? a === b : slow(a, b);
      };
    case "!=":
      return (t, c) => {
        const a = le(t, c), b = re(t, c);
        return typeof a === "number" && typeof b === "number" ? a !== b : slow(a, b);
      };
    case "<":
      return (t, c) => {
        const a = le(t, c), b = re(t, c);
        return typeof a === "number" && typeof b === "number" ? a < b : slow(a, b);
      };
    case "<=":
      return (t, c) => {
        const a = le(t, c), b = re(t, c);
        return typeof a === "number" && typeof b === "number" ? a <= b : slow(a, b);
      };
    case ">":
      return (t, c) => {
        const a = le(t, c), b = re(t, c);
        return typeof a === "number" && typeof b === "number" ? a > b : slow(a, b);
      };
    case ">=":
      return (t, c) => {
        const a = le(t, c), b = re(t, c);
        return typeof a === "number" && typeof b === "number" ? a >= b : slow(a, b);
      };
  }
}

/** `x op k` with a numeric constant `k`, the shape of most WHERE conditions: the constant is
 * never re-evaluated and the common case is one typeof test. */
function constNumber(op: CompareOp, le: Evaluator, k: number, li: boolean, ri: boolean): Evaluator {
  const slow = (a: unknown) => compareValues(op, a, k, li, ri);
  switch (op) {
    case "=":
      return (t, c) => {
        const a = le(t, c);
        return typeof a === "number" ? a === k : slow(a);
      };
    case "!=":
      return (t, c) => {
        const a = le(t, c);
        return typeof a === "number" ? a !== k : slow(a);
      };
    case "<":
      return (t, c) => {
        const a = le(t, c);
        return typeof a === "number" ? a < k : slow(a);
      };
    case "<=":
      return (t, c) => {
        const a = le(t, c);
        return typeof a === "number" ? a <= k : slow(a);
      };
    case ">":
      return (t, c) => {
        const a = le(t, c);
        return typeof a === "number" ? a > k : slow(a);
      };
    case ">=":
      return (t, c) => {
        const a = le(t, c);
        return typeof a === "number" ? a >= k : slow(a);
      };
  }
}

/** `x op "k"`: as {@link constNumber}, for a string constant. */
function constString(op: CompareOp, le: Evaluator, k: string, li: boolean, ri: boolean): Evaluator {
  const slow = (a: unknown) => compareValues(op, a, k, li, ri);
  switch (op) {
    case "=":
      return (t, c) => {
        const a = le(t, c);
        return typeof a === "string" ? a === k : slow(a);
      };
    case "!=":
      return (t, c) => {
        const a = le(t, c);
        return typeof a === "string" ? a !== k : slow(a);
      };
    case "<":
      return (t, c) => {
        const a = le(t, c);
        return typeof a === "string" ? a < k : slow(a);
      };
    case "<=":
      return (t, c) => {
        const a = le(t, c);
        return typeof a === "string" ? a <= k : slow(a);
      };
    case ">":
      return (t, c) => {
        const a = le(t, c);
        return typeof a === "string" ? a > k : slow(a);
      };
    case ">=":
      return (t, c) => {
        const a = le(t, c);
        return typeof a === "string" ? a >= k : slow(a);
      };
  }
}

export function compileCompare(op: CompareOp, l: CompiledExpr, r: CompiledExpr): CompiledExpr {
  const li = l.type === "bigint", ri = r.type === "bigint";
  const k = isConstant(r) ? constValue(r) : undefined;
  const evaluator = typeof k === "number"
    ? constNumber(op, l.eval, k, li, ri)
    : typeof k === "string"
    ? constString(op, l.eval, k, li, ri)
    : generic(op, l.eval, r.eval, li, ri);
  return fold({ eval: evaluator, type: "boolean" }, [l, r]);
}

/** `x [NOT] BETWEEN low AND high`, inclusive. Any null operand makes both forms false. */
export function compileBetween(
  not: boolean,
  x: CompiledExpr,
  low: CompiledExpr,
  high: CompiledExpr,
): CompiledExpr {
  const xe = x.eval, le = low.eval, he = high.eval;
  const xi = x.type === "bigint";
  const check = (v: unknown, bound: unknown, op: CompareOp, bi: boolean): boolean => {
    try {
      return compareValues(op, v, bound, xi, bi);
    } catch {
      throw new EvalError(MSG.betweenCompare(typed(v, xi), typed(bound, bi)));
    }
  };
  const slow = (v: unknown, a: unknown, b: unknown): boolean => {
    if (v == null || a == null || b == null) return false;
    const ge = check(v, a, ">=", low.type === "bigint");
    const le = check(v, b, "<=", high.type === "bigint");
    return not ? !(ge && le) : ge && le;
  };
  const evaluator: Evaluator = (t, c) => {
    const v = xe(t, c), a = le(t, c), b = he(t, c);
    if (typeof v === "number" && typeof a === "number" && typeof b === "number") {
      return not ? v < a || v > b : v >= a && v <= b;
    }
    return slow(v, a, b);
  };
  return fold({ eval: evaluator, type: "boolean" }, [x, low, high]);
}
