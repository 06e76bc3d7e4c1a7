/**
 * Pathological input: absurd nesting, huge tokens, long operator chains. Each must parse or fail
 * with a SqlSyntaxError naming the position, within a time bound, never overflow the stack.
 */
import { expect } from "expect";
import { parseExpr, parseStatement } from "./mod.ts";
import { MAX_AST_DEPTH, MAX_NESTING, tooDeepAt } from "./nesting.ts";
import { syntaxError } from "./test_util.ts";

const n = MAX_NESTING;

/** Parses within `ms` milliseconds (generous: these are 10-100 KB inputs). */
function timed<T>(ms: number, fn: () => T): T {
  const started = performance.now();
  try {
    return fn();
  } finally {
    expect(performance.now() - started).toBeLessThan(ms);
  }
}

Deno.test("nesting: 10,000 parentheses are a positioned error, not a stack overflow", () => {
  const deep = "SELECT " + "(".repeat(10_000) + "a" + ")".repeat(10_000) + " FROM t";
  const e = timed(500, () => syntaxError(() => parseStatement(deep)));
  // the select field is level 1 (column 8); the expression after the 100th `(` is level 101
  expect(e.message).toBe(`line 1, column ${8 + n}: expressions nested deeper than ${n} levels`);
  const unclosed = syntaxError(() => parseExpr("(".repeat(50_000)));
  expect(unclosed.message).toBe(
    `line 1, column ${n + 1}: expressions nested deeper than ${n} levels`,
  );
});

Deno.test("nesting: the limit is exact, for every recursive construct", () => {
  const within = n - 1; // below the select field's own level
  const constructs: Record<string, (k: number) => string> = {
    parentheses: (k) => "(".repeat(k) + "1" + ")".repeat(k),
    calls: (k) => "f(".repeat(k) + "1" + ")".repeat(k),
    "searched CASE": (k) => "CASE WHEN a THEN ".repeat(k) + "1" + " END".repeat(k),
    indexes: (k) => "a" + "[a".repeat(k) + "]".repeat(k),
    "FILTER clauses": (k) => "f(1) FILTER (WHERE ".repeat(k) + "1" + ")".repeat(k),
    "OVER clauses": (k) => "f(1) OVER (PARTITION BY ".repeat(k) + "1" + ")".repeat(k),
    "IN lists": (k) => "a IN (".repeat(k) + "1" + ")".repeat(k),
    "NOT chains": (k) => "NOT ".repeat(k) + "a",
    "unary minus chains": (k) => "- ".repeat(k) + "a",
  };
  for (const [what, make] of Object.entries(constructs)) {
    expect({ what, kind: parseStatement(`SELECT ${make(within)} FROM t`).kind })
      .toEqual({ what, kind: "Select" });
    const e = syntaxError(() => parseStatement(`SELECT ${make(within + 1)} FROM t`));
    expect({ what, message: e.message }).toEqual({
      what,
      message: expect.stringMatching(`^line 1, column \\d+: expressions nested deeper than ${n}`),
    });
  }
});

Deno.test("nesting: ARRAY and STRUCT types are bounded too", () => {
  const ddl = (k: number) =>
    `CREATE STREAM s (a ${"array(".repeat(k)}bigint${")".repeat(k)}) WITH (DATASOURCE="x")`;
  expect(parseStatement(ddl(n - 1)).kind).toBe("CreateStream");
  expect(syntaxError(() => parseStatement(ddl(1000))).message).toBe(
    `line 1, column ${20 + 6 * n}: types nested deeper than ${n} levels`,
  );
});

Deno.test("nesting: parsing deep input still works with a busy call stack", () => {
  // The REST handler parses with many frames already on the stack.
  const burn = (k: number, fn: () => unknown): unknown => (k === 0 ? fn() : burn(k - 1, fn));
  const sql = `SELECT ${"f(1) OVER (PARTITION BY ".repeat(n - 1)}1${")".repeat(n - 1)} FROM t`;
  expect(burn(3000, () => parseStatement(sql))).toMatchObject({ kind: "Select" });
});

Deno.test("chains: long operator chains parse up to the tree-depth limit", () => {
  const chain = (op: string, k: number) => Array.from({ length: k }, (_, i) => `a${i}`).join(op);
  // k operands make k-1 nested Binary nodes under the statement node
  expect(parseStatement(`SELECT ${chain(" + ", MAX_AST_DEPTH - 1)} FROM t`).kind).toBe("Select");
  for (const op of [" + ", " OR ", " AND ", " < ", " * ", "->"]) {
    const e = timed(
      2000,
      () => syntaxError(() => parseStatement(`SELECT ${chain(op, 20_000)} FROM t`)),
    );
    expect(e.message).toMatch(
      new RegExp(`^line 1, column \\d+: expressions nested deeper than ${MAX_AST_DEPTH} levels`),
    );
  }
});

Deno.test("chains: wide (not deep) statements are fine", () => {
  const arms = Array.from({ length: 5000 }, (_, i) => `WHEN a = ${i} THEN ${i}`).join(" ");
  const ast = timed(2000, () => parseExpr(`CASE ${arms} ELSE -1 END`));
  expect(ast).toMatchObject({ kind: "Case" });
  const list = Array.from({ length: 10_000 }, (_, i) => i).join(", ");
  expect(timed(2000, () => parseExpr(`a IN (${list})`))).toMatchObject({ kind: "In" });
  const fields = Array.from({ length: 5000 }, (_, i) => `f${i}`).join(", ");
  expect(timed(2000, () => parseStatement(`SELECT ${fields} FROM t`))).toMatchObject({
    kind: "Select",
  });
});

Deno.test("huge tokens: 100,000-character identifiers, strings and comments", () => {
  const long = "x".repeat(100_000);
  expect(timed(500, () => parseExpr(long))).toMatchObject({ kind: "FieldRef", name: long });
  expect(timed(500, () => parseExpr("`" + long + "`"))).toMatchObject({ name: long });
  expect(timed(500, () => parseExpr(`'${long}'`))).toMatchObject({ value: long });
  expect(timed(500, () => parseStatement(`SELECT a /*${long}*/ FROM t`)).kind).toBe("Select");
  expect(syntaxError(() => parseExpr(`'${long}`)).message).toBe(
    "line 1, column 1: unterminated string literal",
  );
  expect(syntaxError(() => parseStatement(`SELECT a /*${long}`)).message).toBe(
    "line 1, column 10: unterminated /* comment",
  );
});

Deno.test("tooDeepAt: finds the first node beyond the limit without recursion", () => {
  let node: unknown = { kind: "FieldRef", name: "a", span: { start: 0, end: 1 } };
  for (let i = 0; i < 100_000; i++) {
    node = { kind: "Unary", operand: node, span: { start: i, end: 1 } };
  }
  expect(tooDeepAt(node)).toBeGreaterThan(0);
  expect(tooDeepAt({ kind: "Select", fields: [{ expr: { kind: "FieldRef" } }] })).toBeUndefined();
});
