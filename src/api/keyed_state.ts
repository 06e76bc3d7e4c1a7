/**
 * `/keyedstate`: the values `get_keyed_state()` reads. `POST {"key": ..., "value": ...}` stores
 * one, `GET ?key=...` reads it back as `{"key", "value"}`, `DELETE ?key=...` removes it.
 */
import type { Hono } from "hono";
import { BadRequestError, NotFoundError } from "../errors.ts";
import type { KeyedState } from "../store/keyed_state.ts";
import { readJsonBody } from "./body.ts";
import { json, text } from "./errors.ts";

function keyParam(url: string): string {
  const key = new URL(url).searchParams.get("key");
  if (!key) throw new BadRequestError("missing query parameter key");
  return key;
}

export function keyedStateRoutes(app: Hono, state: KeyedState, maxBody: number): void {
  app.post("/keyedstate", async (c) => {
    const body = await readJsonBody(c.req.raw, maxBody);
    if (
      typeof body !== "object" || body === null || Array.isArray(body) ||
      typeof (body as { key?: unknown }).key !== "string" || (body as { key: string }).key === ""
    ) {
      throw new BadRequestError(
        'invalid json: expected {"key": "<non-empty string>", "value": ...}',
      );
    }
    const { key, value } = body as { key: string; value?: unknown };
    state.set(key, value ?? null);
    return text(200, "success");
  });
  app.get("/keyedstate", (c) => {
    const key = keyParam(c.req.url);
    const value = state.get(key);
    if (value === undefined) throw new NotFoundError(`keyed state ${key} is not found`);
    return json(200, { key, value });
  });
  app.delete("/keyedstate", (c) => {
    const key = keyParam(c.req.url);
    if (!state.delete(key)) throw new NotFoundError(`keyed state ${key} is not found`);
    return text(200, `keyed state ${key} is deleted`);
  });
}
