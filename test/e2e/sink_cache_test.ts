/**
 * The sink cache end to end: a real Weir process runs a rule that publishes every input to an
 * external MQTT broker through a sink with `enableCache`. The broker process is stopped for 10 s
 * and started again; every result must arrive, in order. Then the broker goes away again, Weir is
 * restarted (SIGTERM) meanwhile, and the results cached before the restart still arrive.
 *
 * Between Weir and the broker sits a small TCP gate: after the broker restarts, the gate lets
 * Weir in only once the test's subscriber is subscribed again, so that the check does not depend
 * on which client reconnects first (a restarted broker keeps no sessions).
 */
import { expect } from "expect";
import net from "node:net";
import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { WeirProcess } from "../helpers/weir_process.ts";
import { freePort, waitForPort } from "../helpers/ports.ts";
import { connectClient, type TestClient } from "../helpers/mqtt_client.ts";

const BROKER_MAIN = resolve(new URL("../helpers/broker_main.ts", import.meta.url).pathname);

/** Weir's broker, standalone, on a fixed port (so it can come back on the same address). */
async function startBroker(port: number): Promise<{ stop(): Promise<void> }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", BROKER_MAIN, String(port)],
    stdout: "null",
    stderr: "null",
  }).spawn();
  await waitForPort(port, 15_000);
  return {
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      await child.status;
    },
  };
}

/** A TCP relay to the broker that refuses connections while closed. */
function startGate(listenPort: number, brokerPort: number) {
  const sockets = new Set<net.Socket>();
  const gate = { open: true };
  const server = net.createServer((client) => {
    if (!gate.open) {
      client.destroy();
      return;
    }
    const up = net.connect(brokerPort, "127.0.0.1");
    sockets.add(client).add(up);
    const end = () => {
      client.destroy();
      up.destroy();
      sockets.delete(client);
      sockets.delete(up);
    };
    client.on("error", end).on("close", end);
    up.on("error", end).on("close", end);
    client.pipe(up);
    up.pipe(client);
  });
  server.listen(listenPort, "127.0.0.1");
  return {
    gate,
    close() {
      gate.open = false;
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function until(
  fn: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Waits until `sub` receives a probe published on the broker: it is subscribed again. */
async function resubscribed(sub: TestClient, brokerUrl: string): Promise<void> {
  const probe = await connectClient(brokerUrl);
  try {
    let n = 0;
    await until(
      async () => {
        await probe.publish("out/probe", String(n++), 1);
        await new Promise((r) => setTimeout(r, 50));
        return sub.messages.some((m) => m.topic === "out/probe");
      },
      15_000,
      "the subscriber to come back",
    );
  } finally {
    await probe.close();
  }
}

Deno.test({
  name: "sink cache: broker away for 10 s and a Weir restart lose nothing and keep order",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const brokerPort = await freePort();
    const gatePort = await freePort();
    const embeddedPort = await freePort();
    const brokerUrl = `mqtt://127.0.0.1:${brokerPort}`;
    const embeddedUrl = `mqtt://127.0.0.1:${embeddedPort}`;
    let broker = await startBroker(brokerPort);
    const relay = startGate(gatePort, brokerPort);
    const weir = await WeirProcess.start({
      brokerAddr: `127.0.0.1:${embeddedPort}`,
      mqttServer: embeddedUrl,
      mqttQos: 1,
    });
    const sub = await connectClient(brokerUrl);
    const input = await connectClient(embeddedUrl);
    let seq = 0;
    const send = async (n: number, gapMs: number) => {
      for (let i = 0; i < n; i++) {
        await input.publish("in/t", JSON.stringify({ seq: seq++ }), 1);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    };
    const received = (): number[] =>
      sub.messages.filter((m) => m.topic === "out/cache").map((m) => JSON.parse(m.payload).seq)
        .filter((n) => n >= 0);
    try {
      await sub.subscribe("out/#");
      expect(
        (await weir.request("POST", "/streams", {
          sql: 'CREATE STREAM s () WITH (DATASOURCE="in/t")',
        })).status,
      ).toBe(201);
      const rule = await weir.request("POST", "/rules", {
        id: "cached",
        sql: "SELECT seq FROM s",
        actions: [{
          mqtt: {
            server: `mqtt://127.0.0.1:${gatePort}`,
            topic: "out/cache",
            qos: 1,
            sendSingle: true,
            enableCache: true,
            memoryCacheThreshold: 10,
            bufferPageSize: 8,
          },
        }],
      });
      expect(rule.status).toBe(201);
      // Phase 1: the peer is up.
      // Warm-up results (seq -1) until the rule is subscribed; they are not counted.
      await until(
        async () => {
          await input.publish("in/t", JSON.stringify({ seq: -1 }), 1);
          await new Promise((r) => setTimeout(r, 100));
          return sub.messages.some((m) => m.topic === "out/cache");
        },
        15_000,
        "the first result",
      );
      await send(20, 10);
      await until(() => received().length >= seq, 10_000, "phase 1 results");

      // Phase 2: the broker process goes away for 10 s while inputs keep coming.
      relay.gate.open = false;
      await broker.stop();
      const outageStart = Date.now();
      await send(100, 100); // ~10 s
      while (Date.now() - outageStart < 10_000) await new Promise((r) => setTimeout(r, 50));
      const status = (await weir.request("GET", "/rules/cached/status")).json() as Record<
        string,
        number
      >;
      expect(status.sink_mqtt_0_0_buffer_length).toBeGreaterThan(50);
      expect(existsSync(join(weir.home, "data", "cache.db"))).toBe(true);
      broker = await startBroker(brokerPort);
      await resubscribed(sub, brokerUrl);
      relay.gate.open = true;
      await send(10, 20);
      await until(() => new Set(received()).size >= seq, 30_000, "every result after the outage");

      // Phase 3: away again, and Weir restarts meanwhile: the cache is persisted and resent.
      relay.gate.open = false;
      await broker.stop();
      await send(30, 20);
      await until(
        async () => {
          const s = (await weir.request("GET", "/rules/cached/status")).json() as Record<
            string,
            number
          >;
          return s.sink_mqtt_0_0_buffer_length >= 30;
        },
        10_000,
        "the rule to take the inputs",
      );
      await weir.kill("SIGTERM");
      await weir.restart();
      // The recovered rule must be subscribed to the (restarted) embedded broker before new
      // inputs are published there.
      await until(
        async () => {
          const r = await weir.request("GET", "/rules/cached/status").catch(() => undefined);
          if (!r || r.status !== 200) return false;
          const s = r.json() as Record<string, number>;
          return s.source_s_0_connection_status === 1;
        },
        15_000,
        "the recovered rule's source",
      );
      await new Promise((r) => setTimeout(r, 500));
      broker = await startBroker(brokerPort);
      await resubscribed(sub, brokerUrl);
      relay.gate.open = true;
      await send(5, 20);
      await until(() => new Set(received()).size >= seq, 30_000, "every result after the restart");

      // Every result arrived, in order. A result in flight when the broker died may arrive
      // twice (at least once delivery, qos 1), but never out of order.
      const got = received();
      const distinct = [...new Set(got)];
      expect(distinct).toEqual(Array.from({ length: seq }, (_, i) => i));
      for (let i = 1; i < got.length; i++) expect(got[i]).toBeGreaterThanOrEqual(got[i - 1]);
      console.log(`sink cache e2e: ${seq} results, ${got.length - distinct.length} duplicates`);
    } finally {
      await input.close();
      await sub.close();
      await weir.kill("SIGTERM");
      await relay.close();
      await broker.stop();
      rmSync(weir.home, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: "data templates: rendered per result with a dynamic topic; syntax errors are 400",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const weir = await WeirProcess.start({ mqttServer: "embedded" });
    const url = weir.brokerUrl;
    const client = await connectClient(url);
    try {
      await client.subscribe("out/#");
      await weir.request("POST", "/streams", {
        sql: 'CREATE STREAM s () WITH (DATASOURCE="in/t")',
      });
      const bad = await weir.request("POST", "/rules", {
        id: "bad",
        sql: "SELECT * FROM s",
        actions: [{ mqtt: { server: url, topic: "out/x", dataTemplate: "{{if .a}}unclosed" } }],
      });
      expect(`${bad.status} ${bad.text}`).toMatch(/^400 /);
      expect(bad.text).toMatch(/dataTemplate.*missing \{\{end\}\}/);
      const r = await weir.request("POST", "/rules", {
        id: "tpl",
        sql: "SELECT dev, avg, prev FROM s",
        actions: [{
          mqtt: {
            server: url,
            topic: "out/{{.dev}}",
            sendSingle: true,
            dataTemplate: '{"percentage":"{{mulf (round (divf .avg .prev) 2) 100}}%"}',
          },
        }],
      });
      expect(r.status).toBe(201);
      await until(
        async () => {
          await client.publish("in/t", JSON.stringify({ dev: "d1", avg: 4.5, prev: 3 }));
          await new Promise((r) => setTimeout(r, 100));
          return client.messages.length > 0;
        },
        15_000,
        "a templated result",
      );
      expect(client.messages[0]).toEqual({ topic: "out/d1", payload: '{"percentage":"150%"}' });
    } finally {
      await client.close();
      await weir.kill("SIGTERM");
      rmSync(weir.home, { recursive: true, force: true });
    }
  },
});
