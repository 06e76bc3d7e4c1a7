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
  // count(*) only counts rows: it needs none of their columns.
  expect(
    planRule("SELECT count(*) FROM src1 GROUP BY TumblingWindow(ss, 1)", catalog)
      .sources[0].keep,
  ).toEqual([]);
  // `*` on a schemaless stream needs whole rows, though EXPLAIN lists the columns met before
  // it (eKuiper's StreamFields); so does collect(*). Incremental windows hold no rows at all.
  for (const select of ["a, *", "a, collect(*)"]) {
    const sql = `SELECT ${select} FROM demo GROUP BY TumblingWindow(ss, 1)`;
    expect(planRule(sql, catalog).sources[0].keep).toBeUndefined();
    expect(planRule(sql, catalog).window?.columns).toBeUndefined();
  }
  expect(
    planRule("SELECT a, count(*) FROM demo GROUP BY TumblingWindow(ss, 1)", catalog).sources[0]
      .keep,
  ).toEqual(["a"]);
  expect(
    planRule("SELECT sum(temp) FROM src1 GROUP BY TumblingWindow(ss, 1)", catalog, {
      planOptimizeStrategy: { enableIncrementalWindow: true },
    }).sources[0].keep,
  ).toBeUndefined();
  // Without a window nothing is held.
  expect(planRule("SELECT temp FROM src1", catalog).sources[0].keep).toBeUndefined();
});

Deno.test("tumbling and hopping windows over one stream hold the columns it reads", () => {
  const columns = (sql: string) => planRule(sql, catalog).window?.columns;
  expect(columns("SELECT id1, sum(temp) FROM src1 GROUP BY TumblingWindow(ss, 1), id1"))
    .toEqual({ emitter: "src1", names: ["id1", "temp"] });
  expect(columns("SELECT a, meta(topic) FROM demo AS d GROUP BY HoppingWindow(ss, 2, 1)"))
    .toEqual({ emitter: "d", names: ["a"] });
  const tuples = [
    "SELECT sum(temp) FROM src1 GROUP BY SlidingWindow(ss, 1)",
    "SELECT sum(temp) FROM src1 GROUP BY CountWindow(10)",
    "SELECT * FROM demo GROUP BY TumblingWindow(ss, 1)",
    "SELECT lag(temp) AS l, count(*) FROM src1 GROUP BY TumblingWindow(ss, 1)",
    "SELECT src1.temp, src2.hum FROM src1 INNER JOIN src2 ON src1.id1 = src2.id2 " +
    "GROUP BY TumblingWindow(ss, 1)",
  ];
  for (const sql of tuples) {
    expect({ sql, columns: columns(sql) }).toEqual({ sql, columns: undefined });
  }
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
