import { expect } from "expect";
import { field, int, str } from "../expr/_test_ast.ts";
import { check, err, returnType, run, table } from "./_test_util.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("cast() converts between eKuiper types", (t) =>
  table(t, [
    ["cast", [1.9, "bigint"], 1],
    ["cast", [-1.9, "bigint"], -1],
    ["cast", ["12", "bigint"], 12],
    ["cast", ["abc", "bigint"], err("not supported type conversion from string(abc) to bigint")],
    ["cast", [true, "bigint"], 1],
    ["cast", ["1.5", "float"], 1.5],
    ["cast", ["", "float"], err("not supported type conversion from string() to float")],
    ["cast", [false, "float"], 0],
    ["cast", [1, "string"], "1"],
    ["cast", [1.5, "string"], "1.5"],
    ["cast", [{ a: 1 }, "string"], '{"a":1}'],
    ["cast", ["true", "boolean"], true],
    ["cast", ["F", "boolean"], false],
    ["cast", ["yes", "boolean"], err("not supported type conversion from string(yes) to boolean")],
    ["cast", [0, "boolean"], false],
    ["cast", [2, "boolean"], true],
    ["cast", [null, "bigint"], null],
    ["cast", [[1], "string"], "[1]"],
    ["cast", [[], "string"], null],
  ]));

Deno.test("cast() to datetime and bytea", () => {
  expect(run("cast", 1000, "datetime")).toEqual(new Date(1000));
  expect(run("cast", "2020-01-01T00:00:00Z", "datetime")).toEqual(new Date(Date.UTC(2020, 0, 1)));
  expect(() => run("cast", "soon", "datetime")).toThrow(
    "not supported type conversion from string(soon) to datetime",
  );
  expect(run("cast", "abc", "bytea")).toEqual(bytes("abc"));
  expect(() => run("cast", 1, "bytea")).toThrow("to bytea");
});

Deno.test("cast() validates its literal target and returns it as the static type", () => {
  expect(check("cast", field("a"), str("float"))).toBe(undefined);
  expect(check("cast", field("a"), int(1))).toBe("Expect string type for parameter 2");
  expect(check("cast", field("a"), field("b"))).toBe("Expect string type for parameter 2");
  expect(check("cast", field("a"), str("money"))).toBe(
    "Expect one of following value for the 2nd parameter: bigint, float, string, boolean, datetime, bytea.",
  );
  expect(returnType("cast", ["any", "string"], [field("a"), str("bigint")])).toBe("bigint");
  expect(returnType("cast", ["any", "string"], [field("a"), str("datetime")])).toBe("datetime");
});

Deno.test("to_json() and parse_json()", (t) =>
  table(t, [
    ["to_json", [{ a: 1, b: [true, null] }], '{"a":1,"b":[true,null]}'],
    ["to_json", [null], "null"],
    ["to_json", ["s"], '"s"'],
    ["to_json", [3], "3"],
    ["parse_json", ['{"a":1}'], { a: 1 }],
    ["parse_json", ["[1,2]"], [1, 2]],
    ["parse_json", ["null"], null],
    ["parse_json", [null], null],
    ["parse_json", ["{"], err("call func parse_json error: fail to parse json:")],
    ["parse_json", [1], err("fail to convert float64(1) to string")],
  ]));

Deno.test("encode() and decode() do base64", (t) =>
  table(t, [
    ["encode", ["hello", "base64"], "aGVsbG8="],
    ["encode", [bytes("hi"), "base64"], "aGk="],
    ["encode", [1, "base64"], err("Only string type can be encoded.")],
    ["encode", ["a", "hex"], err("Only base64 encoding is supported.")],
    ["decode", ["aGVsbG8=", "base64"], bytes("hello")],
    ["decode", ["!!", "base64"], err("call func decode error: fail to decode base64 string")],
    ["decode", [null, "base64"], null],
  ]));

Deno.test("encode() round-trips UTF-8 and rejects other methods at compile time", () => {
  const encoded = run("encode", "héllo", "base64");
  expect(new TextDecoder().decode(run("decode", encoded, "base64") as Uint8Array)).toBe("héllo");
  expect(check("encode", field("a"), str("hex"))).toBe(
    "Only base64 is supported for the 2nd parameter.",
  );
  expect(check("decode", int(1), str("base64"))).toBe("Expect string type for parameter 1");
});
