import { expect } from "expect";
import { configurePushServer, httpPushSource, pushServerAddress } from "./mod.ts";
import { recordingSourceContext } from "../test_context.ts";

configurePushServer({ hostname: "127.0.0.1", port: 0 });

function props(p: Record<string, unknown>) {
  return { datasource: "/api/data", format: "json", ...p };
}

function base(): string {
  const a = pushServerAddress();
  if (!a) throw new Error("push server not running");
  return `http://${a.hostname}:${a.port}`;
}

async function send(path: string, init: RequestInit = {}): Promise<[number, string]> {
  const res = await fetch(base() + path, { method: "POST", ...init });
  return [res.status, await res.text()];
}

Deno.test("httppush: validate", () => {
  expect(() => httpPushSource.validate!(props({}))).not.toThrow();
  expect(() => httpPushSource.validate!(props({ method: "put" }))).not.toThrow();
  expect(() => httpPushSource.validate!(props({ datasource: "api" }))).toThrow(
    /must start with \//,
  );
  expect(() => httpPushSource.validate!(props({ method: "GET" }))).toThrow(/POST or PUT/);
  expect(() => httpPushSource.validate!(props({ maxBodySize: -1 }))).toThrow(/maxBodySize/);
});

Deno.test("httppush: accepts POST, answers 404/405/413/503, stops with the last endpoint", async () => {
  expect(pushServerAddress()).toBeUndefined();
  const src = httpPushSource.create(props({ maxBodySize: 16 }));
  const ctx = recordingSourceContext();
  await src.open(ctx);
  try {
    expect(ctx.statuses).toEqual(["connected"]);
    expect(pushServerAddress()!.port).toBeGreaterThan(0);

    expect(await send("/api/data?x=1", { body: `{"a":1}` })).toEqual([200, "ok"]);
    expect(ctx.messages.length).toBe(1);
    expect(new TextDecoder().decode(ctx.messages[0].payload)).toBe(`{"a":1}`);
    expect(ctx.messages[0].meta).toEqual({ method: "POST", path: "/api/data" });

    expect((await send("/api/other", { body: "x" }))[0]).toBe(404);
    const put = await fetch(base() + "/api/data", { method: "PUT", body: "x" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("POST");
    await put.body?.cancel();

    // Over the limit, declared by Content-Length…
    expect((await send("/api/data", { body: "x".repeat(17) }))[0]).toBe(413);
    // …or streamed without one (chunked): the reader stops at the limit.
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 4; i++) c.enqueue(new TextEncoder().encode("0123456789"));
        c.close();
      },
    });
    expect((await send("/api/data", { body: chunked }))[0]).toBe(413);
    expect(ctx.messages.length).toBe(1);

    ctx.accept = false; // the stream buffer is full
    expect(await send("/api/data", { body: "{}" })).toEqual([503, "buffer full"]);
  } finally {
    await src.close();
  }
  expect(pushServerAddress()).toBeUndefined();
});

Deno.test("httppush: streams on the same path and method share the endpoint", async () => {
  const a = httpPushSource.create(props({ datasource: "/shared" }));
  const b = httpPushSource.create(props({ datasource: "/shared" }));
  const c = httpPushSource.create(props({ datasource: "/shared", method: "PUT" }));
  const ca = recordingSourceContext();
  const cb = recordingSourceContext();
  const cc = recordingSourceContext();
  await a.open(ca);
  await b.open(cb);
  await c.open(cc);
  try {
    expect((await send("/shared", { body: "1" }))[0]).toBe(200);
    expect((await send("/shared", { method: "PUT", body: "2" }))[0]).toBe(200);
    expect([ca.messages.length, cb.messages.length, cc.messages.length]).toEqual([1, 1, 1]);
    expect(cc.messages[0].meta!.method).toBe("PUT");

    cb.accept = false; // one sharing stream full → 503, the other one still got it
    expect((await send("/shared", { body: "3" }))[0]).toBe(503);
    expect(ca.messages.length).toBe(2);

    await b.close();
    expect((await send("/shared", { body: "4" }))[0]).toBe(200);
    expect(ca.messages.length).toBe(3);
    await a.close();
    // PUT still registered: POST on the path is now 405.
    expect((await send("/shared", { body: "5" }))[0]).toBe(405);
  } finally {
    await a.close();
    await b.close();
    await c.close();
  }
  expect(pushServerAddress()).toBeUndefined();
});

Deno.test("httppush: a taken port fails open with a clear error", async () => {
  const blocker = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  configurePushServer({ port: (blocker.addr as Deno.NetAddr).port });
  const src = httpPushSource.create(props({}));
  try {
    await expect(src.open(recordingSourceContext())).rejects.toThrow(
      /httppush server cannot listen on 127.0.0.1:\d+/,
    );
  } finally {
    blocker.close();
    configurePushServer({ port: 0 });
    await src.close();
  }
  expect(pushServerAddress()).toBeUndefined();
});
