import { expect } from "expect";
import { field, int } from "../expr/_test_ast.ts";
import { check, err, run, table } from "./_test_util.ts";
import { evaluate, parsePath } from "./_jsonpath.ts";

const DOC = {
  name: "Tom",
  foo: { bar: 1, "key.with.dot": 2 },
  people: [
    { first: "James", last: "d", age: 40 },
    { first: "Jacob", last: "e", age: 20 },
    { first: "Jayden", last: "f", age: 35 },
  ],
  tags: ["a", "b", "c"],
};

Deno.test("json_path_query() follows eKuiper's JSONPath dialect", (t) =>
  table(t, [
    ["json_path_query", [DOC, "$.name"], "Tom"],
    ["json_path_query", [DOC, "$.foo.bar"], 1],
    ["json_path_query", [DOC, '$.foo["key.with.dot"]'], 2],
    ["json_path_query", [DOC, "$['foo']['bar']"], 1],
    ["json_path_query", [DOC, "$.people[0].first"], "James"],
    ["json_path_query", [DOC, "$.people[-1].first"], "Jayden"],
    ["json_path_query", [DOC, "$.people[*].age"], [40, 20, 35]],
    ["json_path_query", [DOC, "$.people.*.last"], ["d", "e", "f"]],
    ["json_path_query", [DOC, "$.tags[0,2]"], ["a", "c"]],
    ["json_path_query", [DOC, "$.tags[1:]"], ["b", "c"]],
    ["json_path_query", [DOC, "$.tags[:-1]"], ["a", "b"]],
    ["json_path_query", [DOC, "$..bar"], [1]],
    ["json_path_query", [DOC, "$.people[? @.age>30].first"], ["James", "Jayden"]],
    ["json_path_query", [DOC, "$.people[?(@.age >= 35 && @.last == 'f')].first"], ["Jayden"]],
    ["json_path_query", [DOC, '$.people[?(@.age < 30 || @.first == "James")].age'], [40, 20]],
    ["json_path_query", [DOC, "$.people[? !(@.age > 30)].first"], ["Jacob"]],
    ["json_path_query", [DOC, "$.people[?(@.first =~ /^Ja[cy]/)].age"], [20, 35]],
    ["json_path_query", [DOC, "$.missing"], err("unknown key missing")],
    ["json_path_query", [DOC, "$.people[*].missing"], []],
    ["json_path_query", [JSON.stringify(DOC), "$.foo.bar"], 1],
    ["json_path_query", [DOC, "name"], err("invalid JSON path name: must start with $")],
    ["json_path_query", [DOC, "$.tags[1"], err("unclosed [")],
    ["json_path_query", [null, "$.a"], null],
    ["json_path_query", [DOC, 1], err("invalid jsonPath, must be a string but got 1")],
    ["json_path_query_first", [DOC, "$.people[*].age"], 40],
    ["json_path_query_first", [DOC, "$.name"], err("query result (Tom) is not an array")],
    ["json_path_query_first", [DOC, "$.tags"], "a"],
    ["json_path_query_first", [DOC, "$.people[? @.age>100]"], null],
    ["json_path_exists", [DOC, "$.foo.bar"], true],
    ["json_path_exists", [DOC, "$.foo.baz"], false],
    ["json_path_exists", [DOC, "$.people[? @.age>100]"], false],
    ["json_path_exists", [null, "$.a"], false],
    ["json_path_exists", [{ a: null }, "$.a"], true],
  ]));

Deno.test("JSON paths are parsed once into segments", () => {
  const p = parsePath("$.a[0].b");
  expect(p.definite).toBe(true);
  expect(evaluate(p, { a: [{ b: "x" }] })).toEqual({ found: true, value: "x" });
  expect(parsePath("$.a[*]").definite).toBe(false);
  expect(() => parsePath("$.a[? @.b >]")).toThrow("filter ends too early");
});

Deno.test("json functions validate the path literal", () => {
  expect(check("json_path_query", field("a"), int(1))).toBe("Expect string type for parameter 2");
  expect(run("json_path_exists", { a: 1 }, "$.a")).toBe(true);
});
