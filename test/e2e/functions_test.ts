/**
 * The function library as a user meets it: rules over a real MQTT broker and a real Weir
 * process, one rule calling a function of every scalar category (math, string, conversion,
 * hashing, JSON path, array, object, other, date/time, geohash, image), one aggregating a
 * count window, and rule creation refusing a badly typed literal argument with eKuiper's
 * message.
 */
import { expect } from "expect";
import { rmSync } from "node:fs";
import { decode as decodePng, encode as encodePng } from "fast-png";
import { WeirProcess } from "../helpers/weir_process.ts";
import { availableBrokerKinds, startTestBroker } from "../helpers/test_broker.ts";
import { connectClient, type TestClient } from "../helpers/mqtt_client.ts";

const SCALAR_SQL = `SELECT
  abs(t) AS math_abs, round(t, 1) AS math_round,
  upper(name) AS str_upper, regexp_substr(name, "[0-9]+") AS str_re,
  cast(t, "bigint") AS conv_cast, to_json(obj) AS conv_json,
  md5(name) AS hash_md5, crc32(name) AS hash_crc,
  json_path_query(doc, "$.people[? @.age>30].name") AS json_q,
  array_distinct(arr) AS arr_distinct, cardinality(arr) AS arr_n,
  keys(obj) AS obj_keys, object_construct("k", t, "none", missing) AS obj_new,
  coalesce(missing, "dflt") AS other_coalesce, rule_id() AS other_rule,
  window_start() AS other_ws,
  format_time(ts, "yyyy-MM-dd HH:mm:ss") AS dt_fmt, date_calc(ts, "1h30m") AS dt_calc,
  day_name(ts) AS dt_day,
  geohashEncode(lat, lng) AS geo,
  encode(thumbnail(decode(img, "base64"), 2, 2), "base64") AS img_thumb
FROM demo WHERE t < 0`;

const AGG_SQL = "SELECT count(*) AS c, avg(t) AS a, stddev(t) AS sd, collect(name) AS names, " +
  "percentile_disc(t, 0.5) AS p50, window_end() > 0 AS has_end FROM demo GROUP BY COUNTWINDOW(3)";

/** A 4×2 opaque grey PNG, base64. */
function pngBase64(): string {
  const data = new Uint8Array(4 * 2 * 4).fill(128);
  const png = encodePng({ width: 4, height: 2, data, channels: 4, depth: 8 });
  return btoa(String.fromCharCode(...png));
}

function event(i: number): string {
  return JSON.stringify({
    t: -1.26 - i,
    name: `dev-${i}-é`,
    obj: { a: i, b: "x" },
    arr: [1, 1, 2, i],
    doc: { people: [{ name: "ann", age: 40 }, { name: "bob", age: 20 }] },
    ts: 1_700_000_000_000,
    lat: 42.6,
    lng: -5.6,
    img: pngBase64(),
  });
}

/** Publishes until the rule's subscription is live (a rule subscribes asynchronously). */
async function publishUntilOutput(pub: TestClient, sub: TestClient, payload: string) {
  for (let i = 0; i < 100 && sub.messages.length === 0; i++) {
    await pub.publish("fn/in", payload);
    await new Promise((r) => setTimeout(r, 100));
  }
  await sub.waitFor(1);
}

const kind = availableBrokerKinds()[0];

Deno.test({
  name: `function library end to end over MQTT (${kind} broker)`,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const broker = await startTestBroker(kind);
    const weir = await WeirProcess.start({
      brokerAddr: "off",
      mqttServer: broker.url,
      mqttQos: 1,
    });
    const scalarOut = await connectClient(broker.url);
    const aggOut = await connectClient(broker.url);
    const pub = await connectClient(broker.url);
    const rule = (id: string, sql: string, topic: string) =>
      weir.request("POST", "/rules", {
        id,
        sql,
        actions: [{ mqtt: { server: broker.url, topic, qos: 1 } }],
      });
    try {
      const s = await weir.request("POST", "/streams", {
        sql: 'CREATE STREAM demo () WITH (FORMAT="JSON", DATASOURCE="fn/in")',
      });
      expect(s.status).toBe(201);
      await scalarOut.subscribe("fn/scalar");
      await aggOut.subscribe("fn/agg");

      await t.step("a badly typed literal argument is refused at rule creation", async () => {
        const r = await rule("bad", 'SELECT abs("a") AS x FROM demo', "fn/bad");
        expect(r.status).toBe(400);
        expect(r.text).toContain(
          "validate function abs error: Expect number - float or int type for parameter 1",
        );
      });

      await t.step("one function of every scalar category", async () => {
        const r = await rule("scalar", SCALAR_SQL, "fn/scalar");
        expect(r.status).toBe(201);
        await publishUntilOutput(pub, scalarOut, event(3));
        const [row] = JSON.parse(scalarOut.messages[0].payload);
        const thumb = row.img_thumb as string;
        delete row.img_thumb;
        expect(row).toEqual({
          math_abs: 4.26,
          math_round: -4.3,
          str_upper: "DEV-3-É",
          str_re: "3",
          conv_cast: -4,
          conv_json: '{"a":3,"b":"x"}',
          // Digests of the UTF-8 bytes of "dev-3-é" (checked with Python's hashlib/zlib).
          hash_md5: "7068cb6e74c96979d5969eb81ab7f280",
          hash_crc: "91f10a3e",
          json_q: ["ann"],
          arr_distinct: [1, 2, 3],
          arr_n: 4,
          obj_keys: ["a", "b"],
          obj_new: { k: -4.26 },
          other_coalesce: "dflt",
          other_rule: "scalar",
          other_ws: 0,
          dt_fmt: "2023-11-14 22:13:20",
          dt_calc: "2023-11-14 23:43:20",
          dt_day: "Tuesday",
          geo: "ezs42e44yx96",
        });
        const img = decodePng(Uint8Array.from(atob(thumb), (c) => c.charCodeAt(0)));
        expect([img.width, img.height]).toEqual([2, 1]);
      });

      await t.step("aggregates over a count window", async () => {
        const r = await rule("agg", AGG_SQL, "fn/agg");
        expect(r.status).toBe(201);
        // Until the rule's subscription is live, events go nowhere: publish one at a time
        // until a window is emitted, which leaves the count window empty.
        for (let i = 0; i < 300 && aggOut.messages.length === 0; i++) {
          await pub.publish("fn/in", event(100));
          await new Promise((r) => setTimeout(r, 100));
        }
        const n = (await aggOut.waitFor(1)).length;
        for (const i of [0, 1, 2]) await pub.publish("fn/in", event(i));
        const msgs = await aggOut.waitFor(n + 1);
        const last = JSON.parse(msgs[n].payload)[0];
        expect(last.c).toBe(3);
        expect(last.a).toBeCloseTo(-2.26, 10);
        expect(last.sd).toBeCloseTo(Math.sqrt(2 / 3), 10);
        expect(last.names).toEqual(["dev-0-é", "dev-1-é", "dev-2-é"]);
        expect(last.p50).toBeCloseTo(-2.26, 10);
        expect(last.has_end).toBe(true);
      });
    } finally {
      await pub.close();
      await scalarOut.close();
      await aggOut.close();
      await weir.kill("SIGTERM");
      await broker.stop();
      rmSync(weir.home, { recursive: true, force: true });
    }
  },
});
