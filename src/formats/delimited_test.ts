import { expect } from "expect";
import { getFormat } from "./mod.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("delimited requires a delimiter", () => {
  expect(() => getFormat("delimited")).toThrow(/requires a delimiter/);
  expect(() => getFormat("delimited", { delimiter: "" })).toThrow(/requires a delimiter/);
});

Deno.test("delimited without names gives col0, col1… as strings, one row per line", () => {
  const f = getFormat("delimited", { delimiter: "," })!;
  expect(f.decode(bytes("1,a,2.5"), {})).toEqual({ col0: "1", col1: "a", col2: "2.5" });
  expect(f.decode(bytes("1,a\r\n2,b\n"), {})).toEqual([
    { col0: "1", col1: "a" },
    { col0: "2", col1: "b" },
  ]);
});

Deno.test("delimited takes names and types from the stream's columns", () => {
  const fields = [
    { name: "id", type: { type: "bigint" as const } },
    { name: "t", type: { type: "float" as const } },
    { name: "ok", type: { type: "boolean" as const } },
  ];
  const f = getFormat("delimited", { delimiter: "|", fields })!;
  expect(f.decode(bytes("7|21.5|true|extra"), {})).toEqual({ id: 7, t: 21.5, ok: true });
  expect(() => f.decode(bytes("x|1|true"), {})).toThrow(/field id type mismatch/);
});

Deno.test("delimited takes names from a header line when hasHeader is set", () => {
  const f = getFormat("delimited", { delimiter: ";", hasHeader: true })!;
  expect(f.decode(bytes("id;name\n1;a\n2;b"), {})).toEqual([
    { id: "1", name: "a" },
    { id: "2", name: "b" },
  ]);
  expect(() => f.decode(bytes("id;name\n"), {})).toThrow(/no data line/);
  expect(() => f.decode(bytes(""), {})).toThrow(/no header line/);
});

Deno.test("delimited encodes rows as lines (with a header when asked) and round trips", () => {
  const rows = [{ id: 1, name: "a", v: null }, { id: 2, name: "b", v: { x: 1 } }];
  const plain = getFormat("delimited", { delimiter: "," })!;
  expect(text(plain.encode(rows[0]))).toBe("1,a,");
  expect(text(plain.encode(rows))).toBe('1,a,\n2,b,{"x":1}');
  const headed = getFormat("delimited", { delimiter: ",", hasHeader: true })!;
  const out = headed.encode([{ id: 1, name: "a" }, { id: 2, name: "b" }]);
  expect(text(out)).toBe("id,name\n1,a\n2,b");
  expect(headed.decode(out, {})).toEqual([{ id: "1", name: "a" }, { id: "2", name: "b" }]);
  expect(() => plain.encode([1, 2])).toThrow(/encodes rows/);
});
