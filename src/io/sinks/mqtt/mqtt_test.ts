import { expect } from "expect";
import { mqttSink } from "./mod.ts";
import { recordingSinkContext } from "../test_context.ts";
import {
  noTestBroker,
  startTestBroker,
  uniqueTopic,
  waitFor,
} from "../../connections/mqtt_test_broker.ts";
import {
  acquireMqttConnection,
  type MqttMessage,
  mqttPoolStats,
} from "../../connections/mqtt_pool.ts";
import { mqttConfigFromProps } from "../../connections/mqtt_config.ts";

Deno.test("mqtt sink: validate", () => {
  const ok = { server: "tcp://127.0.0.1:1883", topic: "out/t" };
  expect(() => mqttSink.validate!(ok)).not.toThrow();
  expect(() => mqttSink.validate!({ topic: "t" })).toThrow(/server is required/);
  expect(() => mqttSink.validate!({ server: ok.server })).toThrow(/mqtt sink topic is required/);
  expect(() => mqttSink.validate!({ ...ok, topic: "a/+" })).toThrow(/wildcards/);
  expect(() => mqttSink.validate!({ ...ok, qos: "x" })).toThrow(/invalid qos/);
  expect(() => mqttSink.validate!({ ...ok, retained: "yes" })).toThrow(/invalid retained/);
  expect(() => mqttSink.validate!({ ...ok, properties: [1] })).toThrow(/properties/);
});

Deno.test("mqtt sink: publishes qos 1 (acked) and retained", { ignore: noTestBroker }, async () => {
  const broker = await startTestBroker();
  const topic = uniqueTopic("sink");
  const sub = acquireMqttConnection(
    mqttConfigFromProps({ server: broker.url, clientid: "weir_sink_sub" }),
  );
  const got: MqttMessage[] = [];
  const sink = mqttSink.create({ server: broker.url, topic, qos: 1, clientId: "weir_sink_pub" });
  const ctx = recordingSinkContext("mqtt_0");
  try {
    expect(await sub.subscribe(topic, 1, (m) => got.push(m)).ready).toBe(true);
    await sink.connect(ctx);
    expect(ctx.statuses).toEqual(["connecting", "connected"]);
    const payload = new TextEncoder().encode(`[{"a":1}]`);
    await sink.collect({ data: [{ a: 1 }], payload });
    await waitFor(() => got.length === 1, 3000, "the published message");
    expect(new TextDecoder().decode(got[0].payload)).toBe(`[{"a":1}]`);
    expect(got[0].qos).toBe(1);
    expect(got[0].retain).toBe(false);
  } finally {
    await sink.close();
    await sub.release();
  }

  // retained: a subscriber arriving later still gets the last message.
  const rtopic = uniqueTopic("retained");
  const rsink = mqttSink.create({ server: broker.url, topic: rtopic, retained: true });
  const late = acquireMqttConnection(mqttConfigFromProps({ server: broker.url }));
  try {
    await rsink.connect(recordingSinkContext());
    await rsink.collect({ data: { b: 2 }, payload: new TextEncoder().encode(`{"b":2}`) });
    const gotLate: MqttMessage[] = [];
    await late.subscribe(rtopic, 0, (m) => gotLate.push(m)).ready;
    await waitFor(() => gotLate.length === 1, 3000, "the retained message");
    expect(gotLate[0].retain).toBe(true);
    // Clear the retained message so that an external broker is left clean.
    await rsink.collect({ data: {}, payload: new Uint8Array(0) });
  } finally {
    await rsink.close();
    await late.release();
    await broker.close();
  }
  expect(mqttPoolStats()).toEqual([]);
});

Deno.test("mqtt sink: collect rejects while disconnected", async () => {
  const sink = mqttSink.create({ server: "tcp://127.0.0.1:1", topic: "t" });
  const ctx = recordingSinkContext();
  try {
    await sink.connect(ctx); // resolves: the pool retries in the background
    expect(ctx.statuses).toContain("disconnected");
    const err = await sink.collect({ data: { a: 1 }, payload: new Uint8Array([1]) })
      .catch((e) => e as Error);
    expect(err?.message).toMatch(/not connected to mqtt broker tcp:\/\/127.0.0.1:1/);
    // Recoverable: a sink with enableCache keeps the result for later.
    expect(err?.name).toBe("SinkIoError");
  } finally {
    await sink.close();
  }
  await expect(sink.collect({ data: { a: 1 } })).rejects.toThrow(/not connected/);
});

Deno.test(
  "mqtt sink: a templated topic is published per result",
  { ignore: noTestBroker },
  async () => {
    const broker = await startTestBroker();
    const prefix = uniqueTopic("dyn");
    const sub = acquireMqttConnection(mqttConfigFromProps({ server: broker.url }));
    const got: MqttMessage[] = [];
    const props = { server: broker.url, topic: `${prefix}/{{.id}}`, qos: 1, retain: false };
    expect(() => mqttSink.validate!(props)).not.toThrow();
    const sink = mqttSink.create(props);
    try {
      expect(await sub.subscribe(`${prefix}/#`, 1, (m) => got.push(m)).ready).toBe(true);
      await sink.connect(recordingSinkContext());
      const enc = new TextEncoder();
      await sink.collect({
        data: { id: "a" },
        payload: enc.encode("1"),
        props: { topic: `${prefix}/a` },
      });
      await sink.collect({
        data: { id: "b" },
        payload: enc.encode("2"),
        props: { topic: `${prefix}/b` },
      });
      await expect(sink.collect({ data: {}, payload: enc.encode("3"), props: { topic: "x/+" } }))
        .rejects.toThrow(/invalid mqtt sink topic "x\/\+"/);
      await waitFor(() => got.length === 2, 3000, "two messages");
      expect(got.map((m) => m.topic)).toEqual([`${prefix}/a`, `${prefix}/b`]);
    } finally {
      await sink.close();
      await sub.release();
      await broker.close();
    }
  },
);
