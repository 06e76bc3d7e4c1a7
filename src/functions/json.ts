/**
 * JSON path functions (eKuiper `funcs_misc.go`): `json_path_exists`, `json_path_query`,
 * `json_path_query_first`. The dialect is documented in `_jsonpath.ts`; parsed paths are cached
 * because the path is nearly always a literal.
 *
 * @module
 */
import { EvalError } from "../expr/types.ts";
import { goString } from "../expr/values.ts";
import { scalar } from "./_define.ts";
import { expect } from "./_validate.ts";
import { evaluate, type JsonPath, parsePath } from "./_jsonpath.ts";
import type { FunctionTable } from "./types.ts";

const cache = new Map<string, JsonPath>();

function compiled(path: unknown): JsonPath {
  if (typeof path !== "string") {
    throw new EvalError(`invalid jsonPath, must be a string but got ${goString(path)}`);
  }
  let p = cache.get(path);
  if (!p) {
    p = parsePath(path);
    if (cache.size > 256) cache.clear();
    cache.set(path, p);
  }
  return p;
}

/** A JSON text argument is parsed first (eKuiper accepts both the value and its text). */
function document(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

const validate = expect(["any", "string"]);

/** The result of a path; a definite path that leads nowhere is an error, as in eKuiper. */
function query(v: unknown, path: unknown): unknown {
  const p = compiled(path);
  const r = evaluate(p, document(v));
  if (!r.found && p.definite) throw new EvalError(`unknown key ${missingKey(p)}`);
  return r.value;
}

function missingKey(p: JsonPath): string {
  const last = p.segments[p.segments.length - 1];
  if (!last) return "$";
  return last.t === "key" ? last.key : last.t === "index" ? String(last.index) : "";
}

export const jsonFunctions: FunctionTable = {
  json_path_exists: scalar("json_path_exists", {
    args: 2,
    validate,
    returnType: "boolean",
    nullPolicy: "false",
    exec: ([v, path]) => evaluate(compiled(path), document(v)).found,
  }),
  json_path_query: scalar("json_path_query", {
    args: 2,
    validate,
    returnType: "any",
    exec: ([v, path]) => query(v, path),
  }),
  // eKuiper's code: the first element of an array result; any other result is an error.
  json_path_query_first: scalar("json_path_query_first", {
    args: 2,
    validate,
    returnType: "any",
    exec: ([v, path]) => {
      const r = query(v, path);
      if (!Array.isArray(r)) throw new EvalError(`query result (${goString(r)}) is not an array`);
      return r[0] ?? null;
    },
  }),
};
