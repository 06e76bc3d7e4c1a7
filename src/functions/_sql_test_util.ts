/**
 * Test helper: compile an SQL expression text (real parser, real compiler) and evaluate it
 * over rows, so function tests exercise compile-time checks, static types and OVER clauses as
 * rules do.
 *
 * @module
 */
import { parseExpr } from "../../grammar/mod.ts";
import { compileExpr } from "../expr/compile.ts";
import { testScope, tuple } from "../expr/_test_ast.ts";
import type { CompiledExpr, EvalContext, ValueType } from "../expr/types.ts";
import type { Row } from "../runtime/tuple.ts";

export const SQL_CTX: EvalContext = { ruleId: "rule1", now: () => 1_700_000_000_000 };

export function compileSql(text: string, types: Record<string, ValueType> = {}): CompiledExpr {
  return compileExpr(parseExpr(text), testScope(types));
}

/** The value of `text` over one row. */
export function evalSql(text: string, row: Row = {}, ctx: EvalContext = SQL_CTX): unknown {
  return compileSql(text).eval(tuple(row), ctx);
}

/** The values of one compiled `text` over successive rows (stateful functions keep state). */
export function evalRows(text: string, rows: Row[], ctx: EvalContext = SQL_CTX): unknown[] {
  const c = compileSql(text);
  return rows.map((r) => c.eval(tuple(r), ctx));
}

/** The compile error message of `text`, or undefined when it compiles. */
export function compileMessage(text: string): string | undefined {
  try {
    compileSql(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
