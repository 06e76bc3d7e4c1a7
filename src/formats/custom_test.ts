import { expect } from "expect";
import { readFileSync } from "node:fs";
import { getFormat, schemaFields } from "./mod.ts";
import { tempRegistry } from "./_test_registry.ts";

const KV = readFileSync(
  new URL("../../test/fixtures/schemas/kv_format.ts", import.meta.url),
  "utf8",
);
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("custom format decodes and encodes through a registered module", async () => {
  const { registry, failures } = await tempRegistry({ "custom/kv.ts": KV });
  expect(failures).toEqual([]);
  const f = getFormat("custom", { schemaId: "kv.Message", registry })!;
  expect(f.schemaful).toBe(true);
  expect(f.decode(bytes("id=7;name=pump"), {})).toEqual({ id: 7, name: "pump" });
  expect(text(f.encode({ id: 7, name: "pump" }))).toBe("id=7;name=pump");
  const upper = getFormat("custom", { schemaId: "kv.Upper", registry })!;
  expect(upper.decode(bytes("abc"), {})).toEqual({ text: "ABC" });
  expect(text(upper.encode({ a: "x" }))).toBe('{"A":"X"}');
});

Deno.test("custom format gives columns from the module's schema", async () => {
  const { registry } = await tempRegistry({ "custom/kv.ts": KV });
  expect(schemaFields("custom", "kv", registry)).toEqual([
    { name: "id", type: { type: "bigint" } },
    { name: "name", type: { type: "string" } },
  ]);
  expect(schemaFields("custom", "kv.Upper", registry)).toEqual([
    { name: "text", type: { type: "string" } },
  ]);
});

Deno.test("custom format turns a module's misbehaviour into per-record errors", async () => {
  const { registry } = await tempRegistry({
    "custom/bad.js": `
      export function decode(b) { if (b.length === 0) throw "empty"; return b.length === 1 ? 42 : Promise.resolve({}); }
      export function encode(d) { return d.async ? Promise.resolve("x") : 7; }`,
    "custom/kv.ts": KV,
  });
  const bad = getFormat("custom", { schemaId: "bad", registry })!;
  expect(() => bad.decode(new Uint8Array(), {})).toThrow();
  expect(() => bad.decode(new Uint8Array(1), {})).toThrow(/must return an object/);
  expect(() => bad.decode(new Uint8Array(2), {})).toThrow(/decode must return synchronously/);
  expect(() => bad.encode({})).toThrow(/must return a Uint8Array or a string/);
  expect(() => bad.encode({ async: true })).toThrow(/encode must return synchronously/);
  const kv = getFormat("custom", { schemaId: "kv", registry })!;
  expect(() => kv.decode(bytes("garbage"), {})).toThrow(/not a key=value payload/);
  expect(() => getFormat("custom", { schemaId: "missing", registry })).toThrow(
    /custom schema missing is not registered/,
  );
});
