import { expect } from "expect";
import type { Expr } from "../sql/ast.ts";
import type { Row } from "../runtime/tuple.ts";
import { compileExpr, isConstant } from "./compile.ts";
import { CompileError, EvalError, type ValueType } from "./types.ts";
import {
  and,
  arrow,
  between,
  bin,
  bool,
  call,
  caseOf,
  CTX,
  field,
  index,
  inList,
  int,
  isNull,
  like,
  neg,
  not,
  num,
  or,
  slice,
  SPAN,
  star,
  str,
  testScope,
  tumbling,
  tuple,
  unit,
} from "./_test_ast.ts";

/** Static column types of the test stream; other columns are schemaless (`any`). */
const TYPES: Record<string, ValueType> = {
  i: "bigint",
  j: "bigint",
  f: "float",
  s: "string",
  b: "boolean",
};

interface Case {
  name: string;
  expr: Expr;
  row?: Row;
  meta?: Row;
  want?: unknown;
  /** Expected EvalError message. */
  error?: string;
  type?: ValueType;
}

function check(c: Case): void {
  const compiled = compileExpr(c.expr, testScope(TYPES));
  const run = () => compiled.eval(tuple(c.row ?? {}, c.meta), CTX);
  if (c.error !== undefined) {
    expect(run).toThrow(EvalError);
    expect(run).toThrow(c.error);
  } else {
    expect(run()).toEqual(c.want);
  }
  if (c.type) expect(compiled.type).toBe(c.type);
}

async function table(t: Deno.TestContext, cases: Case[]): Promise<void> {
  for (const c of cases) await t.step(c.name, () => check(c));
}

const a = field("a"), b = field("b"), i = field("i"), j = field("j"), s = field("s");

Deno.test("compileExpr() arithmetic follows eKuiper's int/float rules", (t) =>
  table(t, [
    { name: "int / int truncates", expr: bin("/", int(7), int(2)), want: 3, type: "bigint" },
    { name: "negative int division", expr: bin("/", int(-7), int(2)), want: -3 },
    { name: "float / int", expr: bin("/", num(7), int(2)), want: 3.5, type: "float" },
    { name: "int % int", expr: bin("%", int(7), int(3)), want: 1, type: "bigint" },
    { name: "% keeps dividend sign", expr: bin("%", int(-7), int(3)), want: -1 },
    { name: "float %", expr: bin("%", num(7.5), int(2)), want: 1.5 },
    { name: "typed ints divide", expr: bin("/", i, j), row: { i: 7, j: 2 }, want: 3 },
    {
      name: "schemaless numbers are floats",
      expr: bin("/", a, int(2)),
      row: { a: 7 },
      want: 3.5,
      type: "float",
    },
    { name: "dynamic / dynamic", expr: bin("/", a, b), row: { a: 1, b: 4 }, want: 0.25 },
    { name: "precedence folded", expr: bin("+", int(1), bin("*", int(2), int(3))), want: 7 },
    { name: "float multiply", expr: bin("*", field("f"), int(2)), row: { f: 1.5 }, want: 3 },
    { name: "subtract", expr: bin("-", a, b), row: { a: 1, b: 3 }, want: -2 },
    { name: "null operand", expr: bin("+", a, int(1)), row: { a: null }, want: null },
    { name: "missing operand", expr: bin("*", int(2), a), want: null },
    { name: "null divisor is null", expr: bin("/", int(1), a), want: null },
    {
      name: "div by zero literal",
      expr: bin("/", a, int(0)),
      row: { a: 1 },
      error: "divided by zero",
    },
    {
      name: "div by zero field",
      expr: bin("/", a, b),
      row: { a: 1, b: 0 },
      error: "divided by zero",
    },
    { name: "mod by zero", expr: bin("%", i, j), row: { i: 1, j: 0 }, error: "divided by zero" },
    {
      name: "string + int literal",
      expr: bin("+", a, int(1)),
      row: { a: "x" },
      error: "invalid operation string(x) + int64(1)",
    },
    {
      name: "string + schemaless number",
      expr: bin("+", a, b),
      row: { a: "a", b: 1 },
      error: "invalid operation string(a) + float64(1)",
    },
    {
      name: "bool * number",
      expr: bin("*", a, num(1.5)),
      row: { a: true },
      error: "invalid operation bool(true) * float64(1.5)",
    },
    { name: "negate", expr: neg(a), row: { a: 5 }, want: -5, type: "float" },
    { name: "negate int keeps type", expr: neg(i), row: { i: 5 }, want: -5, type: "bigint" },
    { name: "negate null", expr: neg(a), want: null },
    {
      name: "negate string",
      expr: neg(s),
      row: { s: "x" },
      error: "invalid operation - string(x)",
    },
  ]));

Deno.test("compileExpr() bitwise operators take integers or booleans", (t) =>
  table(t, [
    { name: "and", expr: bin("&", i, j), row: { i: 6, j: 3 }, want: 2, type: "bigint" },
    { name: "or", expr: bin("|", i, j), row: { i: 6, j: 3 }, want: 7 },
    { name: "xor", expr: bin("^", i, j), row: { i: 6, j: 3 }, want: 5 },
    {
      name: "beyond 32 bits",
      expr: bin("&", i, j),
      row: { i: 2 ** 40 + 3, j: 2 ** 40 + 1 },
      want: 2 ** 40 + 1,
    },
    {
      name: "booleans are logical",
      expr: bin("&", field("b"), bool(false)),
      row: { b: true },
      want: false,
    },
    { name: "boolean xor", expr: bin("^", a, bool(false)), row: { a: true }, want: true },
    { name: "null", expr: bin("|", i, j), row: { i: null, j: 1 }, want: null },
    {
      name: "schemaless numbers are floats",
      expr: bin("&", a, int(1)),
      row: { a: 3 },
      error: "invalid operation float64(3) & int64(1)",
    },
  ]));

Deno.test("compileExpr() comparisons: null is false, types must agree", (t) =>
  table(t, [
    { name: "greater", expr: bin(">", a, int(20)), row: { a: 25 }, want: true, type: "boolean" },
    { name: "less or equal", expr: bin("<=", a, int(20)), row: { a: 20 }, want: true },
    { name: "not equal", expr: bin("!=", a, b), row: { a: 1, b: 2 }, want: true },
    { name: "with null is false", expr: bin(">", a, int(20)), row: { a: null }, want: false },
    { name: "missing is false", expr: bin("<", a, int(20)), want: false },
    { name: "null = null is false", expr: bin("=", a, b), want: false },
    { name: "x != null is false", expr: bin("!=", a, b), row: { a: 1 }, want: false },
    { name: "int vs float", expr: bin("=", i, num(1)), row: { i: 1 }, want: true },
    { name: "strings", expr: bin("<", s, str("b")), row: { s: "a" }, want: true },
    { name: "string equality", expr: bin("=", s, a), row: { s: "x", a: "x" }, want: true },
    {
      name: "booleans equal",
      expr: bin("=", field("b"), bool(true)),
      row: { b: true },
      want: true,
    },
    {
      name: "booleans are not ordered",
      expr: bin(">", field("b"), bool(true)),
      row: { b: true },
      error: "invalid operation bool(true) > bool(true)",
    },
    {
      name: "string vs int literal",
      expr: bin(">", a, int(1)),
      row: { a: "abc" },
      error: "invalid operation string(abc) > int64(1)",
    },
    {
      name: "string vs schemaless number",
      expr: bin(">", a, b),
      row: { a: "a", b: 1 },
      error: "invalid operation string(a) > float64(1)",
    },
    {
      name: "objects are not comparable",
      expr: bin("=", a, b),
      row: { a: { x: 1 }, b: { x: 1 } },
      error:
        "invalid operation map[string]interface {}(map[x:1]) = map[string]interface {}(map[x:1])",
    },
    { name: "date vs epoch", expr: bin(">", a, int(1000)), row: { a: new Date(2000) }, want: true },
    {
      name: "date vs string",
      expr: bin("=", a, str("1970-01-01T00:00:02Z")),
      row: { a: new Date(2000) },
      want: true,
    },
    {
      name: "date vs date",
      expr: bin("<", a, b),
      row: { a: new Date(1), b: new Date(2) },
      want: true,
    },
    {
      name: "date vs unparseable string",
      expr: bin("<", a, str("soon")),
      row: { a: new Date(0) },
      error: "invalid operation time.Time(1970-01-01T00:00:00.000Z) < string(soon)",
    },
  ]));

Deno.test("compileExpr() AND, OR, NOT need booleans and treat null as false", (t) =>
  table(t, [
    { name: "and", expr: and(bool(true), a), row: { a: false }, want: false },
    { name: "and true", expr: and(a, b), row: { a: true, b: true }, want: true },
    { name: "null and", expr: and(a, bool(true)), want: false },
    { name: "and null", expr: and(bool(true), a), want: false },
    { name: "or null", expr: or(a, bool(true)), want: true },
    { name: "null or null", expr: or(a, b), want: false },
    {
      name: "or short-circuits",
      expr: or(bool(true), bin("=", bin("/", a, int(0)), int(1))),
      row: { a: 1 },
      want: true,
    },
    {
      name: "and short-circuits",
      expr: and(a, bin("=", bin("/", b, int(0)), int(1))),
      row: { a: false, b: 1 },
      want: false,
    },
    {
      name: "number and",
      expr: and(a, bool(true)),
      row: { a: 1 },
      error: "invalid operation float64(1) AND bool(true)",
    },
    {
      name: "or string",
      expr: or(bool(false), s),
      row: { s: "yes" },
      error: "invalid operation bool(false) OR string(yes)",
    },
    { name: "not", expr: not(a), row: { a: true }, want: false },
    { name: "not null", expr: not(a), want: false },
    { name: "not comparison", expr: not(bin(">", a, int(1))), row: { a: 0 }, want: true },
    { name: "not number", expr: not(a), row: { a: 1 }, error: "invalid operation NOT float64(1)" },
  ]));

const doc = {
  o: { a: { b: 1 }, list: [{ name: "x" }, { name: "y" }], empty: [] },
  arr: [10, 20, 30],
  s: "abc",
};

Deno.test("compileExpr() -> and [] access JSON values", (t) =>
  table(t, [
    { name: "nested ->", expr: arrow(field("o"), "a", "b"), row: doc, want: 1 },
    { name: "missing key", expr: arrow(field("o"), "zz"), row: doc, want: null },
    { name: "-> on null", expr: arrow(field("n"), "a", "b"), row: doc, want: null },
    { name: "inherited key", expr: arrow(field("o"), "constructor"), row: doc, want: null },
    {
      name: "own inherited-name key",
      expr: arrow(a, "toString"),
      row: { a: { toString: 1 } },
      want: 1,
    },
    {
      name: "-> on a string",
      expr: arrow(s, "a"),
      row: doc,
      error: "the result abc is not a type of map[string]interface{}",
    },
    {
      name: "-> maps over arrays",
      expr: arrow(arrow(field("o"), "list"), "name"),
      row: doc,
      want: ["x", "y"],
    },
    { name: "index", expr: index(field("arr"), int(0)), row: doc, want: 10 },
    { name: "negative index", expr: index(field("arr"), int(-1)), row: doc, want: 30 },
    { name: "dynamic index", expr: index(field("arr"), a), row: { ...doc, a: 1 }, want: 20 },
    {
      name: "index out of range",
      expr: index(field("arr"), int(3)),
      row: doc,
      error: "out of index: 3 of 3",
    },
    {
      name: "negative out of range",
      expr: index(field("arr"), int(-4)),
      row: doc,
      error: "out of index: -4 of 3",
    },
    { name: "index null", expr: index(field("n"), int(0)), row: doc, want: null },
    { name: "null index", expr: index(field("arr"), a), row: doc, want: null },
    {
      name: "index a string",
      expr: index(s, int(0)),
      row: doc,
      error: "[] is an invalid operation for string",
    },
    {
      name: "index is not a number",
      expr: index(field("arr"), a),
      row: { ...doc, a: "x" },
      error: "index x is not int",
    },
    {
      name: "nested index and arrow",
      expr: arrow(index(arrow(field("o"), "list"), int(1)), "name"),
      row: doc,
      want: "y",
    },
    { name: "slice", expr: slice(field("arr"), int(1), int(3)), row: doc, want: [20, 30] },
    { name: "slice to", expr: slice(field("arr"), undefined, int(2)), row: doc, want: [10, 20] },
    { name: "slice from", expr: slice(field("arr"), int(1)), row: doc, want: [20, 30] },
    { name: "slice negative", expr: slice(field("arr"), int(-2)), row: doc, want: [20, 30] },
    { name: "whole array", expr: slice(field("arr")), row: doc, want: [10, 20, 30] },
    { name: "whole empty array", expr: slice(arrow(field("o"), "empty")), row: doc, want: [] },
    { name: "slice of null", expr: slice(field("n"), int(0)), row: doc, want: null },
    {
      name: "slice end out of range",
      expr: slice(field("arr"), int(0), int(5)),
      row: doc,
      error: "end value is out of index: 5 of 3",
    },
    {
      name: "slice start out of range",
      expr: slice(field("arr"), int(3)),
      row: doc,
      error: "start value is out of index: 3 of 3",
    },
    {
      name: "slice start after end",
      expr: slice(field("arr"), int(2), int(1)),
      row: doc,
      error: "start cannot be greater than end. start:2  end:1",
    },
    {
      name: "slice then arrow",
      expr: arrow(slice(arrow(field("o"), "list"), undefined, int(1)), "name"),
      row: doc,
      want: ["x"],
    },
  ]));

Deno.test("compileExpr() IN, BETWEEN, LIKE, IS NULL", (t) =>
  table(t, [
    { name: "in list", expr: inList(a, [int(1), int(2), int(3)]), row: { a: 2 }, want: true },
    { name: "not in list", expr: inList(a, [int(1), int(2)]), row: { a: 5 }, want: false },
    { name: "NOT IN", expr: inList(a, [int(1), int(2)], true), row: { a: 5 }, want: true },
    { name: "in with null lhs", expr: inList(a, [int(1)]), want: false },
    { name: "not in with null lhs", expr: inList(a, [int(1)], true), want: false },
    { name: "in strings", expr: inList(s, [str("x"), str("y")]), row: { s: "y" }, want: true },
    {
      name: "mixed kinds are unequal",
      expr: inList(a, [int(1), int(2)]),
      row: { a: "1" },
      want: false,
    },
    { name: "dynamic list", expr: inList(a, [b, int(3)]), row: { a: 7, b: 7 }, want: true },
    { name: "in array", expr: inList(a, field("arr")), row: { a: 20, arr: [10, 20] }, want: true },
    {
      name: "in array of objects",
      expr: inList(a, field("arr")),
      row: { a: { k: [1] }, arr: [{ k: [1] }] },
      want: true,
    },
    { name: "in null array", expr: inList(a, field("arr")), row: { a: 1 }, want: false },
    { name: "not in null array", expr: inList(a, field("arr"), true), row: { a: 1 }, want: true },
    { name: "between", expr: between(a, int(1), int(10)), row: { a: 5 }, want: true },
    { name: "between inclusive", expr: between(a, int(1), int(10)), row: { a: 10 }, want: true },
    { name: "between outside", expr: between(a, int(1), int(10)), row: { a: 11 }, want: false },
    { name: "not between", expr: between(a, int(1), int(10), true), row: { a: 11 }, want: true },
    { name: "between null", expr: between(a, int(1), int(10)), want: false },
    { name: "not between null", expr: between(a, int(1), int(10), true), want: false },
    { name: "between strings", expr: between(s, str("a"), str("c")), row: { s: "b" }, want: true },
    {
      name: "between type error",
      expr: between(a, int(1), int(2)),
      row: { a: "x" },
      error: "between operator cannot compare string(x) and int64(1)",
    },
    { name: "like %", expr: like(s, str("a%")), row: { s: "abc" }, want: true },
    { name: "like _", expr: like(s, str("a_c")), row: { s: "abc" }, want: true },
    { name: "like _ is one char", expr: like(s, str("a_c")), row: { s: "abbc" }, want: false },
    { name: "like anchored", expr: like(s, str("b")), row: { s: "abc" }, want: false },
    { name: "escaped %", expr: like(s, str("50\\%")), row: { s: "50%" }, want: true },
    { name: "escaped % is literal", expr: like(s, str("50\\%")), row: { s: "500" }, want: false },
    { name: "escaped _", expr: like(s, str("a\\_b")), row: { s: "a_b" }, want: true },
    { name: "escaped _ is literal", expr: like(s, str("a\\_b")), row: { s: "axb" }, want: false },
    {
      name: "regexp metachar is literal",
      expr: like(s, str("a.c")),
      row: { s: "abc" },
      want: false,
    },
    {
      name: "metachar matches itself",
      expr: like(s, str("(a).c%")),
      row: { s: "(a).cx" },
      want: true,
    },
    { name: "% spans lines", expr: like(s, str("a%z")), row: { s: "a\nz" }, want: true },
    { name: "not like", expr: like(s, str("a%"), true), row: { s: "abc" }, want: false },
    { name: "like null", expr: like(s, str("a%")), want: false },
    { name: "not like null", expr: like(s, str("a%"), true), want: false },
    {
      name: "like non-string",
      expr: like(a, str("1")),
      row: { a: 1 },
      error: "LIKE operator left operand expects string, but found 1",
    },
    { name: "dynamic pattern", expr: like(s, a), row: { s: "abc", a: "%c" }, want: true },
    {
      name: "dynamic non-string pattern",
      expr: like(s, a),
      row: { s: "abc", a: 12 },
      error: "invalid LIKE pattern, must be a string but got 12",
    },
    { name: "is null", expr: isNull(a), want: true },
    { name: "is null on value", expr: isNull(a), row: { a: 0 }, want: false },
    { name: "is not null", expr: isNull(a, true), row: { a: "" }, want: true },
  ]));

Deno.test("compileExpr() CASE", (t) =>
  table(t, [
    {
      name: "simple",
      expr: caseOf(a, [[int(1), str("one")], [int(2), str("two")]], str("many")),
      row: { a: 2 },
      want: "two",
      type: "string",
    },
    {
      name: "simple else",
      expr: caseOf(a, [[int(1), str("one")]], str("many")),
      row: { a: 5 },
      want: "many",
    },
    {
      name: "no match, no else",
      expr: caseOf(a, [[int(1), str("one")]]),
      row: { a: 5 },
      want: null,
    },
    { name: "null operand", expr: caseOf(a, [[int(1), str("one")]], str("else")), want: "else" },
    {
      name: "searched",
      expr: caseOf(undefined, [[bin(">", a, int(10)), str("big")]], str("small")),
      row: { a: 11 },
      want: "big",
    },
    {
      name: "searched non-boolean condition is no match",
      expr: caseOf(undefined, [[a, str("yes")]], str("no")),
      row: { a: 1 },
      want: "no",
    },
    {
      name: "mixed branch types",
      expr: caseOf(undefined, [[bool(true), int(1)]], str("x")),
      want: 1,
      type: "any",
    },
    {
      name: "condition error",
      expr: caseOf(undefined, [[bin(">", s, int(1)), str("big")]]),
      row: { s: "x" },
      error: "evaluate case expression error: invalid operation string(x) > int64(1)",
    },
    {
      name: "simple type error",
      expr: caseOf(s, [[int(1), str("one")]]),
      row: { s: "x" },
      error: "evaluate case expression error: invalid operation string(x) = int64(1)",
    },
  ]));

Deno.test("compileExpr() function calls", (t) =>
  table(t, [
    { name: "abs keeps int", expr: call("abs", i), row: { i: -3 }, want: 3, type: "bigint" },
    { name: "abs of schemaless", expr: call("abs", a), row: { a: -3 }, want: 3, type: "float" },
    { name: "upper", expr: call("upper", s), row: { s: "ab" }, want: "AB", type: "string" },
    { name: "nil policy", expr: call("upper", s), want: null },
    { name: "empty array is nil", expr: call("abs", a), row: { a: [] }, want: null },
    { name: "zero policy", expr: call("length", s), want: 0 },
    { name: "false policy", expr: call("endswith", s, str("a")), want: false },
    {
      name: "three args",
      expr: call("substring", s, int(1), int(3)),
      row: { s: "hello" },
      want: "el",
    },
    {
      name: "variadic",
      expr: call("concat", s, str("-"), a, str("-"), b),
      row: { s: "x", a: 1, b: null },
      want: "x-1-",
    },
    {
      name: "cast gives the static type",
      expr: bin("/", call("cast", a, str("bigint")), int(2)),
      row: { a: 7.9 },
      want: 3,
      type: "bigint",
    },
    {
      name: "runtime errors are wrapped",
      expr: call("substring", s, a),
      row: { s: "abc", a: -1 },
      error: "call func substring error: start index must be a positive number",
    },
    { name: "tstamp reads the context clock", expr: call("tstamp"), want: 1_700_000_000_000 },
    { name: "rule_id", expr: call("rule_id"), want: "rule1" },
    {
      name: "wildcard argument is the row",
      expr: call("to_json", star()),
      row: { x: 1 },
      want: '{"x":1}',
    },
    {
      name: "nested calls",
      expr: call("lower", call("concat", s, call("upper", str("B")))),
      row: { s: "A" },
      want: "ab",
    },
  ]));

Deno.test("compileExpr() meta() and mqtt() read tuple metadata", (t) => {
  const meta = { topic: "t/1", messageId: 7, props: { k: "v" } };
  return table(t, [
    { name: "meta(key)", expr: call("meta", field("topic")), meta, want: "t/1" },
    { name: "meta(missing)", expr: call("meta", field("nope")), meta, want: null },
    { name: "meta(a->b)", expr: call("meta", arrow(field("props"), "k")), meta, want: "v" },
    { name: "meta(*)", expr: call("meta", star()), meta, want: meta },
    { name: "meta without metadata", expr: call("meta", field("topic")), want: null },
    { name: "meta(stream.key)", expr: call("meta", field("topic", "demo")), meta, want: "t/1" },
    { name: "mqtt(topic)", expr: call("mqtt", field("topic")), meta, want: "t/1" },
    { name: "mqtt(messageid)", expr: call("mqtt", field("messageid")), meta, want: 7 },
  ]);
});

function compileError(expr: Expr): CompileError {
  try {
    compileExpr(expr, testScope(TYPES));
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error("expected a CompileError");
}

Deno.test("compileExpr() reports compile errors with eKuiper's messages", async (t) => {
  const cases: [string, Expr, string][] = [
    ["unknown function", call("foo", a), "function foo not found"],
    [
      "arity",
      call("abs", int(1), int(2)),
      "validate function abs error: Expect 1 arguments but found 2.",
    ],
    [
      "variadic arity",
      call("concat"),
      "validate function concat error: At least has 1 argument but found 0.",
    ],
    [
      "arity range",
      call("round"),
      "validate function round error: Expect 1 to 2 arguments but found 0.",
    ],
    [
      "literal type",
      call("abs", str("a")),
      "validate function abs error: Expect number - float or int type for parameter 1",
    ],
    [
      "boolean expression as number",
      call("sqrt", bin(">", a, int(1))),
      "validate function sqrt error: Expect number - float or int type for parameter 1",
    ],
    [
      "cast target",
      call("cast", a, str("money")),
      "validate function cast error: Expect one of following value for the 2nd parameter: bigint, float, string, boolean, datetime, bytea.",
    ],
    ["aggregate in scalar context", call("avg", a), "aggregate function avg is not allowed here"],
    [
      "mqtt parameter",
      call("mqtt", field("qos")),
      "validate function mqtt error: Parameter of mqtt function can be only topic or messageid.",
    ],
    [
      "meta of a literal",
      call("meta", int(1)),
      "validate function meta error: Expect meta reference type for parameter 1",
    ],
    ["wildcard in an expression", bin("+", star(), int(1)), "* is only allowed"],
    ["window", tumbling(), "window functions are only allowed in GROUP BY"],
    ["time unit", unit("SS"), "time unit SS is only allowed in window functions"],
    [
      "over on a scalar",
      { ...call("abs", a), over: { partitionBy: [] } },
      "Found OVER after non analytic function abs",
    ],
  ];
  for (const [name, expr, message] of cases) {
    await t.step(name, () => {
      const err = compileError(expr);
      expect(err.message).toContain(message);
      expect(err.span).toEqual(SPAN);
    });
  }
});

Deno.test("compileExpr() delegates aggregate calls to the scope", () => {
  const seen: string[] = [];
  const scope = testScope({}, (c) => {
    seen.push(c.name);
    return { eval: () => 42, type: "float" };
  });
  const compiled = compileExpr(bin("+", call("avg", a), int(1)), scope);
  expect(seen).toEqual(["avg"]);
  expect(compiled.eval(tuple(), CTX)).toBe(43);
  expect(compiled.type).toBe("float");
});

Deno.test("compileExpr() folds literal-only subtrees into constants", async (t) => {
  const folded: [string, Expr, unknown][] = [
    ["1 + 2", bin("+", int(1), int(2)), 3],
    ["nested", bin("*", bin("+", int(1), int(2)), neg(int(4))), -12],
    ["comparison", bin(">", num(2.5), int(2)), true],
    ["pure call", call("upper", str("a")), "A"],
    ["case", caseOf(int(1), [[int(1), str("one")]]), "one"],
    ["like", like(str("abc"), str("a%")), true],
  ];
  for (const [name, expr, want] of folded) {
    await t.step(name, () => {
      const c = compileExpr(expr, testScope());
      expect(isConstant(c)).toBe(true);
      // A constant never reads the tuple or the context.
      expect(c.eval(undefined as never, undefined as never)).toEqual(want);
    });
  }
  await t.step("fields, volatile calls and errors are not folded", () => {
    expect(isConstant(compileExpr(bin("+", a, int(1)), testScope()))).toBe(false);
    expect(isConstant(compileExpr(call("rand"), testScope()))).toBe(false);
    expect(isConstant(compileExpr(call("tstamp"), testScope()))).toBe(false);
    const err = compileExpr(bin("/", int(1), int(0)), testScope());
    expect(isConstant(err)).toBe(false);
    expect(() => err.eval(tuple(), CTX)).toThrow("divided by zero");
  });
});
