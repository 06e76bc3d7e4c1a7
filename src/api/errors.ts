/**
 * The one place where errors become HTTP responses, in eKuiper's envelope:
 * `{"error": <code>, "message": "..."}`, text/plain like Go's http.Error, 404 for unknown ids
 * (code 1002) and 400 for everything a client got wrong.
 */
import { SqlSyntaxError } from "../../grammar/mod.ts";
import { CompileError } from "../expr/types.ts";
import { ErrorCode, WeirError } from "../errors.ts";
import { logger } from "../log.ts";

const log = logger("api");

export function errorResponse(e: unknown): Response {
  let status = 400;
  let code: number = ErrorCode.general;
  let message: string;
  if (e instanceof WeirError) {
    code = e.code;
    message = e.message;
    if (code === ErrorCode.notFound) status = 404;
  } else if (e instanceof SqlSyntaxError) {
    code = ErrorCode.sqlParse;
    message = e.message;
  } else if (e instanceof CompileError) {
    code = ErrorCode.sqlPlan;
    message = e.message;
  } else {
    status = 500;
    code = ErrorCode.undefined;
    message = e instanceof Error ? e.message : String(e);
    log.error(`internal error: ${e instanceof Error ? e.stack : message}`);
  }
  return plainJson(status, { error: code, message });
}

export function plainJson(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body) + "\n", {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" },
  });
}

export function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}
