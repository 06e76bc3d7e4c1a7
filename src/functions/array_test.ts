import { expect } from "expect";
import { field, int, str } from "../expr/_test_ast.ts";
import { check, err, returnType, run, table } from "./_test_util.ts";
import { evalSql } from "./_sql_test_util.ts";

Deno.test("array functions compute eKuiper's results", (t) =>
  table(t, [
    ["cardinality", [[1, 2, 3]], 3],
    ["cardinality", [null], 0],
    ["cardinality", ["a"], 0],
    ["array_cardinality", ["a"], err("first argument should be array of interface{}")],
    ["array_cardinality", [[1, null, 3]], 2],
    ["array_position", [[1, 2, 3], 2], 1],
    ["array_position", [[1, 2, 3], 4], -1],
    ["array_position", [null, 4], -1],
    ["array_position", [["a", null], null], 1],
    ["array_last_position", [[1, 2, 1], 1], 2],
    ["element_at", [[1, 2, 3], 0], 1],
    ["element_at", [[1, 2, 3], -1], 3],
    ["element_at", [[1, 2, 3], 3], err("index out of range")],
    ["element_at", [[1, 2, 3], -4], err("index out of range")],
    [
      "element_at",
      ["a", 1],
      err("first argument should be []interface{} or map[string]interface{}"),
    ],
    ["element_at", [{ a: 1 }, "a"], 1],
    ["element_at", [{ a: 1 }, "b"], null],
    ["array_contains", [[1, 2], 2], true],
    ["array_contains", [[{ a: 1 }], { a: 1 }], true],
    ["array_contains", [null, 1], false],
    ["array_contains_any", [[1, 2], [3, 2]], true],
    ["array_contains_any", [[1, 2], [3]], false],
    ["array_contains_any", [null, [3]], false],
    ["array_create", [1, "a", null], [1, "a"]],
    ["array_create", [null], null],
    ["array_remove", [[1, 2, 1, 3], 1], [2, 3]],
    ["array_intersect", [[1, 1, 2, 3], [3, 1, 3]], [3, 1]],
    ["array_intersect", [null, [1]], null],
    ["array_union", [[1, 2], [2, 3]], [1, 2, 3]],
    ["array_union", [null, [2, 2]], [2]],
    ["array_except", [[1, 2, 2, 3], [2]], [1, 3]],
    ["array_except", [null, [2]], null],
    ["array_max", [[1, null, 5, 3]], 5],
    ["array_max", [["b", "a"]], "b"],
    ["array_min", [[4, 2, 8]], 2],
    ["array_min", [[1, "a"]], err("cannot compare float64(1) with string(a)")],
    ["repeat", ["x", 3], ["x", "x", "x"]],
    ["repeat", ["x", -1], err("invalid count -1")],
    ["sequence", [1, 5], [1, 2, 3, 4, 5]],
    ["sequence", [5, 1], [5, 4, 3, 2, 1]],
    ["sequence", [1, 10, 3], [1, 4, 7, 10]],
    ["sequence", [1, 10, 0], err("invalid step: should not be zero")],
    ["sequence", [1, 10, -1], err("invalid step")],
    ["array_flatten", [[[1, 2], [3], [4]]], [1, 2, 3, 4]],
    ["array_flatten", [[[1, 2], 3]], err("array elements should be array")],
    ["array_distinct", [[1, 1, "a", "a", { x: 1 }, { x: 1 }]], [1, "a", { x: 1 }]],
    ["array_sort", [[3, "b", 2, "a"]], [2, 3, "a", "b"]],
    ["array_sort", [[null, 2, 1]], [null, 1, 2]],
    ["array_map", ["upper", ["a", "é"]], ["A", "É"]],
    ["array_map", ["abs", [-1, 2]], [1, 2]],
    ["array_map", ["nope", [1]], err("unknown built-in function: nope.")],
    ["array_map", ["sum", [1]], err("first argument should be a scalar function.")],
    ["array_map", ["concat", [1, "b"]], ["1", "b"]],
    ["array_join", [["a", "b", "c"], ","], "a,b,c"],
    ["array_join", [["a", null, "c"], ",", "x"], "a,x,c"],
    ["array_join", [["a", null, "c"], ","], "a,c"],
    ["array_join", [[1], ","], err("array elements should be string")],
    ["array_join", [["a"], 1], err("second argument should be string")],
    ["array_concat", [[1], null, [2, 3]], [1, 2, 3]],
    ["array_concat", [[1], 2], err("array elements should be array")],
    ["kvpair_array_to_obj", [[{ key: "a", value: 1 }, { key: "b", value: 2 }]], { a: 1, b: 2 }],
    ["kvpair_array_to_obj", [[{ k: "a" }]], err("array element should be an object")],
  ]));

Deno.test("array_shuffle() permutes without losing elements", () => {
  const out = run("array_shuffle", [1, 2, 3, 4, 5]) as number[];
  expect(out.slice().sort()).toEqual([1, 2, 3, 4, 5]);
});

Deno.test("array functions validate literals and declare types", () => {
  expect(check("sequence", int(1), str("a"))).toBe("Expect int type for parameter 2");
  expect(check("array_map", int(1), field("a"))).toBe("Expect string type for parameter 1");
  expect(check("element_at", field("a"))).toBe("Expect 2 arguments but found 1.");
  expect(check("sequence", int(1))).toBe("Expect two or three arguments but found 1.");
  expect(returnType("cardinality", ["array"])).toBe("bigint");
  expect(returnType("array_union", ["array", "array"])).toBe("array");
});

Deno.test("array functions in SQL", () => {
  expect(evalSql("cardinality(a) + 1", { a: [1, 2] })).toBe(3);
  expect(evalSql("array_contains(tags, 'x')", { tags: ["x", "y"] })).toBe(true);
  expect(evalSql("element_at(sequence(1, 3), 1)")).toBe(2);
});
