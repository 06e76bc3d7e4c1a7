/**
 * Arithmetic (`+ - * / %`) and bitwise (`& | ^`) operators.
 *
 * Whether numbers are eKuiper int64 or float64 is static: when both operands are statically
 * `bigint`, `/` truncates and the result is `bigint`; otherwise it is float arithmetic (dynamic
 * numbers are floats, as eKuiper's schemaless JSON decoder makes them). Null operands give
 * null; anything else that is not a number is an EvalError.
 *
 * @module
 */
import type { CompiledExpr, Evaluator, ValueType } from "./types.ts";
import { EvalError } from "./types.ts";
import { MSG } from "./messages.ts";
import { typed } from "./values.ts";
import { constValue, fold, isConstant } from "./_node.ts";

export type ArithOp = "+" | "-" | "*" | "/" | "%";
export type BitOp = "&" | "|" | "^";

/** Static int hints of the two operands, for Go-style type names in messages. */
interface Hints {
  l: boolean;
  r: boolean;
}

function invalid(a: unknown, op: string, b: unknown, h: Hints): EvalError {
  return new EvalError(MSG.invalidOp(typed(a, h.l), op, typed(b, h.r)));
}

/** Operands that are not both numbers: null propagates, the rest is a type error. */
function arithSlow(op: ArithOp, a: unknown, b: unknown, h: Hints): null {
  if (a == null || b == null) return null;
  throw invalid(a, op, b, h);
}

function divZero(): never {
  throw new EvalError(MSG.dividedByZero);
}

function generic(op: ArithOp, le: Evaluator, re: Evaluator, int: boolean, h: Hints): Evaluator {
  switch (op) {
    case "+":
      return (t, c) => {
        const a = le(t, c), b = re(t, c);
        return typeof a === "number" && typeof b === "number" ? a + b : arithSlow(op, a, b, h);
      };
    case "-":
      return (t, c) => {
        const a = le(t, c), b = re(t, c);
        return typeof a === "number" && typeof b === "number" ? a - b : arithSlow(op, a, b, h);
      };
    case "*":
      return (t, c) => {
        const a = le(t, c), b = re(t, c);
        return typeof a === "number" && typeof b === "number" ? a * b : arithSlow(op, a, b, h);
      };
    case "/":
      return int
        ? (t, c) => {
          const a = le(t, c), b = re(t, c);
          if (typeof a !== "number" || typeof b !== "number") return arithSlow(op, a, b, h);
          return b === 0 ? divZero() : Math.trunc(a / b);
        }
        : (t, c) => {
          const a = le(t, c), b = re(t, c);
          if (typeof a !== "number" || typeof b !== "number") return arithSlow(op, a, b, h);
          return b === 0 ? divZero() : a / b;
        };
    case "%":
      // JavaScript's % keeps the dividend's sign, like Go's int % and math.Mod.
      return (t, c) => {
        const a = le(t, c), b = re(t, c);
        if (typeof a !== "number" || typeof b !== "number") return arithSlow(op, a, b, h);
        return b === 0 ? divZero() : a % b;
      };
  }
}

/** `x op k` with a non-zero numeric constant `k`: the right operand is never evaluated. */
function constRight(op: ArithOp, le: Evaluator, k: number, int: boolean, h: Hints): Evaluator {
  switch (op) {
    case "+":
      return (t, c) => {
        const a = le(t, c);
        return typeof a === "number" ? a + k : arithSlow(op, a, k, h);
      };
    case "-":
      return (t, c) => {
        const a = le(t, c);
        return typeof a === "number" ? a - k : arithSlow(op, a, k, h);
      };
    case "*":
      return (t, c) => {
        const a = le(t, c);
        return typeof a === "number" ? a * k : arithSlow(op, a, k, h);
      };
    case "/":
      return int
        ? (t, c) => {
          const a = le(t, c);
          return typeof a === "number" ? Math.trunc(a / k) : arithSlow(op, a, k, h);
        }
        : (t, c) => {
          const a = le(t, c);
          return typeof a === "number" ? a / k : arithSlow(op, a, k, h);
        };
    case "%":
      return (t, c) => {
        const a = le(t, c);
        return typeof a === "number" ? a % k : arithSlow(op, a, k, h);
      };
  }
}

export function compileArith(op: ArithOp, l: CompiledExpr, r: CompiledExpr): CompiledExpr {
  const int = l.type === "bigint" && r.type === "bigint";
  const h: Hints = { l: l.type === "bigint", r: r.type === "bigint" };
  const type: ValueType = int ? "bigint" : "float";
  const k = isConstant(r) ? constValue(r) : undefined;
  const evaluator = typeof k === "number" && k !== 0
    ? constRight(op, l.eval, k, int, h)
    : generic(op, l.eval, r.eval, int, h);
  return fold({ eval: evaluator, type }, [l, r]);
}

/** 64-bit integer bitwise op (JavaScript's operators are 32-bit). */
function bitInt(op: BitOp, a: number, b: number): number {
  if ((a | 0) === a && (b | 0) === b) return op === "&" ? a & b : op === "|" ? a | b : a ^ b;
  const x = BigInt(Math.trunc(a)), y = BigInt(Math.trunc(b));
  return Number(BigInt.asIntN(64, op === "&" ? x & y : op === "|" ? x | y : x ^ y));
}

/** Booleans act as logical operators, as in eKuiper. */
function bitBool(op: BitOp, a: boolean, b: boolean): boolean {
  return op === "&" ? a && b : op === "|" ? a || b : a !== b;
}

/**
 * `& | ^` work on integers, or on booleans as logical operators. Numbers that are not
 * statically `bigint` are floats, on which eKuiper reports an invalid operation.
 */
export function compileBitwise(op: BitOp, l: CompiledExpr, r: CompiledExpr): CompiledExpr {
  const le = l.eval, re = r.eval;
  const int = l.type === "bigint" && r.type === "bigint";
  const h: Hints = { l: l.type === "bigint", r: r.type === "bigint" };
  const slow = (a: unknown, b: unknown): unknown => {
    if (a == null || b == null) return null;
    if (typeof a === "boolean" && typeof b === "boolean") return bitBool(op, a, b);
    throw invalid(a, op, b, h);
  };
  const evaluator: Evaluator = int
    ? (t, c) => {
      const a = le(t, c), b = re(t, c);
      return typeof a === "number" && typeof b === "number" ? bitInt(op, a, b) : slow(a, b);
    }
    : (t, c) => slow(le(t, c), re(t, c));
  const type: ValueType = int
    ? "bigint"
    : l.type === "boolean" && r.type === "boolean"
    ? "boolean"
    : "any";
  return fold({ eval: evaluator, type }, [l, r]);
}
