/**
 * Per-node metrics with eKuiper's names. A node's key prefix is `source_<stream>`,
 * `op_<n>_<kind>`, `op_<type>_<i>_<k>_<kind>` or `sink_<type>_<i>`; the instance index is always
 * 0, so keys read `op_4_project_0_records_in_total` as in `GET /rules/{id}/status`.
 */

export const METRIC_NAMES = [
  "records_in_total",
  "records_out_total",
  "messages_processed_total",
  "process_latency_us",
  "buffer_length",
  "last_invocation",
  "exceptions_total",
  "last_exception",
  "last_exception_time",
] as const;

/**
 * Messages that went through a run of nodes in one piece: each was one record in and one out of
 * every node sharing this count, without an error, at `at` (epoch ms, the latest). A routed
 * rule's run at once counts here instead of in each node (`RuleRuntime.runRouted`): with 100
 * rules, touching seven nodes' counters per message was a tenth of the rule's cost.
 */
export class PassCount {
  n = 0;
  at = 0;
}

export class NodeMetrics {
  recordsIn = 0;
  recordsOut = 0;
  processed = 0;
  latencyUs = 0;
  /** When the next step may be timed, epoch ms (`timed_step.ts`: latency is sampled). */
  nextTimedAt = 0;
  lastInvocation = 0;
  exceptions = 0;
  lastException = "";
  lastExceptionTime = 0;
  /** Connection status of sources and sinks: 1 connected, 0 connecting, -1 disconnected. */
  connectionStatus: number | undefined;
  connectionMessage = "";
  /** Node-specific counters beyond eKuiper's nine (e.g. a window's `late_dropped_total`). */
  extra: (() => Record<string, number>) | undefined;
  /** Messages the node counts without having seen them: a SHARED stream's fan-out skipped
   * them for a rule whose WHERE could not pass them (`shared_fanout.ts`). Added to records in
   * and processed, and to records out when `out` (the nodes before the filter). */
  skipped: { count: () => number; out: boolean } | undefined;
  /** Messages counted for this node and its neighbours together, added to records in, out and
   * processed. */
  pass: PassCount | undefined;

  constructor(readonly name: string, private readonly bufferLength: () => number = () => 0) {}

  error(message: string, now = Date.now()): void {
    this.exceptions++;
    this.lastException = message;
    this.lastExceptionTime = now;
  }

  /** Writes this node's metrics into `out` in eKuiper's order. */
  snapshot(out: Record<string, unknown>): void {
    const p = `${this.name}_0_`;
    const skipped = this.skipped ? this.skipped.count() : 0;
    const passed = this.pass ? this.pass.n : 0;
    out[p + "records_in_total"] = this.recordsIn + skipped + passed;
    out[p + "records_out_total"] = this.recordsOut + (this.skipped?.out ? skipped : 0) + passed;
    out[p + "messages_processed_total"] = this.processed + skipped + passed;
    out[p + "process_latency_us"] = this.latencyUs;
    out[p + "buffer_length"] = this.bufferLength();
    out[p + "last_invocation"] = Math.max(this.lastInvocation, this.pass ? this.pass.at : 0);
    out[p + "exceptions_total"] = this.exceptions;
    out[p + "last_exception"] = this.lastException;
    out[p + "last_exception_time"] = this.lastExceptionTime;
    if (this.extra) { for (const [k, v] of Object.entries(this.extra())) out[p + k] = v; }
    if (this.connectionStatus !== undefined) {
      out[p + "connection_status"] = this.connectionStatus;
      out[p + "connection_last_disconnected_message"] = this.connectionMessage;
    }
  }
}
