/**
 * One rule per window type over a real MQTT broker, in event time so that the expected
 * windows are exact: the rows carry their own time (`TIMESTAMP` read with
 * `TIMESTAMP_FORMAT`), a late row moves the watermark. Plus the user's seed example
 * (`HoppingWindow` with an alias dimension and `windowStart()`).
 */
import { expect } from "expect";
import { rmSync } from "node:fs";
import { WeirProcess } from "../helpers/weir_process.ts";
import { availableBrokerKinds, startTestBroker } from "../helpers/test_broker.ts";
import { connectClient } from "../helpers/mqtt_client.ts";

const kind = availableBrokerKinds().includes("mosquitto") ? "mosquitto" : "weir";
const BASE = Date.UTC(2026, 0, 1, 0, 0, 0); // a minute boundary
const iso = (s: number) => new Date(BASE + s * 1000).toISOString().replace(/\.(\d{3})Z$/, ".$1Z");

const RULES: Record<string, string> = {
  tumbling: "SELECT count(*) AS c FROM w GROUP BY TumblingWindow(ss, 10)",
  hopping: "SELECT count(*) AS c FROM w GROUP BY HoppingWindow(ss, 10, 5)",
  sliding: "SELECT count(*) AS c FROM w GROUP BY SlidingWindow(ss, 5) OVER (WHEN v > 100)",
  delayed: "SELECT count(*) AS c, collect(v) AS vs FROM w " +
    "GROUP BY SlidingWindow(ss, 5, 3) OVER (WHEN v > 100)",
  session: "SELECT count(*) AS c FROM w GROUP BY SessionWindow(ss, 60, 3)",
  count: "SELECT collect(v) AS vs FROM w GROUP BY CountWindow(3)",
  count2: "SELECT collect(v) AS vs FROM w GROUP BY CountWindow(3, 2)",
  state: "SELECT collect(v) AS vs FROM w GROUP BY StateWindow(v > 100, v < 0)",
  seed: "SELECT (ts - windowStart() > 5000) as firstHalf, AVG(val) as avg FROM demo " +
    "GROUP BY HoppingWindow(ss, 10, 5), firstHalf ORDER BY firstHalf",
};

// Twice: plain windows, then `enableIncrementalWindow` (every rule but the state window's folds
// its rows). The results must be the same.
for (const incremental of [false, true]) {
  Deno.test({
    name: `every window type over MQTT (${kind} broker), event time` +
      (incremental ? ", enableIncrementalWindow" : ""),
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const broker = await startTestBroker(kind);
      const weir = await WeirProcess.start({
        brokerAddr: "off",
        mqttServer: broker.url,
        mqttQos: 1,
      });
      const sub = await connectClient(broker.url);
      const pub = await connectClient(broker.url);
      try {
        await sub.subscribe("win/out/#");
        for (
          const sql of [
            'CREATE STREAM w (id bigint, v float, ts string) WITH (DATASOURCE="win/in", ' +
            `TIMESTAMP="ts", TIMESTAMP_FORMAT="yyyy-MM-dd'T'HH:mm:ssSSSXXX")`,
            'CREATE STREAM demo (val float, ts bigint) WITH (DATASOURCE="win/demo", TIMESTAMP="ts")',
          ]
        ) {
          const r = await weir.request("POST", "/streams", { sql });
          expect({ sql, status: r.status, text: r.text }).toEqual({
            sql,
            status: 201,
            text: r.text,
          });
        }
        for (const [id, sql] of Object.entries(RULES)) {
          const r = await weir.request("POST", "/rules", {
            id,
            sql,
            actions: [{ mqtt: { server: broker.url, topic: `win/out/${id}`, qos: 1 } }],
            options: {
              isEventTime: true,
              lateTolerance: 0,
              planOptimizeStrategy: { enableIncrementalWindow: incremental },
            },
          });
          expect({ id, status: r.status, text: r.text }).toEqual({ id, status: 201, text: r.text });
        }
        // Wait until every rule's MQTT source is connected (and give SUBSCRIBE a moment).
        const connected = async (id: string) => {
          const st = (await weir.request("GET", `/rules/${id}/status`)).json() as Record<
            string,
            unknown
          >;
          return Object.entries(st).some(([k, v]) => k.endsWith("connection_status") && v === 1);
        };
        for (const id of Object.keys(RULES)) {
          for (let i = 0; i < 200 && !(await connected(id)); i++) {
            await new Promise((r) => setTimeout(r, 25));
          }
        }
        await new Promise((r) => setTimeout(r, 300));

        const rows: [number, number][] = [[1, 1], [2, 200], [4, 2], [8, 3], [12, -1], [20, 5], [
          40,
          6,
        ]];
        for (const [s, v] of rows) {
          await pub.publish("win/in", JSON.stringify({ id: 1, v, ts: iso(s) }));
        }
        // The seed's demo stream: rows at 1 s, 3 s (first half) and 7 s, 9 s (second half).
        for (const [s, val] of [[1, 10], [3, 20], [7, 30], [9, 50], [30, 0]]) {
          await pub.publish("win/demo", JSON.stringify({ val, ts: BASE + s * 1000 }));
        }

        const byRule = () => {
          const out: Record<string, unknown[][]> = {};
          for (const m of sub.messages) {
            const id = m.topic.split("/")[2];
            (out[id] ??= []).push(JSON.parse(m.payload));
          }
          return out;
        };
        const nonEmpty = (id: string) => (byRule()[id] ?? []).filter((w) => w.length > 0);
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline) {
          if (nonEmpty("hopping").length >= 6 && nonEmpty("seed").length >= 2) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await new Promise((r) => setTimeout(r, 300));

        // Tumbling [start, 10 s), [10, 20), [20, 30): 4, 1, 1 rows.
        expect(nonEmpty("tumbling").slice(0, 3)).toEqual([[{ c: 4 }], [{ c: 1 }], [{ c: 1 }]]);
        // Hopping 10 s every 5 s, ends at 5, 10, …, 30 s.
        expect(nonEmpty("hopping").slice(0, 6)).toEqual([
          [{ c: 3 }],
          [{ c: 4 }],
          [{ c: 2 }],
          [{ c: 1 }],
          [{ c: 1 }],
          [{ c: 1 }],
        ]);
        // Sliding: only the row with v > 100 (at 2 s) triggers; [−3 s, 2 s] holds 2 rows.
        expect(nonEmpty("sliding")).toEqual([[{ c: 2 }]]);
        // Delayed by 3 s: emitted at 5 s with the rows of [−3 s, 5 s).
        expect(nonEmpty("delayed")).toEqual([[{ c: 3, vs: [1, 200, 2] }]]);
        // Sessions close after 3 s without rows: {1, 2, 4}, {8}, {12}, {20}.
        expect(nonEmpty("session")).toEqual([[{ c: 3 }], [{ c: 1 }], [{ c: 1 }], [{ c: 1 }]]);
        expect(nonEmpty("count")).toEqual([[{ vs: [1, 200, 2] }], [{ vs: [3, -1, 5] }]]);
        // Every 2nd row, the last 3 once 3 are there: rows 2–4, then 4–6.
        expect(nonEmpty("count2")).toEqual([[{ vs: [200, 2, 3] }], [{ vs: [3, -1, 5] }]]);
        // State: opens at v > 100, closes (and emits, the closing row included) at v < 0.
        expect(nonEmpty("state")).toEqual([[{ vs: [200, 2, 3, -1] }]]);
        // The seed: per hopping window, the halves averaged and ordered by firstHalf. The first
        // window is [-5 s, 5 s) (window_start() = end − length): 1 s and 3 s are its second half.
        expect(nonEmpty("seed").slice(0, 2)).toEqual([
          [{ firstHalf: true, avg: 15 }],
          [{ firstHalf: false, avg: 15 }, { firstHalf: true, avg: 40 }],
        ]);
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
