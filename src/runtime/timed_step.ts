/**
 * Runs one operator over a batch with its metrics bookkeeping: latency of the step, records in
 * and out, last invocation. Every operator of a rule runs through it.
 *
 * Latency is sampled: a node times its step when at least {@link LATENCY_SAMPLE_MS} passed
 * since the last timed one. A quiet rule's every step is timed; a busy one, running thousands
 * of small batches a second (100 rules on a SHARED stream each get a few messages per read),
 * reads the clock a few times a second instead of twice per step: each `performance.now()` is
 * a call into the runtime, about 0.1 µs, and was 7 % of S3-100's CPU.
 */
import type { NodeMetrics } from "./metrics.ts";
import type { OpContext } from "./operator.ts";

/** The shortest interval between two timed steps of one node, ms. */
export const LATENCY_SAMPLE_MS = 100;

export function timedStep<I, O>(
  op: { metrics: NodeMetrics; process(b: I[], c: OpContext): O[] },
  input: I[],
  ctx: OpContext,
  now: number,
): O[] {
  const start = stepStart(op.metrics, now);
  const out = op.process(input, ctx);
  recordStep(op.metrics, start, input.length, out.length, now);
  return out;
}

/** performance.now() when the step of `m` beginning at `now` (epoch ms) is to be timed, else
 * -1. */
export function stepStart(m: NodeMetrics, now: number): number {
  if (now < m.nextTimedAt) return -1;
  m.nextTimedAt = now + LATENCY_SAMPLE_MS;
  return performance.now();
}

/** Records the latency of a step that began at `start` ({@link stepStart}; -1: not timed), per
 * item when it handled `items` of them. */
export function stepEnd(m: NodeMetrics, start: number, items = 1): void {
  if (start >= 0) m.latencyUs = Math.round((performance.now() - start) * 1000 / items);
}

/** The bookkeeping of {@link timedStep} for a step that began at `start` ({@link stepStart}). */
export function recordStep(
  m: NodeMetrics,
  start: number,
  recordsIn: number,
  recordsOut: number,
  now: number,
): void {
  stepEnd(m, start);
  m.recordsIn += recordsIn;
  m.processed += recordsIn;
  m.recordsOut += recordsOut;
  m.lastInvocation = now;
}
