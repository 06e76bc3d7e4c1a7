/**
 * The dispatch key of a rule on a SHARED stream: when its WHERE starts with `expr = constant`
 * (the leftmost conjunct, evaluated first), a message whose `expr` is a different value of the
 * constant's type, or null, can never pass, whatever the rest says: AND short-circuits left to
 * right, so the rest is not even evaluated. The stream's fan-out (`runtime/shared_fanout.ts`)
 * evaluates each distinct `expr` once per message and skips such rules, which makes R rules
 * `WHERE id % R = k AND ...` cost one evaluation per message instead of R.
 *
 * Only pure expressions qualify: columns, literals, arithmetic, `->` and `[]`. No function
 * calls (state, time, randomness, meta()), so that evaluating it once for all rules is the
 * same as each rule evaluating it.
 *
 * @module
 */
import type { BinaryExpr, Expr } from "../sql/ast.ts";
import type { Evaluator } from "../expr/types.ts";
import { intern } from "../util/intern.ts";

export interface DispatchKey {
  /** Same key = same expression over the same source: one evaluation serves all. Interned:
   * the keys of all rules with one expression are one string object. */
  key: string;
  /** The constant the rule compares with. */
  value: number | string;
  evaluate: Evaluator;
  /** What decides the rows the fan-out routed by this conjunct: the WHERE with the conjunct
   * as `true` ({@link leftmostAsTrue}; `condition` undefined: nothing else). Absent when the
   * WHERE keeps state (`last_hit_*`, analytic calls), which a second compilation would split. */
  routed?: { condition: Evaluator | undefined };
}

const ARITHMETIC = new Set(["+", "-", "*", "/", "%", "&", "|", "^"]);

/** The leftmost conjunct of an AND chain. */
function leftmost(e: Expr): Expr {
  while (e.kind === "Binary" && e.op === "AND") e = e.left;
  return e;
}

/**
 * `where` with its leftmost conjunct replaced by `true`: what the rest decides once that
 * conjunct holds, judged exactly as the whole (a non-boolean is the same error, null is
 * false). Undefined when the conjunct is all of `where`.
 */
export function leftmostAsTrue(where: Expr): Expr | undefined {
  if (where.kind !== "Binary" || where.op !== "AND") return undefined;
  const replace = (e: BinaryExpr): BinaryExpr => {
    const left: Expr = e.left.kind === "Binary" && e.left.op === "AND"
      ? replace(e.left)
      : { kind: "BooleanLiteral", value: true, span: e.left.span };
    return { ...e, left };
  };
  return replace(where);
}

function pure(e: Expr): boolean {
  switch (e.kind) {
    case "FieldRef":
    case "IntegerLiteral":
    case "NumberLiteral":
    case "StringLiteral":
    case "BooleanLiteral":
      return true;
    case "Binary":
      return ARITHMETIC.has(e.op) && pure(e.left) && pure(e.right);
    case "Unary":
      return e.op === "-" && pure(e.operand);
    case "Access":
      return pure(e.object);
    case "Index":
      return pure(e.object) && pure(e.index);
    default:
      return false;
  }
}

function constant(e: Expr): number | string | undefined {
  if (e.kind === "IntegerLiteral" || e.kind === "NumberLiteral") return e.value;
  if (e.kind === "StringLiteral") return e.value;
  return undefined;
}

/** The expression's shape without source positions. */
function canonical(e: Expr): string {
  return JSON.stringify(e, (k, v) => (k === "span" ? undefined : v));
}

/**
 * The dispatch key of a (single-source) rule's WHERE, already alias-resolved; `compile` turns
 * the key expression into an evaluator. Undefined when the WHERE does not start with a pure
 * `expr = constant`.
 */
export function dispatchKey(
  where: Expr | undefined,
  source: string,
  compile: (e: Expr) => Evaluator,
): DispatchKey | undefined {
  if (!where) return undefined;
  const first = leftmost(where);
  if (first.kind !== "Binary" || first.op !== "=") return undefined;
  let expr = first.left;
  let value = constant(first.right);
  if (value === undefined) {
    expr = first.right;
    value = constant(first.left);
  }
  if (value === undefined || constant(expr) !== undefined || !pure(expr)) return undefined;
  return { key: intern(`${source}|${canonical(expr)}`), value, evaluate: compile(expr) };
}
