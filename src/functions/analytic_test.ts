import { expect } from "expect";
import { compileMessage, compileSql, evalRows } from "./_sql_test_util.ts";
import { def } from "./_test_util.ts";

// Events as eKuiper's analytic-function docs and tests feed them, one rule evaluation each.
const EVENTS = [
  { a: 1, id: "x", b: 1 },
  { a: 2, id: "y", b: 0 },
  { a: 3, id: "x", b: 1 },
  { a: null, id: "x", b: 1 },
  { a: 5, id: "y", b: 1 },
];

const CASES: [string, unknown[]][] = [
  ["lag(a)", [null, 1, 2, 3, null]],
  ["lag(a, 2, 0)", [0, 0, 1, 2, 3]],
  ["lag(a, 1, -1, true)", [-1, 1, 2, 3, 3]],
  ["lag(a) OVER (PARTITION BY id)", [null, null, 1, 3, 2]],
  ["lag(a) OVER (WHEN b > 0)", [null, 1, 1, 3, null]],
  ["latest(a)", [1, 2, 3, 3, 5]],
  ["latest(a, 0) OVER (PARTITION BY id)", [1, 2, 3, 3, 5]],
  ["changed_col(true, id)", ["x", "y", "x", null, "y"]],
  ["changed_col(true, a)", [1, 2, 3, null, 5]],
  ["changed_col(false, a)", [1, 2, 3, null, 5]],
  ["had_changed(true, id)", [true, true, true, false, true]],
  ["had_changed(true, id, b)", [true, true, true, false, true]],
  ["had_changed(true, a) OVER (WHEN b > 0)", [true, false, true, false, true]],
  ["acc_sum(a)", [1, 3, 6, 6, 11]],
  ["acc_sum(a) OVER (WHEN b > 0)", [1, 1, 4, 4, 9]],
  ["acc_count(a)", [1, 2, 3, 3, 4]],
  ["acc_avg(a) OVER (PARTITION BY id)", [1, 2, 2, 2, 3.5]],
  ["acc_min(a)", [1, 1, 1, 1, 1]],
  ["acc_max(a)", [1, 2, 3, 3, 5]],
  // Starts when a > 1, restarts after a > 3 (the value of that event still counts).
  ["acc_max(a, a > 1, a > 3)", [0, 2, 3, 3, 5]],
  ["acc_sum(a, b = 0, id = 'y')", [0, 2, 0, 0, 0]],
  ["acc_collect(a)", [[1], [1, 2], [1, 2, 3], [1, 2, 3], [1, 2, 3, 5]]],
  ["acc_distinct_collect(id)", [["x"], ["x", "y"], ["x", "y"], ["x", "y"], ["x", "y"]]],
  ["acc_max_by(id, a)", ["x", "y", "x", "x", "y"]],
  ["acc_min_by(id, a)", ["x", "x", "x", "x", "x"]],
  ["acc_max_by(id, a, b = 0, false)", [null, "y", "x", "x", "y"]],
  ["acc_map_agg(id, a)", [
    [{ key: "x", value: 1 }],
    [{ key: "x", value: 1 }, { key: "y", value: 2 }],
    [{ key: "x", value: 3 }, { key: "y", value: 2 }],
    [{ key: "x", value: null }, { key: "y", value: 2 }],
    [{ key: "x", value: null }, { key: "y", value: 5 }],
  ]],
];

Deno.test("analytic functions keep per-rule, per-partition state", async (t) => {
  for (const [sql, want] of CASES) {
    await t.step(sql, () => expect(evalRows(sql, EVENTS)).toEqual(want));
  }
});

Deno.test("eKuiper's doc example: duration between status changes", () => {
  const rows = [
    { ts: 1, statusCode: 1 },
    { ts: 5, statusCode: 1 },
    { ts: 7, statusCode: 2 },
    { ts: 9, statusCode: 2 },
    { ts: 12, statusCode: 3 },
  ];
  const sql = "ts - lag(ts, 1, ts, true) OVER (WHEN had_changed(true, statusCode))";
  expect(evalRows(sql, rows)).toEqual([0, 4, 6, 2, 5]);
});

Deno.test("analytic functions validate like eKuiper", () => {
  const cases: [string, string][] = [
    ["lag(a, 1.5)", "Expect int type for parameter 2"],
    ["lag(a, b)", "Expect int type for parameter 2"],
    ["lag(a, -1)", "the index should not be a nagtive integer"],
    ["lag()", "expect one two or three args but got 0"],
    ["latest(a, 1, 2)", "expect one or two args but got 3"],
    ["acc_sum(a, b)", "Expect 1/3 arguments but found 2."],
    ["acc_max_by(a)", "Expect 2/4 arguments but found 1."],
    ["had_changed(true)", "expect more than one arg but got 1"],
    ["had_changed('x', a)", "Expect bool type for parameter 1"],
    ["changed_col(1, a)", "Expect boolean type for parameter 1"],
    ["changed_col(true)", "Expect 2 arguments but found 1."],
    ["lag(a) FILTER (WHERE a > 1)", "FILTER is only allowed after aggregate functions"],
    ["abs(a) OVER (PARTITION BY id)", "Found OVER after non analytic function abs"],
  ];
  for (const [sql, msg] of cases) expect(compileMessage(sql)).toContain(msg);
});

Deno.test("analytic runtime errors are per event", () => {
  const c = compileSql("acc_sum(a)");
  const ctx = { ruleId: "r", now: () => 0 };
  const tup = (a: unknown) => ({ emitter: "s", message: { a }, meta: undefined, timestamp: 0 });
  expect(c.eval(tup(1), ctx)).toBe(1);
  expect(() => c.eval(tup("x"), ctx)).toThrow(
    "call func acc_sum error: acc_sum value should be number, got string(x)",
  );
  expect(c.eval(tup(2), ctx)).toBe(3);
});

Deno.test("analytic functions are declared with their kind and result types", () => {
  for (const name of ["lag", "latest", "changed_col", "had_changed", "acc_sum", "acc_count"]) {
    expect(def(name).kind).toBe("analytic");
    expect(def(name).analytic).toBeDefined();
  }
  expect(compileSql("acc_count(a)").type).toBe("bigint");
  expect(compileSql("acc_sum(a)").type).toBe("float");
  expect(compileSql("lag(a)", { a: "bigint" }).type).toBe("bigint");
  expect(compileSql("had_changed(true, a)").type).toBe("boolean");
});
