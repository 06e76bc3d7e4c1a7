import { expect } from "expect";
import { alignedWindowEnd, fixedOffset } from "./align.ts";
import type { TimeUnit } from "./spec.ts";
import { UTC } from "./_test_util.ts";

const at = (iso: string) => Date.parse(iso);

interface Case {
  name: string;
  now: string;
  interval: number;
  unit: TimeUnit;
  want: string;
  offsetHours?: number;
}

// The cases follow eKuiper's getAlignedWindowEndTime (internal/topo/node/window_op.go).
const CASES: Case[] = [
  {
    name: "ss within the minute",
    now: "2024-01-01T10:00:46.000Z",
    interval: 2,
    unit: "SS",
    want: "2024-01-01T10:00:48.000Z",
  },
  {
    name: "ss below the interval",
    now: "2024-01-01T10:00:03.500Z",
    interval: 10,
    unit: "SS",
    want: "2024-01-01T10:00:10.000Z",
  },
  {
    name: "ss on a boundary is strictly after",
    now: "2024-01-01T10:00:20.000Z",
    interval: 10,
    unit: "SS",
    want: "2024-01-01T10:00:30.000Z",
  },
  {
    name: "ss 7 overflows the minute",
    now: "2024-01-01T10:00:57.000Z",
    interval: 7,
    unit: "SS",
    want: "2024-01-01T10:01:03.000Z",
  },
  {
    name: "mi within the hour",
    now: "2024-01-01T10:17:12.000Z",
    interval: 15,
    unit: "MI",
    want: "2024-01-01T10:30:00.000Z",
  },
  {
    name: "hh within the day",
    now: "2024-01-01T10:17:12.000Z",
    interval: 4,
    unit: "HH",
    want: "2024-01-01T12:00:00.000Z",
  },
  {
    name: "ms within the second",
    now: "2024-01-01T10:00:00.123Z",
    interval: 100,
    unit: "MS",
    want: "2024-01-01T10:00:00.200Z",
  },
  {
    name: "dd is midnight plus n days",
    now: "2024-01-01T10:17:12.000Z",
    interval: 2,
    unit: "DD",
    want: "2024-01-03T00:00:00.000Z",
  },
  // Local time UTC+8: 10:17Z is 18:17 local; the next 4-hour boundary is 20:00 local = 12:00Z.
  {
    name: "hh in UTC+8",
    now: "2024-01-01T10:17:12.000Z",
    interval: 4,
    unit: "HH",
    want: "2024-01-01T12:00:00.000Z",
    offsetHours: 8,
  },
  // Local midnight in UTC+8 is 16:00Z the day before.
  {
    name: "dd in UTC+8",
    now: "2024-01-01T10:17:12.000Z",
    interval: 1,
    unit: "DD",
    want: "2024-01-01T16:00:00.000Z",
    offsetHours: 8,
  },
  // UTC-5: 10:17Z is 05:17 local; 3-hour grid from local midnight → 06:00 local = 11:00Z.
  {
    name: "hh in UTC-5",
    now: "2024-01-01T10:17:12.000Z",
    interval: 3,
    unit: "HH",
    want: "2024-01-01T11:00:00.000Z",
    offsetHours: -5,
  },
];

for (const c of CASES) {
  Deno.test(`alignedWindowEnd: ${c.name}`, () => {
    const tz = c.offsetHours === undefined ? UTC : fixedOffset(c.offsetHours * 3_600_000);
    expect(new Date(alignedWindowEnd(at(c.now), c.interval, c.unit, tz)).toISOString()).toBe(
      c.want,
    );
  });
}
