import { expect } from "expect";
import { WindowOperator } from "./operator.ts";
import type { Predicate, WindowResult } from "./types.ts";
import { DEMO, DEMO_E, drive, row, summarize, type Summary } from "./_test_util.ts";

const sliding = (length: number, delay = 0, trigger?: Predicate, filter?: Predicate) =>
  new WindowOperator({ type: "sliding", unit: "SS", length, delay, trigger, filter });

Deno.test("sliding: eKuiper TestWindowRule0 (FILTER and OVER (WHEN))", () => {
  // SlidingWindow(ss, 5) FILTER (WHERE color = "red") OVER (WHEN size = 1)
  const op = sliding(5, 0, (t) => t.message.size === 1, (t) => t.message.color === "red");
  const out = drive(op, DEMO, DEMO[4].timestamp + 1000);
  expect(out.map((w) => w.rows.map((r) => r.message.size))).toEqual([[3, 1]]);
  expect([out[0].start, out[0].end]).toEqual([DEMO[4].timestamp - 5000, DEMO[4].timestamp]);
});

interface Case {
  name: string;
  length: number;
  delay?: number;
  rows: number[];
  /** rows (by timestamp) that match the trigger; all when absent */
  triggers?: number[];
  want: Summary[];
}

const CASES: Case[] = [
  {
    name: "every row triggers; both ends inclusive",
    length: 1,
    rows: [0, 500, 1_000, 2_001],
    want: [
      [-1_000, 0, [0]],
      [-500, 500, [0, 500]],
      [0, 1_000, [0, 500, 1_000]],
      [1_001, 2_001, [2_001]],
    ],
  },
  {
    name: "non-matching rows are kept but do not trigger",
    length: 1,
    rows: [0, 400, 800],
    triggers: [800],
    want: [[-200, 800, [0, 400, 800]]],
  },
  {
    name: "delay: [t − length, t + D), emitted at t + D",
    length: 1,
    delay: 1,
    rows: [1_000, 1_500, 1_999, 2_000, 2_500],
    triggers: [1_000],
    want: [[0, 2_000, [1_000, 1_500, 1_999]]],
  },
];

for (const c of CASES) {
  Deno.test(`sliding: ${c.name}`, () => {
    const trigger = c.triggers
      ? (t: { timestamp: number }) => c.triggers!.includes(t.timestamp)
      : undefined;
    const op = sliding(c.length, c.delay ?? 0, trigger);
    const rows = c.rows.map((t) => row(t));
    expect(summarize(drive(op, rows, 10_000))).toEqual(c.want);
  });
}

Deno.test("sliding: window_start/window_end as eKuiper TestWindowRule6 (end − length, end)", () => {
  const op = sliding(1);
  const [w] = op.push([row(1541152486115)], 1541152486115);
  expect([w.start, w.end]).toEqual([1541152485115, 1541152486115]);
});

Deno.test("sliding: delayed windows are scheduled and reported by nextDeadline", () => {
  const op = sliding(2, 3);
  expect(op.push([row(1_000)], 1_000)).toEqual([]);
  expect(op.push([row(2_000)], 2_000)).toEqual([]);
  expect(op.nextDeadline()).toBe(4_000);
  expect(summarize(op.onTime(4_000))).toEqual([[-1_000, 4_000, [1_000, 2_000]]]);
  expect(op.nextDeadline()).toBe(5_000);
  expect(summarize(op.onTime(6_000))).toEqual([[0, 5_000, [1_000, 2_000]]]);
  expect(op.nextDeadline()).toBeUndefined();
});

Deno.test("sliding: only rows within length (+ delay) of the newest are kept", () => {
  const op = sliding(1);
  for (let t = 0; t <= 10_000; t += 100) op.push([row(t)], t);
  expect(op.bufferedCount()).toBe(11); // 9 000 … 10 000
});

Deno.test("sliding: a throwing trigger counts as no match and is reported", () => {
  const errors: string[] = [];
  const op = new WindowOperator({
    type: "sliding",
    unit: "SS",
    length: 1,
    delay: 0,
    trigger: () => {
      throw new Error("boom");
    },
  }, { onError: (m) => errors.push(m) });
  expect(op.push([row(0)], 0)).toEqual([]);
  expect(errors).toEqual(["boom"]);
});

Deno.test("sliding in event time with delay: eKuiper TestEventWindowDelayRule0", () => {
  // SlidingWindow(ss, 1, 4) FILTER (WHERE color = "red") over demoE: one window with sizes 3, 1.
  const op = new WindowOperator({
    type: "sliding",
    unit: "SS",
    length: 1,
    delay: 4,
    filter: (t) => t.message.color === "red",
  }, { isEventTime: true, lateTolerance: 1000 });
  const out: WindowResult[] = [];
  for (const { event, arrival } of DEMO_E) out.push(...op.push([event], arrival));
  expect(out.map((w) => w.rows.map((r) => r.message.size))).toEqual([[3, 1]]);
});
