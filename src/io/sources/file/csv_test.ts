import { expect } from "expect";
import { parseCsv } from "./csv.ts";

Deno.test("parseCsv: plain records, CRLF, blank lines, trailing line without newline", () => {
  expect(parseCsv("a,b\r\n1,2\n\n3,4", ",")).toEqual([["a", "b"], ["1", "2"], ["3", "4"]]);
});

Deno.test("parseCsv: quotes with delimiters, doubled quotes and line breaks inside", () => {
  expect(parseCsv('id,text\n1,"a, ""b""\nc"\n', ",")).toEqual([
    ["id", "text"],
    ["1", 'a, "b"\nc'],
  ]);
});

Deno.test("parseCsv: custom delimiter, leading spaces trimmed, empty fields kept", () => {
  expect(parseCsv("id name age\n1 John 56", " ")).toEqual([["id", "name", "age"], [
    "1",
    "John",
    "56",
  ]]);
  expect(parseCsv("a; b;;c", ";")).toEqual([["a", "b", "", "c"]]);
});

Deno.test("parseCsv: an unterminated quote is an error", () => {
  expect(() => parseCsv('a,"b\n', ",")).toThrow(/unterminated quoted field in record 1/);
});
