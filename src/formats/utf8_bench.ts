import { utf8 } from "./utf8.ts";

const text = JSON.stringify({ id: 42, temperature: 31.25, ts: 1763762400123 });
const encoder = new TextEncoder();

Deno.bench("TextEncoder.encode (a new array per result)", { group: "utf8" }, () => {
  encoder.encode(text);
});
Deno.bench("utf8() (views into a shared block)", { group: "utf8", baseline: true }, () => {
  utf8(text);
});
Deno.bench("new Uint8Array(50)", () => {
  new Uint8Array(50);
});
