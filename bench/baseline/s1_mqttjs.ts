/**
 * The S1 rule written by hand with mqtt.js: what a user would run instead of Weir.
 *
 *   deno run -A bench/baseline/s1_mqttjs.ts mqtt://127.0.0.1:1883
 *
 * Subscribes to `bench/in` (QoS 0); for every message with `temperature > 30` publishes
 * `{id, temperature, ts}` to `bench/out` (QoS 0), i.e.
 * `SELECT id, temperature, ts FROM s WHERE temperature > 30`. Plain mqtt.js defaults, one
 * client. Prints `ready` once the subscription is acknowledged (the benchmarks wait for it).
 *
 * @module
 */
import mqtt from "mqtt";

const url = Deno.args[0];
if (!url) {
  console.error("usage: s1_mqttjs.ts <broker url>");
  Deno.exit(2);
}

const client = mqtt.connect(url);

client.on("connect", () => {
  client.subscribe("bench/in", { qos: 0 }, (err) => {
    if (err) {
      console.error(`subscribe failed: ${err.message}`);
      Deno.exit(1);
    }
    console.log("ready");
  });
});

client.on("message", (_topic, payload) => {
  let m;
  try {
    m = JSON.parse(payload.toString());
  } catch {
    return; // not JSON: skip it, as the rule's decoder would
  }
  if (m.temperature > 30) {
    client.publish(
      "bench/out",
      JSON.stringify({ id: m.id, temperature: m.temperature, ts: m.ts }),
      { qos: 0 },
    );
  }
});

client.on("error", (err) => console.error(`mqtt: ${err.message}`));
