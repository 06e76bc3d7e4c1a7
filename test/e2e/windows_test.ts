/**
 * Window rules end to end over REST and HTTP push, with a REST sink collecting each window's
 * emission: count windows (data-driven, deterministic), event-time tumbling windows (driven
 * by the data's own timestamps) and a processing-time tumbling window.
 */
import { expect } from "expect";
import { rmSync } from "node:fs";
import { WeirProcess } from "../helpers/weir_process.ts";
import { freePort } from "../helpers/ports.ts";
import { until } from "../helpers/until.ts";

// The whole suite runs twice: plain windows, then `enableIncrementalWindow` (issue 5), whose
// results must be identical; only the plan (EXPLAIN, node names) differs.
for (const incremental of [false, true]) {
  Deno.test({
    name: `window rules${incremental ? " (enableIncrementalWindow)" : ""}: count, event time, ` +
      "idle watermark, joins, processing time, EXPLAIN",
    sanitizeOps: false,
    sanitizeResources: false,
    async fn(t) {
      const received = new Map<string, unknown[]>();
      const ac = new AbortController();
      const httpPort = await freePort();
      const server = Deno.serve(
        { port: httpPort, hostname: "127.0.0.1", signal: ac.signal, onListen() {} },
        async (req) => {
          const rule = new URL(req.url).pathname.slice(1);
          if (!received.has(rule)) received.set(rule, []);
          received.get(rule)!.push(await req.json());
          return new Response("ok");
        },
      );
      const weir = await WeirProcess.start({ brokerAddr: "off" });
      const sinkTo = (rule: string) => [{
        rest: { url: `http://127.0.0.1:${httpPort}/${rule}`, method: "post", sendSingle: false },
      }];
      const create = async (id: string, sql: string, options: Record<string, unknown> = {}) => {
        const r = await weir.request("POST", "/rules", {
          id,
          sql,
          actions: sinkTo(id),
          options: { ...options, planOptimizeStrategy: { enableIncrementalWindow: incremental } },
        });
        expect({ id, status: r.status, text: r.text }).toEqual({ id, status: 201, text: r.text });
      };
      const push = async (path: string, rows: unknown[]) => {
        for (const row of rows) {
          const r = await fetch(`http://127.0.0.1:${weir.pushPort}/${path}`, {
            method: "POST",
            body: JSON.stringify(row),
          });
          await r.body?.cancel();
          expect(r.status).toBe(200);
        }
      };
      try {
        // One stream per step, so that one step's rows never reach another step's rules.
        for (const name of ["s", "s_et", "s_idle", "s_pt", "s_lag"]) {
          const s = await weir.request("POST", "/streams", {
            sql: `CREATE STREAM ${name} (id bigint, v float, ts bigint) WITH (TYPE="httppush", ` +
              `DATASOURCE="/${name}", TIMESTAMP="ts")`,
          });
          expect(s.status).toBe(201);
        }

        await t.step("count window: groups, aggregates, HAVING, ORDER BY", async () => {
          await create(
            "cw",
            "SELECT id, count(*) AS c, sum(v) AS total FROM s GROUP BY CountWindow(4), id " +
              "HAVING count(*) > 0 ORDER BY id DESC",
          );
          await push("s", [
            { id: 1, v: 1, ts: 0 },
            { id: 2, v: 10, ts: 0 },
            { id: 1, v: 2, ts: 0 },
            { id: 1, v: 3, ts: 0 },
            { id: 9, v: 0, ts: 0 }, // first row of the next, unfinished window
          ]);
          await until(() => (received.get("cw")?.length ?? 0) >= 1);
          expect(received.get("cw")).toEqual([[
            { id: 2, c: 1, total: 10 },
            { id: 1, c: 3, total: 6 },
          ]]);
          const explain = await weir.request("GET", "/rules/cw/explain");
          expect(explain.text.split("\n").map((l) => JSON.parse(l.trim()).op)).toEqual(
            incremental
              ? [
                "ProjectPlan_0",
                "OrderPlan_1",
                "HavingPlan_2",
                "IncAggWindowPlan_3",
                "DataSourcePlan_4",
              ]
              : [
                "ProjectPlan_0",
                "OrderPlan_1",
                "HavingPlan_2",
                "AggregatePlan_3",
                "WindowPlan_4",
                "DataSourcePlan_5",
              ],
          );
          const status = (await weir.request("GET", "/rules/cw/status")).json() as Record<
            string,
            number
          >;
          expect(status["op_3_window_0_records_in_total"]).toBe(5);
          expect(status["op_3_window_0_records_out_total"]).toBe(1);
          expect(status["op_3_window_0_buffer_length"]).toBe(1);
          // The incremental window has no aggregate node: its groups come out of the window.
          expect(status[`op_${incremental ? 6 : 7}_project_0_records_out_total`]).toBe(2);
        });

        await t.step(
          "event-time tumbling window: windows close as the watermark passes",
          async () => {
            await create(
              "et",
              "SELECT count(*) AS c, window_start() AS ws, window_end() AS we FROM s_et " +
                "WHERE v >= 0 GROUP BY TumblingWindow(ss, 10)",
              { isEventTime: true, lateTolerance: 0 },
            );
            const base = Date.UTC(2026, 0, 1, 0, 0, 0); // a minute boundary
            await push("s_et", [
              { id: 1, v: 1, ts: base + 1_000 },
              { id: 1, v: 1, ts: base + 5_000 },
              { id: 1, v: 1, ts: base + 12_000 }, // closes [base, base+10s)
              { id: 1, v: 1, ts: base + 3_000 }, // late: dropped
              { id: 1, v: 1, ts: base + 25_000 }, // closes [base+10s, base+20s)
            ]);
            await until(() => (received.get("et")?.length ?? 0) >= 2);
            expect(received.get("et")!.slice(0, 2)).toEqual([
              // eKuiper: the first event-time window starts at the first event (issue #1976).
              [{ c: 2, ws: base + 1_000, we: base + 10_000 }],
              [{ c: 1, ws: base + 10_000, we: base + 20_000 }],
            ]);
            const st = (await weir.request("GET", "/rules/et/status")).json() as Record<
              string,
              number
            >;
            expect(st["op_3_window_0_late_dropped_total"]).toBe(1);
          },
        );

        await t.step(
          "event time with watermarkIdleTimeout: the last window closes without new data",
          async () => {
            await create(
              "idle",
              "SELECT count(*) AS c FROM s_idle GROUP BY TumblingWindow(ss, 1)",
              {
                isEventTime: true,
                lateTolerance: 0,
                watermarkIdleTimeout: "300ms",
              },
            );
            const b = Math.floor(Date.now() / 1000) * 1000 - 10_000; // an old, whole second
            await push("s_idle", [{ id: 1, v: 1, ts: b + 100 }, { id: 1, v: 1, ts: b + 200 }]);
            await until(() => (received.get("idle")?.length ?? 0) >= 1, 5_000);
            expect(received.get("idle")![0]).toEqual([{ c: 2 }]);
          },
        );

        await t.step("stream-stream joins inside a window: INNER, LEFT, s.*", async () => {
          for (const [name, cols] of [["l", "id bigint, a string"], ["r", "id bigint, b string"]]) {
            const r = await weir.request("POST", "/streams", {
              sql: `CREATE STREAM ${name} (${cols}) WITH (TYPE="httppush", DATASOURCE="/${name}")`,
            });
            expect(r.status).toBe(201);
          }
          await create(
            "inner",
            "SELECT l.id, a, b FROM l INNER JOIN r ON l.id = r.id GROUP BY CountWindow(4)",
          );
          await create(
            "left",
            "SELECT l.id AS id, a, b FROM l LEFT JOIN r ON l.id = r.id GROUP BY CountWindow(4)",
          );
          await create(
            "star",
            "SELECT r.*, x.a FROM l AS x RIGHT JOIN r ON x.id = r.id GROUP BY CountWindow(4)",
          );
          await push("l", [{ id: 1, a: "x" }]);
          await push("r", [{ id: 1, b: "y" }]);
          await push("l", [{ id: 2, a: "z" }]);
          await push("r", [{ id: 3, b: "w" }]);
          await until(() => ["inner", "left", "star"].every((id) => received.has(id)));
          expect(received.get("inner")).toEqual([[{ id: 1, a: "x", b: "y" }]]);
          expect(received.get("left")).toEqual([[{ id: 1, a: "x", b: "y" }, { id: 2, a: "z" }]]);
          expect(received.get("star")).toEqual([[{ id: 1, b: "y", a: "x" }, { id: 3, b: "w" }]]);
          const topo = (await weir.request("GET", "/rules/inner/topo")).json() as {
            sources: string[];
            edges: Record<string, string[]>;
          };
          expect(topo.sources).toEqual(["source_l", "source_r"]);
          expect(topo.edges.op_2_decoder).toEqual(["op_4_window"]);
          expect(topo.edges.op_3_decoder).toEqual(["op_4_window"]);
          expect(topo.edges.op_4_window).toEqual(["op_5_join"]);
          const noWindow = await weir.request("POST", "/rules", {
            id: "nowin",
            sql: "SELECT a FROM l INNER JOIN r ON l.id = r.id",
            actions: sinkTo("nowin"),
          });
          expect(noWindow.status).toBe(400);
          expect(noWindow.text).toContain("needs a window");
        });

        await t.step("stream-table joins: without a window, and inside one", async () => {
          for (
            const sql of [
              'CREATE STREAM ev (id bigint) WITH (TYPE="httppush", DATASOURCE="/ev")',
              'CREATE TABLE names (id bigint, name string) WITH (TYPE="httppush", ' +
              'DATASOURCE="/names", RETAIN_SIZE="2")',
            ]
          ) {
            const path = sql.startsWith("CREATE TABLE") ? "/tables" : "/streams";
            const r = await weir.request("POST", path, { sql });
            expect({ sql, status: r.status }).toEqual({ sql, status: 201 });
          }
          await create("lookup", "SELECT ev.id, name FROM ev LEFT JOIN names ON ev.id = names.id");
          await create(
            "tjw",
            "SELECT count(*) AS c, collect(name) AS names FROM ev INNER JOIN names " +
              "ON ev.id = names.id GROUP BY CountWindow(2)",
          );
          // RETAIN_SIZE=2: the first row is pushed out by the next two.
          await push("names", [{ id: 9, name: "gone" }, { id: 1, name: "one" }, {
            id: 2,
            name: "two",
          }]);
          const tableLoaded = async () => {
            const st = (await weir.request("GET", "/rules/lookup/status")).json() as Record<
              string,
              number
            >;
            return st["op_3_decoder_0_records_out_total"] === 3;
          };
          for (let i = 0; i < 200 && !(await tableLoaded()); i++) {
            await new Promise((r) => setTimeout(r, 25));
          }
          await push("ev", [{ id: 1 }, { id: 9 }]);
          await until(() => (received.get("lookup")?.length ?? 0) >= 2 && received.has("tjw"));
          expect(received.get("lookup")).toEqual([[{ id: 1, name: "one" }], [{ id: 9 }]]);
          expect(received.get("tjw")).toEqual([[{ c: 1, names: ["one"] }]]);
          const explain = await weir.request("GET", "/rules/lookup/explain");
          expect(explain.text.split("\n").map((l) => JSON.parse(l.trim()).op)).toEqual([
            "ProjectPlan_0",
            "JoinPlan_1",
            "JoinAlignPlan_2",
            "DataSourcePlan_3",
            "DataSourcePlan_4",
          ]);
        });

        await t.step(
          "lookup tables: rows looked up by KEY per event, updated and deleted",
          async () => {
            for (
              const [path, sql] of [
                [
                  "/streams",
                  'CREATE STREAM ev2 (id bigint) WITH (TYPE="httppush", DATASOURCE="/ev2")',
                ],
                [
                  "/tables",
                  'CREATE TABLE dev (id bigint, name string, rowkind string) WITH (TYPE="httppush", ' +
                  'DATASOURCE="/dev", KIND="lookup", KEY="id")',
                ],
              ]
            ) {
              const r = await weir.request("POST", path, { sql });
              expect({ sql, status: r.status, text: r.text }).toEqual({
                sql,
                status: 201,
                text: r.text,
              });
            }
            await create(
              "lk",
              "SELECT ev2.id, dev.name FROM ev2 INNER JOIN dev ON ev2.id = dev.id",
            );
            await create("lkl", "SELECT ev2.id, name FROM ev2 LEFT JOIN dev ON dev.id = ev2.id");
            await push("dev", [
              { id: 1, name: "a" },
              { id: 2, name: "b" },
              { id: 1, name: "a2" }, // same key: replaces
              { id: 2, rowkind: "delete" }, // removes key 2
            ]);
            const loaded = async () => {
              const st = (await weir.request("GET", "/rules/lk/status")).json() as Record<
                string,
                number
              >;
              return st["op_3_decoder_0_records_out_total"] === 4;
            };
            for (let i = 0; i < 200 && !(await loaded()); i++) {
              await new Promise((r) => setTimeout(r, 25));
            }
            await push("ev2", [{ id: 1 }, { id: 2 }]);
            await until(() => (received.get("lkl")?.length ?? 0) >= 2 && received.has("lk"));
            expect(received.get("lk")).toEqual([[{ id: 1, name: "a2" }]]);
            expect(received.get("lkl")).toEqual([[{ id: 1, name: "a2" }], [{ id: 2 }]]);
            const explain = await weir.request("GET", "/rules/lk/explain");
            expect(explain.text.split("\n").map((l) => JSON.parse(l.trim()).op)).toEqual([
              "ProjectPlan_0",
              "LookupPlan_1",
              "DataSourcePlan_2",
            ]);
            const right = await weir.request("POST", "/rules", {
              id: "lkr",
              sql: "SELECT ev2.id FROM ev2 RIGHT JOIN dev ON ev2.id = dev.id",
              actions: sinkTo("lkr"),
            });
            expect(right.status).toBe(400);
            expect(right.text).toContain("INNER or LEFT");
          },
        );

        await t.step("analytic functions see every event, before WHERE", async () => {
          await create(
            "lag",
            "SELECT v, lag(v) AS prev, acc_count(v) OVER (PARTITION BY id) AS n FROM s_lag WHERE v > 20",
          );
          await push("s_lag", [{ id: 1, v: 10 }, { id: 1, v: 25 }, { id: 2, v: 30 }]);
          await until(() => (received.get("lag")?.length ?? 0) >= 2);
          expect(received.get("lag")).toEqual([
            [{ v: 25, prev: 10, n: 2 }],
            [{ v: 30, prev: 25, n: 1 }],
          ]);
          const explain = await weir.request("GET", "/rules/lag/explain");
          expect(explain.text).toContain('"op":"AnalyticFuncsPlan_2"');
          const topo = (await weir.request("GET", "/rules/lag/topo")).json() as {
            edges: Record<string, string[]>;
          };
          expect(topo.edges.op_2_decoder).toEqual(["op_3_analytic"]);
          expect(topo.edges.op_3_analytic).toEqual(["op_4_filter"]);
        });

        await t.step("processing-time tumbling window emits on its own", async () => {
          await create(
            "pt",
            "SELECT avg(v) AS a, count(*) AS c FROM s_pt GROUP BY TumblingWindow(ms, 500)",
          );
          await push("s_pt", [{ id: 1, v: 4, ts: 0 }, { id: 1, v: 6, ts: 0 }]);
          // The two rows may straddle a window boundary: check the windows' totals.
          const rows = () => (received.get("pt") ?? []).flat() as { a: number; c: number }[];
          await until(() => rows().reduce((n, r) => n + r.c, 0) === 2, 5_000);
          expect(rows().reduce((sum, r) => sum + r.a * r.c, 0)).toBe(10);
          // Empty windows were emitted on their own, as `[]`.
          await until(() => (received.get("pt") ?? []).some((w) => (w as unknown[]).length === 0));
        });
      } finally {
        await weir.kill("SIGTERM");
        ac.abort();
        await server.finished;
        rmSync(weir.home, { recursive: true, force: true });
      }
    },
  });
}
