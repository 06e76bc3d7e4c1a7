/**
 * Conversion and encoding functions (eKuiper `funcs_misc.go`): `cast`, `to_json`,
 * `parse_json`, `encode`, `decode`.
 *
 * @module
 */
import type { Expr } from "../sql/ast.ts";
import type { ValueType } from "../expr/types.ts";
import { EvalError } from "../expr/types.ts";
import { bytesToBase64, toEpochMs, toJson, typed, valueToString } from "../expr/values.ts";
import { scalar } from "./_define.ts";
import { expect, stringLiteral } from "./_validate.ts";
import type { FunctionTable } from "./types.ts";

const CAST_TARGETS = ["bigint", "float", "string", "boolean", "datetime", "bytea"] as const;
type CastTarget = typeof CAST_TARGETS[number];

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

function castTo(v: unknown, target: CastTarget): unknown {
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

export const conversionFunctions: FunctionTable = {
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
