import { expect } from "expect";
import { RowColumns } from "./row_columns.ts";
import { ColumnContent } from "./window_content.ts";
import type { Tuple } from "../tuple.ts";

const meta = { topic: "t" };
const row = (ts: number, message: Record<string, unknown>): Tuple => ({
  emitter: "s",
  message,
  meta,
  timestamp: ts,
});

Deno.test("row columns: hold the named columns of each row, give rows back as tuples", () => {
  const c = new RowColumns("s", ["a", "b"]);
  c.add(row(1, { a: 1, b: "x", c: true }));
  c.add(row(2, { a: null }));
  expect(c.length).toBe(2);
  expect(c.column("a")?.toArray()).toEqual([1, null]);
  expect(c.column("b")?.toArray()).toEqual(["x", undefined]);
  expect(c.column("c")).toBeUndefined();
  expect(c.tuples()).toEqual([row(1, { a: 1, b: "x" }), row(2, { a: null })]);
  expect(c.tuple(0)).not.toBe(c.tuple(0));
});

Deno.test("row columns: split takes and keeps rows by timestamp, in order", () => {
  const c = new RowColumns("s", ["a"]);
  for (const ts of [1, 5, 2, 8, 3]) c.add(row(ts, { a: ts }));
  const taken = c.split((ts) => ts < 4, (ts) => ts >= 2);
  expect(taken.column("a")?.toArray()).toEqual([1, 2, 3]);
  expect(c.column("a")?.toArray()).toEqual([5, 2, 8, 3]);
  const all = c.split(() => true, () => false);
  expect(all.length).toBe(4);
  expect(c.length).toBe(0);
  c.add(row(9, { a: 9 }));
  expect(c.column("a")?.toArray()).toEqual([9]);
  expect(all.column("a")?.toArray()).toEqual([5, 2, 8, 3]);
});

Deno.test("column content: checkpoints hold tuples, as a row content's do", () => {
  const held = new ColumnContent("s", ["a"]);
  held.add(row(1, { a: 1, b: 2 }));
  held.add(row(2, { a: 2 }));
  const snap = JSON.parse(JSON.stringify(held.snapshot()));
  expect(snap).toEqual([row(1, { a: 1 }), row(2, { a: 2 })]);
  const back = new ColumnContent("s", ["a"]);
  back.restore(snap);
  expect(back.size()).toBe(2);
  expect(back.oldest()).toBe(1);
  expect(back.takeBefore(2).tuples()).toEqual([row(1, { a: 1 })]);
  expect(back.slice(0, 10, 10).tuples()).toEqual([row(2, { a: 2 })]);
  expect(back.size()).toBe(0);
});
