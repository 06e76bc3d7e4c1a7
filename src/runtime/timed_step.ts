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
  const m = op.metrics;
  const start = performance.now();
  const out = op.process(input, ctx);
  m.latencyUs = Math.round((performance.now() - start) * 1000);
  m.recordsIn += input.length;
  m.processed += input.length;
  m.recordsOut += out.length;
  m.lastInvocation = now;
  return out;
}
