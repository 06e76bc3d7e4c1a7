import { expect } from "expect";
import { jsonFormat } from "./json.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("jsonFormat decodes objects and arrays of objects", () => {
  expect(jsonFormat.decode(bytes('{"a":1,"b":{"c":"x"}}'), {})).toEqual({ a: 1, b: { c: "x" } });
  expect(jsonFormat.decode(bytes('[{"a":1},{"a":2}]'), {})).toEqual([{ a: 1 }, { a: 2 }]);
});

Deno.test("jsonFormat rejects malformed and non-object payloads", () => {
  expect(() => jsonFormat.decode(bytes("{bad"), {})).toThrow(/invalid JSON payload/);
  expect(() => jsonFormat.decode(bytes("42"), {})).toThrow(/only map/);
  expect(() => jsonFormat.decode(bytes("[1,2]"), {})).toThrow(/only map/);
});

Deno.test("jsonFormat applies a typed schema", () => {
  const schema = [
    { name: "id", type: { type: "bigint" as const } },
    { name: "t", type: { type: "float" as const } },
    { name: "tags", type: { type: "array" as const, elementType: { type: "string" as const } } },
    {
      name: "loc",
      type: {
        type: "struct" as const,
        fields: [{ name: "lat", type: { type: "float" as const } }],
      },
    },
  ];
  expect(
    jsonFormat.decode(
      bytes('{"id":"7","t":21.5,"tags":["a"],"loc":{"lat":1,"x":2},"extra":true}'),
      { schema },
    ),
  ).toEqual({ id: 7, t: 21.5, tags: ["a"], loc: { lat: 1 } });
  expect(() => jsonFormat.decode(bytes('{"id":1.5}'), { schema })).toThrow(
    /field id type mismatch/,
  );
});

Deno.test("jsonFormat encodes whole floats without a fraction", () => {
  expect(new TextDecoder().decode(jsonFormat.encode([{ a: 3.0, b: 2.5 }]))).toBe(
    '[{"a":3,"b":2.5}]',
  );
});

Deno.test("jsonFormat encodes bytea values as base64", () => {
  const text = (d: unknown) => new TextDecoder().decode(jsonFormat.encode(d));
  expect(text({ self: new Uint8Array([104, 105]), n: 1 })).toBe('{"self":"aGk=","n":1}');
  expect(text([{ a: 1 }, { b: new Uint8Array([255]) }])).toBe('[{"a":1},{"b":"/w=="}]');
});

Deno.test("json: decodeIn reads a payload inside a chunk as decode reads it alone", () => {
  const enc = new TextEncoder();
  const parts = ["xx", '{"a":1,"b":"\u00e9"}', "yy", '[{"c":2}]', "zz"].map((p) => enc.encode(p));
  const chunk = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  const at: number[] = [];
  parts.reduce((o, p) => (chunk.set(p, o), at.push(o), o + p.length), 0);
  const [, one, , two] = at;
  const oneEnd = one + parts[1].length;
  expect(jsonFormat.decodeIn!(chunk, one, oneEnd, {})).toEqual(jsonFormat.decode(parts[1], {}));
  expect(jsonFormat.decodeIn!(chunk, one, oneEnd, {})).toEqual({ a: 1, b: "\u00e9" });
  expect(jsonFormat.decodeIn!(chunk, two, two + parts[3].length, {})).toEqual([{ c: 2 }]);
  expect(() => jsonFormat.decodeIn!(chunk, 0, 4, {})).toThrow(/invalid JSON payload/);
});
