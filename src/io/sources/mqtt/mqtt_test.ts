import { expect } from "expect";
import { mqttSource } from "./mod.ts";
import { recordingSourceContext } from "../test_context.ts";
import {
  noTestBroker,
  startTestBroker,
  uniqueTopic,
  waitFor,
} from "../../connections/mqtt_test_broker.ts";
import { acquireMqttConnection, mqttPoolStats } from "../../connections/mqtt_pool.ts";
import { mqttConfigFromProps } from "../../connections/mqtt_config.ts";
import { SourceHub } from "../../../runtime/source_hub.ts";
import { SourceInput } from "../../../runtime/source_input.ts";
import { logger } from "../../../log.ts";
import type { RawMessage } from "../../types.ts";

const PUB0 = { qos: 0, retain: false } as const;

Deno.test("mqtt source: validate names the bad prop", () => {
  const ok = { server: "tcp://127.0.0.1:1883", datasource: "a/#", format: "json" };
  expect(() => mqttSource.validate!(ok)).not.toThrow();
  expect(() => mqttSource.validate!({ ...ok, server: "" })).toThrow(/server is required/);
  expect(() => mqttSource.validate!({ ...ok, server: "foo" })).toThrow(/invalid mqtt server/);
  expect(() => mqttSource.validate!({ ...ok, qos: 3 })).toThrow(/invalid qos 3/);
  expect(() => mqttSource.validate!({ ...ok, protocolVersion: "4" })).not.toThrow();
  expect(() => mqttSource.validate!({ ...ok, protocolVersion: "6" })).toThrow(/protocolVersion/);
  expect(() => mqttSource.validate!({ ...ok, datasource: "a/#/b" })).toThrow(
    /invalid mqtt source datasource/,
  );
  expect(mqttSource.payload).toBe("bytes");
});

for (const protocolVersion of ["3.1.1", "5"]) {
  Deno.test(
    `mqtt source: receives a published message with meta (v${protocolVersion})`,
    { ignore: noTestBroker },
    async () => {
      const broker = await startTestBroker();
      const base = uniqueTopic("src");
      const props = {
        server: broker.url,
        datasource: `${base}/+`,
        format: "json",
        qos: 1,
        protocolVersion,
      };
      const src = mqttSource.create(props);
      const ctx = recordingSourceContext();
      const pub = acquireMqttConnection(
        mqttConfigFromProps({ server: broker.url, protocolVersion, clientid: "weir_src_pub" }),
      );
      try {
        await src.open(ctx);
        expect(ctx.statuses).toEqual(["connecting", "connected"]);
        await pub.settled(3000);
        const body = new TextEncoder().encode(`{"temperature":21.5}`);
        const userProperties = protocolVersion === "5" ? { site: "north" } : undefined;
        await pub.publish(`${base}/dev1`, body, { qos: 1, retain: false, userProperties });
        await waitFor(() => ctx.messages.length === 1, 3000, "the message");
        const msg = ctx.messages[0];
        expect(new TextDecoder().decode(msg.payload)).toBe(`{"temperature":21.5}`);
        expect(msg.payload).toBeInstanceOf(Uint8Array);
        expect(msg.meta!.topic).toBe(`${base}/dev1`);
        expect(msg.meta!.qos).toBe(1);
        expect(typeof msg.meta!.messageId).toBe("number");
        expect(msg.meta!.messageId).toBeGreaterThan(0);
        if (protocolVersion === "5") expect(msg.meta!.properties).toEqual({ site: "north" });
        else expect(msg.meta!.properties).toBeUndefined();
        expect(Math.abs(msg.timestamp - Date.now())).toBeLessThan(5000);
      } finally {
        await src.close();
        await pub.release();
        await broker.close();
      }
      expect(mqttPoolStats()).toEqual([]);
    },
  );
}

Deno.test("mqtt source: opens without a reachable broker and keeps retrying", async () => {
  const src = mqttSource.create({
    server: "tcp://127.0.0.1:1",
    datasource: "a/b",
    format: "json",
  });
  const ctx = recordingSourceContext();
  try {
    await src.open(ctx); // must not reject: the rule starts and the pool retries
    expect(ctx.statuses).toContain("disconnected");
    expect(ctx.logs.some((l) => l.includes("retrying in background"))).toBe(true);
  } finally {
    await src.close();
  }
  expect(mqttPoolStats()).toEqual([]);
});

Deno.test(
  "mqtt source: a full rule buffer pauses the connection instead of dropping (flood into 8 slots)",
  { ignore: noTestBroker },
  async () => {
    const broker = await startTestBroker();
    const topic = uniqueTopic("pause");
    const hub = new SourceHub(logger("test"));
    const input = new SourceInput("s", 8, "dropOldest", () => {});
    const attachment = hub.attach(
      mqttSource,
      { server: broker.url, datasource: topic, format: "json", qos: 0 },
      { ruleId: "r", streamName: "s", shared: false, input },
    );
    // A slow rule: 8 messages every 2 ms.
    const taken: number[] = [];
    const drain = setInterval(() => {
      const out: RawMessage[] = [];
      input.take(out, 8);
      for (const m of out) taken.push(Number(new TextDecoder().decode(m.payload)));
    }, 2);
    const pub = acquireMqttConnection(
      mqttConfigFromProps({ server: broker.url, clientid: "weir_src_flood" }),
    );
    try {
      await waitFor(() => input.metrics.connectionStatus === 1, 3000, "connected");
      await pub.settled(3000);
      await new Promise((r) => setTimeout(r, 100)); // the SUBSCRIBE is acked
      const N = 3000;
      for (let i = 0; i < N; i++) pub.publishNow(topic, new TextEncoder().encode(`${i}`), PUB0);
      await waitFor(() => taken.length === N, 10_000, `${N} messages`);
      expect(taken).toEqual(Array.from({ length: N }, (_, i) => i));
      expect(input.metrics.exceptions).toBe(0);
    } finally {
      clearInterval(drain);
      input.close();
      await attachment.detach();
      await pub.release();
      await broker.close();
    }
  },
);
