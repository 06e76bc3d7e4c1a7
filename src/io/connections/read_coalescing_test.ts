import { expect } from "expect";
import { ReadCoalescing } from "./read_coalescing.ts";

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

Deno.test("read coalescing: in a flood every good-sized read naps; a small one ends it", async () => {
  const c = new ReadCoalescing(() => {});
  while (!c.afterRead(100)) { /* into the flood */ }
  await new Promise((r) => setTimeout(r, 5)); // the nap ends
  expect(c.afterRead(8 * 1024)).toBe(true); // what accumulated: the flood goes on
  await new Promise((r) => setTimeout(r, 5));
  expect(c.afterRead(300)).toBe(false); // little came in a nap: the flood is over
  expect(c.afterRead(300)).toBe(false); // and the next small read starts counting anew
  c.cancel();
});
