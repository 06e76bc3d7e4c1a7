/**
 * The CLI against a real Weir process: every verb through real HTTP, output and exit status as a
 * user sees them.
 */
import { expect } from "expect";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { WeirProcess } from "../../test/helpers/weir_process.ts";
import { freePort } from "../../test/helpers/ports.ts";
import { type CliOutput, runCli } from "./mod.ts";

/** Runs the CLI against `port`, capturing what it prints. */
async function cli(port: number, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliOutput = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await runCli([...argv, "--port", String(port)], io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const RULE = JSON.stringify({
  sql: "SELECT id, temperature * 2 AS t2 FROM demo WHERE temperature > 20",
  actions: [{ log: {} }],
});

Deno.test({
  name: "CLI: streams, tables and rules against a running Weir",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const weir = await WeirProcess.start({ brokerAddr: "off" });
    const port = weir.restPort;
    try {
      await t.step("create, show, describe and explain a stream", async () => {
        const created = await cli(
          port,
          "create",
          "stream",
          "CREATE STREAM demo (id bigint, temperature float, loc struct(lat float, lng float), " +
            'tags array(string)) WITH (DATASOURCE="t/demo", TYPE="memory", FORMAT="json")',
        );
        expect(created).toEqual({ code: 0, out: "Stream demo is created.", err: "" });
        expect(await cli(port, "show", "streams")).toEqual({ code: 0, out: "demo", err: "" });
        const described = await cli(port, "describe", "stream", "demo");
        expect(described.code).toBe(0);
        expect(described.out).toBe([
          "Fields",
          "-".repeat(80),
          "id  bigint",
          "temperature  float",
          "loc  struct(lat float, lng float)",
          "tags  array(string)",
          "",
          "DATASOURCE: t/demo",
          "FORMAT: json",
          "TYPE: memory",
        ].join("\n"));
        const explained = await cli(port, "explain", "stream", "demo");
        expect(explained.code).toBe(0);
        expect(explained.out).not.toBe("");
      });

      await t.step("eKuiper's `create stream <name> '<def>'` and -f forms, tables", async () => {
        const short = await cli(
          port,
          "create",
          "stream",
          "short",
          '(id bigint) WITH (DATASOURCE="t/short", TYPE="memory")',
        );
        expect(short.out).toBe("Stream short is created.");
        const file = join(weir.home, "table.sql");
        writeFileSync(file, 'lookup (id bigint) WITH (DATASOURCE="t/l", TYPE="memory", KEY="id")');
        expect((await cli(port, "create", "table", "-f", file)).out).toBe(
          "Table lookup is created.",
        );
        expect((await cli(port, "show", "tables")).out).toBe("lookup");
        expect((await cli(port, "drop", "table", "lookup")).out).toBe("Table lookup is dropped.");
        expect((await cli(port, "show", "tables")).out).toBe("No table definitions are found.");
      });

      await t.step("a syntax error prints the server's message and exits 1", async () => {
        const bad = await cli(port, "create", "stream", "x", "(id bigint) WITH (DATASOURCE=1)");
        expect(bad).toEqual({
          code: 1,
          out: "",
          err: [
            "line 1, column 46: expected one of FALSE, TRUE, string but found '1'",
            "  CREATE STREAM x (id bigint) WITH (DATASOURCE=1)",
            "                                               ^",
          ].join("\n"),
        });
        const badRule = await cli(
          port,
          "create",
          "rule",
          "rx",
          '{"sql": "SELECT a FORM demo", "actions": [{"log": {}}]}',
        );
        expect(badRule.err).toBe(
          "line 1, column 10: expected FROM but found 'FORM'\n  SELECT a FORM demo\n           ^",
        );
        const missing = await cli(port, "describe", "stream", "nope");
        expect(missing).toEqual({ code: 1, out: "", err: "stream nope is not found" });
      });

      await t.step("create, validate, describe, status, topo, stop/start a rule", async () => {
        expect(await cli(port, "validate", "rule", RULE)).toEqual({
          code: 0,
          out: "The rule has been successfully validated and is confirmed to be correct.",
          err: "",
        });
        const invalid = await cli(port, "validate", "rule", '{"sql": "SELECT x FROM nowhere"}');
        expect(invalid.code).toBe(1);
        expect(invalid.err).toMatch(/^The rule is invalid: /);

        expect(await cli(port, "create", "rule", "r1", RULE)).toEqual({
          code: 0,
          out: "Rule r1 was created successfully.",
          err: "",
        });
        const file = join(weir.home, "r2.json");
        writeFileSync(file, RULE);
        expect((await cli(port, "create", "rule", "r2", "-f", file)).code).toBe(0);

        const shown = JSON.parse((await cli(port, "show", "rules")).out);
        expect(shown.map((r: { id: string }) => r.id)).toEqual(["r1", "r2"]);
        const described = JSON.parse((await cli(port, "describe", "rule", "r1")).out);
        expect(described).toMatchObject({ id: "r1", sql: JSON.parse(RULE).sql });

        const status = JSON.parse((await cli(port, "getstatus", "rule", "r1")).out);
        expect(status.status).toBe("running");
        expect(status).toHaveProperty("source_demo_0_records_in_total");
        const topo = JSON.parse((await cli(port, "gettopo", "rule", "r1")).out);
        expect(topo.sources).toEqual(["source_demo"]);

        expect((await cli(port, "stop", "rule", "r1")).out).toMatch(/^Rule r1 was stopped/);
        const stopped = JSON.parse((await cli(port, "getstatus", "rule", "r1")).out);
        expect(stopped.status).toBe("stopped");
        expect((await cli(port, "start", "rule", "r1")).out).toMatch(/^Rule r1 was started/);
        expect((await cli(port, "restart", "rule", "r1")).out).toMatch(/^Rule r1 was restarted/);
      });

      await t.step("explain rule prints the plan; an unknown rule is an error", async () => {
        const explained = await cli(port, "explain", "rule", "r1");
        expect(explained.code).toBe(0);
        expect(explained.out.split("\n").map((l) => JSON.parse(l).op)).toEqual([
          "ProjectPlan_0",
          "FilterPlan_1",
          "DataSourcePlan_2",
        ]);
        const missing = await cli(port, "explain", "rule", "nope");
        expect(missing.code).toBe(1);
        expect(missing.err).toMatch(/nope/);
      });

      await t.step("drop rules and the stream", async () => {
        expect((await cli(port, "drop", "rule", "r1")).out).toBe("Rule r1 is dropped.");
        expect((await cli(port, "drop", "rule", "r2")).code).toBe(0);
        expect((await cli(port, "drop", "stream", "demo")).out).toBe("Stream demo is dropped.");
        expect((await cli(port, "show", "streams")).out).toBe("short");
        const gone = await cli(port, "getstatus", "rule", "r1");
        expect(gone.code).toBe(1);
        expect(gone.err).toMatch(/r1/);
      });
    } finally {
      await weir.kill("SIGTERM");
      rmSync(weir.home, { recursive: true, force: true });
    }
  },
});

Deno.test("CLI: usage errors exit 2, an unreachable server exits 1", async () => {
  const port = await freePort();
  const unknown = await cli(port, "frobnicate", "stream");
  expect(unknown.code).toBe(2);
  expect(unknown.err).toMatch(/^unknown command "frobnicate stream"/);
  expect((await cli(port, "describe", "stream")).code).toBe(2);
  expect((await cli(port, "create", "rule", "r", "{not json")).err).toMatch(/not valid JSON/);
  const down = await cli(port, "show", "streams");
  expect(down.code).toBe(1);
  expect(down.err).toMatch(new RegExp(`^cannot reach Weir at http://127.0.0.1:${port}`));
  expect((await cli(port, "help")).code).toBe(0);
});

Deno.test("CLI: explain rule against a server without the route says so", async () => {
  // An older server answers unknown routes with eKuiper's 404 envelope.
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) =>
      new Response(
        JSON.stringify({ error: 1002, message: `GET ${new URL(req.url).pathname} not found` }),
        { status: 404 },
      ),
  );
  try {
    const result = await cli(server.addr.port, "explain", "rule", "r1");
    expect(result).toEqual({
      code: 1,
      out: "",
      err: "this Weir server cannot explain rules (GET /rules/r1/explain not found)",
    });
  } finally {
    await server.shutdown();
  }
});
