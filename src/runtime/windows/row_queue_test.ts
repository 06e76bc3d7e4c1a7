import { expect } from "expect";
import { RowQueue } from "./row_queue.ts";
import { row } from "./_test_util.ts";

const tss = (q: RowQueue) => q.toArray().map((r) => r.timestamp);

Deno.test("row queue: ordered insertion keeps arrival order for equal timestamps", () => {
  const q = new RowQueue();
  for (const [ts, id] of [[5, "a"], [3, "b"], [5, "c"], [1, "d"], [3, "e"]] as const) {
    q.insertByTime(row(ts, { id }));
  }
  expect(q.toArray().map((r) => r.message.id)).toEqual(["d", "b", "e", "a", "c"]);
});

Deno.test("row queue: front removal, counting and compaction keep the contents right", () => {
  const q = new RowQueue();
  for (let i = 0; i < 5_000; i++) q.push(row(i));
  expect(q.countBefore(100)).toBe(100);
  expect(q.countBefore(100, true)).toBe(101);
  expect(q.takeFront(3).map((r) => r.timestamp)).toEqual([0, 1, 2]);
  q.dropFront(2_997); // crosses the compaction threshold
  expect(q.length).toBe(2_000);
  expect(q.at(0).timestamp).toBe(3_000);
  q.insertByTime(row(3_000.5));
  expect(tss(q).slice(0, 3)).toEqual([3_000, 3_000.5, 3_001]);
  q.dropFront(10_000);
  expect(q.length).toBe(0);
  expect(q.toArray()).toEqual([]);
});
