/**
 * Compile-time argument checks. Like eKuiper's (`ast.IsStringArg`, `IsNumericArg`, ...) they only
 * judge literals, and boolean-valued expressions: `abs("a")` and `upper(1)` fail, `abs(col)`
 * passes whatever `col` holds.
 *
 * @module
 */
import type { Expr } from "../sql/ast.ts";
import { MSG } from "../expr/messages.ts";

const isNumeric = (e: Expr): boolean =>
  e.kind === "IntegerLiteral" || e.kind === "NumberLiteral" ||
  (e.kind === "Unary" && e.op === "-" && isNumeric(e.operand));
const isFloat = (e: Expr): boolean =>
  e.kind === "NumberLiteral" || (e.kind === "Unary" && e.op === "-" && isFloat(e.operand));
const isString = (e: Expr) => e.kind === "StringLiteral";
const isTime = (e: Expr) => e.kind === "TimeUnitLiteral";

const BOOLEAN_OPS = new Set(["AND", "OR", "=", "!=", "<", "<=", ">", ">="]);

/** eKuiper's `IsBooleanArg`: a boolean literal or an expression that is a condition. */
export function isBoolean(e: Expr): boolean {
  switch (e.kind) {
    case "BooleanLiteral":
    case "Between":
    case "In":
    case "Like":
    case "IsNull":
      return true;
    case "Binary":
      return BOOLEAN_OPS.has(e.op);
    case "Unary":
      return e.op === "NOT";
    default:
      return false;
  }
}

/** Argument kinds a check can demand. `any` accepts everything. */
export type ArgKind = "number" | "int" | "string" | "bool" | "any";

const LABEL: Record<ArgKind, string> = {
  number: "number - float or int",
  int: "int",
  string: "string",
  bool: "bool",
  any: "",
};

/** Whether expression `e` visibly cannot be of kind `k`. */
function contradicts(e: Expr, k: ArgKind): boolean {
  switch (k) {
    case "number":
      return isString(e) || isTime(e) || isBoolean(e);
    case "int":
      return isFloat(e) || isString(e) || isTime(e) || isBoolean(e);
    case "string":
      return isNumeric(e) || isTime(e) || isBoolean(e);
    case "bool":
      return isNumeric(e) || isString(e) || isTime(e);
    case "any":
      return false;
  }
}

/** Checks each present argument against its kind; a trailing kind repeats for variadics when
 * `rest` is set. */
export function expect(kinds: readonly ArgKind[], rest = false) {
  return (args: readonly Expr[]): string | undefined => {
    for (let i = 0; i < args.length; i++) {
      const k = i < kinds.length ? kinds[i] : rest ? kinds[kinds.length - 1] : "any";
      if (contradicts(args[i], k)) return MSG.expectType(i, LABEL[k]);
    }
    return undefined;
  };
}

/** The value of an integer literal argument, if it is one. */
export function intLiteral(e: Expr | undefined): number | undefined {
  if (e?.kind === "IntegerLiteral") return e.value;
  if (e?.kind === "Unary" && e.op === "-" && e.operand.kind === "IntegerLiteral") {
    return -e.operand.value;
  }
  return undefined;
}

/** The value of a string literal argument, if it is one. */
export function stringLiteral(e: Expr | undefined): string | undefined {
  return e?.kind === "StringLiteral" ? e.value : undefined;
}
