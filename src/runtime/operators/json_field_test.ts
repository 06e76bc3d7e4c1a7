import { expect } from "expect";
import { COMPOSITE, JsonFieldReader, MISSING } from "./json_field.ts";

const enc = new TextEncoder();
const read = (field: string, text: string) => new JsonFieldReader(field).read(enc.encode(text));

Deno.test("JsonFieldReader reads scalar top-level fields without decoding the rest", () => {
  expect(read("id", '{"id":1,"temperature":20}')).toBe(1);
  expect(read("id", ' { "a" : {"id": 9, "s": "}\\"{"}, "b":[1,[2,{"id":3}]], "id" : "dev-1" }'))
    .toBe("dev-1");
  expect(read("ok", '{"ok":true}')).toBe(true);
  expect(read("n", '{"n":null,"id":2}')).toBe(null);
  expect(read("n", '{"n":-1.5e2}')).toBe(-150);
  expect(read("é", '{"\\u00e9":"x"}')).toBe("x");
});

Deno.test("JsonFieldReader: composite values share a key, missing fields get MISSING", () => {
  expect(read("id", '{"id":{"a":1}}')).toBe(COMPOSITE);
  expect(read("id", '{"id":[1,2]}')).toBe(COMPOSITE);
  expect(read("id", '{"x":1}')).toBe(MISSING);
  expect(read("id", "{}")).toBe(MISSING);
  // Nested fields of the same name are not the top-level field.
  expect(read("id", '{"a":{"id":1}}')).toBe(MISSING);
});

Deno.test("JsonFieldReader: malformed payloads are clear errors", () => {
  expect(() => read("id", "[1,2]")).toThrow("mergeField id needs a JSON object payload");
  expect(() => read("id", '{"id":')).toThrow(/invalid JSON payload/);
  expect(() => read("id", '{"a":"unterminated')).toThrow(/unterminated string/);
  expect(() => read("id", '{"a":1 "id":2}')).toThrow(/expected ',' or '}'/);
  expect(() => read("id", "")).toThrow(/invalid JSON payload/);
});
