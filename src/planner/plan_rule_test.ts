import { expect } from "expect";
import { planRule } from "./plan_rule.ts";
import { testCatalog } from "./test_catalog.ts";

const catalog = await testCatalog();

Deno.test("a window keeps only the columns the rule reads of the rows it holds", () => {
  const plan = planRule(
    "SELECT id1, sum(temp) FROM src1 GROUP BY TumblingWindow(ss, 1), id1",
    catalog,
  );
  expect(plan.sources[0].keep).toEqual(["id1", "temp"]);
  // `*` (here through count(*)) needs whole rows; incremental windows hold no rows at all.
  expect(
    planRule("SELECT count(*) FROM src1 GROUP BY TumblingWindow(ss, 1)", catalog)
      .sources[0].keep,
  ).toBeUndefined();
  expect(
    planRule("SELECT sum(temp) FROM src1 GROUP BY TumblingWindow(ss, 1)", catalog, {
      planOptimizeStrategy: { enableIncrementalWindow: true },
    }).sources[0].keep,
  ).toBeUndefined();
  // Without a window nothing is held.
  expect(planRule("SELECT temp FROM src1", catalog).sources[0].keep).toBeUndefined();
});

Deno.test("enableIncrementalWindow folds only what can fold", () => {
  const inc = { planOptimizeStrategy: { enableIncrementalWindow: true } };
  const folded = planRule(
    "SELECT id1, avg(temp) AS a FROM src1 GROUP BY TumblingWindow(ss, 1), id1 HAVING a > 1",
    catalog,
    inc,
  );
  expect(folded.window?.fold?.funcs.map((f) => f.name)).toEqual(["avg"]);
  expect(
    planRule("SELECT max(temp) FROM src1 GROUP BY HoppingWindow(ss, 10, 5)", catalog, inc)
      .window?.fold?.funcs.map((f) => f.name),
  ).toEqual(["max"]);
  for (
    const [sql, names] of [
      ["SELECT sum(temp), collect(id1) FROM src1 GROUP BY SlidingWindow(ss, 2)", [
        "sum",
        "collect",
      ]],
      ["SELECT count(*) FROM src1 GROUP BY SlidingWindow(ss, 2, 1) OVER (WHEN temp > 1)", [
        "count",
      ]],
      ["SELECT sum(temp) FROM src1 GROUP BY CountWindow(4, 2)", ["sum"]],
    ] as const
  ) {
    expect(planRule(sql, catalog, inc).window?.fold?.funcs.map((f) => f.name)).toEqual(names);
  }
  for (
    const sql of [
      "SELECT stddev(temp) FROM src1 GROUP BY TumblingWindow(ss, 1)",
      "SELECT stddev(temp) FROM src1 GROUP BY SlidingWindow(ss, 2)",
      "SELECT sum(temp) FROM src1 GROUP BY StateWindow(temp > 1, temp > 5)",
      "SELECT temp FROM src1 GROUP BY TumblingWindow(ss, 1)",
      // Grouped by a value of the window itself: rows cannot be folded before it is known.
      "SELECT (ts - windowStart() > 5000) AS h, avg(temp) FROM src1 " +
      "GROUP BY HoppingWindow(ss, 10, 5), h",
    ]
  ) {
    expect({ sql, fold: planRule(sql, catalog, inc).window?.fold }).toEqual({
      sql,
      fold: undefined,
    });
  }
});
