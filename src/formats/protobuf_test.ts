import { expect } from "expect";
import { getFormat, schemaFields } from "./mod.ts";
import { tempRegistry } from "./_test_registry.ts";

const BOOK = `
syntax = "proto3";
package shop;
import "common.proto";
enum Kind { PAPER = 0; EBOOK = 1; }
message Book {
  string title = 1;
  int64 price = 2;
  double rating = 3;
  bool in_stock = 4;
  bytes cover = 5;
  repeated string tags = 6;
  Author author = 7;
  Kind kind = 8;
  map<string, int32> stock = 9;
  repeated Author editors = 10;
}`;
const COMMON =
  `syntax = "proto3"; package shop; message Author { string name = 1; int32 born = 2; }`;

async function bookRegistry() {
  return await tempRegistry({ "protobuf/books.proto": BOOK, "protobuf/common.proto": COMMON });
}

Deno.test("protobuf round trips a message with nested, repeated, map, enum and bytes fields", async () => {
  const { registry, failures } = await bookRegistry();
  expect(failures).toEqual([]);
  const f = getFormat("protobuf", { schemaId: "books.Book", registry })!;
  expect(f.schemaful).toBe(true);
  const row = {
    title: "Weir",
    price: 9007199254740991,
    rating: 4.5,
    in_stock: true,
    cover: new Uint8Array([1, 2, 3]),
    tags: ["edge", "sql"],
    author: { name: "Ann", born: 1970 },
    kind: 1,
    stock: { berlin: 3 },
    editors: [{ name: "Bo", born: 1980 }],
  };
  const decoded = f.decode(f.encode(row), {});
  expect(decoded).toEqual(row);
  expect(Object.keys(decoded)).toEqual(Object.keys(row));
  expect((decoded as { cover: Uint8Array }).cover.constructor).toBe(Uint8Array);
});

Deno.test("protobuf decodes unset fields as their defaults", async () => {
  const { registry } = await bookRegistry();
  const f = getFormat("protobuf", { schemaId: "books.shop.Book", registry })!;
  expect(f.decode(f.encode({ title: "t" }), {})).toEqual({
    title: "t",
    price: 0,
    rating: 0,
    in_stock: false,
    cover: new Uint8Array(),
    tags: [],
    author: null,
    kind: 0,
    stock: {},
    editors: [],
  });
});

Deno.test("protobuf bad payloads and bad rows are errors with the message name", async () => {
  const { registry } = await bookRegistry();
  const f = getFormat("protobuf", { schemaId: "books.Book", registry })!;
  expect(() => f.decode(new Uint8Array([0x0a, 0x05, 0x61]), {})).toThrow(
    /invalid protobuf payload for shop.Book/,
  );
  expect(() => f.decode(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]), {})).toThrow(
    /invalid protobuf payload/,
  );
  expect(() => f.encode({ price: "ten" })).toThrow(/shop.Book: price: integer\|Long expected/);
  expect(() => f.encode([{ title: "a" }, { title: "b" }])).toThrow(/sendSingle/);
  expect(f.decode(f.encode([{ title: "a" }]), {})).toMatchObject({ title: "a" });
});

Deno.test("protobuf schemaId errors are clear", async () => {
  const { registry } = await bookRegistry();
  expect(() => getFormat("protobuf", { registry })).toThrow(/requires a schemaId/);
  expect(() => getFormat("protobuf", { schemaId: "nope.Book", registry })).toThrow(
    /protobuf schema nope is not registered/,
  );
  expect(() => getFormat("protobuf", { schemaId: "books", registry })).toThrow(
    /must name a message/,
  );
  expect(() => getFormat("protobuf", { schemaId: "books.Magazine", registry })).toThrow(
    /message Magazine is not defined in protobuf schema books \(it defines shop.Book/,
  );
});

Deno.test("protobuf gives a stream its columns from the message", async () => {
  const { registry } = await bookRegistry();
  const fields = schemaFields("protobuf", "books.Book", registry)!;
  expect(fields.map((f) => [f.name, f.type.type])).toEqual([
    ["title", "string"],
    ["price", "bigint"],
    ["rating", "float"],
    ["in_stock", "boolean"],
    ["cover", "bytea"],
    ["tags", "array"],
    ["author", "struct"],
    ["kind", "bigint"],
    ["stock", "struct"],
    ["editors", "array"],
  ]);
  expect(fields[6].type).toEqual({
    type: "struct",
    fields: [{ name: "name", type: { type: "string" } }, {
      name: "born",
      type: { type: "bigint" },
    }],
  });
});
