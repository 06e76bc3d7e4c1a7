/** A small mqtt.js wrapper for tests: connect, subscribe, collect messages, wait for N. */
import mqtt from "mqtt";

export interface TestClient {
  messages: { topic: string; payload: string }[];
  publish(topic: string, payload: string, qos?: 0 | 1): Promise<void>;
  subscribe(topic: string): Promise<void>;
  waitFor(n: number, ms?: number): Promise<{ topic: string; payload: string }[]>;
  close(): Promise<void>;
}

export async function connectClient(url: string): Promise<TestClient> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 200, connectTimeout: 5000 });
  const messages: { topic: string; payload: string }[] = [];
  client.on("message", (topic, payload) => messages.push({ topic, payload: payload.toString() }));
  return {
    messages,
    publish: async (topic, payload, qos = 1) => {
      await client.publishAsync(topic, payload, { qos });
    },
    subscribe: async (topic) => {
      await client.subscribeAsync(topic, { qos: 1 });
    },
    async waitFor(n, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (messages.length < n && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      if (messages.length < n) {
        throw new Error(
          `expected ${n} messages, got ${messages.length}: ${JSON.stringify(messages)}`,
        );
      }
      return messages;
    },
    close: async () => {
      await client.endAsync(true);
    },
  };
}
