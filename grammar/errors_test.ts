import { expect } from "expect";
import { positionOf, SqlSyntaxError, tokenAt } from "./errors.ts";
import * as grammar from "./mod.ts";
import { parseExpr, parseSelect } from "./mod.ts";
import { syntaxError } from "./test_util.ts";

Deno.test("positionOf", async (t) => {
  const text = "ab\ncd\r\n\nef";
  const cases: [number, { line: number; column: number }][] = [
    [0, { line: 1, column: 1 }],
    [2, { line: 1, column: 3 }],
    [3, { line: 2, column: 1 }],
    [5, { line: 2, column: 3 }],
    [7, { line: 3, column: 1 }],
    [8, { line: 4, column: 1 }],
    [10, { line: 4, column: 3 }],
    [99, { line: 4, column: 3 }],
    [-1, { line: 1, column: 1 }],
  ];
  for (const [offset, want] of cases) {
    await t.step(`offset ${offset}`, () => expect(positionOf(text, offset)).toEqual(want));
  }
});

Deno.test("mod.ts exports exactly the public API", () => {
  expect(Object.keys(grammar).sort()).toEqual([
    "SqlSyntaxError",
    "parseExpr",
    "parseSelect",
    "parseStatement",
    "parseStreamStatement",
    "positionOf",
  ]);
  expect(grammar.SqlSyntaxError).toBe(SqlSyntaxError);
  expect(grammar.positionOf).toBe(positionOf);
});

Deno.test("SqlSyntaxError carries position, expectation and found token", () => {
  const e = syntaxError(() => parseSelect("SELECT a\n  FROM t\n  WHER a"));
  expect(e).toBeInstanceOf(SyntaxError);
  expect(e.name).toBe("SqlSyntaxError");
  expect(e.line).toBe(3);
  expect(e.column).toBe(3);
  expect(e.offset).toBe(20);
  expect(e.expected).toEqual(["WHERE"]);
  expect(e.found).toBe("WHER");
  expect(e.message).toBe("line 3, column 3: expected WHERE but found 'WHER'");

  const end = syntaxError(() => parseExpr("f("));
  expect(end.found).toBe("end of input");
  expect(end.expected).toEqual(["')'", "'*'", "expression"]);
  expect(end.message).toBe(
    "line 1, column 3: expected one of ')', '*', expression but found end of input",
  );
});

Deno.test("the constructor formats messages for other callers", () => {
  const text = "SELECT a\nFROM t";
  expect(new SqlSyntaxError(text, 14, { reason: "unknown stream t" }).message).toBe(
    "line 2, column 6: unknown stream t",
  );
  const e = new SqlSyntaxError(text, 9, { expected: ["X", "','"] });
  expect(e.message).toBe("line 2, column 1: expected one of X, ',' but found 'FROM'");
  expect(e.found).toBe("FROM");
  expect(new SqlSyntaxError("", 0, {}).message).toBe("line 1, column 1: unexpected end of input");
});

Deno.test("tokenAt names the offending token", async (t) => {
  const cases: [string, number, string][] = [
    ["SELECT a", 0, "SELECT"],
    ["x 12.5e3 y", 2, "12.5e3"],
    ["x 12abc", 2, "12abc"],
    ["a <= b", 2, "<="],
    ["a -> b", 2, "->"],
    ["a @ b", 2, "@"],
    ["'abc' x", 0, "'abc'"],
    ['"a\\"b" x', 0, '"a\\"b"'],
    ["`a b` x", 0, "`a b`"],
    ["'a very long string literal indeed'", 0, "'a very long string ..."],
    ["'unterminated", 0, "'unterminated"],
    ["x", 1, "end of input"],
    ["😀", 0, "😀"],
    ["\u0000", 0, "\\u{0}"],
    ["名字", 0, "名字"],
  ];
  for (const [text, offset, want] of cases) {
    await t.step(JSON.stringify(text), () => expect(tokenAt(text, offset)).toBe(want));
  }
});

Deno.test("message conventions", async (t) => {
  const cases: [string, string][] = [
    // soft continuations (operators, AS after a full field...) are hidden when a clause keyword fits
    ["SELECT a FROM t WHERE a = 1 LIMT 1", "line 1, column 29: expected LIMIT but found 'LIMT'"],
    // near-miss only when exactly one keyword is close
    [
      "SELECT a FROM t WHERE a = 1 x",
      "line 1, column 29: expected one of GROUP, HAVING, LIMIT, ORDER, ';', end of input but found 'x'",
    ],
    // only soft labels expected: they are shown
    ["a NOT 1", "line 1, column 7: expected one of BETWEEN, IN, LIKE but found '1'"],
    // a found token containing a single quote is shown in double quotes
    [
      "SELECT a FROM t WHERE a = 'x' 'y'",
      "line 1, column 31: expected one of GROUP, HAVING, LIMIT, ORDER, ';', end of input but found \"'y'\"",
    ],
    // tabs count as one column
    ["SELECT\ta\tFROM\tt\tWHERE\t)", "line 1, column 23: expected expression but found ')'"],
    // the position after a comment
    ["SELECT a /* c */ FORM t", "line 1, column 18: expected FROM but found 'FORM'"],
    ["SELECT a -- c\n  FORM t", "line 2, column 3: expected FROM but found 'FORM'"],
  ];
  for (const [sql, message] of cases) {
    await t.step(JSON.stringify(sql), () => {
      const parse = sql.startsWith("SELECT") ? parseSelect : parseExpr;
      expect(syntaxError(() => parse(sql)).message).toBe(message);
    });
  }
});
