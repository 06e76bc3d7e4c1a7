/**
 * Object functions (eKuiper `funcs_obj.go`). Objects are plain JSON objects; results are new
 * objects (arguments are never modified, they may be shared with other fields of the row).
 * Keys keep their insertion order (Go's maps have none, so any order is eKuiper-compatible).
 *
 * @module
 */
import type { Expr } from "../sql/ast.ts";
import { EvalError } from "../expr/types.ts";
import { goString, isObject, valueToString } from "../expr/values.ts";
import { scalar } from "./_define.ts";
import { expect } from "./_validate.ts";
import type { FunctionTable } from "./types.ts";

type Obj = Record<string, unknown>;

/** An object argument, with eKuiper's message for anything else. */
function object(v: unknown, message = "the argument should be map[string]interface{}"): Obj {
  if (isObject(v)) return v;
  throw new EvalError(message);
}

const firstObject = (v: unknown) =>
  object(v, `the first argument should be map[string]interface{}, got ${goString(v)}`);

/** A key argument: a string, or an array whose elements are used in their string form. */
function keyList(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.map((k) => valueToString(k));
  throw new EvalError("the argument should be slice or string");
}

const ZIP_ITEM = "each argument should be [][2]interface{}";

function zip(pairs: unknown): Obj {
  if (!Array.isArray(pairs)) throw new EvalError(ZIP_ITEM);
  const out: Obj = {};
  for (const p of pairs) {
    if (p == null) continue;
    if (!Array.isArray(p) || p.length !== 2) throw new EvalError(ZIP_ITEM);
    if (typeof p[0] !== "string") {
      throw new EvalError("the first element in the list item should be string");
    }
    out[p[0]] = p[1];
  }
  return out;
}

/** Pairs whose key or value is null are left out. */
function construct(args: unknown[]): Obj {
  const out: Obj = {};
  for (let i = 0; i + 1 < args.length; i += 2) {
    const k = args[i], v = args[i + 1];
    if (k == null || v == null) continue;
    if (typeof k !== "string") throw new EvalError(`key ${goString(k)} is not a string`);
    out[k] = v;
  }
  return out;
}

/** `object_construct`'s literal check: key/value pairs, keys that can be strings. */
function constructArgs(args: readonly Expr[]): string | undefined {
  if (args.length % 2 !== 0) return "the args must be key value pairs";
  for (let i = 0; i < args.length; i += 2) {
    const err = expect(["string"])([args[i]]);
    if (err) return err.replace("parameter 1", `parameter ${i + 1}`);
  }
  return undefined;
}

export const objectFunctions: FunctionTable = {
  keys: scalar("keys", {
    args: 1,
    returnType: "array",
    exec: ([o]) => Object.keys(object(o)),
  }),
  values: scalar("values", {
    args: 1,
    returnType: "array",
    exec: ([o]) => Object.values(object(o)),
  }),
  object: scalar("object", {
    args: 2,
    returnType: "struct",
    exec: ([ks, vs]) => {
      if (!Array.isArray(ks)) throw new EvalError("first argument should be []string");
      if (!Array.isArray(vs)) throw new EvalError("second argument should be []interface{}");
      if (ks.length !== vs.length) {
        throw new EvalError("the length of the arguments should be same");
      }
      const out: Obj = {};
      ks.forEach((k, i) => {
        if (typeof k !== "string") throw new EvalError("first argument should be []string");
        out[k] = vs[i];
      });
      return out;
    },
  }),
  zip: scalar("zip", { args: 1, returnType: "struct", exec: ([p]) => zip(p) }),
  items: scalar("items", {
    args: 1,
    returnType: "array",
    exec: ([o]) =>
      Object.entries(object(o, "first argument should be map[string]interface{}"))
        .map(([k, v]) => [k, v]),
  }),
  object_construct: scalar("object_construct", {
    args: [0, Infinity],
    validate: constructArgs,
    returnType: "struct",
    nullPolicy: "custom",
    exec: construct,
  }),
  object_concat: scalar("object_concat", {
    args: [2, Infinity],
    returnType: "struct",
    nullPolicy: "custom",
    exec: (args) => {
      const out: Obj = {};
      for (const o of args) {
        if (o == null) continue;
        const msg = `the argument should be map[string]interface{}, got ${goString(o)}`;
        Object.assign(out, object(o, msg));
      }
      return out;
    },
  }),
  erase: scalar("erase", {
    args: 2,
    returnType: "struct",
    exec: ([o, k]) => {
      const out = { ...firstObject(o) };
      for (const key of keyList(k)) delete out[key];
      return out;
    },
  }),
  object_pick: scalar("object_pick", {
    args: 2,
    returnType: "struct",
    exec: ([o, k]) => {
      const src = firstObject(o);
      const out: Obj = {};
      for (const key of keyList(k)) if (Object.hasOwn(src, key)) out[key] = src[key];
      return out;
    },
  }),
  object_size: scalar("object_size", {
    args: 1,
    returnType: "bigint",
    nullPolicy: "zero",
    exec: ([o]) => Object.keys(object(o)).length,
  }),
  obj_to_kvpair_array: scalar("obj_to_kvpair_array", {
    args: 1,
    returnType: "array",
    exec: ([o]) => Object.entries(firstObject(o)).map(([key, value]) => ({ key, value })),
  }),
};
