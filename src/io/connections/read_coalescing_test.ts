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

Deno.test("read coalescing: in a flood every good-sized read naps; two small ones end it", async () => {
  const c = new ReadCoalescing(() => {});
  while (!c.afterRead(100)) { /* into the flood */ }
  await new Promise((r) => setTimeout(r, 5)); // the nap ends
  expect(c.afterRead(8 * 1024)).toBe(true); // what accumulated: the flood goes on
  await new Promise((r) => setTimeout(r, 5));
  expect(c.afterRead(300)).toBe(false); // little came in a nap: one more read decides
  expect(c.afterRead(300)).toBe(false); // little again: the flood is over
  for (let i = 0; i < 3; i++) expect(c.afterRead(300)).toBe(false); // counting anew
  expect(c.afterRead(300)).toBe(true); // four fast reads: a flood again
  c.cancel();
});

Deno.test("read coalescing: a thin read right after a nap gets a second look", async () => {
  let woke = 0;
  const c = new ReadCoalescing(() => woke++);
  while (!c.afterRead(100)) { /* into the flood */ }
  await new Promise((r) => setTimeout(r, 5));
  expect(woke).toBe(1);
  // What the broker had written when the nap ended, then the rest of what it gathered.
  expect(c.afterRead(400)).toBe(false);
  expect(c.afterRead(20 * 1024)).toBe(true);
  expect(c.napMs).toBe(2); // the two reads together gathered a lot
  c.cancel();
});

Deno.test("read coalescing: naps grow while they gather a lot, shrink when they gather less", async () => {
  let woke = 0;
  const c = new ReadCoalescing(() => woke++);
  const napped = async () => {
    const w = woke;
    while (woke === w) await new Promise((r) => setTimeout(r, 1));
  };
  while (!c.afterRead(100)) { /* into the flood */ }
  expect(c.napMs).toBe(1);
  await napped();
  expect(c.afterRead(16 * 1024)).toBe(true);
  expect(c.napMs).toBe(2);
  await napped();
  expect(c.afterRead(16 * 1024)).toBe(true);
  expect(c.napMs).toBe(4);
  const t0 = performance.now();
  await napped();
  expect(performance.now() - t0).toBeGreaterThanOrEqual(3);
  expect(c.afterRead(16 * 1024)).toBe(true);
  expect(c.napMs).toBe(4); // at most 4 ms
  await napped();
  expect(c.afterRead(4 * 1024)).toBe(true); // still a flood, but a thinner one
  expect(c.napMs).toBe(2);
  await napped();
  // A nearly full read: more may be waiting, so no nap, and a shorter one next time.
  expect(c.afterRead(60 * 1024)).toBe(false);
  expect(c.napMs).toBe(1);
  expect(c.afterRead(500)).toBe(false); // thin: one more look
  expect(c.afterRead(500)).toBe(false); // the flood is over
  c.cancel();
});
