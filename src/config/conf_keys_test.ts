import { expect } from "expect";
import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfKeys, MASK, maskSecrets } from "./conf_keys.ts";
import { KvStore } from "../store/kv_store.ts";

function etcWith(files: Record<string, string>): string {
  const etc = mkdtempSync(join(tmpdir(), "weir-confkeys-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(etc, rel, ".."), { recursive: true });
    writeFileSync(join(etc, rel), text);
  }
  return etc;
}

const MQTT_YAML = `default:
  server: tcp://127.0.0.1:1883
  qos: 1
demo_conf:
  qos: 0
  password: s3cret
`;

Deno.test("confKeys: a named key merges over default; unknown keys are an error", () => {
  const keys = new ConfKeys(etcWith({ "sources/mqtt.yaml": MQTT_YAML }));
  expect(keys.resolve("sources", "mqtt", undefined)).toEqual({
    server: "tcp://127.0.0.1:1883",
    qos: 1,
    protocolVersion: "3.1.1",
  });
  expect(keys.resolve("sources", "mqtt", "DEMO_CONF")).toMatchObject({
    qos: 0,
    password: "s3cret",
  });
  expect(() => keys.resolve("sources", "mqtt", "nope")).toThrow(
    "conf key nope not found for source mqtt",
  );
});

Deno.test("confKeys: stored keys override the file and survive reopening the store", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-confkv-"));
  const etc = etcWith({ "sources/mqtt.yaml": MQTT_YAML });
  let store = await KvStore.open(join(dir, "weir.db"));
  let keys = new ConfKeys(etc, store);
  keys.put("sources", "mqtt", "onesec", { interval: "1s" });
  keys.put("sources", "mqtt", "demo_conf", { qos: 2, password: MASK });
  store.close();

  store = await KvStore.open(join(dir, "weir.db"));
  keys = new ConfKeys(etc, store);
  expect(keys.resolve("sources", "mqtt", "onesec")).toMatchObject({ interval: "1s", qos: 1 });
  // The masked value sent back keeps the secret already there.
  expect(keys.section("sources", "mqtt", "demo_conf")).toEqual({ qos: 2, password: "s3cret" });
  expect(Object.keys(keys.sections("sources", "mqtt")).sort()).toEqual([
    "default",
    "demo_conf",
    "onesec",
  ]);
  // Deleting the stored override brings the file's key back; the file's key itself stays.
  expect(keys.delete("sources", "mqtt", "demo_conf")).toBe(true);
  expect(keys.section("sources", "mqtt", "demo_conf")).toEqual({ qos: 0, password: "s3cret" });
  expect(() => keys.delete("sources", "mqtt", "demo_conf")).toThrow(/etc\/sources\/mqtt.yaml/);
  expect(keys.delete("sources", "mqtt", "never")).toBe(false);
  store.close();
});

Deno.test("confKeys: a sink's resourceId puts the action's props over the named preset", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-confkv-"));
  const store = await KvStore.open(join(dir, "weir.db"));
  const keys = new ConfKeys(
    etcWith({ "sinks/mqtt.yaml": "broker1:\n  server: tcp://10.0.0.1:1883\n  qos: 1\n" }),
    store,
  );
  expect(keys.resolveSink("mqtt", { resourceId: "broker1", topic: "t", qos: 0 })).toEqual({
    server: "tcp://10.0.0.1:1883",
    qos: 0,
    topic: "t",
  });
  keys.put("sinks", "rest", "hook", { url: "http://x", headers: { Authorization: "Bearer z" } });
  expect(keys.resolveSink("rest", { resourceId: "hook", method: "post" })).toEqual({
    url: "http://x",
    headers: { Authorization: "Bearer z" },
    method: "post",
  });
  expect(keys.resolveSink("log", { sendSingle: true })).toEqual({ sendSingle: true });
  expect(() => keys.resolveSink("mqtt", { resourceId: "nope" })).toThrow(
    "resourceId nope not found for sink mqtt",
  );
  store.close();
});

Deno.test("confKeys: secrets are masked at any depth, empty values are left alone", () => {
  expect(maskSecrets({
    password: "p",
    token: "t",
    Authorization: "x",
    privateKeyRaw: "pem",
    username: "u",
    headers: { "X-Api-Token": "h", accept: "json" },
    empty: { password: "" },
  })).toEqual({
    password: MASK,
    token: MASK,
    Authorization: MASK,
    privateKeyRaw: MASK,
    username: "u",
    headers: { "X-Api-Token": MASK, accept: "json" },
    empty: { password: "" },
  });
});

Deno.test("confKeys: a broken YAML file is a clear error", () => {
  const keys = new ConfKeys(etcWith({ "sources/mqtt.yaml": "default: [unclosed" }));
  expect(() => keys.resolve("sources", "mqtt", undefined)).toThrow(/cannot parse .*mqtt.yaml/);
});

Deno.test("confKeys: an edited, replaced or removed file is read again; callers get copies", () => {
  const etc = etcWith({ "sources/mqtt.yaml": MQTT_YAML });
  const path = join(etc, "sources", "mqtt.yaml");
  const keys = new ConfKeys(etc);
  // A caller changing what it got changes nothing for the next one.
  const first = keys.fileSections("sources", "mqtt");
  first.default.qos = 2;
  delete first.demo_conf;
  expect(keys.resolve("sources", "mqtt", "demo_conf")).toMatchObject({ qos: 0 });
  // Edited in place, with the same length (only the time tells).
  writeFileSync(path, MQTT_YAML.replace("qos: 0", "qos: 2"));
  utimesSync(path, new Date(), new Date(Date.now() + 5000));
  expect(keys.resolve("sources", "mqtt", "demo_conf")).toMatchObject({ qos: 2 });
  // Replaced by another file (a new inode), as editors and `mv` do.
  const next = join(etc, "next.yaml");
  writeFileSync(next, "default:\n  server: tcp://10.0.0.1:1883\n");
  renameSync(next, path);
  expect(keys.resolve("sources", "mqtt", undefined).server).toBe("tcp://10.0.0.1:1883");
  expect(() => keys.resolve("sources", "mqtt", "demo_conf")).toThrow("conf key demo_conf");
  // A `__proto__` key is copied as a key.
  writeFileSync(path, "default:\n  __proto__:\n    qos: 2\n");
  const odd = keys.fileSections("sources", "mqtt").default;
  expect(Object.keys(odd)).toEqual(["__proto__"]);
  expect((odd as { qos?: number }).qos).toBeUndefined();
  rmSync(path);
  expect(keys.fileSections("sources", "mqtt")).toEqual({});
  expect(keys.resolve("sources", "mqtt", undefined).server).toBe("tcp://127.0.0.1:1883");
});
