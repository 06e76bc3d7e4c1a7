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
