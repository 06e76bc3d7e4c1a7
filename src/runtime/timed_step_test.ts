import { expect } from "expect";
import { NodeMetrics } from "./metrics.ts";
import type { OpContext } from "./operator.ts";
import { LATENCY_SAMPLE_MS, timedStep } from "./timed_step.ts";

const ctx = { ruleId: "r", now: () => 0 } as unknown as OpContext;

/** An operator whose step takes about `ms` of wall time, and doubles its input. */
function slowOp(ms: () => number) {
  return {
    metrics: new NodeMetrics("op_2_test"),
    process(b: number[]): number[] {
      const until = performance.now() + ms();
      while (performance.now() < until) { /* busy */ }
      return b.flatMap((x) => [x, x]);
    },
  };
}

Deno.test("timed step: counts every step, times one per sample interval", () => {
  let cost = 2;
  const op = slowOp(() => cost);
  const t0 = 1_000_000;
  expect(timedStep(op, [1, 2], ctx, t0)).toEqual([1, 1, 2, 2]);
  const first = op.metrics.latencyUs;
  expect(first).toBeGreaterThanOrEqual(2000);
  // Within the interval the step is counted but not timed: the latency stays the first one's.
  cost = 0;
  timedStep(op, [3], ctx, t0 + LATENCY_SAMPLE_MS - 1);
  expect(op.metrics.latencyUs).toBe(first);
  expect([op.metrics.recordsIn, op.metrics.recordsOut, op.metrics.processed]).toEqual([3, 6, 3]);
  expect(op.metrics.lastInvocation).toBe(t0 + LATENCY_SAMPLE_MS - 1);
  // Once the interval has passed, the next step is timed again.
  timedStep(op, [4], ctx, t0 + LATENCY_SAMPLE_MS);
  expect(op.metrics.latencyUs).toBeLessThan(first);
});

Deno.test("timed step: a quiet operator's every step is timed", () => {
  let cost = 1;
  const op = slowOp(() => cost);
  timedStep(op, [1], ctx, 5_000);
  expect(op.metrics.latencyUs).toBeGreaterThanOrEqual(1000);
  cost = 3;
  timedStep(op, [1], ctx, 5_000 + 1000);
  expect(op.metrics.latencyUs).toBeGreaterThanOrEqual(3000);
});
