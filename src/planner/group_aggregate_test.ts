import { expect } from "expect";
import { planRule } from "./plan_rule.ts";
import { testCatalog } from "./test_catalog.ts";
import type { EvalContext } from "../expr/types.ts";
import type { Row, Tuple } from "../runtime/tuple.ts";
import { builtinFunctions } from "../functions/mod.ts";

const catalog = await testCatalog();
const ctx: EvalContext = { ruleId: "t", now: () => 0 };

function group(rows: Row[]): Tuple {
  const tuples = rows.map((message) => ({ emitter: "demo", message, meta: {}, timestamp: 0 }));
  return { ...tuples[0], group: tuples };
}

/** Each SELECT field of a window rule, evaluated over one group of `rows`. */
function evalFields(select: string, rows: Row[]): unknown[] {
  const plan = planRule(`SELECT ${select} FROM demo GROUP BY TUMBLINGWINDOW(ss, 1)`, catalog);
  const t = group(rows);
  return plan.fields.map((f) => {
    try {
      return f.eval!(t, ctx);
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  });
}

/** The aggregate's body over argument columns: what folding must agree with. */
function overColumns(name: string, ...columns: unknown[][]): unknown {
  try {
    return builtinFunctions.get(name)!.exec(columns, ctx);
  } catch (e) {
    return `error: call func ${name} error: ${(e as Error).message}`;
  }
}

Deno.test("grouped aggregates: folding the rows gives the columns' results", () => {
  const rows: Row[] = [{ a: 3, b: "x" }, { a: null, b: "y" }, { a: 1.5 }, { a: 7, b: "x" }];
  const a = rows.map((r) => r.a ?? null);
  const b = rows.map((r) => r.b ?? null);
  const names = ["avg", "sum", "min", "max", "count", "collect", "stddev", "var"];
  expect(evalFields(names.map((n) => `${n}(a)`).join(", "), rows))
    .toEqual(names.map((n) => overColumns(n, a)));
  expect(evalFields("max(b), count(b), last_value(a, true), median(a)", rows)).toEqual([
    overColumns("max", b),
    overColumns("count", b),
    overColumns("last_value", a, rows.map(() => true)),
    overColumns("median", a),
  ]);
  expect(evalFields("count(*), sum(a) FILTER (WHERE b = 'x')", rows)).toEqual([4, 10]);
});

Deno.test("grouped aggregates: a failing fold fails as the columns would", () => {
  const rows: Row[] = [{ a: 1 }, { a: "two" }, { a: [3] }];
  expect(evalFields("sum(a), max(a)", rows)).toEqual([
    overColumns("sum", rows.map((r) => r.a)),
    overColumns("max", rows.map((r) => r.a)),
  ]);
  expect(evalFields("sum(a)", rows)[0]).toMatch(/^error: call func sum error: /);
});

Deno.test("grouped aggregates: an argument failing on any row wins over the fold failing", () => {
  // Row 1 makes sum fail (a string); row 2's argument itself fails (a string minus a number).
  const rows: Row[] = [{ a: 1, b: 1 }, { a: "x", b: 0 }, { a: "y", b: 2 }];
  const [result] = evalFields("sum(CASE WHEN b = 2 THEN a - 1 ELSE a END)", rows);
  expect(result).toMatch(/^error: /);
  expect(result).not.toMatch(/call func sum/);
});
