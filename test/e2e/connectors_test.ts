/**
 * The file, httppull and websocket connectors end to end through a real Weir process, with real
 * peers: files in Weir's home, an HTTP server and WebSocket peers the test runs, and WebSocket
 * clients of Weir's own push server. Under Deno, and under Bun when it is installed.
 */
import { expect } from "expect";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { WeirProcess } from "../helpers/weir_process.ts";
import { freePort } from "../helpers/ports.ts";
import { until } from "../helpers/until.ts";
import { webSocketClientPeer, webSocketServerPeer } from "../helpers/websocket_peers.ts";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);
const BUN = resolve(ROOT, "node_modules/.bin/bun");

const runtimes: { name: string; command?: string[] }[] = [{ name: "deno" }];
if (existsSync(BUN)) {
  runtimes.push({ name: "bun", command: [BUN, "run", resolve(ROOT, "main.ts")] });
}

async function ok(weir: WeirProcess, method: string, path: string, body?: unknown) {
  const r = await weir.request(method, path, body);
  expect({ path, status: r.status < 300, text: r.text }).toEqual({
    path,
    status: true,
    text: r.text,
  });
  return r;
}

async function status(weir: WeirProcess, rule: string): Promise<Record<string, unknown>> {
  return (await weir.request("GET", `/rules/${rule}/status`)).json() as Record<string, unknown>;
}

for (const rt of runtimes) {
  Deno.test({
    name: `file connectors under ${rt.name}: json and csv files in, lines and csv files out`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const weir = await WeirProcess.start({
        brokerAddr: "off",
        command: rt.command,
        files: {
          "data/readings.json": JSON.stringify(
            Array.from({ length: 3000 }, (_, i) => ({ id: i, t: i % 50 })),
          ),
          "data/events.jsonl":
            '# exported 2026-11-21\n{"kind":"a","v":1}\n\n{"kind":"b","v":2}\n{oops\n',
          "data/in/people.csv": 'id;name;age\n1;Ann;30\n2;Bob;x\n3;"Cy; Jr";41\n',
          "etc/sources/file.yaml": "default:\n  fileType: json\ncsvsemi:\n  fileType: csv\n" +
            '  hasHeader: true\n  delimiter: ";"\n  actionAfterRead: 2\n  moveTo: done\n' +
            "jsonlines:\n  fileType: lines\n  ignoreStartLines: 1\n",
        },
      });
      try {
        await ok(weir, "POST", "/streams", {
          sql: 'CREATE STREAM readings () WITH (TYPE="file", DATASOURCE="readings.json")',
        });
        await ok(weir, "POST", "/streams", {
          sql:
            'CREATE STREAM people (id bigint, name string, age bigint) WITH (TYPE="file", DATASOURCE="in", CONF_KEY="csvsemi")',
        });
        // JSON lines: each line decoded by the stream FORMAT; a bad line is a decoder error.
        await ok(weir, "POST", "/streams", {
          sql:
            'CREATE STREAM events (kind string, v bigint) WITH (TYPE="file", DATASOURCE="events.jsonl", CONF_KEY="jsonlines")',
        });
        await ok(weir, "POST", "/rules", {
          id: "events",
          sql: "SELECT kind, v * 100 AS v FROM events",
          actions: [{ file: { path: "out/events.txt", sendSingle: true } }],
        });
        // 3000 rows through a buffer of 100: the file source waits for room, nothing dropped.
        await ok(weir, "POST", "/rules", {
          id: "hot",
          sql: "SELECT id, t FROM readings WHERE t >= 45",
          actions: [{ file: { path: "out/hot.txt", sendSingle: true } }],
          options: { bufferLength: 100 },
        });
        await ok(weir, "POST", "/rules", {
          id: "adults",
          sql: "SELECT name, age FROM people WHERE age > 18",
          actions: [
            { file: { path: "out/adults.csv", fileType: "csv", hasHeader: true } },
            // A templated path: one file per name.
            { file: { path: "out/people/{{.name}}.json", fileType: "json", sendSingle: true } },
          ],
        });
        await until(async () =>
          (await status(weir, "hot")).sink_file_0_0_records_out_total === 300
        );
        await until(async () =>
          (await status(weir, "adults")).sink_file_0_0_records_out_total === 2
        );
        const hot = await status(weir, "hot");
        expect(hot.source_readings_0_records_in_total).toBe(3000);
        expect(hot.source_readings_0_exceptions_total).toBe(0);
        const adults = await status(weir, "adults");
        expect(adults.source_people_0_exceptions_total).toBe(1); // Bob's age is not a bigint
        // The csv file was moved after reading.
        expect(existsSync(join(weir.home, "data/in/people.csv"))).toBe(false);
        expect(existsSync(join(weir.home, "done/people.csv"))).toBe(true);

        await until(async () =>
          (await status(weir, "events")).sink_file_0_0_records_out_total === 2
        );
        expect((await status(weir, "events")).op_2_decoder_0_exceptions_total).toBe(1);
        await ok(weir, "POST", "/rules/events/stop");
        expect(readFileSync(join(weir.home, "out/events.txt"), "utf8")).toBe(
          '{"kind":"a","v":100}\n{"kind":"b","v":200}',
        );

        // Stopping the rules flushes and closes their files.
        await ok(weir, "POST", "/rules/hot/stop");
        await ok(weir, "POST", "/rules/adults/stop");
        const lines = readFileSync(join(weir.home, "out/hot.txt"), "utf8").split("\n");
        expect(lines.length).toBe(300);
        expect(JSON.parse(lines[0])).toEqual({ id: 45, t: 45 });
        expect(JSON.parse(lines[299])).toEqual({ id: 2999, t: 49 });
        expect(JSON.parse(readFileSync(join(weir.home, "out/people/Ann.json"), "utf8"))).toEqual(
          [{ name: "Ann", age: 30 }],
        );
        expect(readdirSync(join(weir.home, "out/people")).sort()).toEqual([
          "Ann.json",
          "Cy; Jr.json",
        ]);
        expect(readFileSync(join(weir.home, "out/adults.csv"), "utf8")).toBe(
          "age,name\n30,Ann\n41,Cy; Jr",
        );

        // Validation at rule creation: clear 400s.
        const bad = await weir.request("POST", "/rules", {
          id: "bad",
          sql: "SELECT * FROM readings",
          actions: [{ file: { fileType: "xml", path: "x" } }],
        });
        expect(bad.status).toBe(400);
        expect(bad.text).toContain('invalid fileType \\"xml\\"');
        const missing = await weir.request("POST", "/streams", {
          sql: 'CREATE STREAM nofile () WITH (TYPE="file", DATASOURCE="missing.json")',
        });
        expect(missing.status).toBe(400);
        expect(missing.text).toContain("missing.json does not exist");
      } finally {
        await weir.kill("SIGTERM");
        rmSync(weir.home, { recursive: true, force: true });
      }
    },
  });

  Deno.test({
    name: `httppull and websocket under ${rt.name}: HTTP server → Weir → WebSocket peers`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      // The HTTP server Weir polls: the value changes every third request.
      let requests = 0;
      const ac = new AbortController();
      const http = Deno.serve(
        { hostname: "127.0.0.1", port: await freePort(), signal: ac.signal, onListen() {} },
        (req) => {
          requests++;
          if (req.headers.get("x-token") !== "s3cret") return new Response("no", { status: 401 });
          return Response.json([{ v: Math.floor((requests - 1) / 3) }]);
        },
      );
      const peer = webSocketServerPeer();
      const weir = await WeirProcess.start({
        brokerAddr: "off",
        command: rt.command,
        files: {
          "etc/sources/httppull.yaml": `default:\n  url: http://127.0.0.1:${http.addr.port}\n` +
            "  method: get\n  interval: 50\n  incremental: true\n" +
            "  headers:\n    x-token: s3cret\n",
          "etc/sources/websocket.yaml": `default:\n  addr: ""\nclient:\n  addr: ${peer.addr}\n`,
        },
      });
      try {
        await ok(weir, "POST", "/streams", {
          sql: 'CREATE STREAM polled () WITH (TYPE="httppull", DATASOURCE="/api/v")',
        });
        // httppull → websocket sink, client mode (Weir connects to the peer).
        await ok(weir, "POST", "/rules", {
          id: "pull",
          sql: "SELECT v * 10 AS v10 FROM polled",
          actions: [{ websocket: { addr: peer.addr, path: "/results", sendSingle: true } }],
        });
        await until(() => peer.received.length >= 3);
        // Incremental: each value once, though every value was polled three times.
        expect(peer.received.slice(0, 3).map((s) => JSON.parse(s))).toEqual([
          { v10: 0 },
          { v10: 10 },
          { v10: 20 },
        ]);
        expect(requests).toBeGreaterThanOrEqual(7);

        // websocket source, server mode (clients push to Weir) → websocket sink, server mode
        // (Weir pushes to its clients) on another path.
        await ok(weir, "POST", "/streams", {
          sql: 'CREATE STREAM wsin (n bigint) WITH (TYPE="websocket", DATASOURCE="/ws/in")',
        });
        await ok(weir, "POST", "/rules", {
          id: "relay",
          sql: "SELECT n + 1 AS n FROM wsin WHERE n > 0",
          actions: [{ websocket: { path: "/ws/out", sendSingle: true } }],
        });
        const push = `ws://127.0.0.1:${weir.pushPort}`;
        const listener = webSocketClientPeer(`${push}/ws/out`);
        const sender = webSocketClientPeer(`${push}/ws/in`);
        await listener.opened;
        await sender.opened;
        for (const n of [1, -1, 2, 3]) sender.ws.send(JSON.stringify({ n }));
        sender.ws.send("{broken");
        await until(() => listener.got.length >= 3);
        expect(listener.got.map((s) => JSON.parse(s))).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }]);
        const relay = await status(weir, "relay");
        expect(relay.source_wsin_0_records_in_total).toBe(5);
        expect(relay.op_2_decoder_0_exceptions_total).toBe(1);

        // websocket source, client mode (Weir connects to the peer and reads what it sends).
        await ok(weir, "POST", "/streams", {
          sql:
            'CREATE STREAM fromPeer () WITH (TYPE="websocket", DATASOURCE="/feed", CONF_KEY="client")',
        });
        await ok(weir, "POST", "/rules", {
          id: "feed",
          sql: "SELECT upper(name) AS name FROM fromPeer",
          actions: [{ file: { path: "out/feed.json", fileType: "json" } }],
        });
        await until(() => peer.sockets.size >= 2);
        for (const ws of peer.sockets) ws.send(JSON.stringify({ name: "pump" }));
        await until(async () => (await status(weir, "feed")).sink_file_0_0_records_out_total === 1);
        await ok(weir, "POST", "/rules/feed/stop");
        expect(JSON.parse(readFileSync(join(weir.home, "out/feed.json"), "utf8"))).toEqual([
          { name: "PUMP" },
        ]);
        listener.ws.close();
        sender.ws.close();

        // Validation: clear 400s.
        const bad = await weir.request("POST", "/rules", {
          id: "bad",
          sql: "SELECT * FROM polled",
          actions: [{ websocket: { path: "nope" } }],
        });
        expect(bad.status).toBe(400);
        expect(bad.text).toContain("must start with /");
      } finally {
        await weir.kill("SIGTERM");
        await peer.stop();
        ac.abort();
        await http.finished;
        rmSync(weir.home, { recursive: true, force: true });
      }
    },
  });
}
