import { expect } from "expect";
import { BoundedQueue } from "./bounded_queue.ts";

Deno.test("BoundedQueue refuses pushes beyond its capacity and keeps FIFO order", () => {
  const q = new BoundedQueue<number>(3);
  expect([q.push(1), q.push(2), q.push(3), q.push(4)]).toEqual([true, true, true, false]);
  expect(q.isFull()).toBe(true);
  expect(q.shift()).toBe(1);
  expect(q.push(5)).toBe(true);
  const out: number[] = [];
  expect(q.drainInto(out, 10)).toBe(3);
  expect(out).toEqual([2, 3, 5]);
  expect(q.length).toBe(0);
  expect(q.shift()).toBeUndefined();
  expect(() => new BoundedQueue(0)).toThrow(RangeError);
});

Deno.test("BoundedQueue grows while wrapped around and keeps FIFO order up to its capacity", () => {
  const q = new BoundedQueue<number>(100);
  const seen: number[] = [];
  let next = 0;
  // Interleave pushes and shifts so the ring wraps before each growth.
  for (let round = 0; round < 6; round++) {
    for (let i = 0; i < 15; i++) expect(q.push(next++)).toBe(true);
    for (let i = 0; i < 5 && q.length > 0; i++) seen.push(q.shift()!);
  }
  while (q.length < q.capacity) expect(q.push(next++)).toBe(true);
  expect(q.push(next)).toBe(false);
  const out: number[] = [];
  q.drainInto(out, 1000);
  expect([...seen, ...out]).toEqual(Array.from({ length: next }, (_, i) => i));
  q.clear();
  expect(q.push(7)).toBe(true);
  expect(q.shift()).toBe(7);
});
