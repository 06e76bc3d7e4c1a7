/**
 * The `log` sink: writes each result to the log at info level, as
 * `sink result for rule <id>: <payload>` (eKuiper writes the same line to its stream log).
 *
 * @module
 */
import type { Sink, SinkContext, SinkItem, SinkSpec } from "../../types.ts";
import { payloadText } from "../payload.ts";

class LogSink implements Sink {
  #ctx: SinkContext | undefined;

  connect(ctx: SinkContext): Promise<void> {
    this.#ctx = ctx;
    ctx.setConnectionStatus("connected");
    return Promise.resolve();
  }

  collect(item: SinkItem): Promise<void> {
    const ctx = this.#ctx;
    if (!ctx) return Promise.reject(new Error("log sink is not connected"));
    ctx.logger.info(`sink result for rule ${ctx.ruleId}: ${payloadText(item)}`);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export const logSink: SinkSpec = {
  type: "log",
  payload: "bytes",
  create: () => new LogSink(),
};
