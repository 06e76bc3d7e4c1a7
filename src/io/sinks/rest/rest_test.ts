import { expect } from "expect";
import { restSink } from "./mod.ts";
import { recordingSinkContext } from "../test_context.ts";
import { type HttpServer, serveHttp } from "../../../platform/mod.ts";

interface Seen {
  method: string;
  path: string;
  contentType: string | null;
  auth: string | null;
  body: string;
}

/** A local HTTP server: `/ok` answers 200, `/fail` 500 with a long body, `/slow` after 2 s. */
function startServer(seen: Seen[]): HttpServer {
  return serveHttp({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (req) => {
      const path = new URL(req.url).pathname;
      seen.push({
        method: req.method,
        path,
        contentType: req.headers.get("content-type"),
        auth: req.headers.get("authorization"),
        body: await req.text(),
      });
      if (path === "/fail") {
        return new Response("internal trouble " + "x".repeat(2000), { status: 500 });
      }
      if (path === "/slow") {
        await new Promise((r) => setTimeout(r, 300));
        return new Response("late");
      }
      return new Response("fine");
    },
  });
}

const payload = new TextEncoder().encode(`{"a":1}`);

Deno.test("rest sink: validate", () => {
  expect(() => restSink.validate!({})).toThrow(/rest sink url is required/);
  expect(() => restSink.validate!({ url: "ftp://h" })).toThrow(/http:\/\/ or https:\/\//);
  expect(() => restSink.validate!({ url: "http://h", method: "patch" })).toThrow(
    /GET, POST, PUT or DELETE/,
  );
  expect(() => restSink.validate!({ url: "http://h", method: "get", bodyType: "json" })).toThrow(
    /GET cannot send a body/,
  );
  expect(() => restSink.validate!({ url: "http://h", method: "post", bodyType: "formdata" }))
    .toThrow(/unsupported rest sink bodyType/);
  expect(() => restSink.validate!({ url: "http://h", timeout: -1 })).toThrow(/invalid timeout/);
  expect(() => restSink.validate!({ url: "http://h", headers: "x" })).toThrow(/headers/);
});

Deno.test("rest sink: POST json with headers; the default is POST json; GET sends no body", async () => {
  const seen: Seen[] = [];
  const server = startServer(seen);
  const base = `http://127.0.0.1:${server.port}`;
  try {
    const post = restSink.create({
      url: `${base}/ok`,
      method: "post",
      headers: { Authorization: "Bearer t" },
    });
    const ctx = recordingSinkContext("rest_0");
    await post.connect(ctx);
    await post.collect({ data: { a: 1 }, payload });
    await post.close();
    expect(seen[0]).toEqual({
      method: "POST",
      path: "/ok",
      contentType: "application/json",
      auth: "Bearer t",
      body: `{"a":1}`,
    });

    const get = restSink.create({ url: `${base}/ok`, method: "get" }); // bodyType none
    await get.connect(recordingSinkContext());
    await get.collect({ data: { a: 1 }, payload });
    await get.close();
    expect(seen[1]).toMatchObject({ method: "GET", body: "", contentType: null });

    const byDefault = restSink.create({ url: `${base}/ok` });
    await byDefault.connect(recordingSinkContext());
    await byDefault.collect({ data: { a: 1 }, payload });
    await byDefault.close();
    expect(seen[2]).toMatchObject({ method: "POST", body: `{"a":1}` });

    const form = restSink.create({ url: `${base}/ok`, method: "PUT", bodyType: "form" });
    await form.connect(recordingSinkContext());
    await form.collect({ data: { a: 1, b: "x y", c: { d: 1 } }, payload });
    await expect(form.collect({ data: [{ a: 1 }] })).rejects.toThrow(/sendSingle/);
    await form.close();
    expect(seen[3].body).toBe("a=1&b=x+y&c=%7B%22d%22%3A1%7D");
    expect(seen[3].contentType).toMatch(/^application\/x-www-form-urlencoded/);

    const text = restSink.create({
      url: `${base}/ok`,
      method: "POST",
      bodyType: "text",
      headers: { "Content-Type": "text/csv" },
    });
    await text.connect(recordingSinkContext());
    await text.collect({ data: {}, payload: new TextEncoder().encode("1,2") });
    await text.close();
    expect(seen[4]).toMatchObject({ contentType: "text/csv", body: "1,2" });
  } finally {
    await server.close();
  }
});

Deno.test("rest sink: non-2xx and timeout reject with clear errors", async () => {
  const seen: Seen[] = [];
  const server = startServer(seen);
  const base = `http://127.0.0.1:${server.port}`;
  try {
    const fail = restSink.create({ url: `${base}/fail`, method: "POST" });
    await fail.connect(recordingSinkContext());
    const err = await fail.collect({ data: {}, payload }).catch((e) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toMatch(/^rest sink got status 500: internal trouble x+…$/);
    expect(err!.message.length).toBeLessThan(600); // an excerpt, not the whole body
    await fail.close();

    const slow = restSink.create({ url: `${base}/slow`, method: "POST", timeout: 50 });
    await slow.connect(recordingSinkContext());
    await expect(slow.collect({ data: {}, payload })).rejects.toThrow(
      `rest sink request to ${base}/slow timed out after 50 ms`,
    );
    await slow.close();
    // Let the server finish the abandoned request before it closes.
    await new Promise((r) => setTimeout(r, 350));
  } finally {
    await server.close();
  }

  // Nothing listens any more.
  const down = restSink.create({ url: `${base}/ok`, method: "POST" });
  await down.connect(recordingSinkContext());
  await expect(down.collect({ data: {}, payload })).rejects.toThrow(/rest sink cannot send to/);
  await down.close();
});

Deno.test("rest sink: debugResp logs the response", async () => {
  const server = startServer([]);
  try {
    const sink = restSink.create({
      url: `http://127.0.0.1:${server.port}/ok`,
      method: "POST",
      debugResp: true,
    });
    const ctx = recordingSinkContext();
    await sink.connect(ctx);
    await sink.collect({ data: {}, payload });
    await sink.close();
    expect(ctx.logs).toEqual(["info rest sink response 200: fine"]);
  } finally {
    await server.close();
  }
});

Deno.test("rest sink: templated url and headers come from the result's rendered props", async () => {
  const seen: Seen[] = [];
  const server = startServer(seen);
  const base = `http://127.0.0.1:${server.port}`;
  try {
    const props = { url: `${base}/{{.id}}`, headers: { Authorization: "Bearer {{.token}}" } };
    expect(() => restSink.validate!(props)).not.toThrow();
    const sink = restSink.create(props);
    await sink.connect(recordingSinkContext());
    // The sink node renders dynamic props per result (see sink_transform.ts).
    await sink.collect({
      data: {},
      payload,
      props: { url: `${base}/dev7`, "headers.Authorization": "Bearer abc" },
    });
    await expect(sink.collect({ data: {}, payload, props: { url: "ftp://x" } }))
      .rejects.toThrow(/expected http:\/\//);
    await sink.close();
    expect(seen[0]).toMatchObject({ path: "/dev7", auth: "Bearer abc" });
  } finally {
    await server.close();
  }
});

Deno.test("rest sink: retries 5xx and network errors; network errors are recoverable (cacheable)", async () => {
  let calls = 0;
  const server = serveHttp({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () => ++calls < 3 ? new Response("busy", { status: 503 }) : new Response("ok"),
  });
  const base = `http://127.0.0.1:${server.port}`;
  try {
    const sink = restSink.create({ url: base, retries: 2, retryInterval: 10 });
    await sink.connect(recordingSinkContext());
    await sink.collect({ data: {}, payload });
    expect(calls).toBe(3);
    await sink.close();

    calls = 0;
    const once = restSink.create({ url: base, retries: 1, retryInterval: 10 });
    await once.connect(recordingSinkContext());
    const err = await once.collect({ data: {}, payload }).catch((e) => e as Error);
    expect(err?.message).toMatch(/got status 503/);
    expect(err?.name).not.toBe("SinkIoError"); // status errors are not cached, as eKuiper
    await once.close();
  } finally {
    await server.close();
  }
  const down = restSink.create({ url: base, retries: 1, retryInterval: 10 });
  await down.connect(recordingSinkContext());
  const err = await down.collect({ data: {}, payload }).catch((e) => e as Error);
  expect(err?.name).toBe("SinkIoError");
  await down.close();
  expect(() => restSink.validate!({ url: base, retries: -1 })).toThrow(/invalid retries/);
});
