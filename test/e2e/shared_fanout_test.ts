/**
 * Rules on a SHARED stream whose WHERE starts with `expr = constant` are skipped by the
 * stream's fan-out for messages they cannot pass. Seen from outside nothing may differ: the
 * same results and the same status counters as the same rules on a stream that is not shared
 * (where every rule reads every message), including malformed payloads, null and wrongly
 * typed values, a rule whose comparison is an error for every message, and rules whose rest
 * of the WHERE (after the routed conjunct) fails or keeps state.
 */
import { expect } from "expect";
import { WeirProcess } from "../helpers/weir_process.ts";
import { connectClient } from "../helpers/mqtt_client.ts";
import { until } from "../helpers/until.ts";

const RULES: [string, string][] = [
  ["k0", "id % 3 = 0 AND v > 0"],
  ["k1", "id % 3 = 1 AND v > 0"],
  ["k2", "3 - 1 = id % 3"], // constant on the left, no second conjunct
  // number = string: an error per message, counted. Its own expression: a string constant among
  // the numeric ones of `id % 3` would make that group unsure of every message.
  ["bad", "id % 4 = 'x'"],
  ["name", "name = 'pump'"],
  // Routed rows skip the first conjunct; the rest must still fail as the whole AND does.
  ["rest", "id % 3 = 2 AND v"],
  // A WHERE keeping state is evaluated whole for routed rows too.
  ["hits", "id % 3 = 0 AND last_hit_count() < 4"],
];

/** The counters that must match, keyed without the rule-specific part. */
function counters(status: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(status as Record<string, unknown>)) {
    if (/_(records_in|records_out|messages_processed|exceptions)_total$/.test(k)) {
      out[k.replace(/^source_\w+?_0_/, "source_0_")] = v;
    }
  }
  return out;
}

Deno.test({
  name: "SHARED stream fan-out: skipped rules read the same as rules that saw every message",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const weir = await WeirProcess.start({ mqttServer: "embedded" });
    const url = weir.brokerUrl;
    const client = await connectClient(url);
    try {
      const post = async (path: string, body: unknown) => {
        const r = await weir.request("POST", path, body);
        expect({ path, status: r.status, text: r.text }).toEqual({
          path,
          status: 201,
          text: r.text,
        });
      };
      await post("/streams", {
        sql: 'CREATE STREAM sh () WITH (DATASOURCE="fan/in", FORMAT="json", SHARED="true")',
      });
      await post("/streams", {
        sql: 'CREATE STREAM ns () WITH (DATASOURCE="fan/in", FORMAT="json")',
      });
      const action = (
        id: string,
      ) => [{ mqtt: { server: url, topic: `fan/out/${id}` } }];
      for (const [id, where] of RULES) {
        for (const stream of ["sh", "ns"]) {
          await post("/rules", {
            id: `${stream}_${id}`,
            sql: `SELECT id, v, name FROM ${stream} WHERE ${where}`,
            actions: action(`${stream}_${id}`),
          });
        }
      }
      await client.subscribe("fan/out/#");
      // Wait until both streams' subscriptions are live: a probe every rule k0 passes.
      const probes = () =>
        ["sh_k0", "ns_k0"].every((r) => client.messages.some((m) => m.topic === `fan/out/${r}`));
      await until(
        async () => {
          await client.publish("fan/in", JSON.stringify({ id: 3, v: 1, name: "probe" }));
          return probes();
        },
        10_000,
        "rules subscribed",
      );
      await new Promise((r) => setTimeout(r, 300));
      const before = new Map<string, Record<string, unknown>>();
      for (const [id] of RULES) {
        for (const s of ["sh", "ns"]) {
          before.set(
            `${s}_${id}`,
            counters((await weir.request("GET", `/rules/${s}_${id}/status`)).json()),
          );
        }
      }
      client.messages.length = 0;

      const payloads: string[] = [];
      for (let i = 0; i < 60; i++) {
        payloads.push(JSON.stringify({ id: i, v: i % 4 - 1, name: i % 5 === 0 ? "pump" : "fan" }));
      }
      payloads.push("{not json", JSON.stringify({ v: 3 }), JSON.stringify({ id: "4", v: 3 }));
      payloads.push(JSON.stringify([{ id: 3, v: 2 }, { id: 4, v: 2 }])); // two rows
      payloads.push(JSON.stringify({ id: 6.0, v: 1, name: "pump" }));
      for (const p of payloads) await client.publish("fan/in", p);
      await client.publish("fan/in", JSON.stringify({ id: 0, v: 9, name: "last" }));
      await until(
        () =>
          ["sh_k0", "ns_k0"].every((r) =>
            client.messages.some((m) => m.topic === `fan/out/${r}` && m.payload.includes("last"))
          ),
        10_000,
        "the last message through k0",
      );
      await new Promise((r) => setTimeout(r, 300));

      for (const [id] of RULES) {
        const got = (s: string) =>
          client.messages.filter((m) => m.topic === `fan/out/${s}_${id}`).map((m) => m.payload);
        expect({ id, shared: got("sh") }).toEqual({ id, shared: got("ns") });
        const delta = async (s: string) => {
          const now = counters((await weir.request("GET", `/rules/${s}_${id}/status`)).json());
          const base = before.get(`${s}_${id}`)!;
          return Object.fromEntries(
            Object.entries(now).map(([k, v]) => [k, (v as number) - (base[k] as number)]),
          );
        };
        expect({ id, counters: await delta("sh") }).toEqual({ id, counters: await delta("ns") });
      }
      // The cases above really happened: results, and errors in the always-failing rule.
      expect(client.messages.filter((m) => m.topic === "fan/out/sh_k1").length).toBeGreaterThan(5);
      const bad = (await weir.request("GET", "/rules/sh_bad/status")).json() as Record<
        string,
        number
      >;
      expect(Object.entries(bad).some(([k, v]) => /filter_0_exceptions_total$/.test(k) && v > 60))
        .toBe(true);
    } finally {
      await client.close();
      await weir.kill("SIGTERM");
    }
  },
});
