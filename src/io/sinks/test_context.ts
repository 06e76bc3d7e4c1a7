/**
 * Test support: a SinkContext that records statuses and log lines.
 *
 * @module
 */
import type { ConnectionStatus, SinkContext } from "../types.ts";
import { recordingLogger } from "../sources/test_context.ts";

export interface RecordingSinkContext extends SinkContext {
  statuses: ConnectionStatus[];
  logs: string[];
}

export function recordingSinkContext(name = "test_0"): RecordingSinkContext {
  const logs: string[] = [];
  const ctx: RecordingSinkContext = {
    ruleId: "rule1",
    name,
    logger: recordingLogger(logs),
    statuses: [],
    logs,
    setConnectionStatus(s) {
      ctx.statuses.push(s);
    },
  };
  return ctx;
}
