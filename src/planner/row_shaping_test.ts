import { expect } from "expect";
import { planRule } from "./plan_rule.ts";
import { testCatalog } from "./test_catalog.ts";
import { ProjectOp } from "../runtime/operators/project.ts";
import type { OpContext } from "../runtime/operator.ts";
import type { Row, Tuple } from "../runtime/tuple.ts";

const catalog = await testCatalog();
const errors: string[] = [];
const ctx: OpContext = { ruleId: "r", now: () => 0, error: (_n, m) => errors.push(m) };
const tuple = (message: Row): Tuple => ({
  emitter: "demo",
  message,
  meta: undefined,
  timestamp: 0,
});

function project(sql: string, rows: Row[], perEmission = false): Row[] {
  const plan = planRule(sql, catalog);
  return new ProjectOp("p", plan.fields, false, perEmission).process(rows.map(tuple), ctx);
}

Deno.test("unnest: one row per element, objects become columns, other fields repeat", () => {
  expect(project("SELECT id, unnest(list) AS item FROM demo", [
    { id: 1, list: [10, 20] },
    { id: 2, list: [{ a: 1 }, { a: 2, b: 3 }] },
    { id: 3, list: [] },
    { id: 4 },
  ])).toEqual([
    { id: 1, item: 10 },
    { id: 1, item: 20 },
    { id: 2, a: 1 },
    { id: 2, a: 2, b: 3 },
  ]);
  project("SELECT unnest(id) FROM demo", [{ id: 5 }]);
  expect(errors.at(-1)).toMatch(/unnest needs an array/);
});

Deno.test("extract and changed_cols merge columns into the row", () => {
  expect(project("SELECT id, extract(info) FROM demo", [{ id: 1, info: { x: 1, y: "b" } }]))
    .toEqual([{ id: 1, x: 1, y: "b" }]);
  expect(
    project('SELECT changed_cols("c_", true, a, b) FROM demo', [
      { a: 1, b: 2 },
      { a: 1, b: 3 },
      { a: null, b: 3 },
      { a: 2, b: 3 },
    ]),
  ).toEqual([{ c_a: 1, c_b: 2 }, { c_b: 3 }, {}, { c_a: 2 }]);
});

Deno.test("row_number numbers one emission's rows, per partition and order", () => {
  const rows = [{ k: "x", v: 3 }, { k: "y", v: 1 }, { k: "x", v: 1 }];
  expect(project("SELECT v, row_number() AS n FROM demo", rows, true).map((r) => r.n))
    .toEqual([1, 2, 3]);
  expect(
    project("SELECT v, row_number() OVER (PARTITION BY k ORDER BY v) AS n FROM demo", rows, true)
      .map((r) => r.n),
  ).toEqual([2, 1, 1]);
  // Outside a window every row is an emission of its own.
  expect(project("SELECT row_number() AS n FROM demo", rows).map((r) => r.n)).toEqual([1, 1, 1]);
});

Deno.test("row-shaping functions stand only as a whole SELECT field", () => {
  for (
    const [sql, message] of [
      ["SELECT unnest(a) + 1 FROM demo", /unnest is only allowed as a whole SELECT field/],
      ["SELECT a FROM demo WHERE row_number() > 1", /row_number is only allowed/],
      ["SELECT unnest(a), unnest(b) FROM demo", /only one set-returning function/],
      ["SELECT changed_cols(1, true, a) FROM demo", /Expect string type for parameter 1/],
    ] as const
  ) {
    expect(() => planRule(sql, catalog)).toThrow(message);
  }
});
