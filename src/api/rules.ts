/** `/rules`: CRUD, start/stop/restart, status, topo, explain and validate. */
import type { Hono } from "hono";
import type { RuleManager } from "../rules/rule_manager.ts";
import { errorMessage } from "../errors.ts";
import { readJsonBody } from "./body.ts";
import { json, text } from "./errors.ts";

export function ruleRoutes(app: Hono, rules: RuleManager, maxBody: number): void {
  app.post("/rules/validate", async (c) => {
    const body = await readJsonBody(c.req.raw, maxBody);
    try {
      const { streams } = rules.validate(body);
      return json(200, { valid: true, sources: streams });
    } catch (e) {
      return text(422, errorMessage(e));
    }
  });
  app.post(
    "/rules",
    async (c) => text(201, await rules.create(await readJsonBody(c.req.raw, maxBody))),
  );
  app.get("/rules", () => json(200, rules.list()));
  app.get("/rules/:id", (c) => json(200, rules.raw(c.req.param("id"))));
  app.put(
    "/rules/:id",
    async (c) =>
      text(200, await rules.update(c.req.param("id"), await readJsonBody(c.req.raw, maxBody))),
  );
  app.delete("/rules/:id", async (c) => text(200, await rules.delete(c.req.param("id"))));
  app.post("/rules/:id/start", async (c) => text(200, await rules.start(c.req.param("id"))));
  app.post("/rules/:id/stop", async (c) => text(200, await rules.stop(c.req.param("id"))));
  app.post("/rules/:id/restart", async (c) => text(200, await rules.restart(c.req.param("id"))));
  app.get(
    "/rules/:id/status",
    (c) =>
      new Response(JSON.stringify(rules.status(c.req.param("id")), null, 2), {
        headers: { "content-type": "application/json" },
      }),
  );
  app.get("/rules/:id/topo", (c) => json(200, rules.topo(c.req.param("id"))));
  app.get("/rules/:id/explain", (c) => text(200, rules.explain(c.req.param("id"))));
}
