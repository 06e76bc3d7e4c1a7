/**
 * Compile-time handling of a call's signature: arity and literal checks, and the static
 * result type.
 *
 * @module
 */
import type { Expr } from "../sql/ast.ts";
import type { ValueType } from "../expr/types.ts";
import { MSG } from "../expr/messages.ts";
import type { FunctionDef } from "./types.ts";

/** eKuiper's message for a wrong argument count, or undefined when the count fits. */
export function arityError(def: FunctionDef, found: number): string | undefined {
  const { minArgs: min, maxArgs: max } = def;
  if (found >= min && found <= max) return undefined;
  if (min === max) return MSG.expectArgs(min, found);
  if (max === Infinity) return MSG.atLeastArgs(min, found);
  return MSG.expectArgRange(min, max, found);
}

/** Arity, then the function's own literal checks; the bare message or undefined. */
export function checkArgs(def: FunctionDef, args: readonly Expr[]): string | undefined {
  return arityError(def, args.length) ?? def.validate?.(args);
}

export function resolveReturnType(
  def: FunctionDef,
  argTypes: ValueType[],
  args: readonly Expr[],
): ValueType {
  const rt = def.returnType;
  return typeof rt === "function" ? rt(argTypes, args) : rt;
}
