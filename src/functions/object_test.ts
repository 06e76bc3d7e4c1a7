import { expect } from "expect";
import { field, int, str } from "../expr/_test_ast.ts";
import { check, err, returnType, run, table } from "./_test_util.ts";

Deno.test("object functions compute eKuiper's results", (t) =>
  table(t, [
    ["keys", [{ a: 1, b: 2 }], ["a", "b"]],
    ["keys", [null], null],
    ["keys", [[1]], err("the argument should be map[string]interface{}")],
    ["values", [{ a: 1, b: "x" }], [1, "x"]],
    ["object", [["a", "b"], [1, 2]], { a: 1, b: 2 }],
    ["object", [["a"], [1, 2]], err("the length of the arguments should be same")],
    ["object", [[1], [1]], err("first argument should be []string")],
    ["object", [["a"], "x"], err("second argument should be []interface{}")],
    ["zip", [[["a", 1], ["b", 2]]], { a: 1, b: 2 }],
    ["zip", [[["a", 1, 2]]], err("each argument should be [][2]interface{}")],
    ["zip", [[[1, 2]]], err("the first element in the list item should be string")],
    ["zip", [[null, ["a", 1]]], { a: 1 }],
    ["items", [{ a: 1, b: 2 }], [["a", 1], ["b", 2]]],
    ["object_construct", ["a", 1, "b", null, "c", "x"], { a: 1, c: "x" }],
    ["object_construct", [null, 1, "a", 2], { a: 2 }],
    ["object_construct", [1, 2], err("key 1 is not a string")],
    ["object_concat", [{ a: 1, b: 2 }, { b: 3 }, null], { a: 1, b: 3 }],
    ["erase", [{ a: 1, b: 2 }, "a"], { b: 2 }],
    ["erase", [{ a: 1, b: 2, c: 3 }, ["a", "c"]], { b: 2 }],
    ["erase", [{ a: 1 }, 1], err("the argument should be slice or string")],
    ["erase", [{ a: 1, b: 2 }, ["a", 3]], { b: 2 }],
    ["erase", ["x", "a"], err("the first argument should be map[string]interface{}, got x")],
    ["object_concat", [{ a: 1 }, 2], err("the argument should be map[string]interface{}, got 2")],
    ["object_pick", [{ a: 1, b: 2, c: 3 }, ["a", "c", "z"]], { a: 1, c: 3 }],
    ["object_size", [{ a: 1, b: 2 }], 2],
    ["object_size", [null], 0],
    ["obj_to_kvpair_array", [{ a: 1 }], [{ key: "a", value: 1 }]],
  ]));

Deno.test("object functions never modify their arguments", () => {
  const o = { a: 1, b: 2 };
  run("erase", o, "a");
  run("object_concat", o, { c: 3 });
  expect(o).toEqual({ a: 1, b: 2 });
  expect(returnType("keys", ["struct"])).toBe("array");
  expect(returnType("object_size", ["struct"])).toBe("bigint");
});

Deno.test("object_construct() checks key/value pairs at compile time", () => {
  expect(check("object_construct", str("a"), field("x"), str("b"))).toBe(
    "the args must be key value pairs",
  );
  expect(check("object_construct", str("a"), field("x"), int(1), field("y"))).toBe(
    "Expect string type for parameter 3",
  );
  expect(check("object_construct", str("a"), int(1))).toBe(undefined);
});
