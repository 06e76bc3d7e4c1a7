import { expect } from "expect";
import { getFormat } from "./mod.ts";
import { binaryColumn } from "./binary.ts";

const bytes = (...b: number[]) => new Uint8Array(b);

Deno.test("binary decodes the payload into self, or the single declared bytea column", () => {
  const raw = bytes(0, 255, 10);
  expect(getFormat("binary")!.decode(raw, {})).toEqual({ self: raw });
  const fields = [{ name: "img", type: { type: "bytea" as const } }];
  expect(getFormat("binary", { fields })!.decode(raw, {})).toEqual({ img: raw });
});

Deno.test("binary refuses a schema other than one bytea column", () => {
  expect(() => binaryColumn([{ name: "a", type: { type: "string" } }])).toThrow(
    /exactly one bytea field/,
  );
  expect(() => getFormat("binary", { fields: [{ name: "a", type: { type: "bigint" } }] }))
    .toThrow(/exactly one bytea field/);
});

Deno.test("binary encodes a row with one bytea or string field and round trips", () => {
  const f = getFormat("binary")!;
  const raw = bytes(1, 2, 3);
  expect(f.encode(f.decode(raw, {}))).toEqual(raw);
  expect(f.encode([{ self: raw }])).toEqual(raw);
  expect(new TextDecoder().decode(f.encode({ s: "hi" }))).toBe("hi");
  expect(() => f.encode({ a: 1 })).toThrow(/single bytea or string field/);
  expect(() => f.encode({ a: raw, b: raw })).toThrow(/single bytea/);
  expect(() => f.encode([{ self: raw }, { self: raw }])).toThrow(/single bytea/);
});
