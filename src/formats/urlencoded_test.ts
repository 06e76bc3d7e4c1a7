import { expect } from "expect";
import { getFormat } from "./mod.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("urlencoded decodes strings, repeated keys into arrays, percent escapes", () => {
  const f = getFormat("urlencoded")!;
  expect(f.decode(bytes("a=1&b=hello+world&c=%E2%82%AC&a=2&d="), {})).toEqual({
    a: ["1", "2"],
    b: "hello world",
    c: "€",
    d: "",
  });
});

Deno.test("urlencoded refuses a payload that is not UTF-8 text", () => {
  expect(() => getFormat("urlencoded")!.decode(new Uint8Array([0xff, 0xfe]), {})).toThrow(
    /not UTF-8/,
  );
});

Deno.test("urlencoded encodes one row and round trips", () => {
  const f = getFormat("urlencoded")!;
  const out = f.encode({ a: 1, b: "x y", tags: ["p", "q"], o: { k: 1 }, n: null });
  expect(text(out)).toBe("a=1&b=x+y&tags=p&tags=q&o=%7B%22k%22%3A1%7D&n=");
  expect(f.decode(f.encode([{ a: "1", b: "€&=" }]), {})).toEqual({ a: "1", b: "€&=" });
  expect(() => f.encode([{ a: 1 }, { a: 2 }])).toThrow(/sendSingle/);
});
