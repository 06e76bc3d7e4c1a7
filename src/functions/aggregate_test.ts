import { expect } from "expect";
import { str } from "../expr/_test_ast.ts";
import { check, def, err, returnType, run, table } from "./_test_util.ts";

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
    ["collect", [[1, null, 2]], [1, null, 2]],
    ["collect", [[]], []],
  ]));

Deno.test("collect() returns a copy of the group's values", () => {
  const values = [1, 2];
  const out = run("collect", values) as unknown[];
  out.push(3);
  expect(values).toEqual([1, 2]);
});

Deno.test("aggregate result types and flags", () => {
  expect(returnType("avg", ["bigint"])).toBe("float");
  expect(returnType("sum", ["bigint"])).toBe("bigint");
  expect(returnType("sum", ["any"])).toBe("float");
  expect(returnType("max", ["string"])).toBe("string");
  expect(returnType("min", ["any"])).toBe("any");
  expect(returnType("count", ["any"])).toBe("bigint");
  expect(returnType("collect", ["any"])).toBe("array");
  for (const name of ["avg", "count", "max", "min", "sum", "collect"]) {
    expect(def(name).kind).toBe("aggregate");
    expect(def(name).incremental).toBe(true);
  }
  expect(check("sum", str("a"))).toBe("Expect number - float or int type for parameter 1");
});
