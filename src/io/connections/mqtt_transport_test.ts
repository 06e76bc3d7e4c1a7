import { expect } from "expect";
import { ReadCoalescing } from "./mqtt_transport.ts";

Deno.test("read coalescing: back-to-back small reads nap, then wake", async () => {
  let woke = 0;
  const c = new ReadCoalescing(() => woke++);
  let calls = 0;
  while (!c.afterRead(100)) {
    calls++;
    if (calls > 100) throw new Error("never napped");
  }
  expect(calls).toBe(4); // the first read, then four in a flood
  expect(c.afterRead(100)).toBe(false); // one nap at a time
  await new Promise((r) => setTimeout(r, 20));
  expect(woke).toBe(1);
  c.cancel();
});

Deno.test("read coalescing: big reads and spaced reads never nap", async () => {
  const c = new ReadCoalescing(() => {});
  for (let i = 0; i < 50; i++) expect(c.afterRead(64 * 1024)).toBe(false);
  for (let i = 0; i < 6; i++) {
    expect(c.afterRead(100)).toBe(false);
    await new Promise((r) => setTimeout(r, 2));
  }
  c.cancel();
});
