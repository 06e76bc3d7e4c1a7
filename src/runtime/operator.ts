/**
 * The operator contract. An operator is a pure synchronous step over a batch; the rule task
 * owns the loop and the metrics bookkeeping around it. Per-record errors are reported through
 * `ctx.error` (counted in the node's exceptions, logged, and sent on when `sendError` is set)
 * and the batch goes on without the record.
 */
import type { EvalContext } from "../expr/types.ts";
import type { NodeMetrics } from "./metrics.ts";

export interface OpContext extends EvalContext {
  /** Records a per-record error against `node`. */
  error(node: NodeMetrics, message: string): void;
}

export interface Operator<I, O> {
  /** The node's metric/topology name, e.g. `op_3_filter`. */
  readonly name: string;
  readonly metrics: NodeMetrics;
  process(batch: I[], ctx: OpContext): O[];
}
