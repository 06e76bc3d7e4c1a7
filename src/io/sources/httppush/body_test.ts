import { expect } from "expect";
import { readBoundedBody } from "./body.ts";

function endless(chunkSize: number, counter: { pulls: number }): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(c) {
      counter.pulls++;
      c.enqueue(new Uint8Array(chunkSize));
    },
  });
}

Deno.test("readBoundedBody: stops reading an endless stream just past the limit", async () => {
  const counter = { pulls: 0 };
  const req = new Request("http://x/", { method: "POST", body: endless(1024, counter) });
  expect(await readBoundedBody(req, 10 * 1024)).toBeNull();
  expect(counter.pulls).toBeLessThanOrEqual(12);
});

Deno.test("readBoundedBody: refuses by Content-Length without reading", async () => {
  const counter = { pulls: 0 };
  const req = new Request("http://x/", {
    method: "POST",
    body: endless(1024, counter),
    headers: { "content-length": "999999" },
  });
  expect(await readBoundedBody(req, 1000)).toBeNull();
  expect(counter.pulls).toBeLessThanOrEqual(1);
});

Deno.test("readBoundedBody: returns bodies within the limit, joined", async () => {
  const parts = ["ab", "cd", "e"].map((s) => new TextEncoder().encode(s));
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of parts) c.enqueue(p);
      c.close();
    },
  });
  const req = new Request("http://x/", { method: "POST", body });
  expect(new TextDecoder().decode((await readBoundedBody(req, 5))!)).toBe("abcde");
  expect(await readBoundedBody(new Request("http://x/"), 5)).toEqual(new Uint8Array(0));
});
