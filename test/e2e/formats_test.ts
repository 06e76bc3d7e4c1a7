/**
 * Formats and the schema registry end to end, with a real Weir process (under Deno and Bun):
 * a protobuf round trip (httppush source → rule → rest sink) with the `.proto` auto-loaded from
 * `data/schemas/protobuf` at start, a custom format module registered over REST, and the schema
 * REST API across restarts.
 */
import { expect } from "expect";
import protobuf from "protobufjs";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { WeirProcess } from "../helpers/weir_process.ts";
import { freePort } from "../helpers/ports.ts";
import { until } from "../helpers/until.ts";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);
const BUN = resolve(ROOT, "node_modules/.bin/bun");
const KV_MODULE = resolve(ROOT, "test/fixtures/schemas/kv_format.ts");

const runtimes: { name: string; command?: string[] }[] = [{ name: "deno" }];
if (existsSync(BUN)) {
  runtimes.push({ name: "bun", command: [BUN, "run", resolve(ROOT, "main.ts")] });
}

const BOOK_PROTO = `syntax = "proto3";
package shop;
message Book {
  string title = 1;
  int64 price = 2;
  repeated string tags = 3;
}`;

/** An HTTP server that records raw request bodies (the rest sink's peer). */
function recordingServer(port: number) {
  const bodies: Uint8Array[] = [];
  const ac = new AbortController();
  const server = Deno.serve(
    { port, hostname: "127.0.0.1", signal: ac.signal, onListen() {} },
    async (req) => {
      bodies.push(new Uint8Array(await req.arrayBuffer()));
      return new Response("ok");
    },
  );
  return {
    bodies,
    async close() {
      ac.abort();
      await server.finished;
    },
  };
}

async function push(
  weir: WeirProcess,
  path: string,
  body: Uint8Array<ArrayBuffer> | string,
): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${weir.pushPort}${path}`, { method: "POST", body });
  await r.body?.cancel();
  return r.status;
}

for (const rt of runtimes) {
  Deno.test({
    name: `protobuf under ${rt.name}: .proto auto-loaded at start, httppush → rule → rest sink`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const httpPort = await freePort();
      const peer = recordingServer(httpPort);
      const weir = await WeirProcess.start({
        brokerAddr: "off",
        command: rt.command,
        files: {
          "data/schemas/protobuf/book.proto": BOOK_PROTO,
          // A broken file is reported and skipped: the server starts anyway.
          "data/schemas/protobuf/broken.proto": "message Broken { string = 1; }",
        },
      });
      try {
        expect(weir.log.join("\n")).toMatch(/schema not registered: .*broken.proto/);
        expect((await weir.request("GET", "/schemas/protobuf")).json()).toEqual(["book"]);

        const created = await weir.request("POST", "/streams", {
          sql:
            'CREATE STREAM books () WITH (TYPE="httppush", DATASOURCE="/books", FORMAT="protobuf", SCHEMAID="book.Book")',
        });
        expect(created.status).toBe(201);
        const described = (await weir.request("GET", "/streams/books")).json() as {
          StreamFields: unknown;
        };
        expect(described.StreamFields).toEqual([
          { FieldType: "string", Name: "title" },
          { FieldType: "bigint", Name: "price" },
          { FieldType: { Type: "array", ElementType: "string" }, Name: "tags" },
        ]);
        // The schema's columns are the stream's: an unknown column is refused at planning.
        const unknown = await weir.request("POST", "/rules", {
          id: "bad",
          sql: "SELECT isbn FROM books",
          actions: [{ log: {} }],
        });
        expect(unknown.status).toBe(400);

        const rule = await weir.request("POST", "/rules", {
          id: "pb",
          sql: "SELECT title, price * 2 AS price, tags FROM books WHERE price > 10",
          actions: [{
            rest: {
              url: `http://127.0.0.1:${httpPort}/out`,
              method: "post",
              sendSingle: true,
              format: "protobuf",
              schemaId: "book.shop.Book",
            },
          }],
        });
        expect(rule.status).toBe(201);

        const Book = protobuf.parse(BOOK_PROTO, { keepCase: true }).root.lookupType("shop.Book");
        const enc = (o: Record<string, unknown>) =>
          Book.encode(Book.fromObject(o)).finish() as Uint8Array<ArrayBuffer>;
        expect(await push(weir, "/books", enc({ title: "cheap", price: 5 }))).toBe(200);
        expect(await push(weir, "/books", new Uint8Array([0x0a, 0x09, 0x41]))).toBe(200);
        expect(await push(weir, "/books", enc({ title: "Weir", price: 21, tags: ["edge"] })))
          .toBe(200);

        await until(() => peer.bodies.length >= 1);
        await new Promise((r) => setTimeout(r, 200));
        expect(peer.bodies.length).toBe(1);
        const got = Book.toObject(Book.decode(peer.bodies[0]), { longs: Number });
        expect(got).toEqual({ title: "Weir", price: 42, tags: ["edge"] });

        const st = (await weir.request("GET", "/rules/pb/status")).json() as Record<
          string,
          number
        >;
        expect(st.source_books_0_records_in_total).toBe(3);
        expect(st.op_2_decoder_0_records_out_total).toBe(2);
        expect(st.op_2_decoder_0_exceptions_total).toBe(1);
        expect(String(st.op_2_decoder_0_last_exception)).toMatch(/invalid protobuf payload/);
      } finally {
        await weir.kill("SIGTERM");
        await peer.close();
        rmSync(weir.home, { recursive: true, force: true });
      }
    },
  });

  Deno.test({
    name: `custom format module under ${rt.name}: registered over REST, decode and encode`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const httpPort = await freePort();
      const peer = recordingServer(httpPort);
      const weir = await WeirProcess.start({ brokerAddr: "off", command: rt.command });
      try {
        const reg = await weir.request("POST", "/schemas/custom", {
          name: "kv",
          file: pathToFileURL(KV_MODULE).href,
        });
        expect({ status: reg.status, text: reg.text }).toEqual({
          status: 201,
          text: "custom schema kv is created",
        });
        expect(readFileSync(join(weir.home, "data/schemas/custom/kv.ts"), "utf8")).toBe(
          readFileSync(KV_MODULE, "utf8"),
        );
        expect(
          (await weir.request("POST", "/streams", {
            sql:
              'CREATE STREAM kvs () WITH (TYPE="httppush", DATASOURCE="/kv", FORMAT="custom", SCHEMAID="kv.Message")',
          })).status,
        ).toBe(201);
        const described = (await weir.request("GET", "/streams/kvs")).json() as {
          StreamFields: unknown;
        };
        expect(described.StreamFields).toEqual([
          { FieldType: "bigint", Name: "id" },
          { FieldType: "string", Name: "name" },
        ]);
        expect(
          (await weir.request("POST", "/rules", {
            id: "kv",
            sql: "SELECT id + 1 AS id, upper(name) AS name FROM kvs",
            actions: [{
              rest: {
                url: `http://127.0.0.1:${httpPort}/out`,
                method: "post",
                sendSingle: true,
                format: "custom",
                schemaId: "kv",
              },
            }],
          })).status,
        ).toBe(201);
        expect(await push(weir, "/kv", "id=7;name=pump")).toBe(200);
        expect(await push(weir, "/kv", "garbage")).toBe(200);
        await until(() => peer.bodies.length >= 1);
        expect(new TextDecoder().decode(peer.bodies[0])).toBe("id=8;name=PUMP");
        const st = (await weir.request("GET", "/rules/kv/status")).json() as Record<
          string,
          unknown
        >;
        expect(st.op_2_decoder_0_exceptions_total).toBe(1);
        expect(String(st.op_2_decoder_0_last_exception)).toMatch(/not a key=value payload/);

        // The module is loaded from data/schemas/custom at start: the rule runs after a restart.
        await weir.kill("SIGTERM");
        await weir.restart(rt.command);
        expect(await push(weir, "/kv", "id=1;name=valve")).toBe(200);
        await until(() => peer.bodies.length >= 2);
        expect(new TextDecoder().decode(peer.bodies[1])).toBe("id=2;name=VALVE");

        // A replaced module is imported afresh in the running process (Deno and Bun cache
        // modules by URL); a rule restart binds the new code.
        const replaced = readFileSync(KV_MODULE, "utf8").replace("`${k}=${v}`", "`${k}:${v}`");
        const put = await weir.request("PUT", "/schemas/custom/kv", {
          name: "kv",
          content: replaced,
        });
        expect(put.status).toBe(200);
        expect((await weir.request("POST", "/rules/kv/restart")).status).toBe(200);
        expect(await push(weir, "/kv", "id=2;name=gate")).toBe(200);
        await until(() => peer.bodies.length >= 3);
        expect(new TextDecoder().decode(peer.bodies[2])).toBe("id:3;name:GATE");
      } finally {
        await weir.kill("SIGTERM");
        await peer.close();
        rmSync(weir.home, { recursive: true, force: true });
      }
    },
  });
}

Deno.test({
  name: "binary, delimited and urlencoded streams and sinks in one process",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const httpPort = await freePort();
    const peer = recordingServer(httpPort);
    const weir = await WeirProcess.start({ brokerAddr: "off" });
    const sink = (path: string, props: Record<string, unknown>) => ({
      rest: {
        url: `http://127.0.0.1:${httpPort}${path}`,
        method: "post",
        sendSingle: true,
        ...props,
      },
    });
    try {
      const streams = [
        'CREATE STREAM bin () WITH (TYPE="httppush", DATASOURCE="/bin", FORMAT="binary")',
        'CREATE STREAM csv (id bigint, t float) WITH (TYPE="httppush", DATASOURCE="/csv", FORMAT="delimited", DELIMITER=";")',
        'CREATE STREAM form () WITH (TYPE="httppush", DATASOURCE="/form", FORMAT="urlencoded")',
      ];
      for (const sql of streams) {
        expect((await weir.request("POST", "/streams", { sql })).status).toBe(201);
      }
      const noDelimiter = await weir.request("POST", "/streams", {
        sql: 'CREATE STREAM d () WITH (TYPE="httppush", DATASOURCE="/d", FORMAT="delimited")',
      });
      expect(noDelimiter.text).toMatch(/requires a delimiter/);
      const rules = [
        { id: "bin", sql: "SELECT self FROM bin", actions: [sink("/bin", { format: "binary" })] },
        {
          id: "csv",
          sql: "SELECT id, t * 2 AS t2 FROM csv WHERE t > 1",
          actions: [sink("/csv", { format: "delimited", delimiter: ",", hasHeader: true })],
        },
        {
          id: "form",
          sql: "SELECT name, tag FROM form",
          actions: [sink("/form", { format: "urlencoded" })],
        },
      ];
      for (const r of rules) {
        const res = await weir.request("POST", "/rules", r);
        expect({ id: r.id, status: res.status, text: res.text }).toEqual({
          id: r.id,
          status: 201,
          text: res.text,
        });
      }
      expect(await push(weir, "/bin", new Uint8Array([0, 1, 254, 255]))).toBe(200);
      expect(await push(weir, "/csv", "7;0.5")).toBe(200);
      expect(await push(weir, "/csv", "x;2")).toBe(200);
      expect(await push(weir, "/csv", "8;2.5")).toBe(200);
      expect(await push(weir, "/form", "name=a+b&tag=x&tag=y")).toBe(200);
      await until(() => peer.bodies.length >= 3);
      await new Promise((r) => setTimeout(r, 200));
      const text = (b: Uint8Array) => new TextDecoder().decode(b);
      expect(peer.bodies.length).toBe(3);
      const texts = peer.bodies.map(text);
      expect(texts).toContain("id,t2\n8,5");
      expect(texts).toContain("name=a+b&tag=x&tag=y");
      expect(peer.bodies.some((b) => [...b].join(",") === "0,1,254,255")).toBe(true);
      const st = (await weir.request("GET", "/rules/csv/status")).json() as Record<string, unknown>;
      expect(st.op_2_decoder_0_exceptions_total).toBe(1);
      expect(String(st.op_2_decoder_0_last_exception)).toMatch(/field id type mismatch/);
    } finally {
      await weir.kill("SIGTERM");
      await peer.close();
      rmSync(weir.home, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: "schema REST API round trip across restarts",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const weir = await WeirProcess.start({ brokerAddr: "off" });
    try {
      const post = await weir.request("POST", "/schemas/protobuf", {
        name: "book",
        content: BOOK_PROTO,
      });
      expect({ status: post.status, text: post.text }).toEqual({
        status: 201,
        text: "protobuf schema book is created",
      });
      const bad = await weir.request("POST", "/schemas/protobuf", {
        name: "broken",
        content: "message {",
      });
      expect(bad.status).toBe(400);
      expect(bad.json()).toMatchObject({
        message: expect.stringMatching(/invalid protobuf schema broken/),
      });
      const dup = await weir.request("POST", "/schemas/protobuf", {
        name: "book",
        content: BOOK_PROTO,
      });
      expect(dup.status).toBe(400);
      expect((await weir.request("GET", "/schemas/avro")).status).toBe(400);

      const updated = BOOK_PROTO.replace("}", "  string isbn = 4;\n}");
      const put = await weir.request("PUT", "/schemas/protobuf/book", {
        name: "book",
        content: updated,
      });
      expect({ status: put.status, text: put.text }).toEqual({
        status: 200,
        text: "protobuf schema book is updated",
      });
      await weir.request("POST", "/schemas/protobuf", { name: "gone", content: BOOK_PROTO });
      const del = await weir.request("DELETE", "/schemas/protobuf/gone");
      expect({ status: del.status, text: del.text }).toEqual({
        status: 200,
        text: "protobuf schema gone is deleted",
      });

      await weir.kill("SIGTERM");
      await weir.restart();

      expect((await weir.request("GET", "/schemas/protobuf")).json()).toEqual(["book"]);
      expect((await weir.request("GET", "/schemas/protobuf/book")).json()).toEqual({
        type: "protobuf",
        name: "book",
        content: updated,
        file: join(weir.home, "data/schemas/protobuf/book.proto"),
      });
      const missing = await weir.request("GET", "/schemas/protobuf/gone");
      expect(missing.status).toBe(404);
      expect(missing.json()).toEqual({ error: 1002, message: "protobuf schema gone is not found" });
      // The updated schema's new field shows in a stream created after the restart.
      await weir.request("POST", "/streams", {
        sql:
          'CREATE STREAM b () WITH (TYPE="httppush", DATASOURCE="/b", FORMAT="protobuf", SCHEMAID="book.Book")',
      });
      const fields = ((await weir.request("GET", "/streams/b")).json() as {
        StreamFields: { Name: string }[];
      }).StreamFields.map((f) => f.Name);
      expect(fields).toEqual(["title", "price", "tags", "isbn"]);
      // A stream naming a schema that does not exist is refused with a clear message.
      const noSchema = await weir.request("POST", "/streams", {
        sql:
          'CREATE STREAM c () WITH (TYPE="httppush", DATASOURCE="/c", FORMAT="protobuf", SCHEMAID="gone.Book")',
      });
      expect(noSchema.status).toBe(400);
      expect(noSchema.text).toMatch(/protobuf schema gone is not registered/);
      await weir.request("DELETE", "/schemas/protobuf/book");
      await weir.kill("SIGTERM");
      await weir.restart();
      expect((await weir.request("GET", "/schemas/protobuf")).json()).toEqual([]);
    } finally {
      await weir.kill("SIGTERM");
      rmSync(weir.home, { recursive: true, force: true });
    }
  },
});
