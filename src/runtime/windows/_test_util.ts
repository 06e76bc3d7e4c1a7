/**
 * Rows, eKuiper's mock streams and result summaries for the window tests.
 *
 * @module
 */
import type { Row, Tuple } from "../tuple.ts";
import type { WindowResult } from "./types.ts";
import { fixedOffset } from "./align.ts";

/** UTC, so alignment in tests does not depend on the machine's zone. */
export const UTC = fixedOffset(0);

export function row(timestamp: number, message: Row = {}, emitter = "demo"): Tuple {
  return { emitter, message: { ts: timestamp, ...message }, meta: undefined, timestamp };
}

/** A window as `[start, end, [row ts...]]`, easy to read in a table. */
export type Summary = [number, number, number[]];

export function summarize(results: WindowResult[]): Summary[] {
  return results.map((w) => [w.start, w.end, w.rows.map((r) => r.timestamp)]);
}

/** eKuiper's mock stream `demo` (internal/topo/topotest/mocknode/mock_data.go). */
export const DEMO: Tuple[] = [
  row(1541152486013, { color: "red", size: 3 }),
  row(1541152486822, { color: "blue", size: 6 }),
  row(1541152487632, { color: "blue", size: 2 }),
  row(1541152488442, { color: "yellow", size: 4 }),
  row(1541152489252, { color: "red", size: 1 }),
];

/** eKuiper's mock stream `sessionDemo` (processing time = event time). */
export const SESSION_DEMO: Tuple[] = [
  1541152486013,
  1541152486823,
  1541152487932,
  1541152488442,
  1541152489252,
  1541152490062,
  1541152490872,
  1541152491682,
  1541152492492,
  1541152493202,
  1541152494112,
].map((ts) => row(ts, {}, "sessionDemo"));

/**
 * eKuiper's mock stream `demoE` for event time: `[event ts, arrival time]`; the 4th row is late
 * and the last one lifts the watermark.
 */
export const DEMO_E: { event: Tuple; arrival: number }[] = [
  [1541152486013, 1541152486023, "red", 3],
  [1541152487632, 1541152487822, "blue", 2],
  [1541152489252, 1541152489632, "red", 1],
  [1541152486822, 1541152489842, "blue", 6],
  [1541152488442, 1541152490052, "yellow", 4],
  [1541152492342, 1541152498888, "yellow", 4],
].map(([ts, arrival, color, size]) => ({
  event: row(ts as number, { color, size }, "demoE"),
  arrival: arrival as number,
}));

/** The mock clock of eKuiper's rule tests starts here. */
export const MOCK_START = 1541152486000;

/** The part of WindowOperator a clock-driven test needs. */
interface Driven {
  push(batch: readonly Tuple[], now: number): WindowResult[];
  onTime(now: number): WindowResult[];
  nextDeadline(): number | undefined;
}

/**
 * Plays rows in processing time like eKuiper's mock clock: each row arrives at its timestamp,
 * timers fire at their deadlines in between, and the clock finally runs on to `until`.
 */
export function drive(op: Driven, rows: readonly Tuple[], until: number): WindowResult[] {
  const out: WindowResult[] = [];
  const fireUntil = (t: number) => {
    for (let d = op.nextDeadline(); d !== undefined && d <= t; d = op.nextDeadline()) {
      out.push(...op.onTime(d));
    }
  };
  for (const r of rows) {
    fireUntil(r.timestamp);
    out.push(...op.push([r], r.timestamp));
  }
  fireUntil(until);
  return out;
}
