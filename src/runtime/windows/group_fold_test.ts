import { expect } from "expect";
import { builtinFunctions } from "../../functions/mod.ts";
import type { Tuple } from "../tuple.ts";
import { FoldError, type FoldPlan, GroupFold } from "./group_fold.ts";
import { WindowOperator } from "./operator.ts";
import type { WindowSpec } from "./spec.ts";
import { drive, MOCK_START, row, UTC } from "./_test_util.ts";

const ctx = { ruleId: "r", now: () => 0 };
const col = (name: string) => (t: Tuple) => t.message[name] ?? null;
const acc = (name: string) => builtinFunctions.get(name)!.incremental!;

const plan = (dims: string[]): FoldPlan => ({
  dimensions: dims.map(col),
  where: undefined,
  funcs: [
    { name: "count", acc: acc("count"), args: [(t) => t.message], filter: undefined },
    { name: "sum", acc: acc("sum"), args: [col("v")], filter: undefined },
    { name: "avg", acc: acc("avg"), args: [col("v")], filter: (t) => (t.message.v as number) > 1 },
  ],
});

Deno.test("GroupFold: per-group accumulators, first row kept, results in `inc`", () => {
  const fold = new GroupFold(plan(["k"]), ctx);
  for (const [k, v] of [["a", 1], ["b", 2], ["a", 3], ["a", null]] as const) {
    fold.add(row(0, { k, v }));
  }
  const groups = fold.take();
  expect(groups.map((g) => [g.message.k, g.message.v, g.inc])).toEqual([
    ["a", 1, [3, 4, 3]],
    ["b", 2, [1, 2, 2]],
  ]);
  expect(fold.size()).toBe(0);
});

Deno.test("GroupFold: WHERE and dimension errors skip the row; fold errors fail the group", () => {
  const errors: string[] = [];
  const failing: FoldPlan = {
    ...plan([]),
    where: (t) => {
      if (t.message.bad) throw new Error("where failed");
      return t.message.v !== 0;
    },
  };
  const fold = new GroupFold(failing, ctx, (m) => errors.push(m));
  fold.add(row(0, { v: 0 }));
  fold.add(row(0, { bad: true }));
  fold.add(row(0, { v: "x" }));
  const [g] = fold.take();
  expect(errors).toEqual(["where failed"]);
  expect(g.inc![0]).toBe(1);
  expect(g.inc![1]).toBeInstanceOf(FoldError);
  expect(() => (g.inc![1] as FoldError).raise()).toThrow(/call func sum error/);
});

Deno.test("GroupFold: snapshot and restore keep the partial states", () => {
  const a = new GroupFold(plan(["k"]), ctx);
  a.add(row(0, { k: "x", v: 2 }));
  const b = new GroupFold(plan(["k"]), ctx);
  b.restore(JSON.parse(JSON.stringify(a.snapshot())));
  b.add(row(0, { k: "x", v: 5 }));
  expect(b.take()[0].inc).toEqual([2, 7, 3.5]);
});

/** The same rows through a row-keeping window and a folding one: same windows, same sums. */
function compare(spec: WindowSpec, rows: Tuple[], until: number) {
  const plain = drive(new WindowOperator(spec, { timezone: UTC }), rows, until);
  const folded = drive(
    new WindowOperator(spec, { timezone: UTC, fold: () => new GroupFold(plan([]), ctx) }),
    rows,
    until,
  );
  expect(folded.map((w) => [w.start, w.end])).toEqual(plain.map((w) => [w.start, w.end]));
  const sums = (ws: typeof plain) =>
    ws.map((w) => w.rows.reduce((s, r) => s + (r.message.v as number), 0));
  expect(folded.map((w) => w.rows[0]?.inc?.[1] ?? 0)).toEqual(sums(plain));
}

Deno.test("folding tumbling, count, hopping and session windows matches the row-keeping ones", () => {
  const rows = [100, 900, 1500, 2100, 2200, 5300, 5400].map((ms, i) =>
    row(MOCK_START + ms, { v: i + 1 })
  );
  compare({ type: "tumbling", unit: "SS", length: 1 }, rows, MOCK_START + 8000);
  compare({ type: "tumbling", unit: "SS", length: 2 }, rows, MOCK_START + 8000);
  compare({ type: "count", size: 3, interval: 3 }, rows, MOCK_START + 8000);
  compare({ type: "hopping", unit: "SS", length: 2, hop: 1 }, rows, MOCK_START + 8000);
  compare({ type: "hopping", unit: "SS", length: 3, hop: 2 }, rows, MOCK_START + 8000);
  compare({ type: "hopping", unit: "MS", length: 1000, hop: 1500 }, rows, MOCK_START + 8000);
  compare({ type: "session", unit: "SS", maxDuration: 60, timeout: 1 }, rows, MOCK_START + 8000);
  compare({ type: "session", unit: "SS", maxDuration: 2, timeout: 1 }, rows, MOCK_START + 8000);
});

Deno.test("a window that cannot fold refuses a fold", () => {
  expect(() =>
    new WindowOperator({ type: "state", begin: () => true, emit: () => true, partitionBy: [] }, {
      fold: () => new GroupFold(plan([]), ctx),
    })
  ).toThrow(/cannot fold/);
});
