/**
 * A delimited stream whose source confKey sets `hasHeader`: each payload's first line names the
 * columns (eKuiper's delimited format with a header; the "header or stream schema").
 */
import { expect } from "expect";
import { rmSync } from "node:fs";
import { WeirProcess } from "../helpers/weir_process.ts";
import { freePort } from "../helpers/ports.ts";
import { until } from "../helpers/until.ts";

Deno.test({
  name: "delimited stream with hasHeader: column names from the payload's header line",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const received: unknown[] = [];
    const ac = new AbortController();
    const port = await freePort();
    const server = Deno.serve(
      { port, hostname: "127.0.0.1", signal: ac.signal, onListen() {} },
      async (req) => {
        received.push(await req.json());
        return new Response("ok");
      },
    );
    const weir = await WeirProcess.start({
      brokerAddr: "off",
      files: {
        "etc/sources/httppush.yaml": 'default:\n  method: "POST"\nhead:\n  hasHeader: true\n',
      },
    });
    try {
      const s = await weir.request("POST", "/streams", {
        sql: 'CREATE STREAM csv () WITH (TYPE="httppush", DATASOURCE="/csv", ' +
          'FORMAT="delimited", DELIMITER=",", CONF_KEY="head")',
      });
      expect(s.status).toBe(201);
      const r = await weir.request("POST", "/rules", {
        id: "csv",
        sql: "SELECT name, temp FROM csv WHERE name != 'skip'",
        actions: [{ rest: { url: `http://127.0.0.1:${port}/`, method: "post" } }],
      });
      expect(r.status).toBe(201);
      const push = await fetch(`http://127.0.0.1:${weir.pushPort}/csv`, {
        method: "POST",
        body: "name,temp\na,1\nskip,0\nb,2\n",
      });
      await push.body?.cancel();
      expect(push.status).toBe(200);
      await until(() => received.length >= 2);
      expect(received).toEqual([[{ name: "a", temp: "1" }], [{ name: "b", temp: "2" }]]);
    } finally {
      await weir.kill("SIGTERM");
      ac.abort();
      await server.finished;
      rmSync(weir.home, { recursive: true, force: true });
    }
  },
});
