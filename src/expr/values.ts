/**
 * Helpers over Weir's plain runtime values (numbers, strings, booleans, arrays, objects,
 * `Date` for datetime, `Uint8Array` for bytea, `null`), shared by the expression compiler and
 * the built-in functions.
 *
 * JavaScript has one number type, so whether a number is eKuiper's `int64` or `float64` is a
 * static fact (see `types.ts`); helpers that print Go-style type names take an `isInt` hint.
 *
 * @module
 */
import { EvalError } from "./types.ts";

/** Plain JSON-like object (not an array, Date or byte array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date) &&
    !(v instanceof Uint8Array);
}

/** eKuiper's "nil" check for functions: null, or (a quirk kept for compatibility) an empty
 * array or empty object. */
export function isNilArg(v: unknown): boolean {
  if (v == null) return true;
  if (typeof v !== "object") return false;
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof Date || v instanceof Uint8Array) return false;
  for (const _ in v) return false;
  return true;
}

/** The Go type name eKuiper prints in messages: `string`, `float64`, `int64`, `bool`,
 * `map[string]interface {}`, `[]interface {}`, `nil`. */
export function typeName(v: unknown, isInt = false): string {
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
      return isInt ? "int64" : "float64";
    case "boolean":
      return "bool";
    case "bigint":
      return "int64";
    case "undefined":
      return "nil";
    case "object":
      if (v === null) return "nil";
      if (Array.isArray(v)) return "[]interface {}";
      if (v instanceof Date) return "time.Time";
      if (v instanceof Uint8Array) return "[]uint8";
      return "map[string]interface {}";
    default:
      return typeof v;
  }
}

/** Go's `%v` rendering of a value, for error messages. */
export function goString(v: unknown, isInt = false): string {
  if (v == null) return "<nil>";
  switch (typeof v) {
    case "string":
      return v;
    case "number":
      return isInt && Number.isInteger(v) ? formatFloat(v) : formatGoG(v);
    case "boolean":
    case "bigint":
      return String(v);
  }
  if (Array.isArray(v)) return `[${v.map((e) => goString(e)).join(" ")}]`;
  if (v instanceof Uint8Array) return `[${v.join(" ")}]`;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    const parts = Object.keys(o).sort().map((k) => `${k}:${goString(o[k])}`);
    return `map[${parts.join(" ")}]`;
  }
  return String(v);
}

/** `type(value)` as in eKuiper's `%[1]T(%[1]v)` messages: `string(a)`, `float64(1)`. */
export function typed(v: unknown, isInt = false): string {
  return `${typeName(v, isInt)}(${goString(v, isInt)})`;
}

/** Splits a finite non-zero number into its shortest decimal digits and exponent. */
function decimalParts(x: number): { sign: string; digits: string; exp: number } {
  const [mantissa, e] = Math.abs(x).toExponential().split("e");
  return { sign: x < 0 ? "-" : "", digits: mantissa.replace(".", ""), exp: Number(e) };
}

/** Go `strconv.FormatFloat(x, 'f', -1, 64)`: shortest digits, never an exponent (`1e21` ->
 * `1000000000000000000000`, `3.0` -> `3`). eKuiper uses it to turn numbers into strings. */
export function formatFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "NaN" : x > 0 ? "+Inf" : "-Inf";
  const s = String(x);
  if (!s.includes("e")) return s;
  const { sign, digits, exp } = decimalParts(x);
  if (exp >= 0) {
    return sign +
      (exp + 1 >= digits.length
        ? digits + "0".repeat(exp + 1 - digits.length)
        : `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`);
  }
  return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
}

/** Go `%v` of a float64 (`%g`, shortest): exponent form below 1e-4 and from 1e6 (`1e+06`). */
function formatGoG(x: number): string {
  if (!Number.isFinite(x) || x === 0) return formatFloat(x);
  const { sign, digits, exp } = decimalParts(x);
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${e}`;
  }
  return formatFloat(x);
}

/** Base64 of bytes (what Go's JSON encoder does with `[]byte`). */
export function bytesToBase64(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 0x8000) {
    s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function jsonReplacer(this: unknown, _key: string, v: unknown): unknown {
  if (v instanceof Uint8Array) return bytesToBase64(v);
  if (typeof v === "number" && !Number.isFinite(v)) return null;
  return v;
}

/** JSON text of a value as eKuiper's `to_json` writes it (bytes as base64, dates RFC 3339). */
export function toJson(v: unknown): string {
  return JSON.stringify(v === undefined ? null : v, jsonReplacer) ?? "null";
}

/** The values without repeats (by their JSON), first occurrences kept in order. */
export function distinctValues(values: Iterable<unknown>): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const v of values) {
    const k = toJson(v);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(v);
    }
  }
  return out;
}

const utf8 = new TextDecoder();

/** eKuiper's `cast.ToStringAlways`: numbers without a trailing `.0`, bytes as UTF-8 text,
 * arrays and objects as JSON, null as the empty string. */
export function valueToString(v: unknown): string {
  switch (typeof v) {
    case "string":
      return v;
    case "number":
      return formatFloat(v);
    case "boolean":
    case "bigint":
      return String(v);
    case "undefined":
      return "";
  }
  if (v === null) return "";
  if (v instanceof Uint8Array) return utf8.decode(v);
  if (v instanceof Date) return v.toISOString();
  return toJson(v);
}

/** The number in `v`, or an EvalError naming the value (eKuiper's same-kind conversion: strings
 * and booleans are not numbers). */
export function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  throw new EvalError(`cannot convert ${typed(v)} to float64`);
}

/** An integer argument (`lpad(s, 3)`); integral floats are accepted since JSON has no ints. */
export function toInt(v: unknown): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new EvalError(`cannot convert ${typed(v)} to int`);
}

/** The boolean in `v`, or an EvalError. */
export function toBool(v: unknown): boolean {
  if (typeof v === "boolean") return v;
  throw new EvalError(`cannot convert ${typed(v)} to bool`);
}

/** Epoch milliseconds of a datetime operand: a Date, epoch ms, or a parseable string. */
export function toEpochMs(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const t = Date.parse(v.includes("T") || !v.includes(" ") ? v : v.replace(" ", "T"));
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/**
 * Equality used by `IN`: numbers by value (int and float alike), strings, booleans, datetimes
 * by instant, arrays/objects/bytes deeply. Null equals nothing, and values of different kinds
 * are simply unequal (eKuiper raises a type error inside `IN`; Weir answers false).
 */
export function valueEquals(a: unknown, b: unknown): boolean {
  if (a == null || b == null) return false;
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object") {
    if (a instanceof Date || b instanceof Date) return dateEquals(a, b);
    return false;
  }
  if (a instanceof Date || b instanceof Date) return dateEquals(a, b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!valueEquals(a[i], b[i]) && !(a[i] == null && b[i] == null)) return false;
    }
    return true;
  }
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
    return a.every((x, i) => x === b[i]);
  }
  if (!isObject(a) || !isObject(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    if (!valueEquals(a[k], b[k]) && !(a[k] == null && b[k] == null)) return false;
  }
  return true;
}

function dateEquals(a: unknown, b: unknown): boolean {
  const x = toEpochMs(a);
  const y = toEpochMs(b);
  return x !== undefined && x === y;
}
