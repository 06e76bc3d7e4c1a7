/**
 * What the sub-compilers share: the compile context, and constant nodes. A node whose value is
 * known at compile time carries it, so that literal-only subtrees fold into one constant and
 * operators can specialise on a constant operand (`a > 20`).
 *
 * @module
 */
import type { Expr } from "../sql/ast.ts";
import type { Tuple } from "../runtime/tuple.ts";
import type { FunctionRegistry } from "../functions/types.ts";
import type { CompiledExpr, CompileScope, EvalContext, ValueType } from "./types.ts";
import { EvalError } from "./types.ts";

export interface CompileCtx {
  scope: CompileScope;
  registry: FunctionRegistry;
  compile(expr: Expr): CompiledExpr;
}

interface ConstantExpr extends CompiledExpr {
  readonly constant: true;
  readonly value: unknown;
}

export function constant(value: unknown, type: ValueType): CompiledExpr {
  const node: ConstantExpr = { eval: () => value, type, constant: true, value };
  return node;
}

/** Whether the expression's value was known at compile time (it never reads the tuple). */
export function isConstant(c: CompiledExpr): boolean {
  return (c as Partial<ConstantExpr>).constant === true;
}

/** The compile-time value of a constant node. */
export function constValue(c: CompiledExpr): unknown {
  return (c as ConstantExpr).value;
}

const NO_TUPLE: Tuple = { emitter: "", message: {}, meta: undefined, timestamp: 0 };
const NO_CONTEXT: EvalContext = { ruleId: "", now: () => 0 };

/**
 * Replaces `node` by its value when every child is constant. Only primitive results are
 * folded (a shared array could be mutated downstream), and an evaluation error is left to
 * happen per record, as eKuiper reports it.
 */
export function fold(node: CompiledExpr, children: readonly CompiledExpr[]): CompiledExpr {
  if (!children.every(isConstant)) return node;
  let value: unknown;
  try {
    value = node.eval(NO_TUPLE, NO_CONTEXT);
  } catch (e) {
    if (e instanceof EvalError) return node;
    throw e;
  }
  if (value !== null && typeof value === "object") return node;
  return constant(value ?? null, node.type);
}
