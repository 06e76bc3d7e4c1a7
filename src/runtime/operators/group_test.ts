import { expect } from "expect";
import { GroupOp } from "./group.ts";
import { compareValues, OrderOp } from "./order.ts";
import type { OpContext } from "../operator.ts";
import type { Tuple } from "../tuple.ts";

const errors: string[] = [];
const ctx: OpContext = { ruleId: "r", now: () => 0, error: (_n, m) => errors.push(m) };
const row = (message: Record<string, unknown>): Tuple => ({
  emitter: "demo",
  message,
  meta: undefined,
  timestamp: 0,
});
const col = (name: string) => (t: Tuple) => t.message[name] ?? null;

Deno.test("GroupOp: groups by dimension values in first-seen order, first row stands for the group", () => {
  const rows = [row({ id: 1, v: 1 }), row({ id: 2, v: 2 }), row({ id: 1, v: 3 }), row({ v: 4 })];
  const groups = new GroupOp("op_4_aggregate", [col("id")]).process(rows, ctx);
  expect(groups.map((g) => g.message.id ?? null)).toEqual([1, 2, null]);
  expect(groups.map((g) => g.group!.map((r) => r.message.v))).toEqual([[1, 3], [2], [4]]);
});

Deno.test("GroupOp: without dimensions a window is one group, an empty window none", () => {
  const op = new GroupOp("op_4_aggregate", []);
  expect(op.process([row({ a: 1 }), row({ a: 2 })], ctx)[0].group).toHaveLength(2);
  expect(op.process([], ctx)).toEqual([]);
});

Deno.test("GroupOp: numbers and their string forms are different groups; errors skip the row", () => {
  const failing = (t: Tuple) => {
    if (t.message.bad) throw new Error("boom");
    return t.message.k;
  };
  const groups = new GroupOp("g", [failing]).process(
    [row({ k: 1 }), row({ k: "1" }), row({ bad: true })],
    ctx,
  );
  expect(groups).toHaveLength(2);
  expect(errors).toContain("boom");
});

Deno.test("OrderOp: stable multi-key sort, DESC, nulls first ascending, then LIMIT", () => {
  const rows = [
    row({ a: 2, b: "x" }),
    row({ a: 1, b: "y" }),
    row({ a: null, b: "z" }),
    row({ a: 2, b: "w" }),
  ];
  const asc = new OrderOp("o", [{ eval: col("a"), descending: false }], undefined).process(
    rows,
    ctx,
  );
  expect(asc.map((t) => t.message.b)).toEqual(["z", "y", "x", "w"]);
  const two = new OrderOp("o", [
    { eval: col("a"), descending: true },
    { eval: col("b"), descending: false },
  ], 2).process(rows, ctx);
  expect(two.map((t) => t.message.b)).toEqual(["w", "x"]);
  expect(new OrderOp("o", [], 0).process(rows, ctx)).toEqual([]);
});

Deno.test("compareValues: like types by value, unlike types by a fixed rank", () => {
  expect(compareValues(2, 10)).toBeLessThan(0);
  expect(compareValues("10", "2")).toBeLessThan(0);
  expect(compareValues(false, true)).toBeLessThan(0);
  expect(compareValues(null, 0)).toBeLessThan(0);
  expect(compareValues(1, "1")).toBeLessThan(0);
  expect(compareValues({ a: 1 }, { a: 1 })).toBe(0);
});
