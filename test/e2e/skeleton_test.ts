/**
 * The walking skeleton as a user drives it: streams and rules over REST, data over a real MQTT
 * broker, Weir killed (SIGTERM and SIGKILL) and started again with its rules still running.
 */
import { expect } from "expect";
import { rmSync } from "node:fs";
import { WeirProcess } from "../helpers/weir_process.ts";
import { availableBrokerKinds, startTestBroker, type TestBroker } from "../helpers/test_broker.ts";
import { connectClient, type TestClient } from "../helpers/mqtt_client.ts";

const RULE_SQL = "SELECT data->tag1->value AS temperature, data->tag2->value AS humidity " +
  "FROM demo WHERE data->tag1->value > 20";

function event(t: number, h: number): string {
  return JSON.stringify({ data: { tag1: { value: t }, tag2: { value: h } } });
}

async function until(fn: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not met in time");
}

/** Publishes until the rule's subscription is live (a rule subscribes asynchronously). */
async function publishUntilOutput(
  pub: TestClient,
  sub: TestClient,
  payload: string,
  before: number,
): Promise<void> {
  for (let i = 0; i < 100 && sub.messages.length <= before; i++) {
    await pub.publish("devices/1/events", payload);
    await new Promise((r) => setTimeout(r, 100));
  }
  await sub.waitFor(before + 1);
}

for (const kind of availableBrokerKinds()) {
  Deno.test({
    name: `walking skeleton (${kind} broker): REST + MQTT rule survives SIGTERM and SIGKILL`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn(t) {
      const broker: TestBroker = await startTestBroker(kind);
      const weir = await WeirProcess.start({
        brokerAddr: "off",
        mqttServer: broker.url,
        mqttQos: 1,
      });
      const sub = await connectClient(broker.url);
      const pub = await connectClient(broker.url);
      try {
        await sub.subscribe("devices/result");

        await t.step("create and describe a schemaless stream", async () => {
          const r = await weir.request("POST", "/streams", {
            sql: 'create stream demo () WITH (FORMAT="JSON", DATASOURCE="devices/+/events")',
          });
          expect(r.status).toBe(201);
          expect(r.text).toBe("Stream demo is created.");
          expect((await weir.request("GET", "/streams")).json()).toEqual(["demo"]);
          expect((await weir.request("GET", "/streams/demo")).json()).toEqual({
            Name: "demo",
            StreamFields: null,
            Options: { datasource: "devices/+/events", format: "JSON" },
            StreamType: 0,
            Statement: null,
          });
        });

        await t.step("create a rule; a matching event arrives as a JSON array", async () => {
          const r = await weir.request("POST", "/rules", {
            id: "r1",
            sql: RULE_SQL,
            actions: [{ log: {} }, {
              mqtt: { server: broker.url, topic: "devices/result", qos: 1 },
            }],
          });
          expect(r.text).toBe("Rule r1 was created successfully.");
          expect(r.status).toBe(201);
          await publishUntilOutput(pub, sub, event(25, 60), 0);
          expect(JSON.parse(sub.messages[0].payload)).toEqual([{ temperature: 25, humidity: 60 }]);
          // A filtered-out event produces nothing; the next matching one arrives next.
          const n = sub.messages.length;
          await pub.publish("devices/1/events", event(10, 50));
          await pub.publish("devices/2/events", event(30.5, 40));
          const msgs = await sub.waitFor(n + 1);
          expect(JSON.parse(msgs[n].payload)).toEqual([{ temperature: 30.5, humidity: 40 }]);
        });

        await t.step("malformed payloads are counted, the rule keeps running", async () => {
          await pub.publish("devices/1/events", "{not json");
          const n = sub.messages.length;
          await pub.publish("devices/1/events", event(21, 1));
          await sub.waitFor(n + 1);
          const st = (await weir.request("GET", "/rules/r1/status")).json() as Record<
            string,
            unknown
          >;
          expect(st.status).toBe("running");
          expect(st.op_2_decoder_0_exceptions_total).toBe(1);
          expect(String(st.op_2_decoder_0_last_exception)).toMatch(/invalid JSON/);
        });

        await t.step("status has eKuiper's keys in eKuiper's order", async () => {
          const st = (await weir.request("GET", "/rules/r1/status")).json() as Record<
            string,
            unknown
          >;
          const keys = Object.keys(st);
          expect(keys.slice(0, 5)).toEqual([
            "status",
            "message",
            "lastStartTimestamp",
            "lastStopTimestamp",
            "nextStartTimestamp",
          ]);
          for (
            const node of [
              "source_demo_0",
              "op_2_decoder_0",
              "op_3_filter_0",
              "op_4_project_0",
              "op_log_0_0_transform_0",
              "op_log_0_1_encode_0",
              "sink_log_0_0",
              "op_mqtt_1_0_transform_0",
              "op_mqtt_1_1_encode_0",
              "sink_mqtt_1_0",
            ]
          ) {
            for (
              const m of [
                "records_in_total",
                "records_out_total",
                "messages_processed_total",
                "process_latency_us",
                "buffer_length",
                "last_invocation",
                "exceptions_total",
                "last_exception",
                "last_exception_time",
              ]
            ) expect(keys).toContain(`${node}_${m}`);
          }
          expect(st.op_3_filter_0_records_in_total).toBe(4);
          expect(st.op_3_filter_0_records_out_total).toBe(3);
          expect(st.sink_mqtt_1_0_records_out_total).toBe(3);
        });

        await t.step("the stream cannot be dropped while r1 uses it", async () => {
          const r = await weir.request("DELETE", "/streams/demo");
          expect(r.status).toBe(400);
          expect(r.json()).toEqual({
            error: 3000,
            message: "stream demo has been referenced by other rules: r1",
          });
        });

        for (const signal of ["SIGTERM", "SIGKILL"] as const) {
          await t.step(`after ${signal} and a restart the rule runs again`, async () => {
            const status = await weir.kill(signal);
            if (signal === "SIGTERM") expect(status.code).toBe(0);
            await weir.restart();
            expect((await weir.request("GET", "/streams")).json()).toEqual(["demo"]);
            const rules = (await weir.request("GET", "/rules")).json() as { status: string }[];
            expect(rules).toEqual([{
              id: "r1",
              name: "r1",
              status: "running",
              trace: false,
              tags: [],
            }]);
            const n = sub.messages.length;
            await publishUntilOutput(pub, sub, event(22, 33), n);
            expect(JSON.parse(sub.messages[n].payload)).toEqual([{
              temperature: 22,
              humidity: 33,
            }]);
          });
        }

        await t.step("a stopped rule stays stopped across a restart", async () => {
          expect((await weir.request("POST", "/rules/r1/stop")).text).toBe("Rule r1 was stopped.");
          await weir.kill("SIGKILL");
          await weir.restart();
          const rules = (await weir.request("GET", "/rules")).json() as { status: string }[];
          expect(rules[0].status).toBe("stopped");
          expect((await weir.request("POST", "/rules/r1/start")).text).toBe("Rule r1 was started");
          await until(async () =>
            ((await weir.request("GET", "/rules/r1/status")).json() as { status: string })
              .status ===
              "running"
          );
        });
      } finally {
        await sub.close();
        await pub.close();
        await weir.kill("SIGTERM");
        await broker.stop();
        rmSync(weir.home, { recursive: true, force: true });
      }
    },
  });
}
