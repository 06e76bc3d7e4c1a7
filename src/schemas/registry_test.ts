import { expect } from "expect";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { SchemaRegistry } from "./registry.ts";
import { getFormat } from "../formats/mod.ts";
import { tempRegistry } from "../formats/_test_registry.ts";

const PROTO = 'syntax = "proto3"; message Book { string title = 1; int32 price = 2; }';

Deno.test("scan registers good files and reports bad ones without stopping", async () => {
  const { registry, failures } = await tempRegistry({
    "protobuf/good.proto": PROTO,
    "protobuf/broken.proto": "message { nope",
    "protobuf/importer.proto":
      'syntax = "proto3"; import "absent.proto"; message A { int32 a = 1; }',
    "protobuf/notes.txt": "ignored",
    "custom/nocodec.ts": "export const x = 1;",
    "custom/syntax.js": "export function decode( {",
  });
  expect(registry.list("protobuf")).toEqual(["good"]);
  expect(registry.list("custom")).toEqual([]);
  expect(failures.length).toBe(4);
  expect(failures.join("\n")).toMatch(/broken.proto: invalid proto schema/);
  expect(failures.join("\n")).toMatch(/importer.proto: .*import absent.proto not found/);
  expect(failures.join("\n")).toMatch(/nocodec.ts: custom format module must export decode/);
  expect(failures.join("\n")).toMatch(/syntax.js: cannot load custom format module/);
});

Deno.test("save writes inline content or a file:// source to the folder; delete removes it", async () => {
  const { registry, dir } = await tempRegistry();
  await registry.save("protobuf", { name: "inline", content: PROTO }, "create");
  expect(readFileSync(join(dir, "protobuf/inline.proto"), "utf8")).toBe(PROTO);
  const src = join(dir, "elsewhere.proto");
  writeFileSync(src, PROTO.replace("Book", "Paper"));
  await registry.save("protobuf", { name: "fromfile", file: pathToFileURL(src).href }, "create");
  expect(registry.get("protobuf", "fromfile")).toEqual({
    type: "protobuf",
    name: "fromfile",
    content: PROTO.replace("Book", "Paper"),
    file: join(dir, "protobuf/fromfile.proto"),
  });
  expect(registry.list("protobuf")).toEqual(["fromfile", "inline"]);
  await registry.delete("protobuf", "inline");
  expect(existsSync(join(dir, "protobuf/inline.proto"))).toBe(false);
  expect(() => registry.get("protobuf", "inline")).toThrow(/protobuf schema inline is not found/);
});

Deno.test("save refuses bad requests with clear errors and leaves the folder unchanged", async () => {
  const { registry, dir } = await tempRegistry({ "protobuf/book.proto": PROTO });
  const save = (
    type: string,
    req: Record<string, unknown>,
    mode: "create" | "replace" = "create",
  ) => registry.save(type, req, mode);
  await expect(save("avro", { name: "a", content: "x" })).rejects.toThrow(
    /unsupported schema type avro/,
  );
  await expect(save("protobuf", { name: "a.b", content: PROTO })).rejects.toThrow(/schema name/);
  await expect(save("protobuf", { name: "book", content: PROTO })).rejects.toThrow(
    /already exists/,
  );
  await expect(save("protobuf", { name: "x" })).rejects.toThrow(/either content or file/);
  await expect(save("protobuf", { name: "x", file: "file:///nowhere/x.proto" })).rejects.toThrow(
    /does not exist/,
  );
  await expect(save("protobuf", { name: "x", file: "file:///tmp/x.txt" })).rejects.toThrow(
    /must end with .proto/,
  );
  await expect(save("custom", { name: "c", soFile: "file:///tmp/c.so" })).rejects.toThrow(
    /soFile \(Go plugins\) is not supported/,
  );
  await expect(save("protobuf", { name: "bad", content: "message {" })).rejects.toThrow(
    /invalid protobuf schema bad/,
  );
  await expect(save("protobuf", { name: "book", content: "message {" }, "replace")).rejects
    .toThrow(/invalid protobuf schema book/);
  await expect(save("protobuf", { name: "ghost", content: PROTO }, "replace")).rejects.toThrow(
    /not found/,
  );
  expect(readdirSync(join(dir, "protobuf"))).toEqual(["book.proto"]);
  expect(readFileSync(join(dir, "protobuf/book.proto"), "utf8")).toBe(PROTO);
});

Deno.test("replace recompiles: a new field is seen by formats bound afterwards", async () => {
  const { registry } = await tempRegistry({ "protobuf/book.proto": PROTO });
  await registry.save("protobuf", {
    name: "book",
    content: PROTO.replace("}", " string isbn = 3; }"),
  }, "replace");
  const f = getFormat("protobuf", { schemaId: "book.Book", registry })!;
  expect(f.decode(f.encode({ isbn: "x" }), {})).toEqual({ title: "", price: 0, isbn: "x" });
});

Deno.test("replacing a custom module loads the new code in the same process", async () => {
  const { registry, dir } = await tempRegistry();
  const mod = (tag: string) =>
    `export const decode = () => ({ v: "${tag}" }); export const encode = () => "${tag}";`;
  await registry.save("custom", { name: "m", content: mod("one") }, "create");
  const one = getFormat("custom", { schemaId: "m", registry })!;
  await registry.save("custom", { name: "m", content: mod("two") }, "replace");
  const two = getFormat("custom", { schemaId: "m", registry })!;
  expect(one.decode(new Uint8Array(), {})).toEqual({ v: "one" });
  expect(two.decode(new Uint8Array(), {})).toEqual({ v: "two" });
  // The fresh copy used for the re-import is gone.
  expect(readdirSync(join(dir, "custom"))).toEqual(["m.ts"]);
  // A second registry on the same folder (a restart) registers the saved module.
  const again = new SchemaRegistry(dir);
  expect(await again.scan()).toEqual([]);
  expect(getFormat("custom", { schemaId: "m", registry: again })!.decode(new Uint8Array(), {}))
    .toEqual({ v: "two" });
});
