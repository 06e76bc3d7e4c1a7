/**
 * The REST API as an eKuiper client sees it: shapes, status codes, messages, and bad input
 * answered with 400/404 and eKuiper's envelope, never a crash.
 */
import { expect } from "expect";
import { rmSync } from "node:fs";
import { WeirProcess } from "../helpers/weir_process.ts";

const TYPED = "CREATE STREAM typed (id bigint, temperature float, name string, ok boolean, " +
  'tags array(string), loc struct(lat float, lng float)) WITH (DATASOURCE="t/in", FORMAT="json")';

Deno.test({
  name: "REST API: compatibility shapes and bad input",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const weir = await WeirProcess.start({ brokerAddr: "off" });
    const req = weir.request.bind(weir);
    try {
      await t.step("ping and system info", async () => {
        expect((await req("GET", "/ping")).status).toBe(200);
        const info = (await req("GET", "/")).json() as Record<string, unknown>;
        expect(info.version).toBe("0.1.0");
        expect(typeof info.upTimeSeconds).toBe("number");
      });

      await t.step("typed stream: create, describe, details, replace, drop", async () => {
        expect((await req("POST", "/streams", { sql: TYPED })).text).toBe(
          "Stream typed is created.",
        );
        expect((await req("GET", "/streams/typed")).json()).toEqual({
          Name: "typed",
          StreamFields: [
            { FieldType: "bigint", Name: "id" },
            { FieldType: "float", Name: "temperature" },
            { FieldType: "string", Name: "name" },
            { FieldType: "boolean", Name: "ok" },
            { FieldType: { Type: "array", ElementType: "string" }, Name: "tags" },
            {
              FieldType: {
                Type: "struct",
                Fields: [{ FieldType: "float", Name: "lat" }, { FieldType: "float", Name: "lng" }],
              },
              Name: "loc",
            },
          ],
          Options: { datasource: "t/in", format: "json" },
          StreamType: 0,
          Statement: null,
        });
        expect((await req("GET", "/streamdetails")).json()).toEqual([
          { name: "typed", type: "mqtt", format: "json" },
        ]);
        const explained = await req("POST", "/streams", { sql: "EXPLAIN STREAM typed" });
        expect(explained.status).toBe(201);
        expect(JSON.parse(explained.text)).toEqual({
          op: "DataSourcePlan_0",
          info: "StreamName: typed, Kind: stream, Type: mqtt, DataSource: t/in, Format: json, " +
            "Shared: false, StreamFields:[ id, temperature, name, ok, tags, loc ], Rules:[  ]",
        });
        const put = await req("PUT", "/streams/typed", {
          sql: 'CREATE STREAM typed (id bigint) WITH (DATASOURCE="t/in2", TYPE="memory")',
        });
        expect(put.status).toBe(200);
        expect(put.text).toBe("Stream typed is replaced.");
        expect((await req("GET", "/streamdetails")).json()).toEqual([
          { name: "typed", type: "memory", format: "json" },
        ]);
        expect((await req("DELETE", "/streams/typed")).text).toBe("Stream typed is dropped.");
        expect((await req("GET", "/streams")).json()).toEqual([]);
      });

      await t.step("tables have their own endpoint", async () => {
        const r = await req("POST", "/tables", {
          sql: 'CREATE TABLE tb (a bigint) WITH (DATASOURCE="x", TYPE="memory", KEY="a")',
        });
        expect(r.status).toBe(201);
        expect(r.text).toBe("Table tb is created.");
        expect((await req("GET", "/tables")).json()).toEqual(["tb"]);
        expect((await req("GET", "/streams")).json()).toEqual([]);
      });

      await t.step("stream errors", async () => {
        const bad = await req("POST", "/streams", {
          sql: "create stream s1 () WITH (FORMAT=json)",
        });
        expect(bad.status).toBe(400);
        expect((bad.json() as { error: number }).error).toBe(2001);
        expect((bad.json() as { message: string }).message).toMatch(/^line 1, column \d+: /);
        const dup1 = await req("POST", "/streams", {
          sql: 'CREATE STREAM d () WITH (DATASOURCE="d")',
        });
        expect(dup1.status).toBe(201);
        const dup2 = await req("POST", "/streams", {
          sql: 'CREATE STREAM d () WITH (DATASOURCE="d")',
        });
        expect(dup2.status).toBe(400);
        expect(dup2.json()).toEqual({ error: 3000, message: "Stream d already exists" });
        const missing = await req("GET", "/streams/nope");
        expect(missing.status).toBe(404);
        expect(missing.json()).toEqual({ error: 1002, message: "stream nope is not found" });
        const fmt = await req("POST", "/streams", {
          sql: 'CREATE STREAM f () WITH (DATASOURCE="d", FORMAT="xml")',
        });
        expect(fmt.json()).toEqual({ error: 3000, message: "option 'format=xml' is invalid" });
        expect((await req("POST", "/streams", "{not json")).status).toBe(400);
        expect((await req("POST", "/streams", { nosql: 1 })).status).toBe(400);
      });

      await t.step("rule errors name the problem", async () => {
        const cases: [unknown, number, RegExp][] = [
          [{ sql: "SELECT * FROM d", actions: [{ log: {} }] }, 4000, /^Missing rule id\.$/],
          [
            { id: "a b", sql: "SELECT * FROM d", actions: [{ log: {} }] },
            4000,
            /invalid characters/,
          ],
          [{ id: "x", sql: "SELECT * FROM d" }, 4000, /^Missing rule actions\.$/],
          [
            { id: "x", sql: "SELECT * FROM d", actions: [{ log: {} }], foo: 1 },
            4000,
            /unknown fields foo/,
          ],
          [
            { id: "x", sql: "SELECT * FORM d", actions: [{ log: {} }] },
            2001,
            /^line 1, column 10: /,
          ],
          [
            { id: "x", sql: "SELECT * FROM nope", actions: [{ log: {} }] },
            2101,
            /stream nope not found/,
          ],
          [
            { id: "x", sql: "SELECT nofunc(a) FROM d", actions: [{ log: {} }] },
            2101,
            /line 1, column 8: .*nofunc/,
          ],
          [{ id: "x", sql: "SELECT abs(a, b) FROM d", actions: [{ log: {} }] }, 2101, /abs/],
          [
            { id: "x", sql: "SELECT a FROM d WHERE count(*) > 1", actions: [{ log: {} }] },
            2101,
            /^line 1, column 23: Not allowed to call aggregate functions in WHERE clause\.$/,
          ],
          [
            { id: "x", sql: "SELECT sum(a) AS s, s AS s FROM d", actions: [{ log: {} }] },
            2101,
            /^line 1, column 21: duplicate alias s$/,
          ],
          [
            { id: "x", sql: "SELECT * FROM d", actions: [{ nosuch: {} }] },
            4000,
            /sink nosuch is not defined/,
          ],
          [
            { id: "x", sql: "SELECT * FROM d", actions: [{ log: {} }], options: { qos: 7 } },
            4000,
            /qos/,
          ],
          [
            { id: "x", sql: "SELECT * FROM d", actions: [{ log: {} }], options: { bogus: 1 } },
            4000,
            /bogus/,
          ],
          [
            {
              id: "x",
              sql: "SELECT d.a FROM d INNER JOIN e ON d.a = e.a GROUP BY TUMBLINGWINDOW(ss, 10)",
              actions: [{ log: {} }],
            },
            2101,
            /stream e not found/,
          ],
          [
            { id: "x", sql: "SELECT a FROM d GROUP BY COUNTWINDOW(2, 5)", actions: [{ log: {} }] },
            2001,
            /^line 1, column \d+: .*5.*2/,
          ],
        ];
        for (const [body, code, message] of cases) {
          const r = await req("POST", "/rules", body);
          expect({ body, status: r.status }).toEqual({ body, status: 400 });
          const e = r.json() as { error: number; message: string };
          expect({ body, code: e.error }).toEqual({ body, code });
          expect(e.message).toMatch(message);
        }
        const typed = await req("POST", "/streams", {
          sql: 'CREATE STREAM ty (a bigint) WITH (DATASOURCE="ty")',
        });
        expect(typed.status).toBe(201);
        const unknownCol = await req("POST", "/rules", {
          id: "x",
          sql: "SELECT b FROM ty",
          actions: [{ log: {} }],
        });
        expect((unknownCol.json() as { message: string }).message).toBe(
          "line 1, column 8: unknown field b in stream ty",
        );
        expect((await req("GET", "/rules")).json()).toEqual([]);
      });

      await t.step("rule lifecycle: create, get, put, topo, stop, delete", async () => {
        const rule = { id: "r1", sql: "SELECT * FROM d", actions: [{ log: {} }] };
        expect((await req("POST", "/rules", rule)).status).toBe(201);
        const dup = await req("POST", "/rules", rule);
        expect(dup.json()).toEqual({ error: 4000, message: "rule r1 already exists" });
        expect((await req("GET", "/rules/r1")).json()).toEqual(rule);
        expect((await req("GET", "/rules/r1/topo")).json()).toEqual({
          sources: ["source_d"],
          edges: {
            source_d: ["op_2_decoder"],
            op_2_decoder: ["op_3_project"],
            op_3_project: ["op_log_0_0_transform"],
            op_log_0_0_transform: ["op_log_0_1_encode"],
            op_log_0_1_encode: ["sink_log_0"],
          },
        });
        const upd = { ...rule, sql: "SELECT a FROM d WHERE a > 1" };
        const put = await req("PUT", "/rules/r1", upd);
        expect(put.text).toBe("Rule r1 was updated successfully.");
        expect((await req("GET", "/rules/r1")).json()).toEqual(upd);
        const explain = await req("GET", "/rules/r1/explain");
        expect(explain.status).toBe(200);
        expect(explain.text).toBe(
          '{"op":"ProjectPlan_0","info":"Fields:[ d.a ]"}\n' +
            '\t{"op":"FilterPlan_1","info":"Condition:{ binaryExpr:{ d.a > 1 } }, "}\n' +
            '\t\t\t{"op":"DataSourcePlan_2","info":"StreamName: d, StreamFields:[ a ]"}',
        );
        const mismatch = await req("PUT", "/rules/r1", { ...rule, id: "other" });
        expect(mismatch.json()).toEqual({
          error: 4000,
          message: "RuleId is not consistent with rule id.",
        });
        const v = await req("POST", "/rules/validate", { ...rule, id: "v" });
        expect(v.json()).toEqual({ valid: true, sources: ["d"] });
        const vbad = await req("POST", "/rules/validate", { ...rule, id: "v", sql: "SELECT" });
        expect(vbad.status).toBe(422);
        expect((await req("POST", "/rules/r1/stop")).text).toBe("Rule r1 was stopped.");
        const st = (await req("GET", "/rules/r1/status")).json() as Record<string, unknown>;
        expect(st.status).toBe("stopped");
        expect(st.lastStopTimestamp).toBeGreaterThan(0);
        expect((await req("POST", "/rules/r1/restart")).text).toBe("Rule r1 was restarted");
        expect((await req("DELETE", "/rules/r1")).text).toBe("Rule r1 is dropped.");
        for (
          const [m, p] of [
            ["GET", "/rules/r1"],
            ["DELETE", "/rules/r1"],
            ["POST", "/rules/r1/start"],
            ["GET", "/rules/r1/explain"],
          ]
        ) {
          const r = await req(m, p);
          expect(r.status).toBe(404);
          expect(r.json()).toEqual({ error: 1002, message: "rule r1 not found" });
        }
      });

      await t.step("a huge body is refused, and Weir keeps serving", async () => {
        const huge = JSON.stringify({ sql: "x".repeat(11 * 1024 * 1024) });
        const r = await req("POST", "/streams", huge);
        expect(r.status).toBe(400);
        expect((r.json() as { message: string }).message).toMatch(/exceeds the limit/);
        expect((await req("GET", "/ping")).status).toBe(200);
      });
    } finally {
      await weir.kill("SIGTERM");
      rmSync(weir.home, { recursive: true, force: true });
    }
  },
});
