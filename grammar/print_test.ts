import { expect } from "expect";
import type { BinaryOp, Expr } from "../src/sql/ast.ts";
import { parseExpr, parseStatement } from "./mod.ts";
import { printExpr, printStatement } from "./print.ts";
import { VALID_STATEMENTS } from "./test_corpus.ts";
import { prng, stripSpans } from "./test_util.ts";

Deno.test("round trip: print → parse gives the same AST for the valid corpus", async (t) => {
  for (const sql of VALID_STATEMENTS) {
    await t.step(sql, () => {
      const ast = parseStatement(sql);
      const printed = printStatement(ast);
      expect(stripSpans(parseStatement(printed))).toEqual(stripSpans(ast));
      // printing is a fixed point after one round
      expect(printStatement(parseStatement(printed))).toBe(printed);
    });
  }
});

Deno.test("printed forms", async (t) => {
  const cases: [string, string][] = [
    ["a + b * c", "a + b * c"],
    ["(a + b) * c", "(a + b) * c"],
    ["a - (b - c)", "a - (b - c)"],
    ["(a - b) - c", "a - b - c"],
    ["a <> b", "a != b"],
    ["NOT (a AND b)", "NOT (a AND b)"],
    ["(NOT a) = b", "(NOT a) = b"],
    ["-(3)", "-(3)"],
    ["-(-a)", "-(-a)"],
    ["- -a", "-(-a)"],
    ["-(3)[0]", "-(3[0])"],
    ["-3[0]", "-3[0]"],
    ["-(a + 1)", "-(a + 1)"],
    ["1e3 + .5 + 1.", "1000.0 + 0.5 + 1.0"],
    ["'a\\tb\\u0001\"'", '"a\\tb\\u0001\\""'],
    ["'\\%'", '"\\\\%"'],
    ["`select` + `a b` + `null`", "`select` + `a b` + null"],
    ["s.`x y`->`end`->`a.b`", "s.`x y`->end->`a.b`"],
    ["a.b.c", "a.b->c"],
    ["arr[] + arr[:]", "arr[:] + arr[:]"],
    ["x IN (a) + 1", "x IN a + 1"],
    ["x IN (arr)[0]", "x IN arr[0]"],
    ["x IN (1)", "x IN (1)"],
    ["CASE WHEN a THEN b END", "CASE WHEN a THEN b END"],
    [
      "count(*) filter (where a) over (partition by b when c)",
      "count(*) FILTER (WHERE a) OVER (PARTITION BY b WHEN c)",
    ],
    ["TRUE AND false", "TRUE AND FALSE"],
  ];
  for (const [sql, want] of cases) {
    await t.step(sql, () => {
      const ast = parseExpr(sql);
      expect(printExpr(ast)).toBe(want);
      expect(stripSpans(parseExpr(printExpr(ast)))).toEqual(stripSpans(ast));
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Random ASTs: print → parse must give the AST back.
// ---------------------------------------------------------------------------------------------

const SPAN = { start: 0, end: 0 };
const NAMES = ["a", "b", "Temp_1", "null", "is", "select", "a-b", "x y", "é", "DD"];
const KEYS = ["k", "end", "a.b", "1st", "from"];
const FUNCS = ["f", "count", "lag", "concat"];
const OPS: BinaryOp[] = [
  "OR",
  "AND",
  "=",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "+",
  "-",
  "*",
  "/",
  "%",
  "&",
  "|",
  "^",
];
const CHARS = ["a", "Z", " ", "'", '"', "\\", "\n", "\t", "\u0001", "é", "😀", "%", "_"];

function generator(seed: number) {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const maybe = <T>(f: () => T): T | undefined => (rnd() < 0.5 ? f() : undefined);

  function leaf(): Expr {
    switch (int(6)) {
      case 0:
        return { kind: "FieldRef", name: pick(NAMES), span: SPAN };
      case 1:
        return { kind: "FieldRef", stream: pick(NAMES), name: pick(NAMES), span: SPAN };
      case 2:
        return { kind: "IntegerLiteral", value: int(2001) - 1000, span: SPAN };
      case 3: {
        const value = pick([0.5, -0.25, 1000, 1e21, 0.1 + 0.2, -0, 3.75e-9]);
        return { kind: "NumberLiteral", value, span: SPAN };
      }
      case 4: {
        const value = Array.from({ length: int(5) }, () => pick(CHARS)).join("");
        return { kind: "StringLiteral", value, span: SPAN };
      }
      default:
        return { kind: "BooleanLiteral", value: rnd() < 0.5, span: SPAN };
    }
  }

  function gen(depth: number): Expr {
    if (depth <= 0 || rnd() < 0.2) return leaf();
    const sub = () => gen(depth - 1);
    const not = rnd() < 0.5;
    switch (int(12)) {
      case 0:
      case 1:
        return { kind: "Binary", op: pick(OPS), left: sub(), right: sub(), span: SPAN };
      case 2:
        return { kind: "Unary", op: pick(["-", "NOT"] as const), operand: sub(), span: SPAN };
      case 3:
        return { kind: "Between", not, expr: sub(), low: sub(), high: sub(), span: SPAN };
      case 4: {
        // a single (non-list) right side is an array expression: keep it a primary
        const list = rnd() < 0.7
          ? Array.from({ length: 1 + int(3) }, sub)
          : { kind: "FieldRef" as const, name: pick(NAMES), span: SPAN };
        return { kind: "In", not, expr: sub(), list, span: SPAN };
      }
      case 5:
        return { kind: "Like", not, expr: sub(), pattern: sub(), span: SPAN };
      case 6:
        return { kind: "IsNull", not, expr: sub(), span: SPAN };
      case 7:
        return { kind: "Access", object: sub(), key: pick(KEYS), span: SPAN };
      case 8:
        return rnd() < 0.5
          ? { kind: "Index", object: sub(), index: sub(), span: SPAN }
          : { kind: "Slice", object: sub(), start: maybe(sub), end: maybe(sub), span: SPAN };
      case 9: {
        const whens = Array.from({ length: 1 + int(2) }, () => ({ when: sub(), then: sub() }));
        return { kind: "Case", operand: maybe(sub), whens, else: maybe(sub), span: SPAN };
      }
      default: {
        const args = Array.from(
          { length: int(3) },
          (): Expr => rnd() < 0.15 ? { kind: "Wildcard", span: SPAN } : sub(),
        );
        // OVER needs at least one part: a partition list, ORDER BY or WHEN
        const over = maybe(() => ({
          partitionBy: Array.from({ length: 1 + int(2) }, sub),
          orderBy: maybe(() => [{ expr: sub(), descending: rnd() < 0.5 }]),
          when: maybe(sub),
        }));
        return {
          kind: "Call",
          name: pick(FUNCS),
          args,
          filter: maybe(sub),
          over,
          span: SPAN,
        };
      }
    }
  }
  return gen;
}

Deno.test("round trip: 1,000 random expression trees", () => {
  const gen = generator(20240611);
  for (let i = 0; i < 1000; i++) {
    const ast = gen(5);
    const printed = printExpr(ast);
    let reparsed: Expr;
    try {
      reparsed = parseExpr(printed);
    } catch (e) {
      throw new Error(`tree #${i} printed as ${printed} does not parse: ${e}`);
    }
    expect({ i, printed, ast: stripSpans(reparsed) }).toEqual({ i, printed, ast: stripSpans(ast) });
  }
});
