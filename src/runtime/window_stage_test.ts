import { expect } from "expect";
import { planRule } from "../planner/plan_rule.ts";
import { testCatalog } from "../planner/test_catalog.ts";
import type { OpContext } from "./operator.ts";
import type { Row, Tuple } from "./tuple.ts";
import { WindowStage } from "./window_stage.ts";

const catalog = await testCatalog();

/** Runs `sql` over `rows` (one per 100 ms from t = 0) through a window stage, closing the
 * windows at t = 10 s; `columns` false makes the window hold tuples whatever the plan says. */
function run(sql: string, rows: Row[], columns: boolean): { out: Row[][]; errors: string[] } {
  const plan = planRule(sql, catalog);
  const window = columns ? plan.window! : { ...plan.window!, columns: undefined };
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const out: Row[][] = [];
  const errors: string[] = [];
  const ctx: OpContext = { ruleId: "t", now: () => now, error: (_n, m) => errors.push(m) };
  const stage = new WindowStage(window, {
    firstOp: 2,
    fields: plan.fields,
    sendNilField: false,
    ctx,
    emitters: [plan.sources[0].ref],
    setTimer: (at, fn) => {
      const t = { at, fn };
      timers.push(t);
      return () => {
        const i = timers.indexOf(t);
        if (i >= 0) timers.splice(i, 1);
      };
    },
    now: () => now,
    emit: (r) => out.push(r),
  });
  stage.start();
  const meta = (i: number) => ({ topic: `t/${i % 2}` });
  rows.forEach((message, i) => {
    now = i * 100;
    const t: Tuple = { emitter: plan.sources[0].ref, message, meta: meta(i), timestamp: now };
    stage.push([t], now);
  });
  for (now = rows.length * 100; now <= 10_000; now += 100) {
    for (const t of timers.filter((t) => t.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
  }
  return { out, errors };
}

const ROWS: Row[] = [
  { id: 1, a: 10, b: "x", extra: true },
  { id: 2, a: 20.5, b: "y" },
  { id: 1, a: null, b: "x" },
  { id: "1", a: 5 },
  { a: 7, b: "z" },
  { id: 2, a: "bad", b: "y" },
  { id: 1, a: 1, b: "w", nested: { k: 1 } },
  { id: 3, a: -4, b: "x" },
];

const QUERIES = [
  "SELECT id, avg(a) AS av, count(*) AS c, window_end() AS we FROM demo " +
  "GROUP BY id, TUMBLINGWINDOW(ss, 1)",
  "SELECT id, sum(a) AS s, max(b) AS mb, collect(b) AS bs FROM demo GROUP BY id, " +
  "TUMBLINGWINDOW(ss, 2)",
  "SELECT b, count(a) AS n, min(a) FILTER (WHERE id = 1) AS m FROM demo GROUP BY b, " +
  "HOPPINGWINDOW(ss, 2, 1) HAVING count(*) > 0 ORDER BY b",
  "SELECT id + 1 AS k, median(a) AS md, last_value(a, true) AS lv FROM demo " +
  "GROUP BY id + 1, TUMBLINGWINDOW(ss, 1)",
  "SELECT meta(topic) AS topic, count(*) AS c, sum(a + 1) AS s1 FROM demo " +
  "GROUP BY meta(topic), TUMBLINGWINDOW(ss, 1)",
  "SELECT count(*) AS c, count(a) AS ca, collect(b) AS bs FROM demo GROUP BY TUMBLINGWINDOW(ss, 1)",
  "SELECT id, a FROM demo GROUP BY TUMBLINGWINDOW(ss, 1)",
  "SELECT id, a FROM demo WHERE a > 6 GROUP BY TUMBLINGWINDOW(ss, 1)",
];

for (const sql of QUERIES) {
  Deno.test(`window rows held as columns or as tuples give the same results: ${sql}`, () => {
    const plan = planRule(sql, catalog);
    expect(plan.window?.columns).toBeDefined();
    const held = run(sql, ROWS, true);
    expect(held).toEqual(run(sql, ROWS, false));
    expect(held.out.flat().length).toBeGreaterThan(0);
  });
}

Deno.test("window rows held as columns: a failing aggregate fails its group as with tuples", () => {
  const sql = "SELECT id, sum(a) AS s FROM demo GROUP BY id, TUMBLINGWINDOW(ss, 1)";
  const held = run(sql, ROWS, true);
  expect(held).toEqual(run(sql, ROWS, false));
  expect(held.errors.join("\n")).toMatch(/call func sum error/);
});
