/**
 * The `memory` source: subscribes to an in-process topic (DATASOURCE, `+`/`#` wildcards) fed by
 * `memory` sinks of other rules, and emits rows as they are published. Meta: `topic`.
 *
 * @module
 */
import { validateTopicFilter } from "../../topic.ts";
import type { Source, SourceContext, SourceSpec } from "../../types.ts";
import { memoryPubSub } from "../../memory/pubsub.ts";

function checkTopic(topic: string): void {
  try {
    validateTopicFilter(topic);
  } catch (e) {
    throw new Error(`invalid memory source datasource: ${(e as Error).message}`);
  }
}

class MemorySource implements Source {
  #filter: string;
  #unsubscribe: (() => void) | undefined;

  constructor(filter: string) {
    this.#filter = filter;
  }

  open(ctx: SourceContext): Promise<void> {
    this.#unsubscribe = memoryPubSub.subscribe(this.#filter, (row, topic) => {
      // A shallow copy: the publisher's row may reach several rules.
      ctx.emit({ row: { ...row }, meta: { topic }, timestamp: Date.now() });
    });
    ctx.setConnectionStatus("connected");
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    return Promise.resolve();
  }
}

export const memorySource: SourceSpec = {
  type: "memory",
  payload: "rows",
  validate(props) {
    checkTopic(props.datasource);
  },
  create(props) {
    checkTopic(props.datasource);
    return new MemorySource(props.datasource);
  },
};
