import { expect } from "expect";
import { availableBrokerKinds, startTestBroker } from "../../test/helpers/test_broker.ts";
import { freePort } from "../../test/helpers/ports.ts";
import { LeanClient } from "./lean_mqtt.ts";

const utf8 = new TextDecoder();

for (const kind of availableBrokerKinds()) {
  Deno.test(`bench's lean MQTT client (${kind}): a flood arrives whole and in order`, async () => {
    const broker = await startTestBroker(kind);
    const sub = await LeanClient.connect(broker.url, "lean-sub");
    const pub = await LeanClient.connect(broker.url, "lean-pub");
    try {
      const got: { topic: string; body: string; at: number }[] = [];
      sub.on(
        "message",
        (topic, payload, at) => got.push({ topic, body: utf8.decode(payload), at }),
      );
      await sub.subscribeAsync("lean/#");

      // Lengths on both sides of each remaining-length byte boundary, multi-byte UTF-8, and
      // enough messages that packets straddle reads and writes.
      const bodies: string[] = [];
      for (let i = 0; i < 20_000; i++) bodies.push(`{"i":${i}}`);
      bodies.push("x".repeat(120), "y".repeat(130), "z".repeat(16_380), "w".repeat(20_000));
      bodies.push("température ≥ 30 °C ✓");
      const topics = ["lean/a", "lean/b"];
      const t0 = performance.now();
      for (const [i, b] of bodies.entries()) {
        pub.publish(topics[i % 2], b);
        if (i % 500 === 499) await pub.drain();
      }
      await pub.drain();
      const until = performance.now() + 20_000;
      while (got.length < bodies.length && performance.now() < until) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(got.length).toBe(bodies.length);
      expect(got.map((g) => g.body)).toEqual(bodies);
      expect(got.map((g) => g.topic)).toEqual(bodies.map((_, i) => topics[i % 2]));
      expect(got.every((g) => g.at >= t0 && g.at <= performance.now())).toBe(true);

      // A listener taken off gets nothing more.
      const before = got.length;
      const off = (_t: string, _p: Uint8Array) => got.push({ topic: "", body: "", at: 0 });
      sub.on("message", off).off("message", off);
      pub.publish("lean/a", "last");
      await pub.drain();
      while (got.length === before && performance.now() < until) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(got.slice(before).map((g) => g.body)).toEqual(["last"]);
    } finally {
      await pub.endAsync();
      await sub.endAsync(true);
      await broker.stop();
    }
  });
}

Deno.test("bench's lean MQTT client: no broker is an error, not a hang", async () => {
  const port = await freePort();
  await expect(LeanClient.connect(`mqtt://127.0.0.1:${port}`, "nobody")).rejects.toThrow();
});

Deno.test("bench's lean MQTT client: a broker gone makes drain throw, not the process", async () => {
  const broker = await startTestBroker("weir");
  const pub = await LeanClient.connect(broker.url, "lean-gone");
  await broker.stop();
  let error: Error | undefined;
  for (let i = 0; i < 200 && !error; i++) {
    pub.publish("lean/gone", "x".repeat(1000));
    try {
      await pub.drain();
    } catch (e) {
      error = e as Error;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(error?.message).toMatch(/write failed/);
  await pub.endAsync();
});
