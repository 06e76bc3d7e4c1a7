import { expect } from "expect";
import { latin1Source } from "./bundle.ts";

Deno.test("latin1Source: characters above U+00FF become escapes that mean the same", () => {
  const source =
    'const a = "it\u2019s \u00b5s \u{1F600}"; const r = /[\u2190-\u2193]/; // \u2192 x';
  const out = latin1Source(source);
  expect(/[\u0100-\uffff]/.test(out)).toBe(false);
  expect(out).toContain("\u00b5");
  const [a, r] = new Function(`${out}\nreturn [a, r];`)() as [string, RegExp];
  expect(a).toBe("it\u2019s \u00b5s \u{1F600}");
  expect(r.test("\u2192")).toBe(true);
  expect(r.test("x")).toBe(false);
});
