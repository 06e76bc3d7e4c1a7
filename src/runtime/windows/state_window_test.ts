import { expect } from "expect";
import { WindowOperator } from "./operator.ts";
import type { KeyFn } from "./types.ts";
import { row, summarize, type Summary } from "./_test_util.ts";

const is = (field: string, v: unknown) => (t: { message: Record<string, unknown> }) =>
  t.message[field] === v;

const state = (spec: { begin: string; emit?: string; partitionBy?: KeyFn[] }) =>
  new WindowOperator({
    type: "state",
    begin: is("s", spec.begin),
    emit: spec.emit === undefined ? undefined : is("s", spec.emit),
    partitionBy: spec.partitionBy,
  });

/** Rows `[ts, s]` or `[ts, s, key]`. */
const rows = (list: [number, string, string?][]) =>
  list.map(([ts, s, key]) => row(ts, key === undefined ? { s } : { s, key }));

Deno.test("state: begin/emit collects from begin to emit, both included", () => {
  // Mirrors eKuiper's StateWindowOp.handleTupleWithBeginEmitCondition (window_v2_op.go).
  const op = state({ begin: "b", emit: "e" });
  const out = op.push(
    rows([[1, "x"], [2, "b"], [3, "x"], [4, "b"], [5, "e"], [6, "x"], [7, "e"], [8, "b"]]),
    10,
  );
  const want: Summary[] = [[2, 5, [2, 3, 4, 5]]];
  expect(summarize(out)).toEqual(want);
  expect(op.bufferedCount()).toBe(1); // the window opened at 8
});

Deno.test("state: a single condition cuts at each matching row", () => {
  // Mirrors handleTupleWithSingleCondition: the matching row opens the next window.
  const op = state({ begin: "c" });
  const out = op.push(rows([[1, "x"], [2, "c"], [3, "x"], [4, "c"], [5, "c"], [6, "x"]]), 10);
  expect(summarize(out)).toEqual([[2, 4, [2, 3]], [4, 5, [4]]]);
  expect(op.bufferedCount()).toBe(2);
});

Deno.test("state: PARTITION BY keeps independent windows per key", () => {
  const op = state({ begin: "b", emit: "e", partitionBy: [(t) => t.message.key] });
  const out = op.push(
    rows([[1, "b", "A"], [2, "b", "B"], [3, "x", "A"], [4, "e", "B"], [5, "e", "A"], [
      6,
      "e",
      "A",
    ]]),
    10,
  );
  expect(summarize(out)).toEqual([[2, 4, [2, 4]], [1, 5, [1, 3, 5]]]);
  expect(op.bufferedCount()).toBe(0);
});

Deno.test('state: partition keys distinguish 1 from "1"', () => {
  const op = state({ begin: "b", emit: "e", partitionBy: [(t) => t.message.key] });
  const out = op.push([row(1, { s: "b", key: 1 }), row(2, { s: "e", key: "1" })], 10);
  expect(out).toEqual([]);
});

Deno.test("state: closed partitions hold no memory", () => {
  const op = state({ begin: "b", emit: "e", partitionBy: [(t) => t.message.key] });
  for (let i = 0; i < 1_000; i++) {
    op.push([row(i, { s: "b", key: i }), row(i, { s: "e", key: i })], i);
  }
  expect(op.bufferedCount()).toBe(0);
  expect((op.snapshot().core as { partitions: unknown[] }).partitions).toEqual([]);
});

Deno.test("state: condition errors count as false and are reported", () => {
  const errors: string[] = [];
  const op = new WindowOperator({
    type: "state",
    begin: () => {
      throw new Error("bad condition");
    },
  }, { onError: (m) => errors.push(m) });
  expect(op.push([row(1)], 1)).toEqual([]);
  expect(errors).toEqual(["bad condition"]);
});
