/**
 * Relay throughput of the embedded broker: N QoS 0 messages from one publisher to one
 * subscriber on loopback, in the same process. Runtime-neutral, so it runs as a script:
 *
 *   deno run -A src/io/broker/broker_bench.ts [messages] [payloadBytes]
 *   node_modules/.bin/bun run src/io/broker/broker_bench.ts
 *
 * Two measurements:
 * - `mqtt.js`: real mqtt.js clients on both ends (client encode/parse costs included);
 * - `raw`: pre-encoded PUBLISH bytes written by a bare socket and counted as bytes by another,
 *   so that the number is the broker's own cost (parse, route, encode, write).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import net from "node:net";
import process from "node:process";
import { setImmediate } from "node:timers";
import mqtt from "mqtt";
import mqttPacket from "mqtt-packet";
import { startBroker } from "./mod.ts";

const N = Number(process.argv[2] ?? 100_000);
const SIZE = Number(process.argv[3] ?? 64);
const TOPIC = "bench/relay";

async function viaMqttJs(port: number): Promise<number> {
  const url = `mqtt://127.0.0.1:${port}`;
  const sub = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  await sub.subscribeAsync(TOPIC, { qos: 0 });
  const pub = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  const payload = Buffer.alloc(SIZE, 120);
  let got = 0;
  const done = new Promise<void>((resolve) => {
    sub.on("message", () => {
      if (++got === N) resolve();
    });
  });
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    pub.publish(TOPIC, payload, { qos: 0 });
    // Let the socket drain now and then: a single 100k-message burst would measure the
    // client's write buffering, not the relay.
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
  }
  await done;
  const ms = performance.now() - t0;
  await pub.endAsync();
  await sub.endAsync();
  return ms;
}

function rawConnect(port: number, clientId: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1", () => {
      s.write(mqttPacket.generate({ cmd: "connect", clientId, protocolVersion: 4, clean: true }));
      s.once("data", () => resolve(s)); // CONNACK
    });
    s.once("error", reject);
  });
}

async function viaRawSockets(port: number): Promise<number> {
  const sub = await rawConnect(port, "bench-sub");
  sub.write(mqttPacket.generate({
    cmd: "subscribe",
    messageId: 1,
    subscriptions: [{ topic: TOPIC, qos: 0 }],
  }));
  await new Promise((r) => sub.once("data", r)); // SUBACK
  const pub = await rawConnect(port, "bench-pub");
  const one = mqttPacket.generate({
    cmd: "publish",
    topic: TOPIC,
    payload: Buffer.alloc(SIZE, 120),
    qos: 0,
    retain: false,
    dup: false,
  });
  const all = Buffer.concat(Array.from({ length: N }, () => one));
  let bytes = 0;
  const done = new Promise<void>((resolve) => {
    sub.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes >= all.length) resolve();
    });
  });
  const t0 = performance.now();
  // Chunks of ~64 KiB, as a busy publisher's socket would deliver them.
  for (let off = 0; off < all.length; off += 65536) pub.write(all.subarray(off, off + 65536));
  await done;
  const ms = performance.now() - t0;
  pub.destroy();
  sub.destroy();
  return ms;
}

const broker = await startBroker({ host: "127.0.0.1", port: 0 });
try {
  for (const [name, run] of [["raw", viaRawSockets], ["mqtt.js", viaMqttJs]] as const) {
    await run(broker.port); // warm-up
    const ms = await run(broker.port);
    const rate = Math.round(N / (ms / 1000));
    console.log(`${name}: ${N} × ${SIZE} B QoS 0 in ${ms.toFixed(0)} ms = ${rate} msg/s`);
  }
  const st = broker.stats();
  console.log(`stats: in=${st.messagesIn} out=${st.messagesOut} dropped=${st.dropped}`);
} finally {
  await broker.close();
}
