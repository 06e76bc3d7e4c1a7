/**
 * Source downsampling end to end (the user's downsampling seed): confKeys created over REST,
 * MQTT streams using them through CONF_KEY, a real broker, a real Weir process; the results
 * and the rule status metrics are checked against the seed's example.
 */
import { expect } from "expect";
import { rmSync } from "node:fs";
import { WeirProcess } from "../helpers/weir_process.ts";
import { availableBrokerKinds, startTestBroker } from "../helpers/test_broker.ts";
import { connectClient, type TestClient } from "../helpers/mqtt_client.ts";

const kind = availableBrokerKinds().includes("mosquitto") ? "mosquitto" : "weir";

/** Publishes on `probe/in` until the probe rule answers: every subscription that Weir's pooled
 * connection sent before the probe's is then active at the broker. */
async function waitForSubscriptions(client: TestClient): Promise<void> {
  for (let i = 0; i < 100 && !client.messages.some((m) => m.topic === "probe/out"); i++) {
    await client.publish("probe/in", "{}");
    await new Promise((r) => setTimeout(r, 100));
  }
  await client.waitFor(1);
}

Deno.test({
  name: `downsampling (${kind} broker): latest per second and merge by field, seed's metrics`,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const broker = await startTestBroker(kind);
    const weir = await WeirProcess.start({
      brokerAddr: "off",
      mqttServer: broker.url,
      mqttQos: 1,
    });
    const client = await connectClient(broker.url);
    try {
      const ok = async (method: string, path: string, body: unknown, status: number) => {
        const r = await weir.request(method, path, body);
        expect({ path, status: r.status, text: r.text }).toEqual({ path, status, text: r.text });
      };
      await ok("PUT", "/metadata/sources/mqtt/confKeys/onesec", { interval: "1s" }, 200);
      await ok(
        "PUT",
        "/metadata/sources/mqtt/confKeys/onesec_merge",
        { interval: "1s", mergeField: "id" },
        200,
      );
      await ok("POST", "/streams", {
        sql:
          'CREATE STREAM mqttOneSec() WITH (TYPE="mqtt",FORMAT="json",DATASOURCE="demo",CONF_KEY="onesec",SHARED="true");',
      }, 201);
      await ok("POST", "/streams", {
        sql:
          'CREATE STREAM mqttOneSecM() WITH (TYPE="mqtt",FORMAT="json",DATASOURCE="demo",CONF_KEY="onesec_merge");',
      }, 201);
      await ok("POST", "/streams", {
        sql: 'CREATE STREAM probe() WITH (DATASOURCE="probe/in")',
      }, 201);
      const mqttAction = (
        topic: string,
      ) => [{ mqtt: { server: broker.url, topic, sendSingle: true } }];
      await client.subscribe("result/#");
      await client.subscribe("probe/out");
      await ok("POST", "/rules", {
        id: "ruleOneSecLatest",
        sql: "SELECT * FROM mqttOneSec",
        actions: mqttAction("result/onesec"),
      }, 201);
      await ok("POST", "/rules", {
        id: "ruleOneSecLatest2",
        sql: "SELECT * FROM mqttOneSec",
        actions: mqttAction("result/onesec2"),
      }, 201);
      await ok("POST", "/rules", {
        id: "RuleOneSecM",
        sql: "SELECT * FROM mqttOneSecM",
        actions: mqttAction("result/onesecm"),
      }, 201);
      await ok("POST", "/rules", {
        id: "probe",
        sql: "SELECT * FROM probe",
        actions: mqttAction("probe/out"),
      }, 201);
      await waitForSubscriptions(client);

      // 25 messages in well under a second, from three devices with different schemas.
      const fields = ["temperature", "humidity", "pressure"];
      for (let i = 0; i < 25; i++) {
        await client.publish("demo", JSON.stringify({ id: (i % 3) + 1, [fields[i % 3]]: i }));
      }
      const results = () => client.messages.filter((m) => m.topic.startsWith("result/"));
      const deadline = Date.now() + 10_000;
      while (results().length < 3 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 1500)); // another interval: nothing more comes
      const byTopic = Object.fromEntries(results().map((m) => [m.topic, JSON.parse(m.payload)]));
      expect(results().length).toBe(3);
      expect(byTopic).toEqual({
        "result/onesec": { id: 1, temperature: 24 },
        "result/onesec2": { id: 1, temperature: 24 },
        // The latest message per id, merged: id 1 was updated last.
        "result/onesecm": { id: 1, humidity: 22, pressure: 23, temperature: 24 },
      });

      const status = async (id: string) =>
        (await weir.request("GET", `/rules/${id}/status`)).json() as Record<string, unknown>;
      const merge = await status("RuleOneSecM");
      expect(merge).toMatchObject({
        status: "running",
        source_mqttOneSecM_0_records_in_total: 25,
        source_mqttOneSecM_0_records_out_total: 25,
        source_mqttOneSecM_0_messages_processed_total: 25,
        op_2_ratelimit_0_records_in_total: 25,
        op_2_ratelimit_0_records_out_total: 1,
        op_2_ratelimit_0_messages_processed_total: 25,
        op_2_ratelimit_0_exceptions_total: 0,
        op_3_payload_decoder_0_records_in_total: 1,
        op_3_payload_decoder_0_records_out_total: 1,
        op_3_payload_decoder_0_messages_processed_total: 1,
        op_4_project_0_records_in_total: 1,
        op_4_project_0_records_out_total: 1,
        op_mqtt_0_0_transform_0_records_in_total: 1,
        op_mqtt_0_1_encode_0_records_out_total: 1,
        sink_mqtt_0_0_records_in_total: 1,
        sink_mqtt_0_0_records_out_total: 1,
      });
      // Node order as in the seed: source, ratelimit, payload decoder, project, sink ops, sink.
      const nodes = [...new Set(Object.keys(merge).filter((k) => k.endsWith("_records_in_total")))];
      expect(nodes).toEqual([
        "source_mqttOneSecM_0_records_in_total",
        "op_2_ratelimit_0_records_in_total",
        "op_3_payload_decoder_0_records_in_total",
        "op_4_project_0_records_in_total",
        "op_mqtt_0_0_transform_0_records_in_total",
        "op_mqtt_0_1_encode_0_records_in_total",
        "sink_mqtt_0_0_records_in_total",
      ]);
      for (const id of ["ruleOneSecLatest", "ruleOneSecLatest2"]) {
        expect(await status(id)).toMatchObject({
          source_mqttOneSec_0_records_in_total: 25,
          source_mqttOneSec_0_records_out_total: 25,
          op_2_ratelimit_0_records_in_total: 25,
          op_2_ratelimit_0_records_out_total: 1,
          op_3_decoder_0_records_in_total: 1,
          op_3_decoder_0_records_out_total: 1,
          op_4_project_0_records_out_total: 1,
          sink_mqtt_0_0_records_out_total: 1,
        });
      }
    } finally {
      await client.close();
      await weir.kill("SIGTERM");
      await broker.stop();
      rmSync(weir.home, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: "bad source config is a 400 at stream creation, and at rule creation after a change",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const weir = await WeirProcess.start({ brokerAddr: "off" });
    try {
      const call = async (method: string, path: string, body: unknown) => {
        const r = await weir.request(method, path, body);
        return { status: r.status, body: r.status >= 400 ? r.json() : r.text };
      };
      const stream = (name: string, withs: string) =>
        call("POST", "/streams", { sql: `CREATE STREAM ${name}() WITH (${withs})` });
      await call("PUT", "/metadata/sources/memory/confKeys/m", {
        interval: "1s",
        mergeField: "id",
      });
      expect(await stream("mem", 'TYPE="memory", DATASOURCE="t", CONF_KEY="m"')).toEqual({
        status: 400,
        body: {
          error: 3000,
          message:
            "stream mem: mergeField is only supported for the JSON format (source type memory cannot read one field of a message)",
        },
      });
      expect(await stream("nokey", 'DATASOURCE="t", CONF_KEY="absent"')).toEqual({
        status: 400,
        body: { error: 3000, message: "stream nokey: conf key absent not found for source mqtt" },
      });
      expect(await stream("badtopic", 'DATASOURCE="a/#/b"')).toEqual({
        status: 400,
        body: {
          error: 3000,
          message:
            "stream badtopic: invalid mqtt source datasource: topic filter \"a/#/b\": '#' must be the whole last level",
        },
      });
      // A confKey changed after the stream was created is checked when a rule uses it.
      await call("PUT", "/metadata/sources/memory/confKeys/later", { interval: "1s" });
      expect((await stream("mem2", 'TYPE="memory", DATASOURCE="t", CONF_KEY="later"')).status)
        .toBe(201);
      await call("PUT", "/metadata/sources/memory/confKeys/later", {
        interval: "1s",
        mergeField: "id",
      });
      expect(
        await call("POST", "/rules", {
          id: "r",
          sql: "SELECT id FROM mem2",
          actions: [{ log: {} }],
        }),
      ).toEqual({
        status: 400,
        body: {
          error: 2101,
          message:
            "stream mem2: mergeField is only supported for the JSON format (source type memory cannot read one field of a message)",
        },
      });
    } finally {
      await weir.kill("SIGTERM");
      rmSync(weir.home, { recursive: true, force: true });
    }
  },
});
