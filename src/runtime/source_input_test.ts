import { expect } from "expect";
import { SourceInput, STALL_MS } from "./source_input.ts";
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

Deno.test("SourceInput: a paused source resumes when the buffer is half empty", () => {
  const input = new SourceInput("demo", 4, "dropOldest", () => {});
  try {
    for (let i = 0; i < 4; i++) input.emit(msg(i));
    let resumed = 0;
    input.whenRoom(() => resumed++);
    const out: RawMessage[] = [];
    input.take(out, 1); // 3 left: not yet
    expect(resumed).toBe(0);
    input.take(out, 1); // 2 left: half
    expect(resumed).toBe(1);
    input.take(out, 2);
    expect(resumed).toBe(1); // once
  } finally {
    input.close();
  }
});

Deno.test("SourceInput: a buffer its rule does not drain is stalled, and the source let go", async () => {
  const input = new SourceInput("demo", 2, "dropOldest", () => {});
  try {
    input.emit(msg(1));
    input.emit(msg(2));
    const resumed = new Promise<void>((r) => input.whenRoom(r));
    const start = Date.now();
    await resumed; // after STALL_MS: nobody took anything
    expect(Date.now() - start).toBeGreaterThanOrEqual(STALL_MS - 50);
    expect(input.stalled).toBe(true);
    input.emit(msg(3)); // now drops the oldest, counted
    expect(input.metrics.exceptions).toBe(1);
    input.take([], 1);
    expect(input.stalled).toBe(false); // its rule drains again
  } finally {
    input.close();
  }
});

Deno.test("SourceInput: closing lets a paused source go", () => {
  const input = new SourceInput("demo", 1, "dropOldest", () => {});
  input.emit(msg(1));
  let resumed = 0;
  input.whenRoom(() => resumed++);
  input.close();
  expect(resumed).toBe(1);
});
