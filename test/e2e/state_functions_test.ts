/**
 * Functions that read state outside the row, as a user meets them over REST and httppush:
 * `last_hit_count()`/`last_hit_time()` in WHERE and SELECT, `last_agg_hit_count()` in HAVING and
 * SELECT of a window rule, and `get_keyed_state()` reading values stored with
 * `POST /keyedstate` (kept across a restart), and `delay()` holding a rule.
 */
import { expect } from "expect";
import { rmSync } from "node:fs";
import { WeirProcess } from "../helpers/weir_process.ts";
import { freePort } from "../helpers/ports.ts";
import { until } from "../helpers/until.ts";

Deno.test({
  name: "last_hit_*, last_agg_hit_* and get_keyed_state over REST",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const received = new Map<string, unknown[]>();
    const arrivals = new Map<string, number[]>();
    const ac = new AbortController();
    const port = await freePort();
    const server = Deno.serve(
      { port, hostname: "127.0.0.1", signal: ac.signal, onListen() {} },
      async (req) => {
        const id = new URL(req.url).pathname.slice(1);
        if (!received.has(id)) received.set(id, []);
        received.get(id)!.push(...(await req.json()) as unknown[]);
        arrivals.set(id, [...(arrivals.get(id) ?? []), performance.now()]);
        return new Response("ok");
      },
    );
    let weir = await WeirProcess.start({ brokerAddr: "off" });
    const home = weir.home;
    const out = (id: string) => received.get(id) ?? [];
    const push = async (body: unknown) => {
      const r = await fetch(`http://127.0.0.1:${weir.pushPort}/in`, {
        method: "POST",
        body: JSON.stringify(body),
      });
      await r.body?.cancel();
      expect(r.status).toBe(200);
    };
    const rule = async (id: string, sql: string) => {
      const r = await weir.request("POST", "/rules", {
        id,
        sql,
        actions: [{ rest: { url: `http://127.0.0.1:${port}/${id}`, method: "post" } }],
      });
      expect({ id, status: r.status, body: r.text }).toEqual({ id, status: 201, body: r.text });
    };
    try {
      expect(
        (await weir.request("POST", "/streams", {
          sql: 'CREATE STREAM s (k string, v bigint) WITH (TYPE="httppush", DATASOURCE="/in")',
        })).status,
      ).toBe(201);
      // Keyed state: stored over REST, read by rules, converted to the asked type.
      expect((await weir.request("POST", "/keyedstate", { key: "limit", value: "3" })).status)
        .toBe(200);
      expect((await weir.request("GET", "/keyedstate?key=limit")).json()).toEqual({
        key: "limit",
        value: "3",
      });
      expect((await weir.request("GET", "/keyedstate?key=nope")).status).toBe(404);
      expect((await weir.request("POST", "/keyedstate", { value: 1 })).status).toBe(400);

      // WHERE counts the rows it let through: the first three pass.
      await rule("gate", "SELECT v, last_hit_count() AS before FROM s WHERE last_hit_count() < 3");
      // SELECT counts every evaluation: the rows emitted before this one, and the last time.
      await rule("seq", "SELECT v, last_hit_count() AS n, last_hit_time() > 0 AS seen FROM s");
      await rule(
        "keyed",
        'SELECT v, get_keyed_state("limit", "bigint", 0) AS lim, ' +
          'get_keyed_state(k, "string", "none") AS name FROM s WHERE v > get_keyed_state("limit", "bigint", 0)',
      );
      // HAVING counts the windows it let through; SELECT's own call counts emitted groups.
      await rule(
        "agg",
        "SELECT count(*) AS c, last_agg_hit_count() AS emitted FROM s " +
          "GROUP BY CountWindow(2) HAVING last_agg_hit_count() < 2",
      );
      // The plain forms are refused in an aggregate rule (eKuiper's message).
      const bad = await weir.request("POST", "/rules", {
        id: "bad",
        sql: "SELECT last_hit_time() FROM s GROUP BY CountWindow(2)",
        actions: [{ log: {} }],
      });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain("function last_hit_time is not allowed in an aggregate query");
      // …except in a sliding window's trigger, evaluated per row.
      await rule(
        "trig",
        "SELECT count(*) AS c FROM s GROUP BY SlidingWindow(ss, 10) " +
          "OVER (WHEN last_hit_count() < 2)",
      );
      await weir.request("POST", "/keyedstate", { key: "dev1", value: "pump" });
      // delay(): each row holds the rule 250 ms; results keep their order.
      expect(
        (await weir.request("POST", "/streams", {
          sql: 'CREATE STREAM slow (v bigint) WITH (TYPE="httppush", DATASOURCE="/slow")',
        })).status,
      ).toBe(201);
      await rule("slow", "SELECT v, delay(250, v * 10) AS d FROM slow");
      const bad2 = await weir.request("POST", "/rules", {
        id: "bad2",
        sql: 'SELECT delay("soon", v) FROM slow',
        actions: [{ log: {} }],
      });
      expect(bad2.status).toBe(400);
      const t0 = performance.now();
      for (const v of [1, 2]) {
        const r = await fetch(`http://127.0.0.1:${weir.pushPort}/slow`, {
          method: "POST",
          body: JSON.stringify({ v }),
        });
        await r.body?.cancel();
      }

      for (let v = 1; v <= 6; v++) await push({ k: v === 5 ? "dev1" : "x", v });
      await until(() =>
        out("gate").length >= 3 && out("seq").length >= 6 && out("keyed").length >= 3 &&
        out("agg").length >= 2 && out("trig").length >= 2 && out("slow").length >= 2
      );
      expect(out("slow")).toEqual([{ v: 1, d: 10 }, { v: 2, d: 20 }]);
      const [first, second] = arrivals.get("slow")!.map((t) => t - t0);
      expect(first).toBeGreaterThanOrEqual(240);
      expect(second - first).toBeGreaterThanOrEqual(240);
      await new Promise((r) => setTimeout(r, 300));
      expect(out("gate")).toEqual([{ v: 1, before: 0 }, { v: 2, before: 1 }, { v: 3, before: 2 }]);
      expect(out("seq")).toEqual(
        [0, 1, 2, 3, 4, 5].map((n) => ({ v: n + 1, n, seen: n > 0 })),
      );
      expect(out("keyed")).toEqual([
        { v: 4, lim: 3, name: "none" },
        { v: 5, lim: 3, name: "pump" },
        { v: 6, lim: 3, name: "none" },
      ]);
      expect(out("agg")).toEqual([{ c: 2, emitted: 0 }, { c: 2, emitted: 1 }]);
      expect(out("trig")).toEqual([{ c: 1 }, { c: 2 }]);

      // Keyed state is stored: a restarted Weir still reads it.
      await weir.kill("SIGTERM");
      weir = await WeirProcess.start({ brokerAddr: "off", home });
      expect((await weir.request("GET", "/keyedstate?key=dev1")).json()).toEqual({
        key: "dev1",
        value: "pump",
      });
      expect((await weir.request("DELETE", "/keyedstate?key=dev1")).status).toBe(200);
      expect((await weir.request("GET", "/keyedstate?key=dev1")).status).toBe(404);
    } finally {
      await weir.kill("SIGTERM");
      ac.abort();
      await server.finished;
      rmSync(home, { recursive: true, force: true });
    }
  },
});
