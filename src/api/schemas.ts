/**
 * `/schemas/{type}[/{name}]` (type: protobuf, custom), eKuiper's schema registry API: a schema's
 * content is given inline (`content`) or as a `file://` / `http(s)://` URL (`file`), and is
 * written to `data/schemas/{type}/`.
 */
import type { Hono } from "hono";
import { schemaRegistry, type SchemaRequest } from "../schemas/mod.ts";
import { BadRequestError } from "../errors.ts";
import { readJsonBody } from "./body.ts";
import { json, text } from "./errors.ts";

async function requestOf(req: Request, maxBody: number): Promise<SchemaRequest> {
  const body = await readJsonBody(req, maxBody);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new BadRequestError('invalid json: expected {"name", "content" | "file"}');
  }
  return body as SchemaRequest;
}

export function schemaRoutes(app: Hono, maxBody: number): void {
  app.post("/schemas/:type", async (c) => {
    const type = c.req.param("type");
    const req = await requestOf(c.req.raw, maxBody);
    await schemaRegistry().save(type, req, "create");
    return text(201, `${type} schema ${req.name} is created`);
  });
  app.get("/schemas/:type", (c) => json(200, schemaRegistry().list(c.req.param("type"))));
  app.get(
    "/schemas/:type/:name",
    (c) => json(200, schemaRegistry().get(c.req.param("type"), c.req.param("name"))),
  );
  app.put("/schemas/:type/:name", async (c) => {
    const { type, name } = c.req.param();
    await schemaRegistry().save(type, await requestOf(c.req.raw, maxBody), "replace", name);
    return text(200, `${type} schema ${name} is updated`);
  });
  app.delete("/schemas/:type/:name", async (c) => {
    const { type, name } = c.req.param();
    await schemaRegistry().delete(type, name);
    return text(200, `${type} schema ${name} is deleted`);
  });
}
