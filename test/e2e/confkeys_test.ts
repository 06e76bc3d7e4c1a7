/**
 * confKeys over REST end to end: a source confKey and a sink resourceId preset created with
 * PUT, used by a stream (CONF_KEY) and a rule action (resourceId) against a real broker, and
 * still there, still used, after Weir is killed and started again.
 */
import { expect } from "expect";
import { rmSync } from "node:fs";
import { WeirProcess } from "../helpers/weir_process.ts";
import { availableBrokerKinds, startTestBroker } from "../helpers/test_broker.ts";
import { connectClient, type TestClient } from "../helpers/mqtt_client.ts";

const kind = availableBrokerKinds().includes("mosquitto") ? "mosquitto" : "weir";

async function publishUntilOutput(client: TestClient, n: number): Promise<void> {
  for (let i = 0; i < 100 && client.messages.length < n; i++) {
    await client.publish("ck/in/dev1", JSON.stringify({ v: i }));
    await new Promise((r) => setTimeout(r, 150));
  }
  await client.waitFor(n);
}

Deno.test({
  name: `confKeys (${kind} broker): PUT over REST → CONF_KEY / resourceId → restart → still used`,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const broker = await startTestBroker(kind);
    const weir = await WeirProcess.start({
      brokerAddr: "off",
      // The default server is unreachable: only the confKeys make this work.
      files: { "etc/sources/mqtt.yaml": 'default:\n  server: "tcp://127.0.0.1:1"\n' },
    });
    const client = await connectClient(broker.url);
    try {
      const ok = async (method: string, path: string, body: unknown, status: number) => {
        const r = await weir.request(method, path, body);
        expect({ path, status: r.status, text: r.text }).toEqual({ path, status, text: r.text });
        return r;
      };
      await ok("PUT", "/metadata/sources/mqtt/confKeys/edge", {
        server: broker.url,
        interval: "100ms",
        token: "s3cret-token",
      }, 200);
      await ok("PUT", "/metadata/sinks/mqtt/confKeys/out", { server: broker.url, qos: 1 }, 200);
      const yaml = await ok("GET", "/metadata/sources/yaml/mqtt", undefined, 200);
      expect(yaml.json()).toEqual({
        default: { server: "tcp://127.0.0.1:1" },
        edge: { server: broker.url, interval: "100ms", token: "******" },
      });
      await ok("POST", "/streams", {
        sql: 'CREATE STREAM ck() WITH (DATASOURCE="ck/in/+", CONF_KEY="edge")',
      }, 201);
      await client.subscribe("ck/out");
      await ok("POST", "/rules", {
        id: "ck_rule",
        sql: "SELECT v, meta(topic) AS topic FROM ck",
        actions: [{ mqtt: { resourceId: "out", topic: "ck/out", sendSingle: true } }],
      }, 201);
      await publishUntilOutput(client, 1);
      expect(JSON.parse(client.messages[0].payload)).toMatchObject({ topic: "ck/in/dev1" });
      const st = (await ok("GET", "/rules/ck_rule/status", undefined, 200)).json();
      expect(st).toHaveProperty("op_2_ratelimit_0_records_out_total"); // the key's interval

      await weir.kill("SIGKILL");
      await weir.restart();
      expect((await ok("GET", "/metadata/sources/yaml/mqtt", undefined, 200)).json()).toEqual(
        yaml.json(),
      );
      expect((await ok("GET", "/metadata/sinks/mqtt/confKeys/out", undefined, 200)).json())
        .toEqual({ server: broker.url, qos: 1 });
      const before = client.messages.length;
      await publishUntilOutput(client, before + 1); // the recovered rule uses both keys again

      await ok("DELETE", "/metadata/sources/mqtt/confKeys/edge", undefined, 200);
      await weir.kill("SIGTERM");
      await weir.restart();
      const after = (await ok("GET", "/metadata/sources/yaml/mqtt", undefined, 200)).json();
      expect(Object.keys(after as object)).toEqual(["default"]);
    } finally {
      await client.close();
      await weir.kill("SIGTERM");
      await broker.stop();
      rmSync(weir.home, { recursive: true, force: true });
    }
  },
});
