/**
 * Helpers for the grammar's tests (not part of the grammar).
 *
 * @module
 */

import { prng } from "../test/helpers/prng.ts";
export { prng };
import { expect } from "expect";
import type { Expr } from "../src/sql/ast.ts";
import { SqlSyntaxError } from "./mod.ts";

/** A deep copy of an AST without its `span` fields. */
export function stripSpans<T>(node: T): T {
  return JSON.parse(JSON.stringify(node, (k, v) => (k === "span" ? undefined : v)));
}

/** Runs `fn`, expects a SqlSyntaxError and returns it. */
export function syntaxError(fn: () => unknown): SqlSyntaxError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SqlSyntaxError);
    return e as SqlSyntaxError;
  }
  throw new Error("expected a SqlSyntaxError, but parsing succeeded");
}

/** A compact, unambiguous rendering of an expression for precedence tests:
 * `a + b * c` -> `(+ a (* b c))`. */
export function sexpr(e: Expr): string {
  const s = sexpr;
  const opt = (x: Expr | undefined) => (x ? s(x) : "_");
  switch (e.kind) {
    case "FieldRef":
      return e.stream === undefined ? e.name : `${e.stream}.${e.name}`;
    case "Wildcard": {
      const base = e.stream === undefined ? "*" : `${e.stream}.*`;
      const except = e.except ? ` (except ${e.except.join(" ")})` : "";
      const replace = e.replace
        ? ` (replace ${e.replace.map((r) => `(${s(r.expr)} ${r.alias})`).join(" ")})`
        : "";
      return except || replace ? `(${base}${except}${replace})` : base;
    }
    case "IntegerLiteral":
      return `${e.value}`;
    case "NumberLiteral":
      return Number.isInteger(e.value) ? `${e.value}.0` : `${e.value}`;
    case "StringLiteral":
      return JSON.stringify(e.value);
    case "BooleanLiteral":
      return `${e.value}`;
    case "TimeUnitLiteral":
      return e.unit;
    case "Binary":
      return `(${e.op} ${s(e.left)} ${s(e.right)})`;
    case "Unary":
      return `(${e.op === "-" ? "neg" : "not"} ${s(e.operand)})`;
    case "Between":
      return `(${e.not ? "not-" : ""}between ${s(e.expr)} ${s(e.low)} ${s(e.high)})`;
    case "In": {
      const list = Array.isArray(e.list) ? `[${e.list.map(s).join(" ")}]` : s(e.list);
      return `(${e.not ? "not-" : ""}in ${s(e.expr)} ${list})`;
    }
    case "Like":
      return `(${e.not ? "not-" : ""}like ${s(e.expr)} ${s(e.pattern)})`;
    case "IsNull":
      return `(is-${e.not ? "not-" : ""}null ${s(e.expr)})`;
    case "Access":
      return `(-> ${s(e.object)} ${e.key})`;
    case "Index":
      return `(idx ${s(e.object)} ${s(e.index)})`;
    case "Slice":
      return `(slice ${s(e.object)} ${opt(e.start)} ${opt(e.end)})`;
    case "Case": {
      const whens = e.whens.map((w) => ` (when ${s(w.when)} ${s(w.then)})`).join("");
      const operand = e.operand ? ` ${s(e.operand)}` : "";
      return `(case${operand}${whens}${e.else ? ` (else ${s(e.else)})` : ""})`;
    }
    case "Call": {
      const args = e.args.map((a) => ` ${s(a)}`).join("");
      const filter = e.filter ? ` (filter ${s(e.filter)})` : "";
      const order = (o: { expr: Expr; descending: boolean }) =>
        o.descending ? `(desc ${s(o.expr)})` : s(o.expr);
      const over = e.over
        ? ` (over (${e.over.partitionBy.map(s).join(" ")})${
          e.over.orderBy ? ` (order ${e.over.orderBy.map(order).join(" ")})` : ""
        }${e.over.when ? ` ${s(e.over.when)}` : ""})`
        : "";
      return `(${e.name}${args}${filter}${over})`;
    }
    case "Window": {
      const args = e.args.map((a) => ` ${s(a)}`).join("");
      const filter = e.filter ? ` (filter ${s(e.filter)})` : "";
      const trigger = e.trigger ? ` (trigger ${s(e.trigger)})` : "";
      const partition = e.partitionBy ? ` (partition ${e.partitionBy.map(s).join(" ")})` : "";
      return `(${e.windowType}${args}${filter}${trigger}${partition})`;
    }
  }
}
