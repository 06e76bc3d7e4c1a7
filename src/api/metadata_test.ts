import { expect } from "expect";
import { Hono } from "hono";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfKeys } from "../config/conf_keys.ts";
import { KvStore } from "../store/kv_store.ts";
import { metadataRoutes } from "./metadata.ts";
import { errorResponse } from "./errors.ts";

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), "weir-meta-"));
  mkdirSync(join(dir, "etc/sources"), { recursive: true });
  writeFileSync(
    join(dir, "etc/sources/mqtt.yaml"),
    "default:\n  server: tcp://127.0.0.1:1883\n  qos: 1\n  password: topsecret\n",
  );
  const store = await KvStore.open(join(dir, "weir.db"));
  const app = new Hono();
  app.onError((e) => errorResponse(e));
  metadataRoutes(app, new ConfKeys(join(dir, "etc"), store), 1 << 20);
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await app.request(path, {
      method,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, text, json: () => JSON.parse(text) };
  };
  return { store, call };
}

Deno.test("metadata API: confKey PUT, GET (masked), yaml listing, DELETE", async () => {
  const { store, call } = await setup();
  try {
    expect((await call("PUT", "/metadata/sources/mqtt/confKeys/onesec", { interval: "1s" })).status)
      .toBe(200);
    // eKuiper's documented form wraps the properties in the key name.
    const wrapped = { secure: { server: "ssl://b:8883", password: "p", token: "t" } };
    expect((await call("PUT", "/metadata/sources/mqtt/confKeys/secure", wrapped)).status).toBe(200);
    const yaml = await call("GET", "/metadata/sources/yaml/mqtt");
    expect(yaml.json()).toEqual({
      default: { server: "tcp://127.0.0.1:1883", qos: 1, password: "******" },
      onesec: { interval: "1s" },
      secure: { server: "ssl://b:8883", password: "******", token: "******" },
    });
    expect((await call("GET", "/metadata/sources/mqtt/confKeys/secure")).json()).toEqual(
      { server: "ssl://b:8883", password: "******", token: "******" },
    );
    expect((await call("DELETE", "/metadata/sources/mqtt/confKeys/onesec")).status).toBe(200);
    const gone = await call("GET", "/metadata/sources/mqtt/confKeys/onesec");
    expect(gone.status).toBe(404);
    expect(gone.json()).toEqual({
      error: 1002,
      message: "conf key onesec not found for source mqtt",
    });
    expect((await call("DELETE", "/metadata/sources/mqtt/confKeys/onesec")).status).toBe(404);

    // Sinks: resourceId presets.
    expect((await call("PUT", "/metadata/sinks/rest/confKeys/hook", { url: "http://x" })).status)
      .toBe(200);
    expect((await call("GET", "/metadata/sinks/yaml/rest")).json()).toEqual({
      hook: { url: "http://x" },
    });
    const list = (await call("GET", "/metadata/sinks")).json() as { name: string }[];
    expect(list.map((s) => s.name)).toContain("mqtt");
    const sources = (await call("GET", "/metadata/sources")).json() as { name: string }[];
    expect(sources.map((s) => s.name)).toEqual([...sources.map((s) => s.name)].sort());
  } finally {
    store.close();
  }
});

Deno.test("metadata API: invalid confKeys are refused with 400 and eKuiper's envelope", async () => {
  const { store, call } = await setup();
  try {
    const bad = async (path: string, body: unknown, message: string | RegExp) => {
      const r = await call("PUT", path, body);
      expect(r.status).toBe(400);
      expect(r.json().error).toBe(5000);
      expect(r.json().message).toMatch(message);
    };
    await bad("/metadata/sources/mqtt/confKeys/k", { interval: "fast" }, /invalid interval "fast"/);
    await bad("/metadata/sources/mqtt/confKeys/k", { qos: 7 }, /invalid qos 7/);
    await bad("/metadata/sources/mqtt/confKeys/k", { server: "nope" }, /invalid mqtt server/);
    await bad("/metadata/sources/mqtt/confKeys/k", { protocolVersion: "9" }, /protocolVersion/);
    await bad(
      "/metadata/sources/mqtt/confKeys/k",
      { rootCaPath: "/no/such/ca.pem" },
      /cannot read mqtt rootCaPath/,
    );
    await bad("/metadata/sinks/mqtt/confKeys/k", { server: "ftp://x" }, /scheme must be/);
    await bad("/metadata/sources/mqtt/confKeys/k", [1], /must be a JSON object/);
    await bad("/metadata/sources/mqtt/confKeys/a.b", {}, /contains invalid characters/);
    await bad("/metadata/sources/nosuch/confKeys/k", {}, "source nosuch is not found");
    const notJson = await call("PUT", "/metadata/sources/mqtt/confKeys/k", "{oops");
    expect(notJson.status).toBe(400);
    expect(notJson.json().message).toMatch(/invalid json/);
    expect((await call("GET", "/metadata/sources/yaml/nosuch")).status).toBe(400);
    // Nothing invalid was stored.
    expect(Object.keys((await call("GET", "/metadata/sources/yaml/mqtt")).json())).toEqual([
      "default",
    ]);
  } finally {
    store.close();
  }
});
