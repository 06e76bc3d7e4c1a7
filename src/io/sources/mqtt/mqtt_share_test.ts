/**
 * Shared subscriptions (`$share/<group>/<filter>`) through the mqtt source against real
 * brokers: two sources on different connections in one group split the messages between them,
 * each message arrives once, and `meta(topic)` is the topic the message was published on.
 */
import { expect } from "expect";
import mqtt from "mqtt";
import { mqttSource } from "./mod.ts";
import { recordingSourceContext } from "../test_context.ts";
import { waitFor } from "../../connections/mqtt_test_broker.ts";
import { mqttPoolStats } from "../../connections/mqtt_pool.ts";
import { availableBrokerKinds, startTestBroker } from "../../../../test/helpers/test_broker.ts";

// Weir's embedded broker refuses shared subscriptions (0x9E), so they need mosquitto.
const sharing = availableBrokerKinds().filter((k) => k === "mosquitto");

Deno.test({
  name: "mqtt source: a broker refusing a shared subscription fails the open clearly (weir, v5)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const broker = await startTestBroker("weir");
    const src = mqttSource.create({
      server: broker.url,
      datasource: "$share/weir/plant/+/temp",
      format: "json",
      protocolVersion: "5",
    });
    try {
      await expect(src.open(recordingSourceContext())).rejects.toThrow(
        /refused subscription to "\$share\/weir\/plant\/\+\/temp": shared subscriptions are not supported/,
      );
    } finally {
      await src.close();
      await broker.stop();
    }
    expect(mqttPoolStats()).toEqual([]);
  },
});

for (const kind of sharing) {
  for (const protocolVersion of ["3.1.1", "5"]) {
    Deno.test({
      name: `mqtt source: shared subscription splits messages (${kind}, v${protocolVersion})`,
      sanitizeOps: false,
      sanitizeResources: false,
      async fn() {
        const broker = await startTestBroker(kind);
        const ctxs = [recordingSourceContext(), recordingSourceContext()];
        const sources = ctxs.map((_, i) =>
          mqttSource.create({
            server: broker.url,
            datasource: "$share/weir/plant/+/temp",
            format: "json",
            clientid: `weir_share_${i}`,
            protocolVersion,
          })
        );
        const pub = await mqtt.connectAsync(broker.url);
        try {
          for (let i = 0; i < 2; i++) await sources[i].open(ctxs[i]);
          const N = 40;
          for (let i = 0; i < N; i++) {
            await pub.publishAsync(`plant/${i % 4}/temp`, JSON.stringify({ i }), { qos: 1 });
          }
          const total = () => ctxs[0].messages.length + ctxs[1].messages.length;
          await waitFor(() => total() >= N, 5000, `${N} messages`);
          await new Promise((r) => setTimeout(r, 200));
          const seen = ctxs.flatMap((c) =>
            c.messages.map((m) => JSON.parse(new TextDecoder().decode(m.payload)).i as number)
          );
          expect(seen.sort((a, b) => a - b)).toEqual([...Array(N).keys()]);
          expect(ctxs[0].messages.length).toBeGreaterThan(0);
          expect(ctxs[1].messages.length).toBeGreaterThan(0);
          const m = ctxs[0].messages[0];
          expect(m.meta!.topic).toMatch(/^plant\/[0-3]\/temp$/);
        } finally {
          for (const s of sources) await s.close();
          await pub.endAsync(true);
          await broker.stop();
        }
        expect(mqttPoolStats()).toEqual([]);
      },
    });
  }
}
