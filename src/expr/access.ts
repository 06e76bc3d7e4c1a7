/**
 * JSON access: `obj->key`, `arr[i]`, `arr[start:end]`, `arr[]`.
 *
 * - `->` on null is null and a missing key is null; on an array it maps over the elements
 *   (`followers[:2]->name` is an array of names, as in eKuiper); on anything else it is an
 *   EvalError (`the result ... is not a type of map[string]interface{}`).
 * - `[i]` is 0-based, negative from the end; out of range is `out of index: i of n`.
 * - Slices are end-exclusive and, like eKuiper, reject out-of-range or empty bounds
 *   (`start value is out of index`, `start cannot be greater than end`). `arr[]` with no bound
 *   is the whole array, even an empty one (eKuiper rejects `[]` of an empty array).
 * - Indexing null, or with a null index or bound, gives null.
 *
 * @module
 */
import type { CompiledExpr, Evaluator, ValueType } from "./types.ts";
import { EvalError } from "./types.ts";
import { MSG } from "./messages.ts";
import { goString, isObject, typeName } from "./values.ts";
import { constValue, fold, isConstant } from "./_node.ts";

/** Keys that plain objects inherit (`constructor`, `toString`...) must not leak out of JSON. */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** `v->key` on one value. */
export function accessKey(v: unknown, key: string): unknown {
  if (v == null) return null;
  if (isObject(v)) {
    const x = v[key];
    if (x === undefined) return null;
    return INHERITED.has(key) && !Object.hasOwn(v, key) ? null : x;
  }
  if (Array.isArray(v)) return v.map((e) => accessKey(e, key));
  throw new EvalError(MSG.notAMap(goString(v)));
}

export function compileAccess(object: CompiledExpr, key: string): CompiledExpr {
  const oe = object.eval;
  const plain = !INHERITED.has(key);
  const evaluator: Evaluator = plain
    ? (t, c) => {
      const v = oe(t, c);
      // Fast path: an object from JSON.parse or a literal (arrays, dates, bytes and
      // null-prototype objects take the general path).
      if (typeof v === "object" && v !== null && v.constructor === Object) {
        const x = (v as Record<string, unknown>)[key];
        return x === undefined ? null : x;
      }
      return accessKey(v, key);
    }
    : (t, c) => accessKey(oe(t, c), key);
  return fold({ eval: evaluator, type: "any" }, [object]);
}

function toIndex(v: unknown): number {
  if (typeof v === "number") return Math.trunc(v);
  throw new EvalError(MSG.indexNotInt(goString(v)));
}

function notAnArray(v: unknown): EvalError {
  return new EvalError(MSG.invalidOpFor("[]", typeName(v)));
}

function elementAt(v: unknown, index: number): unknown {
  if (!Array.isArray(v)) throw notAnArray(v);
  const n = v.length;
  const i = index < 0 ? index + n : index;
  if (i < 0 || i >= n) throw new EvalError(MSG.outOfIndex(index, n));
  return v[i] ?? null;
}

export function compileIndex(object: CompiledExpr, index: CompiledExpr): CompiledExpr {
  const oe = object.eval, ie = index.eval;
  const k = isConstant(index) ? constValue(index) : undefined;
  const ki = typeof k === "number" ? Math.trunc(k) : undefined;
  const evaluator: Evaluator = ki !== undefined
    ? (t, c) => {
      const v = oe(t, c);
      return v == null ? null : elementAt(v, ki);
    }
    : (t, c) => {
      const v = oe(t, c);
      if (v == null) return null;
      const i = ie(t, c);
      return i == null ? null : elementAt(v, toIndex(i));
    };
  return fold({ eval: evaluator, type: "any" }, [object, index]);
}

/** eKuiper's bounds rules for `[start:end]`; undefined bounds are absent. */
function sliceOf(v: unknown, start: number | undefined, end: number | undefined): unknown[] {
  if (!Array.isArray(v)) throw notAnArray(v);
  const n = v.length;
  if (start === undefined && end === undefined) return v.slice();
  let s = start ?? 0;
  if (s < 0) {
    if (s + n < 0) throw new EvalError(MSG.outOfIndex(s, n));
    s += n;
  } else if (s >= n) throw new EvalError(MSG.startOutOfIndex(s, n));
  let e = end ?? n;
  if (e < 0) {
    if (e + n < 0) throw new EvalError(MSG.outOfIndex(e, n));
    e += n;
  } else if (e > n) throw new EvalError(MSG.endOutOfIndex(e, n));
  if (s >= e) throw new EvalError(MSG.startAfterEnd(s, e));
  return v.slice(s, e);
}

export function compileSlice(
  object: CompiledExpr,
  start: CompiledExpr | undefined,
  end: CompiledExpr | undefined,
): CompiledExpr {
  const oe = object.eval, se = start?.eval, ee = end?.eval;
  const evaluator: Evaluator = (t, c) => {
    const v = oe(t, c);
    if (v == null) return null;
    const s = se ? se(t, c) : undefined, e = ee ? ee(t, c) : undefined;
    if ((se && s == null) || (ee && e == null)) return null;
    return sliceOf(v, s === undefined ? s : toIndex(s), e === undefined ? e : toIndex(e));
  };
  const type: ValueType = "array";
  const children = [object];
  if (start) children.push(start);
  if (end) children.push(end);
  return fold({ eval: evaluator, type }, children);
}
