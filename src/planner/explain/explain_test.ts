/**
 * EXPLAIN against eKuiper's own published outputs (seed 004 and its plan_explain_test.go):
 * these are oracles written by hand from those sources, not snapshots of Weir's output.
 */
import { expect } from "expect";
import { explainRule } from "../plan_rule.ts";
import { testCatalog } from "../test_catalog.ts";

const catalog = await testCatalog();

const ORACLES: [string, string][] = [
  [
    "select sum(b) from demo group by tumblingwindow(ss, 10),c  having avg(a) > 0;",
    `{"op":"ProjectPlan_0","info":"Fields:[ Call:{ name:sum, args:[demo.b] } ]"}
\t{"op":"HavingPlan_1","info":"Condition:{ binaryExpr:{ Call:{ name:avg, args:[demo.a] } > 0 } }, "}
\t\t\t{"op":"AggregatePlan_2","info":"Dimension:{ demo.c }"}
\t\t\t\t\t{"op":"WindowPlan_3","info":"{ length:10, windowType:TUMBLING_WINDOW, limit: 0 }"}
\t\t\t\t\t\t\t{"op":"DataSourcePlan_4","info":"StreamName: demo, StreamFields:[ a, b, c ]"}`,
  ],
  [
    "SELECT count(*) from demo group by countwindow(4)",
    `{"op":"ProjectPlan_0","info":"Fields:[ Call:{ name:count, args:[*] } ]"}
\t{"op":"WindowPlan_1","info":"{ length:4, windowType:COUNT_WINDOW, limit: 0 }"}
\t\t\t{"op":"DataSourcePlan_2","info":"StreamName: demo"}`,
  ],
  [
    "SELECT count(*), stddev(a) from demo group by countwindow(4)",
    `{"op":"ProjectPlan_0","info":"Fields:[ Call:{ name:count, args:[*] }, Call:{ name:stddev, args:[demo.a] } ]"}
\t{"op":"WindowPlan_1","info":"{ length:4, windowType:COUNT_WINDOW, limit: 0 }"}
\t\t\t{"op":"DataSourcePlan_2","info":"StreamName: demo"}`,
  ],
  [
    "select a as c from sharedStream group by countwindow(2)",
    `{"op":"ProjectPlan_0","info":"Fields:[ $$alias.c,aliasRef:sharedStream.a ]"}
\t{"op":"WindowPlan_1","info":"{ length:2, windowType:COUNT_WINDOW, limit: 0 }"}
\t\t\t{"op":"DataSourcePlan_2","info":"StreamName: sharedStream, StreamFields:[ a ]"}`,
  ],
  [
    "SELECT *  from sharedStream group by countWindow(4),b having count(*) > 1 ",
    `{"op":"ProjectPlan_0","info":"Fields:[ * ]"}
\t{"op":"HavingPlan_1","info":"Condition:{ binaryExpr:{ Call:{ name:count, args:[*] } > 1 } }, "}
\t\t\t{"op":"AggregatePlan_2","info":"Dimension:{ sharedStream.b }"}
\t\t\t\t\t{"op":"WindowPlan_3","info":"{ length:4, windowType:COUNT_WINDOW, limit: 0 }"}
\t\t\t\t\t\t\t{"op":"DataSourcePlan_4","info":"StreamName: sharedStream, StreamFields:[ a, b ]"}`,
  ],
];

for (const [sql, expected] of ORACLES) {
  Deno.test(`EXPLAIN as eKuiper prints it: ${sql}`, () => {
    expect(explainRule(sql, catalog)).toBe(expected);
  });
}

Deno.test("EXPLAIN: a WHERE on one stream is evaluated before a tumbling window, not a count window", () => {
  const tumbling = explainRule(
    "SELECT a FROM demo WHERE a > 1 GROUP BY TumblingWindow(ss, 5)",
    catalog,
  ).split("\n").map((l) => JSON.parse(l.trim()).op);
  expect(tumbling).toEqual(["ProjectPlan_0", "WindowPlan_1", "FilterPlan_2", "DataSourcePlan_3"]);
  const counting = explainRule("SELECT a FROM demo WHERE a > 1 GROUP BY CountWindow(5)", catalog)
    .split("\n").map((l) => JSON.parse(l.trim()).op);
  expect(counting).toEqual(["ProjectPlan_0", "FilterPlan_1", "WindowPlan_2", "DataSourcePlan_3"]);
  const eventTime = explainRule(
    "SELECT name FROM src1 WHERE temp > 1 GROUP BY TumblingWindow(ss, 5)",
    catalog,
    { isEventTime: true },
  ).split("\n");
  expect(JSON.parse(eventTime[1].trim()).op).toBe("FilterPlan_1");
  expect(eventTime[3]).toContain("StreamFields:[ name, temp, ts ]");
});

const INCREMENTAL = { planOptimizeStrategy: { enableIncrementalWindow: true } };

/** Seed 004 with `enableIncrementalWindow`: its three plans, character for character. */
const INCREMENTAL_ORACLES: [string, string][] = [
  [
    "select sum(b) from demo group by tumblingwindow(ss, 10),c  having avg(a) > 0;",
    `{"op":"ProjectPlan_0","info":"Fields:[ Call:{ name:bypass, args:[$$default.inc_agg_col_1] } ]"}
\t{"op":"HavingPlan_1","info":"Condition:{ binaryExpr:{ Call:{ name:bypass, args:[$$default.inc_agg_col_2] } > 0 } }, "}
\t\t\t{"op":"IncAggWindowPlan_2","info":"wType:TUMBLING_WINDOW, Dimension:[demo.c], funcs:[Call:{ name:inc_sum, args:[demo.b] }->inc_agg_col_1,Call:{ name:inc_avg, args:[demo.a] }->inc_agg_col_2]"}
\t\t\t\t\t{"op":"DataSourcePlan_3","info":"StreamName: demo, StreamFields:[ a, b, c, inc_agg_col_1, inc_agg_col_2 ]"}`,
  ],
  [
    "SELECT count(*) from demo group by countwindow(4)",
    `{"op":"ProjectPlan_0","info":"Fields:[ Call:{ name:bypass, args:[$$default.inc_agg_col_1] } ]"}
\t{"op":"IncAggWindowPlan_1","info":"wType:COUNT_WINDOW, funcs:[Call:{ name:inc_count, args:[*] }->inc_agg_col_1]"}
\t\t\t{"op":"DataSourcePlan_2","info":"StreamName: demo, StreamFields:[ inc_agg_col_1 ]"}`,
  ],
  [
    "SELECT count(*), stddev(a) from demo group by countwindow(4)",
    `{"op":"ProjectPlan_0","info":"Fields:[ Call:{ name:count, args:[*] }, Call:{ name:stddev, args:[demo.a] } ]"}
\t{"op":"WindowPlan_1","info":"{ length:4, windowType:COUNT_WINDOW, limit: 0 }"}
\t\t\t{"op":"DataSourcePlan_2","info":"StreamName: demo"}`,
  ],
  // eKuiper's plan_explain_test.go (typed stream `stream (a, b)`; ours also has device_id).
  [
    "select count(a),sum(a),b from sharedStream group by countwindow(2),b",
    `{"op":"ProjectPlan_0","info":"Fields:[ Call:{ name:bypass, args:[$$default.inc_agg_col_1] }, Call:{ name:bypass, args:[$$default.inc_agg_col_2] }, sharedStream.b ]"}
\t{"op":"IncAggWindowPlan_1","info":"wType:COUNT_WINDOW, Dimension:[sharedStream.b], funcs:[Call:{ name:inc_count, args:[sharedStream.a] }->inc_agg_col_1,Call:{ name:inc_sum, args:[sharedStream.a] }->inc_agg_col_2]"}
\t\t\t{"op":"DataSourcePlan_2","info":"StreamName: sharedStream, StreamFields:[ a, b ]"}`,
  ],
  [
    "SELECT *,count(*) from sharedStream group by countWindow(4),b having count(*) > 1 ",
    `{"op":"ProjectPlan_0","info":"Fields:[ *, Call:{ name:bypass, args:[$$default.inc_agg_col_1] } ]"}
\t{"op":"HavingPlan_1","info":"Condition:{ binaryExpr:{ Call:{ name:bypass, args:[$$default.inc_agg_col_2] } > 1 } }, "}
\t\t\t{"op":"IncAggWindowPlan_2","info":"wType:COUNT_WINDOW, Dimension:[sharedStream.b], funcs:[Call:{ name:inc_count, args:[*] }->inc_agg_col_1,Call:{ name:inc_count, args:[*] }->inc_agg_col_2]"}
\t\t\t\t\t{"op":"DataSourcePlan_3","info":"StreamName: sharedStream, StreamFields:[ a, b ]"}`,
  ],
  [
    "SELECT count(*) from sharedStream group by countWindow(4) filter (where a > 1) ",
    `{"op":"ProjectPlan_0","info":"Fields:[ Call:{ name:bypass, args:[$$default.inc_agg_col_1] } ]"}
\t{"op":"IncAggWindowPlan_1","info":"wType:COUNT_WINDOW, filter:[binaryExpr:{ sharedStream.a > 1 }], funcs:[Call:{ name:inc_count, args:[*] }->inc_agg_col_1]"}
\t\t\t{"op":"DataSourcePlan_2","info":"StreamName: sharedStream, StreamFields:[ a, b ]"}`,
  ],
];

for (const [sql, expected] of INCREMENTAL_ORACLES) {
  Deno.test(`EXPLAIN with enableIncrementalWindow as eKuiper prints it: ${sql}`, () => {
    expect(explainRule(sql, catalog, INCREMENTAL)).toBe(expected);
  });
}

// Sliding windows and COUNTWINDOW(n, m) fold too (Weir's own cases, eKuiper's layout).
Deno.test("EXPLAIN with enableIncrementalWindow: sliding and COUNTWINDOW(n, m) fold", () => {
  expect(
    explainRule(
      "SELECT count(*), max(a) FROM demo GROUP BY SlidingWindow(ss, 10, 2) OVER (WHEN a > 1), c",
      catalog,
      INCREMENTAL,
    ),
  ).toBe(
    `{"op":"ProjectPlan_0","info":"Fields:[ Call:{ name:bypass, args:[$$default.inc_agg_col_1] }, Call:{ name:bypass, args:[$$default.inc_agg_col_2] } ]"}
\t{"op":"IncAggWindowPlan_1","info":"wType:SLIDING_WINDOW, Dimension:[demo.c], funcs:[Call:{ name:inc_count, args:[*] }->inc_agg_col_1,Call:{ name:inc_max, args:[demo.a] }->inc_agg_col_2]"}
\t\t\t{"op":"DataSourcePlan_2","info":"StreamName: demo, StreamFields:[ a, c, inc_agg_col_1, inc_agg_col_2 ]"}`,
  );
  expect(explainRule("SELECT sum(a) FROM demo GROUP BY CountWindow(5, 2)", catalog, INCREMENTAL))
    .toContain(`"IncAggWindowPlan_1","info":"wType:COUNT_WINDOW, funcs:[Call:{ name:inc_sum`);
});

// eKuiper's planner tests: row_number() as a WindowFuncPlan the projection reads through
// bypass; unnest() as a ProjectSetPlan above it. (eKuiper's test prints the aliased field
// first; Weir keeps the statement's field order.)
Deno.test("EXPLAIN shows WindowFuncPlan and ProjectSetPlan as eKuiper plans them", () => {
  expect(explainRule("select a, row_number() as index from stream", catalog)).toBe(
    `{"op":"ProjectPlan_0","info":"Fields:[ stream.a, $$alias.index,aliasRef:Call:{ name:bypass, args:[wf_row_number_1] } ]"}
\t{"op":"WindowFuncPlan_1","info":"windowFuncField:{name:wf_row_number_1, expr:Call:{ name:row_number }}"}
\t\t\t{"op":"DataSourcePlan_2","info":"StreamName: stream, StreamFields:[ a ]"}`,
  );
  const set = explainRule("SELECT unnest(myarray), name FROM src1", catalog);
  expect(set.split("\n")[0]).toBe(
    `{"op":"ProjectSetPlan_0","info":"SrfMap:{key:unnest}, EnableLimit:false"}`,
  );
  expect(set.split("\n")[1]).toMatch(/^\t\{"op":"ProjectPlan_1"/);
});
