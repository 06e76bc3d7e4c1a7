import { expect } from "expect";
import { bool, field, num, str } from "../expr/_test_ast.ts";
import { prng } from "../../test/helpers/prng.ts";
import { check, def, err, returnType, run, table } from "./_test_util.ts";
import type { Accumulator } from "./types.ts";

Deno.test("aggregate functions fold a group's values, ignoring nulls", (t) =>
  table(t, [
    ["avg", [[1, 2, 3, null]], 2],
    ["avg", [[1, 2]], 1.5],
    ["avg", [[]], null],
    ["avg", [[null, null]], null],
    ["avg", [[1, "a"]], err("call func avg error: requires float64 but found string(a)")],
    ["count", [[1, null, 3]], 2],
    ["count", [[]], 0],
    ["max", [[1, 5, 3]], 5],
    ["max", [["a", "c", "b"]], "c"],
    ["max", [[null, -1, -5]], -1],
    ["max", [[]], null],
    ["max", [[1, "a"]], err("requires float64 but found string(a)")],
    ["max", [[{}, {}]], err("found invalid arg map[string]interface {}(map[])")],
    ["min", [[4, 2, 8]], 2],
    ["min", [["b", "a"]], "a"],
    ["sum", [[1, 2, null]], 3],
    ["sum", [[0.5, 0.25]], 0.75],
    ["sum", [[]], null],
    ["sum", [[null]], null],
    ["sum", [[Number.MAX_VALUE, Number.MAX_VALUE]], Infinity],
    ["collect", [[1, null, 2]], [1, null, 2]],
    ["collect", [[]], []],
    ["merge_agg", [[{ a: 1, b: 2 }, null, { b: 3, c: 4 }, 5]], { a: 1, b: 3, c: 4 }],
    ["merge_agg", [[]], null],
    ["merge_agg", [[1, null]], null],
    ["last_value", [[1, 2, null], [true, true, true]], 2],
    ["last_value", [[1, 2, null], [false, false, false]], null],
    ["last_value", [[1], ["x"]], err("the second parameter requires bool but found string(x)")],
    ["stddev", [[2, 4, 4, 4, 5, 5, 7, 9]], 2],
    ["stddevs", [[2, 4, 4, 4, 5, 5, 7, 9]], Math.sqrt(32 / 7)],
    ["var", [[2, 4, 4, 4, 5, 5, 7, 9]], 4],
    ["vars", [[2, 4, 4, 4, 5, 5, 7, 9]], 32 / 7],
    ["var", [[5]], 0],
    ["vars", [[5]], null],
    ["stddev", [[]], null],
    ["stddev", [[1, "a"]], err("requires float64 but found string(a)")],
    ["median", [[3, 1, 2]], 2],
    ["median", [[4, 1, 3, 2]], 2.5],
    ["median", [[null]], null],
    ["percentile_cont", [[1, 2, 3, 4], [0.25, 0.25, 0.25, 0.25]], 1],
    ["percentile_cont", [[4, 3, 2, 1], [0.6, 0.6, 0.6, 0.6]], 2.5],
    ["percentile_cont", [[10, 20], [1, 1]], 20],
    ["percentile_cont", [[7], [0.5]], 7],
    ["percentile_cont", [[1, 2, 3], [0.1, 0.1, 0.1]], err("Input is outside of range.")],
    ["percentile_disc", [[1, 2, 3, 4], [0.25, 0.25, 0.25, 0.25]], 1],
    ["percentile_disc", [[1, 2, 3, 4], [0.5, 0.5, 0.5, 0.5]], 2],
    ["percentile_disc", [[1, 2, 3, 4], [0, 0, 0, 0]], 1],
    ["percentile_cont", [[1, 2], [2, 2]], err("between 0 and 1")],
    ["deduplicate", [[1, 2, 1, 3], [true, true, true, true]], [1, 2, 3]],
    ["deduplicate", [[1, 2, 3], [false, false, false]], 3],
    ["deduplicate", [[1, 2, 1], [false, false, false]], {}],
  ]));

Deno.test("collect() returns a copy of the group's values", () => {
  const values = [1, 2];
  const out = run("collect", values) as unknown[];
  out.push(3);
  expect(values).toEqual([1, 2]);
});

Deno.test("aggregate result types and compile-time checks", () => {
  expect(returnType("avg", ["bigint"])).toBe("float");
  expect(returnType("sum", ["bigint"])).toBe("bigint");
  expect(returnType("sum", ["any"])).toBe("float");
  expect(returnType("max", ["string"])).toBe("string");
  expect(returnType("min", ["any"])).toBe("any");
  expect(returnType("count", ["any"])).toBe("bigint");
  expect(returnType("collect", ["any"])).toBe("array");
  expect(returnType("merge_agg", ["struct"])).toBe("struct");
  expect(returnType("last_value", ["bigint", "boolean"])).toBe("bigint");
  expect(returnType("stddev", ["bigint"])).toBe("float");
  expect(check("sum", str("a"))).toBe("Expect number - float or int type for parameter 1");
  expect(check("last_value", field("a"), str("x"))).toBe("Expect bool type for parameter 2");
  expect(check("last_value", field("a"), bool(true))).toBe(undefined);
  expect(check("last_value", field("a"), field("b"))).toBe("Expect bool type for parameter 2");
  expect(check("deduplicate", field("a"), bool(false))).toBe(undefined);
  expect(check("percentile_cont", field("a"), num(1.5))).toBe(
    "the second parameter must be a number between 0 and 1",
  );
});

const FOLDABLE = [
  "avg",
  "count",
  "max",
  "min",
  "sum",
  "collect",
  "merge_agg",
  "last_value",
  "stddev",
  "stddevs",
  "var",
  "vars",
];

/** Random rows for `name`: numbers with some nulls (objects for merge_agg). */
function rows(name: string, n: number, seed: number): unknown[][] {
  const rnd = prng(seed);
  const out: unknown[][] = [];
  for (let i = 0; i < n; i++) {
    const x = rnd() < 0.1 ? null : Math.round(rnd() * 1000) / 10 - 50;
    const v = name === "merge_agg" ? { [`k${i % 7}`]: x } : x;
    out.push(name === "last_value" ? [v, rnd() < 0.5] : [v]);
  }
  // A trailing null that counts (ignoreNull false) must survive folds and merges.
  if (name === "last_value") out.push([null, false]);
  return out;
}

/** Columns (one array per argument) of row-shaped data, as the batch form takes them. */
const columns = (data: unknown[][]) => data[0].map((_, k) => data.map((r) => r[k]));

function foldAll<S>(acc: Accumulator<S>, data: unknown[][]): S {
  let s = acc.init();
  for (const r of data) s = acc.add(s, r);
  return s;
}

function close(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") {
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

Deno.test("foldable aggregates declare an accumulator that matches the batch result", () => {
  for (const name of FOLDABLE) {
    const acc = def(name).incremental;
    expect(acc).toBeDefined();
    for (const seed of [1, 2, 3]) {
      const data = rows(name, 200, seed);
      const batch = run(name, ...columns(data));
      const folded = acc!.result(foldAll(acc!, data));
      if (!close(batch, folded)) throw new Error(`${name}: batch ${batch} != fold ${folded}`);
    }
  }
  for (const name of ["median", "percentile_cont", "percentile_disc", "deduplicate"]) {
    expect(def(name).incremental).toBe(undefined);
  }
});

Deno.test("accumulator states are JSON data and merge like one fold", () => {
  for (const name of FOLDABLE) {
    const acc = def(name).incremental!;
    const data = rows(name, 101, 7);
    // Checkpoint: a state survives a JSON round trip and the fold goes on from it.
    const half = JSON.parse(JSON.stringify(foldAll(acc, data.slice(0, 50))));
    let resumed = half;
    for (const r of data.slice(50)) resumed = acc.add(resumed, r);
    const whole = acc.result(foldAll(acc, data));
    if (!close(acc.result(resumed), whole)) throw new Error(`${name}: resumed state differs`);
    if (acc.merge) {
      const merged = acc.merge(foldAll(acc, data.slice(0, 37)), foldAll(acc, data.slice(37)));
      if (!close(acc.result(merged), whole)) throw new Error(`${name}: merge differs`);
      const empty = acc.merge(acc.init(), foldAll(acc, data));
      if (!close(acc.result(empty), whole)) throw new Error(`${name}: merge with empty differs`);
    }
  }
});

Deno.test("Welford's variance stays exact where the naive formula cancels", () => {
  const acc = def("var").incremental!;
  const big = 1e9;
  const s = foldAll(acc, [[big + 4], [big + 7], [big + 13], [big + 16]]);
  expect(acc.result(s)).toBe(22.5);
});
