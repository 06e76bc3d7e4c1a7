/**
 * The `nop` sink: discards results. With prop `log: true` each result is logged at debug level.
 *
 * @module
 */
import type { Sink, SinkContext, SinkItem, SinkSpec } from "../../types.ts";
import { boolProp } from "../props.ts";
import { payloadText } from "../payload.ts";

class NopSink implements Sink {
  #log: boolean;
  #ctx: SinkContext | undefined;

  constructor(log: boolean) {
    this.#log = log;
  }

  connect(ctx: SinkContext): Promise<void> {
    this.#ctx = ctx;
    ctx.setConnectionStatus("connected");
    return Promise.resolve();
  }

  collect(item: SinkItem): Promise<void> {
    if (this.#log && this.#ctx) {
      this.#ctx.logger.debug(
        `nop sink received for rule ${this.#ctx.ruleId}: ${payloadText(item)}`,
      );
    }
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export const nopSink: SinkSpec = {
  type: "nop",
  payload: "bytes",
  validate(props) {
    boolProp(props, "log", false);
  },
  create: (props) => new NopSink(boolProp(props, "log", false)),
};
