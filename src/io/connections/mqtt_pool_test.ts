import { expect } from "expect";
import { acquireMqttConnection, type MqttMessage, mqttPoolStats } from "./mqtt_pool.ts";
import { mqttConfigFromProps } from "./mqtt_config.ts";
import {
  noEmbeddedBroker,
  noTestBroker,
  startEmbeddedBroker,
  startTestBroker,
  uniqueTopic,
  waitFor,
} from "./mqtt_test_broker.ts";
import type { ConnectionStatus } from "../types.ts";

const opts = { ignore: noTestBroker, sanitizeOps: true, sanitizeResources: true };

for (const protocolVersion of ["3.1.1", "5"]) {
  Deno.test(
    `mqtt pool: two subscribers share one connection and one SUBSCRIBE (v${protocolVersion})`,
    opts,
    async () => {
      const broker = await startTestBroker();
      const cfg = mqttConfigFromProps({ server: broker.url, protocolVersion });
      const statuses: ConnectionStatus[] = [];
      const a = acquireMqttConnection(cfg, (s) => statuses.push(s));
      const b = acquireMqttConnection(cfg);
      const pub = acquireMqttConnection(
        mqttConfigFromProps({ server: broker.url, clientid: "weir_pub_" + protocolVersion }),
      );
      try {
        expect(a.clientId).toBe(b.clientId);
        expect(a.clientId).toMatch(/^weir_[0-9a-f]{12}$/);
        expect(mqttPoolStats().length).toBe(2); // the subscribers' connection + the publisher's
        expect(await a.settled(3000)).toBe("connected");
        expect(statuses).toEqual(["connected"]);

        const base = uniqueTopic("pool");
        const gotA: MqttMessage[] = [];
        const gotB: MqttMessage[] = [];
        const gotC: MqttMessage[] = [];
        const sa = a.subscribe(`${base}/+`, 0, (m) => gotA.push(m));
        const sb = b.subscribe(`${base}/+`, 1, (m) => gotB.push(m));
        // Overlapping filter from the same handle: its own subscriber.
        const sc = b.subscribe(`${base}/#`, 0, (m) => gotC.push(m));
        expect(await sa.ready).toBe(true);
        expect(await sb.ready).toBe(true);
        expect(await sc.ready).toBe(true);
        const stats = mqttPoolStats().find((s) => s.clientId === a.clientId)!;
        expect(stats.refs).toBe(2);
        expect(stats.filters).toEqual([
          { filter: `${base}/+`, qos: 1, subscribers: 2 },
          { filter: `${base}/#`, qos: 0, subscribers: 1 },
        ]);
        // One SUBSCRIBE per distinct filter, plus one upgrade of "+" from qos 0 to 1.
        expect(stats.subscribePackets).toBe(3);

        await pub.settled(3000);
        await pub.publish(`${base}/x`, new TextEncoder().encode("hello"), {
          qos: 1,
          retain: false,
        });
        await waitFor(() => gotA.length >= 1 && gotB.length >= 1 && gotC.length >= 1);
        expect(new TextDecoder().decode(gotA[0].payload)).toBe("hello");
        expect(gotA[0].topic).toBe(`${base}/x`);
        if (protocolVersion === "5") {
          // Subscription identifiers route each broker copy to its own filter: exactly once.
          await new Promise((r) => setTimeout(r, 100));
          expect([gotA.length, gotB.length, gotC.length]).toEqual([1, 1, 1]);
        }

        // Releasing one user keeps the filter (b still on it); unsubscribing the last removes it.
        await a.release();
        expect(mqttPoolStats().find((s) => s.clientId === b.clientId)!.filters).toEqual([
          { filter: `${base}/+`, qos: 1, subscribers: 1 },
          { filter: `${base}/#`, qos: 0, subscribers: 1 },
        ]);
        sb.unsubscribe();
        sb.unsubscribe(); // idempotent
        expect(mqttPoolStats().find((s) => s.clientId === b.clientId)!.filters).toEqual([
          { filter: `${base}/#`, qos: 0, subscribers: 1 },
        ]);
        const before = gotB.length;
        await pub.publish(`${base}/y`, "again", { qos: 1, retain: false });
        await waitFor(() => gotC.some((m) => m.topic === `${base}/y`));
        expect(gotB.length).toBe(before);
        // Routes are remembered per topic (or subscription identifier): b is gone from the one
        // already taken as well.
        await pub.publish(`${base}/x`, "third", { qos: 1, retain: false });
        await waitFor(() => gotC.filter((m) => m.topic === `${base}/x`).length >= 2);
        expect(gotB.length).toBe(before);
      } finally {
        await a.release();
        await b.release();
        await pub.release();
        await broker.close();
      }
      expect(mqttPoolStats()).toEqual([]);
    },
  );
}

Deno.test(
  "mqtt pool: distinct explicit client ids get their own connection, equal ones share",
  opts,
  async () => {
    const broker = await startTestBroker();
    const a = acquireMqttConnection(
      mqttConfigFromProps({ server: broker.url, clientid: "weir_t_a" }),
    );
    const b = acquireMqttConnection(
      mqttConfigFromProps({ server: broker.url, clientid: "weir_t_b" }),
    );
    const c = acquireMqttConnection(
      mqttConfigFromProps({ server: broker.url, clientid: "weir_t_a" }),
    );
    try {
      expect(mqttPoolStats().length).toBe(2);
      expect(c.clientId).toBe("weir_t_a");
      expect(await b.settled(3000)).toBe("connected");
    } finally {
      await Promise.all([a.release(), b.release(), c.release()]);
      await broker.close();
    }
    expect(mqttPoolStats()).toEqual([]);
  },
);

Deno.test("mqtt pool: unreachable broker settles disconnected and publish rejects", async () => {
  // A port nothing listens on: the first attempt fails fast with ECONNREFUSED.
  const cfg = mqttConfigFromProps({ server: "tcp://127.0.0.1:1", clientid: "weir_t_down" });
  const statuses: string[] = [];
  const h = acquireMqttConnection(cfg, (s) => statuses.push(s));
  try {
    expect(await h.settled(3000)).toBe("disconnected");
    expect(statuses).toContain("disconnected");
    const s = h.subscribe("x/#", 1, () => {});
    expect(await s.ready).toBe(false);
    await expect(h.publish("x/y", "p", { qos: 1, retain: false })).rejects.toThrow(
      /not connected to mqtt broker tcp:\/\/127.0.0.1:1/,
    );
  } finally {
    await h.release();
  }
  expect(mqttPoolStats()).toEqual([]);
});

Deno.test(
  "mqtt pool: reconnects after a broker restart and re-subscribes",
  { ignore: noEmbeddedBroker },
  async () => {
    let broker = await startEmbeddedBroker();
    const port = broker.port;
    const statuses: ConnectionStatus[] = [];
    const h = acquireMqttConnection(
      mqttConfigFromProps({ server: broker.url }),
      (s) => statuses.push(s),
    );
    const got: string[] = [];
    const pubCfg = mqttConfigFromProps({ server: broker.url, clientid: "weir_t_repub" });
    let pub = acquireMqttConnection(pubCfg);
    try {
      const sub = h.subscribe("re/+", 1, (m) => got.push(new TextDecoder().decode(m.payload)));
      expect(await sub.ready).toBe(true);
      await broker.close();
      await waitFor(() => statuses.includes("disconnected"), 3000, "disconnected");
      await pub.release();
      broker = await startEmbeddedBroker(port);
      await waitFor(() => statuses.at(-1) === "connected", 8000, "reconnected");
      expect(statuses).toContain("connecting");
      pub = acquireMqttConnection(pubCfg);
      await pub.settled(3000);
      // The SUBSCRIBE is re-sent on connect; wait until the new broker has it.
      await waitFor(
        () => mqttPoolStats().find((s) => s.clientId === h.clientId)!.subscribePackets >= 2,
      );
      await new Promise((r) => setTimeout(r, 50));
      await pub.publish("re/x", "after restart", { qos: 1, retain: false });
      await waitFor(() => got.includes("after restart"), 3000, "message after restart");
    } finally {
      await h.release();
      await pub.release();
      await broker.close();
    }
  },
);
