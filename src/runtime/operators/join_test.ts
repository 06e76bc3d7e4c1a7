import { expect } from "expect";
import { JoinOp, type JoinStep } from "./join.ts";
import type { OpContext } from "../operator.ts";
import type { Tuple } from "../tuple.ts";
import { partOf } from "../../planner/join_scope.ts";
import type { JoinType } from "../../sql/ast.ts";

const ctx: OpContext = { ruleId: "r", now: () => 0, error: () => {} };
const row = (emitter: string, message: Record<string, unknown>): Tuple => ({
  emitter,
  message,
  meta: undefined,
  timestamp: 0,
});
const rows = [
  row("l", { id: 1, a: "l1" }),
  row("r", { id: 1, b: "r1" }),
  row("l", { id: 2, a: "l2" }),
  row("r", { id: 3, b: "r3" }),
];
const on = (t: Tuple) => partOf(t, "l")?.id === partOf(t, "r")?.id && partOf(t, "l") !== undefined;

function pairs(joinType: JoinType): [unknown, unknown][] {
  const step: JoinStep = { joinType, source: "r", on };
  return new JoinOp("op_4_join", "l", [step], ["l", "r"]).process(rows, ctx).map((t) => [
    t.parts!.l?.id ?? null,
    t.parts!.r?.id ?? null,
  ]);
}

Deno.test("JoinOp: inner, left, right, full and cross joins as eKuiper defines them", () => {
  expect(pairs("INNER")).toEqual([[1, 1]]);
  expect(pairs("LEFT")).toEqual([[1, 1], [2, null]]);
  expect(pairs("RIGHT")).toEqual([[1, 1], [null, 3]]);
  expect(pairs("FULL")).toEqual([[1, 1], [2, null], [null, 3]]);
  expect(pairs("CROSS")).toEqual([[1, 1], [1, 3], [2, 1], [2, 3]]);
});

Deno.test("JoinOp: a joined row merges the messages, the FROM source winning shared names", () => {
  const [t] = new JoinOp("j", "l", [{ joinType: "INNER", source: "r", on }], ["l", "r"]).process(
    rows,
    ctx,
  );
  expect(t.message).toEqual({ id: 1, a: "l1", b: "r1" });
  expect(t.parts).toEqual({ l: { id: 1, a: "l1" }, r: { id: 1, b: "r1" } });
});

Deno.test("JoinOp: three sources join left-deep; no FROM rows means no output", () => {
  const three = [...rows, row("x", { id: 1, c: "x1" })];
  const out = new JoinOp("j", "l", [
    { joinType: "INNER", source: "r", on },
    { joinType: "LEFT", source: "x", on: (t) => partOf(t, "x")?.id === partOf(t, "l")?.id },
  ], ["l", "r", "x"]).process(three, ctx);
  expect(out.map((t) => t.message)).toEqual([{ id: 1, a: "l1", b: "r1", c: "x1" }]);
  expect(new JoinOp("j", "l", [{ joinType: "INNER", source: "r", on }], ["l", "r"]).process(
    rows.filter((t) => t.emitter === "r"),
    ctx,
  )).toEqual([]);
});
