/**
 * Test support: a SourceContext that records what a source does.
 *
 * @module
 */
import type { Logger } from "../../log.ts";
import type { ConnectionStatus, RawMessage, SourceContext } from "../types.ts";

export interface RecordingSourceContext extends SourceContext {
  messages: RawMessage[];
  statuses: ConnectionStatus[];
  errors: string[];
  logs: string[];
  /** What emit answers (false simulates a full buffer). */
  accept: boolean;
}

export function recordingLogger(lines: string[]): Logger {
  const l: Logger = {
    debug: (m) => lines.push(`debug ${m}`),
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
    child: () => l,
  };
  return l;
}

export function recordingSourceContext(): RecordingSourceContext {
  const logs: string[] = [];
  const ctx: RecordingSourceContext = {
    ruleId: "rule1",
    streamName: "demo",
    logger: recordingLogger(logs),
    messages: [],
    statuses: [],
    errors: [],
    logs,
    accept: true,
    emit(msg) {
      if (!ctx.accept) return false;
      ctx.messages.push(msg);
      return true;
    },
    setConnectionStatus(s) {
      ctx.statuses.push(s);
    },
    reportError(m) {
      ctx.errors.push(m);
    },
  };
  return ctx;
}
