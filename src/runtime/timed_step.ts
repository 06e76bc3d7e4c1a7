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
  return timed(op.metrics, input.length, now, () => op.process(input, ctx));
}

/** `run` over `inputCount` records, with the bookkeeping of {@link timedStep}. */
export function timed<O>(m: NodeMetrics, inputCount: number, now: number, run: () => O[]): O[] {
  const start = performance.now();
  const out = run();
  m.latencyUs = Math.round((performance.now() - start) * 1000);
  m.recordsIn += inputCount;
  m.processed += inputCount;
  m.recordsOut += out.length;
  m.lastInvocation = now;
  return out;
}
