/** `/streams` and `/tables` (identical shapes), plus `/streamdetails` and `/tabledetails`. */
import type { Hono } from "hono";
import type { StreamKind } from "../sql/ast.ts";
import type { Catalog } from "../catalog/catalog.ts";
import { describeJson, formatName, sourceType } from "../catalog/stream_def.ts";
import { BadRequestError } from "../errors.ts";
import { readJsonBody } from "./body.ts";
import { json, text } from "./errors.ts";

function sqlOf(body: unknown): string {
  const sql = (body as { sql?: unknown } | null)?.sql;
  if (typeof sql !== "string" || sql.trim() === "") {
    throw new BadRequestError('invalid json: expected {"sql": "<statement>"}');
  }
  return sql;
}

export function streamRoutes(app: Hono, catalog: Catalog, maxBody: number): void {
  for (const kind of ["stream", "table"] as StreamKind[]) {
    const base = `/${kind}s`;
    app.post(base, async (c) => {
      const res = catalog.execute(sqlOf(await readJsonBody(c.req.raw, maxBody)));
      return typeof res.body === "string" ? text(res.status, res.body) : json(res.status, res.body);
    });
    app.get(base, () => json(200, catalog.list(kind).map((d) => d.name).sort()));
    app.get(`/${kind}details`, () =>
      json(
        200,
        catalog.list(kind).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0).map((
          d,
        ) => ({
          name: d.name,
          type: sourceType(d),
          format: formatName(d),
        })),
      ));
    app.get(
      `${base}/:name`,
      (c) => json(200, describeJson(catalog.mustGet(c.req.param("name"), kind))),
    );
    app.put(`${base}/:name`, async (c) => {
      const sql = sqlOf(await readJsonBody(c.req.raw, maxBody));
      return text(200, catalog.replace(c.req.param("name"), sql, kind));
    });
    app.delete(
      `${base}/:name`,
      (c) => text(200, catalog.drop(c.req.param("name"), kind, c.req.query("force") === "true")),
    );
  }
}
