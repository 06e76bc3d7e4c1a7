import { expect } from "expect";
import { httpPullSource } from "./mod.ts";
import { recordingSourceContext } from "../test_context.ts";
import { renderTemplate } from "./template.ts";

interface Seen {
  method: string;
  path: string;
  headers: Headers;
  body: string;
}

/** A real HTTP server answering with `respond`; records every request. */
function server(respond: (req: Seen, n: number) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const ac = new AbortController();
  const s = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} },
    async (req) => {
      const u = new URL(req.url);
      const r = {
        method: req.method,
        path: u.pathname + u.search,
        headers: req.headers,
        body: await req.text(),
      };
      seen.push(r);
      return respond(r, seen.length);
    },
  );
  return {
    url: `http://127.0.0.1:${s.addr.port}`,
    seen,
    async stop() {
      ac.abort();
      await s.finished;
    },
  };
}

async function until(fn: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const text = (b?: Uint8Array) => new TextDecoder().decode(b);

Deno.test("httppull: polls every interval with method, headers, body; templated times", async () => {
  const srv = server((_, n) => Response.json({ n }));
  const src = httpPullSource.create({
    datasource: "/data?from={{.LastPullTime}}&to={{.PullTime}}",
    format: "json",
    url: srv.url,
    method: "post",
    interval: "50ms",
    headers: { "x-key": "k1" },
    body: `{"at":{{.PullTime}}}`,
  });
  const ctx = recordingSourceContext();
  try {
    await src.open(ctx);
    await until(() => ctx.messages.length >= 3);
  } finally {
    await src.close();
    await srv.stop();
  }
  expect(ctx.messages.slice(0, 3).map((m) => text(m.payload))).toEqual([
    `{"n":1}`,
    `{"n":2}`,
    `{"n":3}`,
  ]);
  const [first, second] = srv.seen;
  expect(first.method).toBe("POST");
  expect(first.headers.get("x-key")).toBe("k1");
  expect(first.headers.get("content-type")).toBe("application/json");
  const q1 = new URL("http://x" + first.path).searchParams;
  const q2 = new URL("http://x" + second.path).searchParams;
  expect(Number(q1.get("to")) - Number(q1.get("from"))).toBe(50);
  expect(q2.get("from")).toBe(q1.get("to"));
  expect(JSON.parse(first.body).at).toBe(Number(q1.get("to")));
  expect(ctx.statuses).toContain("connected");
});

Deno.test("httppull: incremental emits only changed bodies", async () => {
  const bodies = ["a", "a", "b", "b", "b", "a"];
  const srv = server((_, n) => new Response(`{"v":"${bodies[Math.min(n, bodies.length) - 1]}"}`));
  const src = httpPullSource.create({
    datasource: "",
    format: "json",
    url: srv.url + "/x",
    interval: 20,
    incremental: true,
  });
  const ctx = recordingSourceContext();
  try {
    await src.open(ctx);
    await until(() => srv.seen.length >= 7);
  } finally {
    await src.close();
    await srv.stop();
  }
  expect(ctx.messages.map((m) => text(m.payload))).toEqual([`{"v":"a"}`, `{"v":"b"}`, `{"v":"a"}`]);
});

Deno.test("httppull: errors are counted, polling goes on (status, body code, timeout, refused)", async () => {
  const srv = server(async (req, n) => {
    if (n === 1) return new Response("nope", { status: 500 });
    if (n === 2) return Response.json({ code: 401, msg: "denied" });
    if (n === 3) {
      await new Promise((r) => setTimeout(r, 300));
      return Response.json({ code: 200 });
    }
    return Response.json({ code: 200, path: req.path });
  });
  const src = httpPullSource.create({
    datasource: "/p",
    format: "json",
    url: srv.url,
    interval: 10,
    timeout: 100,
    responseType: "body",
  });
  const ctx = recordingSourceContext();
  try {
    await src.open(ctx);
    await until(() => ctx.messages.length >= 1);
  } finally {
    await src.close();
    await srv.stop();
  }
  expect(ctx.errors.length).toBe(3);
  expect(ctx.errors[0]).toMatch(/got status 500: nope/);
  expect(ctx.errors[1]).toMatch(/response body code 401/);
  expect(ctx.errors[2]).toMatch(/timed out after 100 ms/);
  expect(text(ctx.messages[0].payload)).toBe(`{"code":200,"path":"/p"}`);
  expect(ctx.statuses).toEqual([
    "connecting",
    "disconnected",
    "disconnected",
    "disconnected",
    "connected",
  ]);
  expect(ctx.logs.filter((l) => l.startsWith("warn")).length).toBe(1);

  // Nobody listening: an error per poll, no crash.
  const gone = httpPullSource.create({
    datasource: "",
    format: "json",
    url: srv.url,
    interval: 10,
  });
  const c2 = recordingSourceContext();
  await gone.open(c2);
  await until(() => c2.errors.length >= 2);
  await gone.close();
  expect(c2.messages.length).toBe(0);
});

Deno.test("httppull: oAuth access token in headers, refreshed after expire", async () => {
  let issued = 0;
  const srv = server((req) => {
    if (req.path === "/token") {
      issued++;
      return Response.json({ token: `t${issued}`, refresh: "r1", expires: "0.05" });
    }
    if (req.path === "/refresh") {
      issued++;
      return Response.json({ token: `t${issued}` });
    }
    return Response.json({ auth: req.headers.get("authorization") });
  });
  const src = httpPullSource.create({
    datasource: "/data",
    format: "json",
    url: srv.url,
    interval: 30,
    headers: { authorization: "Bearer {{.token}}" },
    oAuth: {
      access: { url: srv.url + "/token", body: `{"code":"c"}`, expire: "{{.expires}}" },
      refresh: { url: srv.url + "/refresh", headers: { "x-refresh": "{{.refresh}}" } },
    },
  });
  const ctx = recordingSourceContext();
  try {
    await src.open(ctx);
    await until(() => ctx.messages.some((m) => text(m.payload).includes("t2")));
  } finally {
    await src.close();
    await srv.stop();
  }
  expect(text(ctx.messages[0].payload)).toBe(`{"auth":"Bearer t1"}`);
  const tokenReq = srv.seen.find((s) => s.path === "/token")!;
  expect(tokenReq.method).toBe("POST");
  expect(tokenReq.body).toBe(`{"code":"c"}`);
  expect(srv.seen.find((s) => s.path === "/refresh")!.headers.get("x-refresh")).toBe("r1");
  expect(srv.seen.filter((s) => s.path === "/token").length).toBe(1);
});

Deno.test("httppull: validate", () => {
  const v = (p: Record<string, unknown>) => () =>
    httpPullSource.validate!({ datasource: "", format: "json", url: "http://h", ...p });
  expect(v({})).not.toThrow();
  expect(v({ url: "ftp://h" })).toThrow(/expected http/);
  expect(v({ url: "not a url" })).toThrow(/invalid url/);
  expect(v({ method: "PATCH" })).toThrow(/invalid method "PATCH"/);
  expect(v({ method: "post", bodyType: "yaml" })).toThrow(/invalid bodyType "yaml"/);
  expect(v({ responseType: "json" })).toThrow(/invalid responseType/);
  expect(v({ interval: "often" })).toThrow(/invalid interval/);
  expect(v({ interval: 0 })).toThrow(/interval must be greater than 0/);
  expect(v({ headers: "x" })).toThrow(/invalid headers/);
  expect(v({ oAuth: { access: {} } })).toThrow(/oAuth.access.url is required/);
});

Deno.test("renderTemplate: references, nested paths, missing values", () => {
  expect(renderTemplate("a{{.x}}b{{ .y.z }}", { x: 1, y: { z: "q" } })).toBe("a1bq");
  expect(() => renderTemplate("{{.nope}}", {})).toThrow(/\.nope has no value/);
  expect(renderTemplate("plain", {})).toBe("plain");
});
