import { expect } from "expect";
import { builtinFunctions } from "../../functions/mod.ts";
import type { Tuple } from "../tuple.ts";
import { FoldError, type FoldPlan, GroupFold } from "./group_fold.ts";
import { WindowOperator, type WindowOptions } from "./operator.ts";
import type { WindowSpec } from "./spec.ts";
import type { WindowResult } from "./types.ts";
import { drive, MOCK_START, row, UTC } from "./_test_util.ts";

const ctx = { ruleId: "r", now: () => 0 };
const col = (name: string) => (t: Tuple) => t.message[name] ?? null;
const acc = (name: string) => builtinFunctions.get(name)!.incremental!;
const AGGS = ["count", "sum", "min", "max", "collect", "last_value"] as const;

/** count(*), sum(v), min(v), max(v), collect(v), last_value(v, true) grouped by k. */
const plan = (firstRow?: FoldPlan["firstRow"]): FoldPlan => ({
  dimensions: [col("k")],
  where: undefined,
  funcs: AGGS.map((name) => ({
    name,
    acc: acc(name),
    args: name === "count"
      ? [(t: Tuple) => t.message]
      : name === "last_value"
      ? [col("v"), () => true]
      : [col("v")],
    filter: undefined,
  })),
  firstRow,
});

/** What grouping a row-keeping window's rows gives: per group (first-seen order) its first
 * row's k and n, and the aggregates computed from scratch. */
function grouped(w: WindowResult): unknown[] {
  const groups = new Map<unknown, Tuple[]>();
  for (const r of w.rows) {
    const k = r.message.k ?? null;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  return [...groups.values()].map((rows) => {
    const vs = rows.map((r) => r.message.v).filter((v) => v !== null && v !== undefined);
    return [
      rows[0].message.k,
      rows[0].message.n,
      rows.length,
      vs.length ? vs.reduce((a, b) => (a as number) + (b as number), 0) : null,
      vs.length ? Math.min(...vs as number[]) : null,
      vs.length ? Math.max(...vs as number[]) : null,
      rows.map((r) => r.message.v ?? null),
      vs.length ? vs[vs.length - 1] : null,
    ];
  });
}

function foldedGroups(w: WindowResult): unknown[] {
  return w.rows.map((g) => [g.message.k, g.message.n, ...g.inc!]);
}

/** Random rows: repeated timestamps, a few keys, null values. */
function randomRows(seed: number, count: number): Tuple[] {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows: Tuple[] = [];
  let ts = MOCK_START;
  for (let i = 0; i < count; i++) {
    ts += rnd() < 0.3 ? 0 : Math.floor(rnd() * 700);
    const v = rnd() < 0.1 ? null : Math.floor(rnd() * 100);
    rows.push(row(ts, { k: ["a", "b", "c"][Math.floor(rnd() * 3)], v, n: i }));
  }
  return rows;
}

function compare(
  spec: WindowSpec,
  rows: Tuple[],
  firstRow?: FoldPlan["firstRow"],
  options: WindowOptions = {},
) {
  const until = rows[rows.length - 1].timestamp + 10_000;
  const plain = drive(new WindowOperator(spec, { timezone: UTC, ...options }), rows, until);
  const folded = drive(
    new WindowOperator(spec, {
      timezone: UTC,
      ...options,
      fold: () => new GroupFold(plan(firstRow), ctx),
    }),
    rows,
    until,
  );
  expect(plain.length).toBeGreaterThan(3);
  expect(folded.map((w) => [w.start, w.end])).toEqual(plain.map((w) => [w.start, w.end]));
  expect(folded.map(foldedGroups)).toEqual(plain.map(grouped));
}

const trigger = (t: Tuple) => (t.message.v as number) > 60;

Deno.test("folded sliding windows give what grouping the kept rows gives", () => {
  for (const seed of [1, 2, 3, 4]) {
    const rows = randomRows(seed, 300);
    compare({ type: "sliding", unit: "SS", length: 2, delay: 0 }, rows);
    compare({ type: "sliding", unit: "MS", length: 1500, delay: 700 }, rows);
    compare({ type: "sliding", unit: "SS", length: 3, delay: 0, trigger }, rows);
    compare({ type: "sliding", unit: "SS", length: 1, delay: 1, trigger }, rows);
    // Only k and n of the first row are read: the slices keep nothing else, same results.
    compare({ type: "sliding", unit: "SS", length: 2, delay: 0 }, rows, {
      columns: ["k", "n"],
      meta: false,
    });
    // Event time: the watermark releases rows in timestamp order.
    const eventTime = { isEventTime: true, emitters: ["demo"], lateTolerance: 500 };
    compare({ type: "sliding", unit: "SS", length: 2, delay: 0 }, rows, undefined, eventTime);
    compare(
      { type: "sliding", unit: "SS", length: 2, delay: 1, trigger },
      rows,
      undefined,
      eventTime,
    );
  }
});

Deno.test("folded COUNTWINDOW(n, m) gives what grouping the kept rows gives", () => {
  const rows = randomRows(7, 200);
  for (const [size, interval] of [[5, 3], [3, 5], [4, 2], [2, 4], [6, 6], [1, 1]]) {
    compare({ type: "count", size, interval }, rows);
  }
});

Deno.test("folded sliding window: slices, not rows, are held; eviction keeps up", () => {
  const op = new WindowOperator({ type: "sliding", unit: "SS", length: 1, delay: 0 }, {
    timezone: UTC,
    fold: () => new GroupFold(plan({ columns: ["k"], meta: false }), ctx),
  });
  let out: WindowResult[] = [];
  // 10 rows per ms over 2 s, two groups: 2 slices per ms within the last second.
  for (let ms = 0; ms < 2000; ms++) {
    const batch = Array.from(
      { length: 10 },
      (_, i) => row(MOCK_START + ms, { k: i % 2 ? "a" : "b", v: 1 }),
    );
    out = op.push(batch, MOCK_START + ms);
  }
  expect(op.bufferedCount()).toBe(2 * 1001);
  const last = out[out.length - 1];
  expect(last.rows.map((g) => [g.message, g.inc![0]])).toEqual([
    [{ k: "b" }, 5005],
    [{ k: "a" }, 5005],
  ]);
});

Deno.test("folded sliding window: snapshot and restore mid-stream change nothing", () => {
  const rows = randomRows(11, 200);
  const spec: WindowSpec = { type: "sliding", unit: "MS", length: 1500, delay: 400, trigger };
  const make = () =>
    new WindowOperator(spec, { timezone: UTC, fold: () => new GroupFold(plan(), ctx) });
  const until = rows[rows.length - 1].timestamp + 5000;
  const whole = drive(make(), rows, until);
  const first = make();
  const before = drive(first, rows.slice(0, 120), rows[119].timestamp);
  const second = make();
  second.restore(JSON.parse(JSON.stringify(first.snapshot())));
  const after = drive(second, rows.slice(120), until);
  expect([...before, ...after].map(foldedGroups)).toEqual(whole.map(foldedGroups));
});

Deno.test("folded sliding window: a failing fold fails its group's column only", () => {
  const op = new WindowOperator({ type: "sliding", unit: "SS", length: 5, delay: 0 }, {
    timezone: UTC,
    fold: () => new GroupFold(plan(), ctx),
  });
  op.push([row(MOCK_START, { k: "a", v: 1 })], MOCK_START);
  const [w] = op.push([row(MOCK_START + 1, { k: "a", v: "x" })], MOCK_START + 1);
  const [g] = w.rows;
  expect(g.inc![0]).toBe(2);
  expect(g.inc![1]).toBeInstanceOf(FoldError);
  const [later] = op.push([row(MOCK_START + 6000, { k: "a", v: 2 })], MOCK_START + 6000);
  expect(later.rows[0].inc!.slice(0, 2)).toEqual([1, 2]);
});
