/**
 * `AND`, `OR` and `NOT`.
 *
 * eKuiper requires booleans. Weir treats a null operand as false, in line with "a comparison
 * with null is false": `null AND x` is false, `null OR x` is x, and `NOT null` is false (so a
 * WHERE drops the row either way, as SQL's three-valued logic would). `NOT` is an extension.
 * Operands are short-circuited left to right.
 *
 * @module
 */
import type { CompiledExpr, Evaluator } from "./types.ts";
import { EvalError } from "./types.ts";
import { MSG } from "./messages.ts";
import { typed } from "./values.ts";
import { fold } from "./_node.ts";

function invalid(a: unknown, op: string, b: unknown, l: CompiledExpr, r: CompiledExpr) {
  return new EvalError(
    MSG.invalidOp(typed(a, l.type === "bigint"), op, typed(b, r.type === "bigint")),
  );
}

export function compileAnd(l: CompiledExpr, r: CompiledExpr): CompiledExpr {
  const le = l.eval, re = r.eval;
  const evaluator: Evaluator = (t, c) => {
    const a = le(t, c);
    if (a === false || a == null) return false;
    const b = re(t, c);
    if (a === true) {
      if (typeof b === "boolean") return b;
      if (b == null) return false;
    }
    throw invalid(a, "AND", b, l, r);
  };
  return fold({ eval: evaluator, type: "boolean" }, [l, r]);
}

export function compileOr(l: CompiledExpr, r: CompiledExpr): CompiledExpr {
  const le = l.eval, re = r.eval;
  const evaluator: Evaluator = (t, c) => {
    const a = le(t, c);
    if (a === true) return true;
    const b = re(t, c);
    if (a === false || a == null) {
      if (typeof b === "boolean") return b;
      if (b == null) return false;
    }
    throw invalid(a, "OR", b, l, r);
  };
  return fold({ eval: evaluator, type: "boolean" }, [l, r]);
}

export function compileNot(operand: CompiledExpr): CompiledExpr {
  const e = operand.eval;
  const evaluator: Evaluator = (t, c) => {
    const v = e(t, c);
    if (typeof v === "boolean") return !v;
    if (v == null) return false;
    throw new EvalError(MSG.invalidUnary("NOT", typed(v, operand.type === "bigint")));
  };
  return fold({ eval: evaluator, type: "boolean" }, [operand]);
}
