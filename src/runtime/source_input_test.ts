import { expect } from "expect";
import { SourceInput } from "./source_input.ts";
import type { RawMessage } from "../io/types.ts";

const msg = (n: number) => ({ payload: new Uint8Array([n]), timestamp: n });

Deno.test("SourceInput drops the oldest message when full and counts it", () => {
  let woken = 0;
  const input = new SourceInput("demo", 2, "dropOldest", () => woken++);
  expect([input.emit(msg(1)), input.emit(msg(2)), input.emit(msg(3))]).toEqual([true, true, true]);
  expect(woken).toBe(1); // woken on the empty → non-empty edge only
  const out: RawMessage[] = [];
  input.take(out, 10);
  expect(out.map((m) => m.payload![0])).toEqual([2, 3]);
  const stats: Record<string, unknown> = {};
  input.metrics.snapshot(stats);
  expect(stats.source_demo_0_records_in_total).toBe(3);
  expect(stats.source_demo_0_records_out_total).toBe(2);
  expect(stats.source_demo_0_exceptions_total).toBe(1);
  expect(stats.source_demo_0_last_exception).toBe("buffer full, drop oldest message");
});

Deno.test("SourceInput with the reject policy refuses new messages when full", () => {
  const input = new SourceInput("push", 1, "reject", () => {});
  expect(input.emit(msg(1))).toBe(true);
  expect(input.emit(msg(2))).toBe(false);
  expect(input.buffer.length).toBe(1);
  expect(input.metrics.exceptions).toBe(1);
});

Deno.test("SourceInput with downsampling: one message per tick, metrics as eKuiper's", () => {
  let woken = 0;
  const input = new SourceInput("demo", 10, "reject", () => woken++, { intervalMs: 60_000 });
  try {
    for (let i = 1; i <= 25; i++) expect(input.emit(msg(i))).toBe(true);
    expect(input.buffer.length).toBe(0);
    input.tick();
    input.tick(); // an interval without messages sends nothing
    const out: RawMessage[] = [];
    input.take(out, 10);
    expect(out.map((m) => m.payload![0])).toEqual([25]);
    expect(woken).toBe(1);
    const stats: Record<string, unknown> = {};
    for (const m of input.nodeMetrics()) m.snapshot(stats);
    expect(stats).toMatchObject({
      source_demo_0_records_in_total: 25,
      source_demo_0_records_out_total: 25,
      op_2_ratelimit_0_records_in_total: 25,
      op_2_ratelimit_0_records_out_total: 1,
      op_2_ratelimit_0_messages_processed_total: 25,
    });
  } finally {
    input.close();
  }
});
