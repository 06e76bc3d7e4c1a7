/**
 * The `memory` sink: publishes result rows to an in-process topic (prop `topic`, required),
 * read by `memory` sources of other rules. An emission of several rows publishes each row.
 *
 * @module
 */
import type { Sink, SinkContext, SinkItem, SinkSpec } from "../../types.ts";
import { validateTopicName } from "../../topic.ts";
import { memoryPubSub } from "../../memory/pubsub.ts";

function topicOf(props: Record<string, unknown>): string {
  const topic = props.topic;
  if (typeof topic !== "string" || topic === "") throw new Error("memory sink topic is required");
  try {
    validateTopicName(topic);
  } catch (e) {
    throw new Error(`invalid memory sink topic: ${(e as Error).message}`);
  }
  return topic;
}

class MemorySink implements Sink {
  #topic: string;

  constructor(topic: string) {
    this.#topic = topic;
  }

  connect(ctx: SinkContext): Promise<void> {
    ctx.setConnectionStatus("connected");
    return Promise.resolve();
  }

  collect(item: SinkItem): Promise<void> {
    try {
      memoryPubSub.publish(this.#topic, item.data);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export const memorySink: SinkSpec = {
  type: "memory",
  payload: "rows",
  validate(props) {
    topicOf(props);
  },
  create: (props) => new MemorySink(topicOf(props)),
};
