import { expect } from "expect";
import { WindowOperator } from "./operator.ts";
import type { WindowSpec } from "./spec.ts";
import {
  DEMO,
  DEMO_E,
  drive,
  MOCK_START,
  row,
  summarize,
  type Summary,
  UTC,
} from "./_test_util.ts";
import { MAX_CATCH_UP } from "./aligned_window.ts";

const T0 = MOCK_START; // 1541152486000, second 46 of its minute
const ts = (i: number) => DEMO[i].timestamp;

const tumbling = (unit: "SS" | "MS", length: number): WindowSpec => ({
  type: "tumbling",
  unit,
  length,
});
const hopping = (length: number, hop: number): WindowSpec => ({
  type: "hopping",
  unit: "SS",
  length,
  hop,
});

Deno.test("tumbling: eKuiper TestWindowRule2 (empty windows are emitted)", () => {
  // `SELECT color, ts FROM demo WHERE size > 2 GROUP BY TUMBLINGWINDOW(ss, 1)`: the WHERE runs
  // before the window there, so only rows with size > 2 reach it.
  const op = new WindowOperator(tumbling("SS", 1), { startTime: T0, timezone: UTC });
  const rows = DEMO.filter((r) => (r.message.size as number) > 2);
  const want: Summary[] = [
    [T0, T0 + 1000, [ts(0), ts(1)]],
    [T0 + 1000, T0 + 2000, []],
    [T0 + 2000, T0 + 3000, [ts(3)]],
    [T0 + 3000, T0 + 4000, []],
  ];
  expect(summarize(drive(op, rows, T0 + 4000))).toEqual(want);
  expect(op.bufferedCount()).toBe(0);
});

Deno.test("tumbling: eKuiper TestWindowRule8 window_start is rule start, end is the tick", () => {
  const op = new WindowOperator(tumbling("SS", 1), { startTime: T0, timezone: UTC });
  const [first] = drive(op, DEMO.slice(0, 2), T0 + 1000);
  expect([first.start, first.end]).toEqual([1541152486000, 1541152487000]);
});

Deno.test("tumbling: a row exactly at the end belongs to the next window", () => {
  const op = new WindowOperator(tumbling("SS", 10), { startTime: 5_000, timezone: UTC });
  const out = op.push([row(9_999), row(10_000)], 10_000);
  expect(summarize(out)).toEqual([[5_000, 10_000, [9_999]]]);
  expect(summarize(op.onTime(20_000))).toEqual([[10_000, 20_000, [10_000]]]);
});

Deno.test("tumbling: a late onTime emits every missed window in order", () => {
  const op = new WindowOperator(tumbling("SS", 1), { startTime: 500, timezone: UTC });
  op.push([row(600), row(2_500)], 2_500);
  // push already closed the windows its rows passed; the clock then stalls until 4 200.
  expect(summarize(op.onTime(4_200))).toEqual([[2_000, 3_000, [2_500]], [3_000, 4_000, []]]);
  expect(op.nextDeadline()).toBe(5_000);
});

Deno.test("tumbling: push closes windows its rows have passed", () => {
  const op = new WindowOperator(tumbling("SS", 1), { startTime: 500, timezone: UTC });
  const out = op.push([row(600), row(1_200), row(2_100)], 2_100);
  expect(summarize(out)).toEqual([[500, 1_000, [600]], [1_000, 2_000, [1_200]]]);
  expect(op.bufferedCount()).toBe(1);
});

Deno.test("tumbling: a long stall skips windows beyond the catch-up limit", () => {
  const op = new WindowOperator(tumbling("MS", 1), { startTime: 0, timezone: UTC });
  op.push([row(0)], 0);
  const out = op.onTime(MAX_CATCH_UP * 5);
  expect(out.length).toBe(MAX_CATCH_UP + 1);
  expect(out[0].rows.map((r) => r.timestamp)).toEqual([0]);
  expect(out.at(-1)!.end).toBe(MAX_CATCH_UP * 5);
});

Deno.test("tumbling: first end aligned in the local time zone", () => {
  // 10 minutes in UTC+5:30 (offset not a whole hour): grid from the local hour start.
  const start = Date.parse("2024-01-01T10:03:00Z"); // 15:33 local
  const op = new WindowOperator({ type: "tumbling", unit: "MI", length: 10 }, {
    startTime: start,
    timezone: () => 5.5 * 3_600_000,
  });
  expect(new Date(op.nextDeadline()!).toISOString()).toBe("2024-01-01T10:10:00.000Z");
});

Deno.test("hopping: eKuiper TestWindowRule1 (HOPPINGWINDOW(ss, 2, 1))", () => {
  const op = new WindowOperator(hopping(2, 1), { startTime: T0, timezone: UTC });
  const want: Summary[] = [
    [T0 - 1000, T0 + 1000, [ts(0), ts(1)]],
    [T0, T0 + 2000, [ts(0), ts(1), ts(2)]],
    [T0 + 1000, T0 + 3000, [ts(2), ts(3)]],
    [T0 + 2000, T0 + 4000, [ts(3), ts(4)]],
  ];
  expect(summarize(drive(op, DEMO, T0 + 4000))).toEqual(want);
});

Deno.test("hopping: [T − length, T) bounds and eviction to what the next window needs", () => {
  const op = new WindowOperator(hopping(10, 5), { startTime: 0, timezone: UTC });
  op.push([row(0), row(4_999), row(5_000), row(9_999)], 9_999);
  expect(summarize(op.onTime(10_000))).toEqual([[0, 10_000, [0, 4_999, 5_000, 9_999]]]);
  // The next window is [5 000, 15 000): rows before 5 000 are gone.
  expect(op.bufferedCount()).toBe(2);
  op.push([row(10_000)], 10_000);
  expect(summarize(op.onTime(15_000))).toEqual([[5_000, 15_000, [5_000, 9_999, 10_000]]]);
});

Deno.test("hopping: memory stays bounded under a steady stream", () => {
  const op = new WindowOperator(hopping(2, 1), { startTime: 0, timezone: UTC });
  let max = 0;
  for (let t = 0; t < 60_000; t += 10) {
    op.push([row(t)], t);
    op.onTime(t);
    max = Math.max(max, op.bufferedCount());
  }
  expect(max).toBeLessThanOrEqual(200); // 2 s of rows at 100 rows/s
});

Deno.test("hopping in event time: eKuiper TestEventWindowRule1 (late row dropped)", () => {
  const op = new WindowOperator(hopping(2, 1), {
    isEventTime: true,
    lateTolerance: 1000,
    timezone: UTC,
  });
  const out = DEMO_E.flatMap(({ event, arrival }) => op.push([event], arrival));
  const e = (i: number) => DEMO_E[i].event.timestamp;
  expect(summarize(out).map((w) => w[2])).toEqual([
    [e(0)],
    [e(0), e(1)],
    [e(1), e(4)],
    [e(4), e(2)],
    [e(2)],
  ]);
  expect(op.lateDropped()).toBe(1);
});

Deno.test("tumbling in event time: first window starts at the earliest row, later at the previous end", () => {
  const op = new WindowOperator(tumbling("SS", 1), { isEventTime: true, timezone: UTC });
  const out = DEMO_E.flatMap(({ event, arrival }) => op.push([event], arrival));
  const e = (i: number) => DEMO_E[i].event.timestamp;
  expect(summarize(out)).toEqual([
    [e(0), T0 + 1000, [e(0)]],
    [T0 + 1000, T0 + 2000, [e(1)]],
    [T0 + 2000, T0 + 3000, [e(4)]],
    [T0 + 3000, T0 + 4000, [e(2)]],
    [T0 + 4000, T0 + 5000, []],
  ]);
});
