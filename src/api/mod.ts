/** The REST API (eKuiper's routes on port 9081), composed from one file per resource. */
import { Hono } from "hono";
import type { Catalog } from "../catalog/catalog.ts";
import type { RuleManager } from "../rules/rule_manager.ts";
import { runtimeName } from "../platform/mod.ts";
import { VERSION } from "../version.ts";
import { errorResponse, json, plainJson } from "./errors.ts";
import { streamRoutes } from "./streams.ts";
import { ruleRoutes } from "./rules.ts";
import { schemaRoutes } from "./schemas.ts";
import { metadataRoutes } from "./metadata.ts";
import type { ConfKeys } from "../config/conf_keys.ts";
import type { KeyedState } from "../store/keyed_state.ts";
import { keyedStateRoutes } from "./keyed_state.ts";
import process from "node:process";
import os from "node:os";

export interface ApiDeps {
  catalog: Catalog;
  rules: RuleManager;
  maxBodySize: number;
  startedAt: number;
  /** confKeys for `/metadata/*` (absent: those routes are not mounted). */
  confKeys?: ConfKeys;
  /** The values `get_keyed_state()` reads (absent: `/keyedstate` is not mounted). */
  keyedState?: KeyedState;
}

export function createApi(deps: ApiDeps): Hono {
  const app = new Hono();
  app.onError((err) => errorResponse(err));
  app.notFound((c) =>
    plainJson(404, { error: 1002, message: `${c.req.method} ${c.req.path} not found` })
  );

  const info = () =>
    json(200, {
      version: VERSION,
      os: process.platform,
      arch: process.arch,
      runtime: runtimeName,
      upTimeSeconds: Math.floor((Date.now() - deps.startedAt) / 1000),
      memoryUsed: process.memoryUsage().rss,
      // Weir's addition: the JS heap in use, what bounded state shows up in first.
      heapUsed: process.memoryUsage().heapUsed,
      memoryTotal: os.totalmem(),
    });
  app.get("/", info);
  app.post("/", info);
  app.get("/ping", () => new Response(null, { status: 200 }));
  streamRoutes(app, deps.catalog, deps.maxBodySize);
  ruleRoutes(app, deps.rules, deps.maxBodySize);
  schemaRoutes(app, deps.maxBodySize);
  if (deps.confKeys) metadataRoutes(app, deps.confKeys, deps.maxBodySize);
  if (deps.keyedState) keyedStateRoutes(app, deps.keyedState, deps.maxBodySize);
  return app;
}
