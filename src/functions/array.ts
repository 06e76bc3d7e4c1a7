/**
 * Array functions (eKuiper `funcs_array.go`). Elements compare by value (`1` equals `1.0`,
 * objects deeply); the set operations keep first occurrences in order.
 *
 * @module
 */
import type { ValueType } from "../expr/types.ts";
import { EvalError } from "../expr/types.ts";
import { distinctValues, isObject, toInt, toJson, typed, valueEquals } from "../expr/values.ts";
import { scalar } from "./_define.ts";
import { expect } from "./_validate.ts";
import { invoke } from "./invoke.ts";
import type { FunctionDef, FunctionTable } from "./types.ts";
import { builtinFunctions } from "./mod.ts";

/** eKuiper's argument errors: `first argument should be array of interface{}`. */
function array(v: unknown, position = "first"): unknown[] {
  if (Array.isArray(v)) return v;
  throw new EvalError(`${position} argument should be array of interface{}`);
}

/** Equality of elements, null matching null. */
const same = (a: unknown, b: unknown) => (a == null ? b == null : valueEquals(a, b));

/** Ordering of `array_sort`: nulls, then numbers, then strings, then booleans, then the rest
 * by JSON text. */
function rank(v: unknown): number {
  if (v == null) return 0;
  if (typeof v === "number") return 1;
  if (typeof v === "string") return 2;
  if (typeof v === "boolean") return 3;
  return 4;
}

function compareElements(a: unknown, b: unknown): number {
  const ra = rank(a), rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return (a as number) - (b as number);
  const x = ra === 4 ? toJson(a) : String(a);
  const y = ra === 4 ? toJson(b) : String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function extreme(arr: unknown[], sign: 1 | -1): unknown {
  let best: number | string | null = null;
  for (const v of arr) {
    if (v == null) continue;
    if (typeof v !== "number" && typeof v !== "string") {
      throw new EvalError(`array_${sign > 0 ? "max" : "min"} only supports numbers and strings`);
    }
    if (best === null) best = v;
    else if (typeof v !== typeof best) {
      throw new EvalError(`cannot compare ${typed(best)} with ${typed(v)}`);
    } else if (sign > 0 ? v > best : v < best) best = v;
  }
  return best;
}

function flatten(arr: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of arr) {
    if (!Array.isArray(v)) throw new EvalError("array elements should be array");
    out.push(...v);
  }
  return out;
}

const MAX_SEQUENCE = 1_000_000;

function sequence([start, stop, step]: unknown[]): number[] {
  const a = toInt(start), b = toInt(stop);
  const s = step === undefined ? (a <= b ? 1 : -1) : toInt(step);
  if (s === 0) throw new EvalError("invalid step: should not be zero");
  if ((b - a) * s < 0) throw new EvalError("invalid step: should be positive when start < stop");
  const n = Math.floor((b - a) / s) + 1;
  if (n > MAX_SEQUENCE) throw new EvalError(`sequence too long: ${n} elements`);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = a + i * s;
  return out;
}

function elementAt([container, index]: unknown[]): unknown {
  if (Array.isArray(container)) {
    const i = toInt(index);
    if (i >= container.length || i < -container.length) {
      throw new EvalError("index out of range");
    }
    return container[i < 0 ? container.length + i : i] ?? null;
  }
  if (isObject(container)) {
    if (typeof index !== "string") throw new EvalError("second argument should be string");
    return Object.hasOwn(container, index) ? container[index] : null;
  }
  throw new EvalError("first argument should be []interface{} or map[string]interface{}");
}

/** `array_map(name, arr)`: a scalar function applied to every element. */
function arrayMap([name, arr]: unknown[], ctx: Parameters<FunctionDef["exec"]>[1]): unknown[] {
  if (typeof name !== "string") throw new EvalError("first argument should be string");
  const def = builtinFunctions.get(name.toLowerCase());
  if (!def) throw new EvalError(`unknown built-in function: ${name}.`);
  if (def.kind !== "scalar") throw new EvalError("first argument should be a scalar function.");
  if (def.minArgs > 1 || def.maxArgs < 1) {
    throw new EvalError("validate function arguments failed.");
  }
  return array(arr, "second").map((v) => invoke(def, [v], ctx));
}

function arrayJoin([arr, delim, nullReplacement]: unknown[]): string {
  if (typeof delim !== "string") throw new EvalError("second argument should be string");
  if (nullReplacement !== undefined && typeof nullReplacement !== "string") {
    throw new EvalError("third argument should be string");
  }
  const parts: string[] = [];
  for (const v of array(arr)) {
    if (v == null) {
      // An empty replacement drops nulls, as eKuiper does.
      if (nullReplacement) parts.push(nullReplacement);
      continue;
    }
    if (typeof v !== "string") throw new EvalError("array elements should be string");
    parts.push(v);
  }
  return parts.join(delim);
}

function kvToObject(arr: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of arr) {
    if (!isObject(e) || typeof e.key !== "string" || !("value" in e)) {
      throw new EvalError(`array element should be an object with key and value, got ${toJson(e)}`);
    }
    out[e.key] = e.value;
  }
  return out;
}

const elementType = ([t]: ValueType[]): ValueType => (t === "array" ? "any" : "any");

function setOp(name: string, op: (a: unknown[], b: unknown[]) => unknown[], nil: "nil" | "custom") {
  return scalar(name, {
    args: 2,
    returnType: "array",
    nullPolicy: nil,
    exec: ([a, b]) => op(a == null ? [] : array(a), b == null ? [] : array(b, "second")),
  });
}

export const arrayFunctions: FunctionTable = {
  // Anything that is not an array counts 0 (eKuiper's code).
  cardinality: scalar("cardinality", {
    args: 1,
    returnType: "bigint",
    nullPolicy: "zero",
    exec: ([a]) => (Array.isArray(a) ? a.length : 0),
  }),
  array_cardinality: scalar("array_cardinality", {
    args: 1,
    returnType: "bigint",
    nullPolicy: "zero",
    exec: ([a]) => array(a).filter((v) => v != null).length,
  }),
  array_position: scalar("array_position", {
    args: 2,
    returnType: "bigint",
    nullPolicy: "custom",
    exec: ([a, v]) => (a == null ? -1 : array(a).findIndex((e) => same(e, v))),
  }),
  array_last_position: scalar("array_last_position", {
    args: 2,
    returnType: "bigint",
    nullPolicy: "custom",
    exec: ([a, v]) => (a == null ? -1 : array(a).findLastIndex((e) => same(e, v))),
  }),
  element_at: scalar("element_at", { args: 2, returnType: "any", exec: elementAt }),
  array_contains: scalar("array_contains", {
    args: 2,
    returnType: "boolean",
    nullPolicy: "custom",
    exec: ([a, v]) => (a == null ? false : array(a).some((e) => same(e, v))),
  }),
  array_contains_any: scalar("array_contains_any", {
    args: 2,
    returnType: "boolean",
    nullPolicy: "custom",
    exec: ([a, b]) => {
      if (a == null || b == null) return false;
      const other = array(b, "second");
      return array(a).some((e) => other.some((o) => same(e, o)));
    },
  }),
  // Null arguments are left out; nothing left is nil (eKuiper's code).
  array_create: scalar("array_create", {
    args: [0, Infinity],
    returnType: "array",
    nullPolicy: "custom",
    exec: (args) => {
      const out = args.filter((a) => a != null);
      return out.length === 0 ? null : out;
    },
  }),
  array_remove: scalar("array_remove", {
    args: 2,
    returnType: "array",
    nullPolicy: "custom",
    exec: ([a, v]) => (a == null ? null : array(a).filter((e) => !same(e, v))),
  }),
  // In the order of the second array, as eKuiper builds it.
  array_intersect: setOp(
    "array_intersect",
    (a, b) => distinctValues(b.filter((e) => a.some((o) => same(e, o)))),
    "nil",
  ),
  array_union: setOp("array_union", (a, b) => distinctValues([...a, ...b]), "custom"),
  array_except: setOp(
    "array_except",
    (a, b) => distinctValues(a.filter((e) => !b.some((o) => same(e, o)))),
    "nil",
  ),
  array_max: scalar("array_max", {
    args: 1,
    returnType: elementType,
    exec: ([a]) => extreme(array(a), 1),
  }),
  array_min: scalar("array_min", {
    args: 1,
    returnType: elementType,
    exec: ([a]) => extreme(array(a), -1),
  }),
  repeat: scalar("repeat", {
    args: 2,
    validate: expect(["any", "int"]),
    returnType: "array",
    exec: ([v, n]) => {
      const count = toInt(n);
      if (count < 0 || count > MAX_SEQUENCE) throw new EvalError(`invalid count ${count}`);
      return new Array(count).fill(v);
    },
  }),
  sequence: scalar("sequence", {
    args: [0, Infinity],
    validate: (args) =>
      args.length === 2 || args.length === 3
        ? expect(["int", "int", "int"])(args)
        : `Expect two or three arguments but found ${args.length}.`,
    returnType: "array",
    exec: sequence,
  }),
  array_flatten: scalar("array_flatten", {
    args: 1,
    returnType: "array",
    exec: ([a]) => flatten(array(a)),
  }),
  array_distinct: scalar("array_distinct", {
    args: 1,
    returnType: "array",
    exec: ([a]) => distinctValues(array(a)),
  }),
  array_shuffle: scalar("array_shuffle", {
    args: 1,
    returnType: "array",
    volatile: true,
    exec: ([a]) => {
      const out = array(a).slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
  }),
  array_sort: scalar("array_sort", {
    args: 1,
    returnType: "array",
    exec: ([a]) => array(a).slice().sort(compareElements),
  }),
  array_map: scalar("array_map", {
    args: 2,
    validate: expect(["string", "any"]),
    returnType: "array",
    exec: arrayMap,
  }),
  array_join: scalar("array_join", {
    args: [0, Infinity],
    validate: (args) =>
      args.length === 2 || args.length === 3
        ? expect(["any", "string", "string"])(args)
        : `Expect two or three arguments but found ${args.length}.`,
    returnType: "string",
    nullPolicy: "custom",
    exec: (args) => (args[0] == null || args[1] == null ? null : arrayJoin(args)),
  }),
  array_concat: scalar("array_concat", {
    args: [1, Infinity],
    returnType: "array",
    nullPolicy: "custom",
    exec: (args) => {
      const out: unknown[] = [];
      args.forEach((a) => {
        if (a == null) return;
        if (!Array.isArray(a)) throw new EvalError("array elements should be array");
        out.push(...a);
      });
      return out;
    },
  }),
  kvpair_array_to_obj: scalar("kvpair_array_to_obj", {
    args: 1,
    returnType: "struct",
    exec: ([a]) => kvToObject(array(a)),
  }),
};
