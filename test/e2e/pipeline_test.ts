/**
 * Connectors end to end, under Deno and under Bun: HTTP push in, a rule pipeline through a
 * memory topic, a REST sink out; and an MQTT rule through Weir's own embedded broker.
 */
import { expect } from "expect";
import { existsSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { WeirProcess } from "../helpers/weir_process.ts";
import { freePort } from "../helpers/ports.ts";
import { connectClient } from "../helpers/mqtt_client.ts";
import { until } from "../helpers/until.ts";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);
const BUN = resolve(ROOT, "node_modules/.bin/bun");

const runtimes: { name: string; command?: string[] }[] = [{ name: "deno" }];
if (existsSync(BUN)) {
  runtimes.push({ name: "bun", command: [BUN, "run", resolve(ROOT, "main.ts")] });
}

for (const rt of runtimes) {
  Deno.test({
    name: `pipeline under ${rt.name}: httppush → rule → memory → rule → rest sink`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const received: { method: string; body: unknown }[] = [];
      const ac = new AbortController();
      const httpPort = await freePort();
      const server = Deno.serve({
        port: httpPort,
        hostname: "127.0.0.1",
        signal: ac.signal,
        onListen() {},
      }, async (req) => {
        received.push({ method: req.method, body: await req.json() });
        return new Response("ok");
      });
      const weir = await WeirProcess.start({ brokerAddr: "off", command: rt.command });
      try {
        const ok = async (method: string, path: string, body: unknown, status: number) => {
          const r = await weir.request(method, path, body);
          expect({ path, status: r.status, text: r.text }).toEqual({ path, status, text: r.text });
        };
        await ok("POST", "/streams", {
          sql:
            'CREATE STREAM readings (id bigint, t float) WITH (TYPE="httppush", DATASOURCE="/readings")',
        }, 201);
        await ok("POST", "/streams", {
          sql: 'CREATE STREAM hot () WITH (TYPE="memory", DATASOURCE="alerts/#")',
        }, 201);
        await ok("POST", "/rules", {
          id: "to_mem",
          sql: "SELECT id, t * 2 AS doubled, t > 30 AS hot FROM readings WHERE t > 10",
          actions: [{ memory: { topic: "alerts/hot" } }],
        }, 201);
        await ok("POST", "/rules", {
          id: "to_rest",
          sql: "SELECT id, doubled, meta(topic) AS topic FROM hot WHERE hot = true",
          actions: [{
            rest: { url: `http://127.0.0.1:${httpPort}/sink`, method: "post", sendSingle: true },
          }],
        }, 201);
        const push = (body: string) =>
          fetch(`http://127.0.0.1:${weir.pushPort}/readings`, { method: "POST", body });
        for (const b of ['{"id":1,"t":35.5}', '{"id":2,"t":5}', '{"id":3,"t":20}', "{oops"]) {
          const r = await push(b);
          await r.body?.cancel();
          expect(r.status).toBe(200);
        }
        const wrong = await fetch(`http://127.0.0.1:${weir.pushPort}/nowhere`, {
          method: "POST",
          body: "{}",
        });
        await wrong.body?.cancel();
        expect(wrong.status).toBe(404);
        await until(() => received.length >= 1);
        await new Promise((r) => setTimeout(r, 200));
        expect(received).toEqual([
          { method: "POST", body: { id: 1, doubled: 71, topic: "alerts/hot" } },
        ]);
        const st = (await weir.request("GET", "/rules/to_mem/status")).json() as Record<
          string,
          number
        >;
        expect(st.source_readings_0_records_in_total).toBe(4);
        expect(st.op_2_decoder_0_exceptions_total).toBe(1);
        expect(st.op_3_filter_0_records_out_total).toBe(2);
        const st2 = (await weir.request("GET", "/rules/to_rest/status")).json() as Record<
          string,
          number
        >;
        expect(st2.sink_rest_0_0_records_out_total).toBe(1);
      } finally {
        await weir.kill("SIGTERM");
        ac.abort();
        await server.finished;
        rmSync(weir.home, { recursive: true, force: true });
      }
    },
  });

  Deno.test({
    name: `embedded broker under ${rt.name}: one process is a complete edge node`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const weir = await WeirProcess.start({ command: rt.command, mqttServer: "embedded" });
      const url = weir.brokerUrl;
      const client = await connectClient(url);
      try {
        await client.subscribe("out/#");
        await weir.request("POST", "/streams", {
          sql: 'CREATE STREAM s () WITH (DATASOURCE="in/+")',
        });
        const r = await weir.request("POST", "/rules", {
          id: "edge",
          sql: "SELECT upper(name) AS name, v + 1 AS v FROM s WHERE v >= 0",
          actions: [{ mqtt: { server: url, topic: "out/edge", sendSingle: true } }],
        });
        expect(r.status).toBe(201);
        for (let i = 0; i < 100 && client.messages.length === 0; i++) {
          await client.publish("in/1", JSON.stringify({ name: "pump", v: 1 }));
          await new Promise((r) => setTimeout(r, 100));
        }
        const msgs = await client.waitFor(1);
        expect(JSON.parse(msgs[0].payload)).toEqual({ name: "PUMP", v: 2 });
        expect(msgs[0].topic).toBe("out/edge");
      } finally {
        await client.close();
        await weir.kill("SIGTERM");
        rmSync(weir.home, { recursive: true, force: true });
      }
    },
  });
}
