/**
 * Conversion and encoding functions (eKuiper `funcs_misc.go`): `cast`, `to_json`,
 * `parse_json`, `encode`, `decode`.
 *
 * @module
 */
import type { Expr } from "../sql/ast.ts";
import type { ValueType } from "../expr/types.ts";
import { EvalError } from "../expr/types.ts";
import {
  bytesToBase64,
  goString,
  toEpochMs,
  toJson,
  typed,
  valueToString,
} from "../expr/values.ts";
import { scalar } from "./_define.ts";
import { nodeZlib } from "../platform/builtin.ts";
import { resolveZone, timeArg, ZonedDate } from "./_time.ts";
import { utf8Length as utf8Bytes } from "./_utf8.ts";
import { expect, stringLiteral } from "./_validate.ts";
import type { FunctionTable } from "./types.ts";

export const CAST_TARGETS = ["bigint", "float", "string", "boolean", "datetime", "bytea"] as const;
export type CastTarget = typeof CAST_TARGETS[number];

const encoder = new TextEncoder();

function unsupported(v: unknown, target: string): EvalError {
  return new EvalError(`not supported type conversion from ${typed(v)} to ${target}`);
}

/** A decimal number in a string, strictly (no empty or partly numeric strings). */
function parseNumber(s: string, v: unknown, target: string): number {
  const t = s.trim();
  const n = t === "" ? NaN : Number(t);
  if (Number.isNaN(n)) throw unsupported(v, target);
  return n;
}

/** Go's `strconv.ParseBool`. */
const BOOL_STRINGS: Record<string, boolean> = {
  "1": true,
  t: true,
  T: true,
  TRUE: true,
  true: true,
  True: true,
  "0": false,
  f: false,
  F: false,
  FALSE: false,
  false: false,
  False: false,
};

/** `cast(v, target)`: eKuiper's conversions; throws an EvalError for one it does not make. */
export function castTo(v: unknown, target: CastTarget): unknown {
  switch (target) {
    case "bigint":
      if (typeof v === "number") return Math.trunc(v);
      if (typeof v === "string") return Math.trunc(parseNumber(v, v, target));
      if (typeof v === "boolean") return v ? 1 : 0;
      if (v instanceof Date) return v.getTime();
      throw unsupported(v, target);
    case "float":
      if (typeof v === "number") return v;
      if (typeof v === "string") return parseNumber(v, v, target);
      if (typeof v === "boolean") return v ? 1 : 0;
      if (v instanceof Date) return v.getTime();
      throw unsupported(v, target);
    case "string":
      return valueToString(v);
    case "boolean":
      if (typeof v === "boolean") return v;
      if (typeof v === "number") return v !== 0;
      if (typeof v === "string" && Object.hasOwn(BOOL_STRINGS, v)) return BOOL_STRINGS[v];
      throw unsupported(v, target);
    case "datetime": {
      if (v instanceof Date) return v;
      const ms = typeof v === "number" || typeof v === "string" ? toEpochMs(v) : undefined;
      if (ms === undefined) throw unsupported(v, target);
      return new Date(ms);
    }
    case "bytea":
      if (v instanceof Uint8Array) return v;
      if (typeof v === "string") return encoder.encode(v);
      throw unsupported(v, target);
  }
}

/** The literal target is the static type: `cast(x, "bigint") / 2` divides integers. */
function castReturnType(_types: ValueType[], args: readonly Expr[]): ValueType {
  const t = stringLiteral(args[1]) ?? "";
  return (CAST_TARGETS as readonly string[]).includes(t) ? t as CastTarget : "any";
}

function base64ToBytes(s: string): Uint8Array {
  let bin: string;
  try {
    bin = atob(s);
  } catch (e) {
    throw new EvalError(`fail to decode base64 string: ${(e as Error).message}`);
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function checkBase64Method(method: unknown, what: string): void {
  if (typeof method !== "string" || method.toLowerCase() !== "base64") {
    throw new EvalError(`Only base64 ${what} is supported.`);
  }
}

function onlyBase64(args: readonly Expr[]): string | undefined {
  const err = expect(["string", "string"])(args);
  if (err) return err;
  if (args[1].kind !== "StringLiteral") return "Expect string type for parameter 2";
  return args[1].value === "base64" ? undefined : "Only base64 is supported for the 2nd parameter.";
}

/** Bytes of a string (UTF-8) or byte-array argument. */
function bytesOf(v: unknown, what: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string") return encoder.encode(v);
  throw new EvalError(`Only string or bytes can be ${what}, got ${typed(v)}`);
}

type Codec = (b: Uint8Array) => Uint8Array;

/** Compression methods by name: their `node:zlib` functions (loaded on first use); zstd only
 * where the runtime's `node:zlib` has it. */
const CODECS: Record<string, { compress: string; decompress: string }> = {
  zlib: { compress: "deflateSync", decompress: "inflateSync" },
  gzip: { compress: "gzipSync", decompress: "gunzipSync" },
  flate: { compress: "deflateRawSync", decompress: "inflateRawSync" },
  zstd: { compress: "zstdCompressSync", decompress: "zstdDecompressSync" },
};

function codec(method: unknown, direction: "compress" | "decompress"): Codec {
  const name = typeof method === "string" ? method : "";
  const fn = Object.hasOwn(CODECS, name) ? CODECS[name][direction] : undefined;
  const c = fn ? (nodeZlib() as unknown as Record<string, Codec | undefined>)[fn] : undefined;
  if (!c) throw new EvalError(`unsupported ${direction}ion method ${valueToString(method)}`);
  return c;
}

function methodLiteral(args: readonly Expr[]): string | undefined {
  const err = expect(["any", "string"])(args);
  if (err) return err;
  const m = stringLiteral(args[1]);
  return m !== undefined && !Object.hasOwn(CODECS, m)
    ? `unsupported compress method ${m}, only zlib, gzip, flate and zstd are supported`
    : undefined;
}

/** `trunc(x, n)`: cut (not round) to n decimals, n clamped to 0..34 like eKuiper. */
function trunc(x: number, n: number): number {
  const d = Math.min(Math.max(n, 0), 34);
  if (!Number.isFinite(x) || d > 15) return x;
  const p = 10 ** d;
  return Math.trunc(x * p) / p;
}

export const conversionFunctions: FunctionTable = {
  chr: scalar("chr", {
    args: 1,
    validate: expect(["int"]),
    returnType: "string",
    exec: ([v]) => {
      if (typeof v === "string") {
        if (utf8Bytes(v) > 1) throw new EvalError("Parameter length cannot larger than 1.");
        return v;
      }
      if (typeof v !== "number") {
        throw new EvalError("Only bigint, float and string type can be convert to char type.");
      }
      const cp = Math.trunc(v);
      // Go's rune conversion: what is not a code point prints as U+FFFD.
      return cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)
        ? String.fromCodePoint(cp)
        : "\ufffd";
    },
  }),
  hex2dec: scalar("hex2dec", {
    args: 1,
    validate: expect(["string"]),
    returnType: "bigint",
    exec: ([v]) => {
      if (typeof v !== "string") {
        throw new EvalError(`invalid input type: ${goString(v)} please input hex string`);
      }
      const hex = v.startsWith("0x") ? v.slice(2) : v;
      const n = /^[-+]?[0-9a-fA-F]{1,16}$/.test(hex) ? parseInt(hex, 16) : NaN;
      if (!Number.isFinite(n) || Math.abs(n) > 2 ** 63) {
        throw new EvalError(`invalid hexadecimal value: ${hex}`);
      }
      return n;
    },
  }),
  dec2hex: scalar("dec2hex", {
    args: 1,
    validate: expect(["int"]),
    returnType: "string",
    exec: ([v]) => {
      if (typeof v !== "number" || !Number.isInteger(v)) {
        throw new EvalError(`cannot convert ${typed(v)} to int`);
      }
      // "0x" + Go's FormatInt: a negative number prints as 0x-ff.
      return `0x${v.toString(16)}`;
    },
  }),
  trunc: scalar("trunc", {
    args: 2,
    validate: expect(["number", "int"]),
    returnType: "float",
    exec: ([x, n]) => {
      if (typeof x !== "number") throw new EvalError(`expect number type but got ${typed(x)}`);
      if (typeof n !== "number" || !Number.isInteger(n)) {
        throw new EvalError(`expect int type but got ${typed(n)}`);
      }
      return trunc(x, n);
    },
  }),
  compress: scalar("compress", {
    args: 2,
    validate: methodLiteral,
    returnType: "bytea",
    exec: ([v, m]) => new Uint8Array(codec(m, "compress")(bytesOf(v, "compressed"))),
  }),
  decompress: scalar("decompress", {
    args: 2,
    validate: methodLiteral,
    returnType: "bytea",
    exec: ([v, m]) => {
      try {
        return new Uint8Array(codec(m, "decompress")(bytesOf(v, "decompressed")));
      } catch (e) {
        if (e instanceof EvalError) throw e;
        throw new EvalError(`failed to decompress: ${(e as Error).message}`);
      }
    },
  }),
  convert_tz: scalar("convert_tz", {
    args: 2,
    // A literal number, string or boolean cannot be a datetime.
    validate: (args) =>
      args[0].kind === "StringLiteral" || expect(["string"])([args[0]]) !== undefined
        ? "Expect datetime type for parameter 1"
        : expect(["any", "string"])(args),
    returnType: "datetime",
    // The same instant, shown in the zone (Go's `t.In(loc)`).
    exec: ([t, tz]) => new ZonedDate(timeArg(t), resolveZone(valueToString(tz))),
  }),
  to_seconds: scalar("to_seconds", {
    args: 1,
    returnType: "bigint",
    exec: ([t]) => Math.floor(timeArg(t) / 1000),
  }),
  cast: scalar("cast", {
    args: 2,
    validate: (args) => {
      const t = args[1];
      if (t.kind !== "StringLiteral") return "Expect string type for parameter 2";
      if (!(CAST_TARGETS as readonly string[]).includes(t.value)) {
        return `Expect one of following value for the 2nd parameter: ${CAST_TARGETS.join(", ")}.`;
      }
      return undefined;
    },
    returnType: castReturnType,
    exec: ([v, target]) => {
      if (!(CAST_TARGETS as readonly unknown[]).includes(target)) {
        throw new EvalError(`Unknow type, only support ${CAST_TARGETS.join(", ")}.`);
      }
      return castTo(v, target as CastTarget);
    },
  }),
  to_json: scalar("to_json", {
    args: 1,
    returnType: "string",
    nullPolicy: "custom",
    exec: ([v]) => toJson(v),
  }),
  parse_json: scalar("parse_json", {
    args: 1,
    validate: expect(["string"]),
    returnType: "any",
    nullPolicy: "custom",
    exec: ([v]) => {
      if (v == null || v === "null") return null;
      if (typeof v !== "string") throw new EvalError(`fail to convert ${typed(v)} to string`);
      try {
        return JSON.parse(v);
      } catch (e) {
        throw new EvalError(`fail to parse json: ${(e as Error).message}`);
      }
    },
  }),
  encode: scalar("encode", {
    args: 2,
    validate: onlyBase64,
    returnType: "string",
    exec: ([v, method]) => {
      checkBase64Method(method, "encoding");
      if (typeof v === "string") return bytesToBase64(encoder.encode(v));
      if (v instanceof Uint8Array) return bytesToBase64(v);
      throw new EvalError("Only string type can be encoded.");
    },
  }),
  decode: scalar("decode", {
    args: 2,
    validate: onlyBase64,
    returnType: "bytea",
    exec: ([v, method]) => {
      checkBase64Method(method, "decoding");
      if (typeof v !== "string") throw new EvalError("Only string type can be decoded.");
      return base64ToBytes(v);
    },
  }),
};
