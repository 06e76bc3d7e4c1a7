/**
 * Runs one operator over a batch with its metrics bookkeeping: latency of the step, records in
 * and out, last invocation. Every operator of a rule runs through it.
 */
import type { NodeMetrics } from "./metrics.ts";
import type { OpContext } from "./operator.ts";

export function timedStep<I, O>(
  op: { metrics: NodeMetrics; process(b: I[], c: OpContext): O[] },
  input: I[],
  ctx: OpContext,
  now: number,
): O[] {
  const start = performance.now();
  const out = op.process(input, ctx);
  recordStep(op.metrics, start, input.length, out.length, now);
  return out;
}

/** The bookkeeping of {@link timedStep} for a step that began at `start` (performance.now()). */
export function recordStep(
  m: NodeMetrics,
  start: number,
  recordsIn: number,
  recordsOut: number,
  now: number,
): void {
  m.latencyUs = Math.round((performance.now() - start) * 1000);
  m.recordsIn += recordsIn;
  m.processed += recordsIn;
  m.recordsOut += recordsOut;
  m.lastInvocation = now;
}
