import { expect } from "expect";
import { utf8 } from "./utf8.ts";

Deno.test("utf8: same bytes as TextEncoder, ASCII or not, short or long", () => {
  const enc = new TextEncoder();
  for (
    const s of ["", "{}", '{"a":1}', "température", "日本語 😀", "x".repeat(5000), "é".repeat(3000)]
  ) {
    expect([...utf8(s)]).toEqual([...enc.encode(s)]);
  }
});

Deno.test("utf8: earlier views stay intact when the block is replaced", () => {
  const views: [string, Uint8Array][] = [];
  for (let i = 0; i < 5000; i++) {
    const s = `{"i":${i},"name":"${i % 7 === 0 ? "ü" : "u"}${"-".repeat(i % 50)}"}`;
    views.push([s, utf8(s)]);
  }
  const dec = new TextDecoder();
  for (const [s, v] of views) expect(dec.decode(v)).toBe(s);
});
