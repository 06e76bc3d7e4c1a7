import { expect } from "expect";
import { WindowOperator } from "./operator.ts";
import {
  drive,
  MOCK_START,
  row,
  SESSION_DEMO,
  summarize,
  type Summary,
  UTC,
} from "./_test_util.ts";

const session = (maxDuration: number, timeout: number, startTime?: number, isEventTime = false) =>
  new WindowOperator({ type: "session", unit: "SS", maxDuration, timeout }, {
    startTime,
    timezone: UTC,
    isEventTime,
    lateTolerance: 0,
  });

Deno.test("session: eKuiper TestWindowRule5 (SessionWindow(ss, 2, 1): timeouts and ticks)", () => {
  const op = session(2, 1, MOCK_START);
  const out = drive(op, SESSION_DEMO, 1541152496000);
  // [count, window_start, window_end] exactly as the rule test expects.
  expect(out.map((w) => [w.rows.length, w.start, w.end])).toEqual([
    [2, 1541152486013, 1541152487823], // timeout
    [3, 1541152487932, 1541152490000], // tick
    [5, 1541152490000, 1541152494000], // tick
    [1, 1541152494000, 1541152495112], // timeout
  ]);
  expect(op.bufferedCount()).toBe(0);
  expect(op.nextDeadline()).toBeUndefined();
});

interface Case {
  name: string;
  maxDuration: number;
  timeout: number;
  start: number;
  rows: number[];
  want: Summary[];
}

const CASES: Case[] = [
  {
    name: "a gap of exactly the timeout starts a new session",
    maxDuration: 100,
    timeout: 1,
    start: 0,
    rows: [100, 600, 1_600],
    want: [[100, 1_600, [100, 600]], [1_600, 2_600, [1_600]]],
  },
  {
    name: "max duration cuts a busy session at aligned ticks",
    maxDuration: 2,
    timeout: 1,
    start: 0,
    rows: [0, 800, 1_600, 2_400, 3_200, 4_000, 4_800, 5_600, 6_400],
    // Tick 4 000 is skipped: the oldest buffered row (2 400) is younger than 2 s there.
    want: [
      [0, 2_000, [0, 800, 1_600]],
      [2_000, 6_000, [2_400, 3_200, 4_000, 4_800, 5_600]],
      [6_000, 7_400, [6_400]],
    ],
  },
  {
    name: "a tick is skipped while the oldest buffered row is younger than max duration",
    maxDuration: 2,
    timeout: 1,
    start: 0,
    rows: [1_500, 2_400, 3_300],
    want: [[1_500, 4_000, [1_500, 2_400, 3_300]]],
  },
  {
    name: "idle periods emit nothing",
    maxDuration: 2,
    timeout: 1,
    start: 0,
    rows: [100, 50_000],
    want: [[100, 1_100, [100]], [50_000, 51_000, [50_000]]],
  },
];

for (const c of CASES) {
  Deno.test(`session: ${c.name}`, () => {
    const op = session(c.maxDuration, c.timeout, c.start);
    expect(summarize(drive(op, c.rows.map((t) => row(t)), 100_000))).toEqual(c.want);
  });
}

Deno.test("session: nextDeadline is the earlier of timeout and tick", () => {
  const op = session(2, 1, 0);
  expect(op.nextDeadline()).toBeUndefined();
  op.push([row(100)], 100);
  expect(op.nextDeadline()).toBe(1_100);
  op.push([row(1_000)], 1_000);
  expect(op.nextDeadline()).toBe(2_000);
});

Deno.test("session in event time: closes when the watermark passes last row + timeout", () => {
  const op = session(10, 1, undefined, true);
  expect(op.push([row(1_000), row(1_500)], 0)).toEqual([]);
  expect(op.push([row(2_499)], 0)).toEqual([]);
  // Watermark 3 600 ≥ 2 499 + 1 000: the session [1 000, 3 499) closes before 3 600 enters.
  expect(summarize(op.push([row(3_600)], 0))).toEqual([[1_000, 3_499, [1_000, 1_500, 2_499]]]);
  expect(op.bufferedCount()).toBe(1);
});
