/**
 * String functions (eKuiper `funcs_str.go`). Arguments that are not strings are used in their
 * string form (`upper(1)` is `"1"`), as eKuiper's `cast.ToStringAlways` does.
 *
 * @module
 */
import type { ValueType } from "../expr/types.ts";
import { EvalError } from "../expr/types.ts";
import { isObject, toInt, typed, valueToString as str } from "../expr/values.ts";
import { scalar } from "./_define.ts";
import { byteIndexOf, byteSlice, codePointCount, utf8Length } from "./_utf8.ts";
import { expandGoTemplate, goRegExp } from "./_regexp.ts";
import { expect, intLiteral } from "./_validate.ts";
import type { FunctionTable } from "./types.ts";

const oneString = expect(["string"]);
const twoStrings = expect(["string", "string"]);
const stringInt = expect(["string", "int"]);

function text(name: string, f: (s: string) => string) {
  return scalar(name, {
    args: 1,
    validate: oneString,
    returnType: "string",
    exec: ([s]) => f(str(s)),
  });
}

function pad(name: string, left: boolean) {
  return scalar(name, {
    args: 2,
    validate: stringInt,
    returnType: "string",
    exec: ([s, n]) => {
      const count = toInt(n);
      if (count < 0) throw new EvalError(`negative pad count ${count}`);
      return left ? " ".repeat(count) + str(s) : str(s) + " ".repeat(count);
    },
  });
}

/** `concat` joins strings, or arrays when every non-null argument is one. */
function concatType(types: ValueType[]): ValueType {
  if (types.some((t) => t === "array")) return "array";
  return types.some((t) => t === "any") ? "any" : "string";
}

function concat(args: unknown[]): unknown {
  let arrays = false;
  for (const a of args) {
    if (a == null) continue;
    if (!Array.isArray(a)) {
      arrays = false;
      break;
    }
    arrays = true;
  }
  if (arrays) return args.flatMap((a) => (a == null ? [] : a as unknown[]));
  let out = "";
  for (const a of args) out += str(a);
  return out;
}

function length(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  if (isObject(v)) return Object.keys(v).length;
  return codePointCount(str(v));
}

function substring(args: unknown[]): string {
  const s = str(args[0]);
  const start = toInt(args[1]);
  if (start < 0) throw new EvalError("start index must be a positive number");
  const bytes = utf8Length(s);
  if (args.length < 3) return start > bytes ? "" : byteSlice(s, start);
  const end = toInt(args[2]);
  if (end < 0) throw new EvalError("end index must be a positive number");
  if (start > end) throw new EvalError("start index must be smaller than end index");
  if (start > bytes) return "";
  return byteSlice(s, start, Math.min(end, bytes));
}

function splitValue([s, sep, idx]: unknown[]): string {
  const text = str(s);
  const separator = str(sep);
  // Go splits around every UTF-8 sequence when the separator is empty.
  const parts = separator === "" ? Array.from(text) : text.split(separator);
  const i = toInt(idx);
  // A negative index counts from the end (eKuiper's code).
  if (i >= parts.length || i < -parts.length) {
    throw new EvalError(`${i} out of index array (size = ${parts.length})`);
  }
  return parts[i < 0 ? parts.length + i : i];
}

function regexpReplace([s, re, repl]: unknown[]): string {
  const template = str(repl);
  return str(s).replace(goRegExp(str(re), true), (...m: unknown[]) => {
    const last = m[m.length - 1];
    const named = typeof last === "object" ? last as Record<string, string | undefined> : undefined;
    const groups = m.slice(0, named ? -3 : -2) as (string | undefined)[];
    return expandGoTemplate(template, groups, named);
  });
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** `format(x, d [, locale])`: grouped digits, `d` decimals, in a POSIX locale (`de_DE`). */
function formatNumber([x, d, locale]: unknown[]): string {
  if (typeof x !== "number") {
    throw new EvalError(`the first parameter should be number, got ${typed(x)}`);
  }
  const places = toInt(d);
  if (places < 0) throw new EvalError("the decimal places must greater or equal than 0");
  const digits = Math.min(places, 20);
  const tag = (locale == null ? "en_US" : str(locale)).replace("_", "-");
  const key = `${tag}/${digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(tag, {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
        useGrouping: true,
      });
    } catch {
      throw new EvalError(`unsupported locale ${str(locale)}`);
    }
    numberFormats.set(key, f);
  }
  return f.format(x);
}

export const stringFunctions: FunctionTable = {
  regexp_substr: scalar("regexp_substr", {
    args: 2,
    validate: twoStrings,
    returnType: "string",
    exec: ([s, re]) => goRegExp(str(re)).exec(str(s))?.[0] ?? "",
  }),
  format: scalar("format", {
    args: [2, 3],
    validate: (args) =>
      expect(["number", "int", "string"])(args)
        ?.replace("number - float or int type", "numeric type")
        .replace("int type", "integer type"),
    returnType: "string",
    nullPolicy: "custom",
    exec: (args) => (args[0] == null || args[1] == null ? null : formatNumber(args)),
  }),
  concat: scalar("concat", {
    args: [1, Infinity],
    validate: expect(["string"], true),
    returnType: concatType,
    nullPolicy: "custom",
    exec: concat,
  }),
  endswith: scalar("endswith", {
    args: 2,
    validate: twoStrings,
    returnType: "boolean",
    nullPolicy: "false",
    exec: ([s, suffix]) => str(s).endsWith(str(suffix)),
  }),
  startswith: scalar("startswith", {
    args: 2,
    validate: twoStrings,
    returnType: "boolean",
    nullPolicy: "false",
    exec: ([s, prefix]) => str(s).startsWith(str(prefix)),
  }),
  indexof: scalar("indexof", {
    args: 2,
    validate: twoStrings,
    returnType: "bigint",
    nullPolicy: "custom",
    exec: ([s, sub]) => (s == null || sub == null ? -1 : byteIndexOf(str(s), str(sub))),
  }),
  length: scalar("length", {
    args: 1,
    returnType: "bigint",
    nullPolicy: "zero",
    exec: ([s]) => length(s),
  }),
  numbytes: scalar("numbytes", {
    args: 1,
    validate: oneString,
    returnType: "bigint",
    nullPolicy: "zero",
    exec: ([s]) => utf8Length(str(s)),
  }),
  lower: text("lower", (s) => s.toLowerCase()),
  upper: text("upper", (s) => s.toUpperCase()),
  trim: text("trim", (s) => s.trim()),
  ltrim: text("ltrim", (s) => s.trimStart()),
  rtrim: text("rtrim", (s) => s.trimEnd()),
  reverse: text("reverse", (s) => Array.from(s).reverse().join("")),
  lpad: pad("lpad", true),
  rpad: pad("rpad", false),
  substring: scalar("substring", {
    args: [2, 3],
    validate: (args) => {
      const err = expect(["string", "int", "int"])(args);
      if (err) return err;
      const start = intLiteral(args[1]);
      if (start === undefined) return undefined;
      if (start < 0) return "The start index should not be a nagtive integer.";
      const end = intLiteral(args[2]);
      if (end !== undefined && end < start) {
        return "The end index should be larger than start index.";
      }
      return undefined;
    },
    returnType: "string",
    exec: substring,
  }),
  split_value: scalar("split_value", {
    args: 3,
    validate: (args) => {
      const err = expect(["string", "string", "int"])(args);
      if (err) return err;
      const idx = intLiteral(args[2]);
      return idx !== undefined && idx < 0
        ? "The index should not be a nagtive integer."
        : undefined;
    },
    returnType: "string",
    exec: splitValue,
  }),
  regexp_matches: scalar("regexp_matches", {
    args: 2,
    validate: twoStrings,
    returnType: "boolean",
    nullPolicy: "false",
    exec: ([s, re]) => goRegExp(str(re)).test(str(s)),
  }),
  regexp_replace: scalar("regexp_replace", {
    args: 3,
    validate: expect(["string", "string", "string"]),
    returnType: "string",
    exec: regexpReplace,
  }),
};
