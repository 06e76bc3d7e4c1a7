/**
 * The functions a data template can call: Go's text/template built-ins, the sprig v3 helpers
 * eKuiper registers (math, strings, lists, dicts, encodings, defaults) and eKuiper's own `json`
 * and `base64`. Numbers keep Go's split: sprig's int helpers (`add`, `len`, ...) return int64
 * (bigint), the float helpers (`addf`, `mulf`, `round`, ...) float64 (number).
 *
 * Comparisons are more lenient than Go: `lt .t_av 30` compares an int with a float numerically
 * instead of failing with "incompatible types for comparison".
 *
 * @module
 */
import { nodeCrypto } from "../../platform/builtin.ts";
import { TemplateError } from "./errors.ts";
import { bytesToBase64, goJson, goPrint, goTypeName, truthy, utf8Length } from "./go_values.ts";
import { goSprintf } from "./sprintf.ts";

export type TemplateFunc = (args: unknown[]) => unknown;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// ---------------------------------------------------------------- conversions (spf13/cast)

export function toFloat64(v: unknown): number {
  switch (typeof v) {
    case "number":
      return v;
    case "bigint":
      return Number(v);
    case "boolean":
      return v ? 1 : 0;
    case "string": {
      const s = v.trim();
      if (s === "") return 0;
      const f = Number(s);
      return Number.isNaN(f) ? 0 : f;
    }
  }
  return 0;
}

export function toInt64(v: unknown): bigint {
  switch (typeof v) {
    case "bigint":
      return v;
    case "number":
      return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
    case "boolean":
      return v ? 1n : 0n;
    case "string": {
      // cast trims a zero decimal part ("3.0" -> 3) and parses with base prefixes.
      const s = v.trim().replace(/\.0*$/, "");
      if (!/^[+-]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[0-9]+)$/.test(s)) return 0n;
      const neg = s.startsWith("-");
      const body = s.replace(/^[+-]/, "");
      const n = /^0[0-7]+$/.test(body) ? BigInt("0o" + body.slice(1)) : BigInt(body);
      return neg ? -n : n;
    }
  }
  return 0n;
}

/** sprig's `toString`: strings as is, bytes as text, everything else `fmt.Sprint`. */
export function toGoString(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return decoder.decode(v);
  return goPrint(v);
}

// ---------------------------------------------------------------- decimal float arithmetic

/** sprig's float helpers compute through shopspring/decimal, so 0.1 + 0.2 is 0.3. */
function toDecimal(f: number): { n: bigint; scale: number } {
  const [mant, expText] = f.toExponential().split("e");
  const exp = Number(expText);
  const neg = mant.startsWith("-");
  const [i, frac = ""] = mant.replace("-", "").split(".");
  const digits = BigInt(i + frac);
  const scale = frac.length - exp;
  const n = neg ? -digits : digits;
  return scale >= 0 ? { n, scale } : { n: n * 10n ** BigInt(-scale), scale: 0 };
}

function decimalToFloat(n: bigint, scale: number): number {
  return Number(scale === 0 ? n.toString() : `${n}e-${scale}`);
}

function decAdd(a: number, b: number, sign: 1n | -1n): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return sign === 1n ? a + b : a - b;
  const x = toDecimal(a);
  const y = toDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  const n = x.n * 10n ** BigInt(scale - x.scale) + sign * y.n * 10n ** BigInt(scale - y.scale);
  return decimalToFloat(n, scale);
}

function decMul(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a * b;
  const x = toDecimal(a);
  const y = toDecimal(b);
  return decimalToFloat(x.n * y.n, x.scale + y.scale);
}

function decDiv(a: number, b: number): number {
  if (b === 0) throw new TemplateError("decimal division by zero");
  // shopspring/decimal divides to 16 fractional digits.
  return Number((a / b).toFixed(16));
}

// ---------------------------------------------------------------- comparisons

function isNumber(v: unknown): v is number | bigint {
  return typeof v === "number" || typeof v === "bigint";
}

function basicEqual(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (isNumber(a) && isNumber(b)) {
    return typeof a === typeof b ? a === b : Number(a) === Number(b);
  }
  if (a === null || b === null) return a === b;
  if (typeof a === "object" || typeof b === "object") {
    throw new TemplateError(
      `error calling eq: non-comparable type ${goTypeName(typeof a === "object" ? a : b)}`,
    );
  }
  if (typeof a !== typeof b) {
    throw new TemplateError(`error calling eq: incompatible types for comparison`);
  }
  return a === b;
}

function less(name: string, a: unknown, b: unknown): boolean {
  if (isNumber(a) && isNumber(b)) {
    return typeof a === typeof b ? a < b : Number(a) < Number(b);
  }
  if (typeof a === "string" && typeof b === "string") return a < b;
  if (typeof a !== typeof b || a === null || b === null) {
    throw new TemplateError(`error calling ${name}: incompatible types for comparison`);
  }
  throw new TemplateError(`error calling ${name}: invalid type for comparison`);
}

// ---------------------------------------------------------------- helpers

function arity(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new TemplateError(`wrong number of args for ${name}: want ${want} got ${args.length}`);
  }
}

function asList(name: string, v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v instanceof Uint8Array) return Array.from(v, (b) => BigInt(b));
  throw new TemplateError(`error calling ${name}: cannot use type ${goTypeName(v)} as a list`);
}

function asMap(name: string, v: unknown): Record<string, unknown> {
  if (v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array)) {
    return v as Record<string, unknown>;
  }
  throw new TemplateError(`error calling ${name}: cannot use type ${goTypeName(v)} as a map`);
}

function indexInt(name: string, v: unknown): number {
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new TemplateError(
    `error calling ${name}: cannot index slice/array with type ${goTypeName(v)}`,
  );
}

/** Go's `index`: successive map keys / slice indexes; a missing map key is nil. */
function index(args: unknown[]): unknown {
  if (args.length === 0) {
    throw new TemplateError("wrong number of args for index: want at least 1 got 0");
  }
  let v = args[0];
  for (let k = 1; k < args.length; k++) {
    const key = args[k];
    if (v === null || v === undefined) {
      throw new TemplateError("error calling index: index of untyped nil");
    }
    if (Array.isArray(v) || v instanceof Uint8Array || typeof v === "string") {
      const i = indexInt("index", key);
      if (i < 0 || i >= v.length) {
        throw new TemplateError(`error calling index: index out of range: ${i}`);
      }
      v = typeof v === "string"
        ? BigInt(encoder.encode(v)[i])
        : v instanceof Uint8Array
        ? BigInt(v[i])
        : v[i];
    } else if (typeof v === "object") {
      if (typeof key !== "string") {
        throw new TemplateError(
          `error calling index: value has type ${goTypeName(key)}; should be string`,
        );
      }
      const o = v as Record<string, unknown>;
      v = Object.hasOwn(o, key) ? o[key] : null;
    } else {
      throw new TemplateError(`error calling index: can't index item of type ${goTypeName(v)}`);
    }
  }
  return v === undefined ? null : v;
}

function slice(args: unknown[]): unknown {
  arity("slice", args, 1, 4);
  const v = args[0];
  if (typeof v !== "string" && !Array.isArray(v) && !(v instanceof Uint8Array)) {
    throw new TemplateError(`error calling slice: can't slice item of type ${goTypeName(v)}`);
  }
  const from = args.length > 1 ? indexInt("slice", args[1]) : 0;
  const to = args.length > 2 ? indexInt("slice", args[2]) : v.length;
  if (from < 0 || to < from || to > v.length) {
    throw new TemplateError(`error calling slice: index out of range: ${from}:${to}`);
  }
  return v.slice(from, to);
}

function len(args: unknown[]): bigint {
  arity("len", args, 1);
  const v = args[0];
  if (typeof v === "string") return BigInt(utf8Length(v));
  if (Array.isArray(v) || v instanceof Uint8Array) return BigInt(v.length);
  if (v !== null && typeof v === "object") return BigInt(Object.keys(v).length);
  throw new TemplateError(`error calling len: len of type ${goTypeName(v)}`);
}

/** `fmt.Sprint`: a space between operands when neither side is a string. */
function sprint(args: unknown[]): string {
  let s = "";
  for (let i = 0; i < args.length; i++) {
    if (i > 0 && typeof args[i] !== "string" && typeof args[i - 1] !== "string") s += " ";
    s += goPrint(args[i]);
  }
  return s;
}

function htmlEscape(s: string): string {
  return s.replace(
    /[&'<>"\0]/g,
    (c) =>
      ({ "&": "&amp;", "'": "&#39;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "\0": "\uFFFD" })[c]!,
  );
}

function jsEscape(s: string): string {
  // deno-lint-ignore no-control-regex -- Go's JSEscapeString escapes control characters.
  return s.replace(/[\\'"<>&=\u0000-\u001f]/g, (c) => {
    if (c === "\\") return "\\\\";
    if (c === "'") return "\\'";
    if (c === '"') return '\\"';
    return "\\u" + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
  });
}

function base64Of(v: unknown): string {
  if (typeof v === "string") return bytesToBase64(encoder.encode(v));
  if (v instanceof Uint8Array) return bytesToBase64(v);
  return bytesToBase64(encoder.encode(goJson(v)));
}

/** sprig and eKuiper ignore Marshal errors (NaN, Inf): the result is then empty. */
function jsonOrEmpty(v: unknown, raw = false, indent = ""): string {
  try {
    return goJson(v, raw, indent);
  } catch {
    return "";
  }
}

function empty(v: unknown): boolean {
  return !truthy(v);
}

function roundHalf(v: unknown, places: unknown, roundOn: unknown = 0.5): number {
  // sprig: digit = val * 10^p; ceil when the fractional part >= roundOn, else floor.
  const pow = Math.pow(10, Number(toInt64(places)));
  const digit = pow * toFloat64(v);
  const frac = digit - Math.trunc(digit);
  return (frac >= toFloat64(roundOn) ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

function floatFold(name: string, op: (a: number, b: number) => number): TemplateFunc {
  return (args) => {
    arity(name, args, 1, Infinity);
    let acc = toFloat64(args[0]);
    for (let i = 1; i < args.length; i++) acc = op(acc, toFloat64(args[i]));
    return acc;
  };
}

function intFold(name: string, op: (a: bigint, b: bigint) => bigint): TemplateFunc {
  return (args) => {
    arity(name, args, 1, Infinity);
    let acc = toInt64(args[0]);
    for (let i = 1; i < args.length; i++) acc = op(acc, toInt64(args[i]));
    return acc;
  };
}

function strFn(name: string, f: (s: string) => unknown): TemplateFunc {
  return (args) => {
    arity(name, args, 1);
    return f(toGoString(args[0]));
  };
}

/** `trimAll cut s`, `trimPrefix p s`, ... take the subject last, as sprig does for pipelines. */
function str2(name: string, f: (a: string, s: string) => unknown): TemplateFunc {
  return (args) => {
    arity(name, args, 2);
    return f(toGoString(args[0]), toGoString(args[1]));
  };
}

function hash(alg: string): TemplateFunc {
  return (args) => {
    arity(alg, args, 1);
    return nodeCrypto().createHash(alg).update(toGoString(args[0])).digest("hex");
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function goRegExp(name: string, pattern: string, flags = ""): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (e) {
    throw new TemplateError(`error calling ${name}: ${(e as Error).message}`);
  }
}

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; the longest name wins, so
 * `$1W` names group "1W" (empty). */
function goExpand(repl: string, match: unknown[]): string {
  const last = match[match.length - 1];
  const hasNamed = typeof last === "object" && last !== null;
  const named = hasNamed ? last as Record<string, string> : {};
  // replace() passes (match, ...groups, offset, input[, named]).
  const groups = match.length - (hasNamed ? 3 : 2);
  return repl.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_, all, braced, bare) => {
    if (all === "$") return "$";
    const name: string = braced ?? bare;
    if (/^[0-9]+$/.test(name)) {
      const i = Number(name);
      const v = i < groups ? match[i] : undefined;
      return typeof v === "string" ? v : "";
    }
    return named[name] ?? "";
  });
}

// ---------------------------------------------------------------- the table

export const templateFuncs: Record<string, TemplateFunc> = {
  // text/template built-ins (and/or are compiled lazily, see compile.ts; these are fallbacks).
  not: (a) => (arity("not", a, 1), !truthy(a[0])),
  and: (a) => {
    arity("and", a, 1, Infinity);
    for (const x of a) if (!truthy(x)) return x;
    return a[a.length - 1];
  },
  or: (a) => {
    arity("or", a, 1, Infinity);
    for (const x of a) if (truthy(x)) return x;
    return a[a.length - 1];
  },
  len,
  index,
  slice,
  print: sprint,
  println: (a) => a.map(goPrint).join(" ") + "\n",
  printf: (a) => {
    arity("printf", a, 1, Infinity);
    return goSprintf(toGoString(a[0]), a.slice(1));
  },
  eq: (a) => {
    arity("eq", a, 2, Infinity);
    for (let i = 1; i < a.length; i++) if (basicEqual(a[0], a[i])) return true;
    return false;
  },
  ne: (a) => (arity("ne", a, 2), !basicEqual(a[0], a[1])),
  lt: (a) => (arity("lt", a, 2), less("lt", a[0], a[1])),
  le: (a) => (arity("le", a, 2), less("le", a[0], a[1]) || basicEqual(a[0], a[1])),
  gt: (a) => (arity("gt", a, 2), !less("gt", a[0], a[1]) && !basicEqual(a[0], a[1])),
  ge: (a) => (arity("ge", a, 2), !less("ge", a[0], a[1])),
  html: (a) => htmlEscape(sprint(a)),
  js: (a) => jsEscape(sprint(a)),
  urlquery: (a) => encodeURIComponent(sprint(a)).replace(/%20/g, "+"),

  // eKuiper's own.
  json: (a) => (arity("json", a, 1), jsonOrEmpty(a[0])),
  base64: (a) => (arity("base64", a, 1), base64Of(a[0])),

  // sprig: integer math (int64).
  add: intFold("add", (x, y) => x + y),
  add1: (a) => (arity("add1", a, 1), toInt64(a[0]) + 1n),
  sub: (a) => (arity("sub", a, 2), toInt64(a[0]) - toInt64(a[1])),
  mul: intFold("mul", (x, y) => x * y),
  div: (a) => {
    arity("div", a, 2);
    const d = toInt64(a[1]);
    if (d === 0n) throw new TemplateError("error calling div: integer divide by zero");
    return toInt64(a[0]) / d;
  },
  mod: (a) => {
    arity("mod", a, 2);
    const d = toInt64(a[1]);
    if (d === 0n) throw new TemplateError("error calling mod: integer divide by zero");
    return toInt64(a[0]) % d;
  },
  max: intFold("max", (x, y) => (y > x ? y : x)),
  biggest: intFold("biggest", (x, y) => (y > x ? y : x)),
  min: intFold("min", (x, y) => (y < x ? y : x)),
  int: (a) => (arity("int", a, 1), toInt64(a[0])),
  int64: (a) => (arity("int64", a, 1), toInt64(a[0])),
  atoi: (a) => (arity("atoi", a, 1), toInt64(toGoString(a[0]))),
  float64: (a) => (arity("float64", a, 1), toFloat64(a[0])),
  until: (a) => {
    arity("until", a, 1);
    const n = Number(toInt64(a[0]));
    return Array.from({ length: Math.max(0, n) }, (_, i) => BigInt(i));
  },

  // sprig: float math (float64, decimal arithmetic).
  addf: floatFold("addf", (x, y) => decAdd(x, y, 1n)),
  add1f: (a) => (arity("add1f", a, 1), decAdd(toFloat64(a[0]), 1, 1n)),
  subf: floatFold("subf", (x, y) => decAdd(x, y, -1n)),
  mulf: floatFold("mulf", decMul),
  divf: floatFold("divf", decDiv),
  maxf: floatFold("maxf", Math.max),
  minf: floatFold("minf", Math.min),
  floor: (a) => (arity("floor", a, 1), Math.floor(toFloat64(a[0]))),
  ceil: (a) => (arity("ceil", a, 1), Math.ceil(toFloat64(a[0]))),
  round: (a) => (arity("round", a, 2, 3), roundHalf(a[0], a[1], a.length > 2 ? a[2] : 0.5)),

  // sprig: strings.
  toString: (a: unknown[]) => (arity("toString", a, 1), toGoString(a[0])),
  toStrings: (a) => (arity("toStrings", a, 1), asList("toStrings", a[0]).map(toGoString)),
  upper: strFn("upper", (s) => s.toUpperCase()),
  lower: strFn("lower", (s) => s.toLowerCase()),
  title: strFn(
    "title",
    (s) => s.replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_, p, c) => p + c.toUpperCase()),
  ),
  untitle: strFn("untitle", (s) => s.replace(/(^|\s)(\p{L})/gu, (_, p, c) => p + c.toLowerCase())),
  trim: strFn("trim", (s) => s.trim()),
  nospace: strFn("nospace", (s) => s.replace(/\s+/g, "")),
  trimAll: str2("trimAll", (cut, s) => {
    const set = escapeRegExp(cut).replace(/-/g, "\\-");
    return cut === "" ? s : s.replace(new RegExp(`^[${set}]+|[${set}]+$`, "gu"), "");
  }),
  trimPrefix: str2("trimPrefix", (p, s) => (s.startsWith(p) ? s.slice(p.length) : s)),
  trimSuffix: str2("trimSuffix", (p, s) => (p && s.endsWith(p) ? s.slice(0, -p.length) : s)),
  contains: str2("contains", (sub, s) => s.includes(sub)),
  hasPrefix: str2("hasPrefix", (p, s) => s.startsWith(p)),
  hasSuffix: str2("hasSuffix", (p, s) => s.endsWith(p)),
  repeat: (
    a,
  ) => (arity("repeat", a, 2), toGoString(a[1]).repeat(Math.max(0, Number(toInt64(a[0]))))),
  substr: (a) => {
    arity("substr", a, 3);
    const s = toGoString(a[2]);
    let start = Number(toInt64(a[0]));
    let end = Number(toInt64(a[1]));
    if (start < 0) start = 0;
    if (end < 0 || end > s.length) end = s.length;
    return start > end ? "" : s.slice(start, end);
  },
  trunc: (a) => {
    arity("trunc", a, 2);
    const n = Number(toInt64(a[0]));
    const s = toGoString(a[1]);
    if (n < 0) return -n < s.length ? s.slice(s.length + n) : s;
    return n < s.length ? s.slice(0, n) : s;
  },
  abbrev: (a) => {
    arity("abbrev", a, 2);
    const n = Number(toInt64(a[0]));
    const s = toGoString(a[1]);
    return n < 4 || s.length <= n ? s : s.slice(0, n - 3) + "...";
  },
  replace: (
    a,
  ) => (arity("replace", a, 3), toGoString(a[2]).replaceAll(toGoString(a[0]), toGoString(a[1]))),
  quote: (a) =>
    a.filter((x) => x !== null && x !== undefined).map((x) => JSON.stringify(toGoString(x))).join(
      " ",
    ),
  squote: (a) =>
    a.filter((x) => x !== null && x !== undefined).map((x) => `'${toGoString(x)}'`).join(" "),
  cat: (a) => a.filter((x) => x !== null && x !== undefined).map(goPrint).join(" "),
  indent: (a) => {
    arity("indent", a, 2);
    const pad = " ".repeat(Number(toInt64(a[0])));
    return pad + toGoString(a[1]).replaceAll("\n", "\n" + pad);
  },
  nindent: (a) => {
    arity("nindent", a, 2);
    const pad = " ".repeat(Number(toInt64(a[0])));
    return "\n" + pad + toGoString(a[1]).replaceAll("\n", "\n" + pad);
  },
  join: (a) => {
    arity("join", a, 2);
    const v = a[1];
    const list = Array.isArray(v) ? v : [v];
    return list.map(toGoString).join(toGoString(a[0]));
  },
  splitList: (a) => (arity("splitList", a, 2), toGoString(a[1]).split(toGoString(a[0]))),
  split: (a) => {
    arity("split", a, 2);
    const out: Record<string, unknown> = {};
    toGoString(a[1]).split(toGoString(a[0])).forEach((p, i) => (out[`_${i}`] = p));
    return out;
  },
  sortAlpha: (a) => (arity("sortAlpha", a, 1), asList("sortAlpha", a[0]).map(toGoString).sort()),
  regexMatch: (
    a,
  ) => (arity("regexMatch", a, 2), goRegExp("regexMatch", toGoString(a[0])).test(toGoString(a[1]))),
  regexFind: (a) => {
    arity("regexFind", a, 2);
    return goRegExp("regexFind", toGoString(a[0])).exec(toGoString(a[1]))?.[0] ?? "";
  },
  regexFindAll: (a) => {
    arity("regexFindAll", a, 3);
    const all = toGoString(a[1]).match(goRegExp("regexFindAll", toGoString(a[0]), "g")) ?? [];
    const n = Number(toInt64(a[2]));
    return n < 0 ? all : all.slice(0, n);
  },
  regexReplaceAll: (a) => {
    arity("regexReplaceAll", a, 3);
    const repl = toGoString(a[2]);
    return toGoString(a[1]).replace(
      goRegExp("regexReplaceAll", toGoString(a[0]), "g"),
      (...m) => goExpand(repl, m),
    );
  },
  regexReplaceAllLiteral: (a) => {
    arity("regexReplaceAllLiteral", a, 3);
    const re = goRegExp("regexReplaceAllLiteral", toGoString(a[0]), "g");
    const lit = toGoString(a[2]);
    return toGoString(a[1]).replace(re, () => lit);
  },

  // sprig: encodings.
  b64enc: (a) => (arity("b64enc", a, 1), bytesToBase64(encoder.encode(toGoString(a[0])))),
  b64dec: (a) => {
    arity("b64dec", a, 1);
    try {
      return decoder.decode(Uint8Array.from(atob(toGoString(a[0])), (c) => c.charCodeAt(0)));
    } catch (e) {
      return (e as Error).message;
    }
  },
  toJson: (a) => (arity("toJson", a, 1), jsonOrEmpty(a[0])),
  toRawJson: (a) => (arity("toRawJson", a, 1), jsonOrEmpty(a[0], true)),
  toPrettyJson: (a) => (arity("toPrettyJson", a, 1), jsonOrEmpty(a[0], false, "  ")),
  fromJson: (a) => {
    arity("fromJson", a, 1);
    try {
      return JSON.parse(toGoString(a[0]));
    } catch {
      return {};
    }
  },
  sha1sum: hash("sha1"),
  sha256sum: hash("sha256"),
  md5sum: hash("md5"),
  uuidv4: (a) => (arity("uuidv4", a, 0), crypto.randomUUID()),

  // sprig: defaults and flow.
  default: (a) => (arity("default", a, 1, 2), a.length < 2 || empty(a[1]) ? a[0] : a[1]),
  empty: (a) => (arity("empty", a, 1), empty(a[0])),
  coalesce: (a) => a.find((x) => !empty(x)) ?? null,
  ternary: (a) => (arity("ternary", a, 3), truthy(a[2]) ? a[0] : a[1]),
  fail: (a) => {
    arity("fail", a, 1);
    throw new TemplateError(toGoString(a[0]));
  },
  typeOf: (a) => (arity("typeOf", a, 1), goTypeName(a[0])),
  kindOf: (a) => {
    arity("kindOf", a, 1);
    const t = goTypeName(a[0]);
    return t.startsWith("map")
      ? "map"
      : t.startsWith("[]")
      ? "slice"
      : t === "<nil>"
      ? "invalid"
      : t;
  },

  // sprig: lists.
  list: (a) => a.slice(),
  first: (a) => (arity("first", a, 1), asList("first", a[0])[0] ?? null),
  last: (a) => {
    arity("last", a, 1);
    const l = asList("last", a[0]);
    return l.length ? l[l.length - 1] : null;
  },
  rest: (a) => (arity("rest", a, 1), asList("rest", a[0]).slice(1)),
  initial: (a) => (arity("initial", a, 1), asList("initial", a[0]).slice(0, -1)),
  append: (a) => (arity("append", a, 2), [...asList("append", a[0]), a[1]]),
  prepend: (a) => (arity("prepend", a, 2), [a[1], ...asList("prepend", a[0])]),
  concat: (a) => a.flatMap((x) => asList("concat", x)),
  reverse: (a) => (arity("reverse", a, 1), asList("reverse", a[0]).slice().reverse()),
  has: (a) => {
    arity("has", a, 2);
    return asList("has", a[1]).some((x) => {
      try {
        return basicEqual(x, a[0]);
      } catch {
        return false;
      }
    });
  },
  uniq: (a) => {
    arity("uniq", a, 1);
    const seen = new Set<string>();
    return asList("uniq", a[0]).filter((x) => {
      const k = goTypeName(x) + goJson(x);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  },

  // sprig: dicts.
  dict: (a) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < a.length; i += 2) out[toGoString(a[i])] = i + 1 < a.length ? a[i + 1] : "";
    return out;
  },
  get: (a) => {
    arity("get", a, 2);
    const m = asMap("get", a[0]);
    const k = toGoString(a[1]);
    return Object.hasOwn(m, k) ? m[k] : "";
  },
  hasKey: (a) => (arity("hasKey", a, 2), Object.hasOwn(asMap("hasKey", a[0]), toGoString(a[1]))),
  keys: (a) => a.flatMap((m) => Object.keys(asMap("keys", m))),
  values: (a) => (arity("values", a, 1), Object.values(asMap("values", a[0]))),
  pick: (a) => {
    arity("pick", a, 1, Infinity);
    const m = asMap("pick", a[0]);
    const out: Record<string, unknown> = {};
    for (const k of a.slice(1).map(toGoString)) if (Object.hasOwn(m, k)) out[k] = m[k];
    return out;
  },
  omit: (a) => {
    arity("omit", a, 1, Infinity);
    const drop = new Set(a.slice(1).map(toGoString));
    return Object.fromEntries(Object.entries(asMap("omit", a[0])).filter(([k]) => !drop.has(k)));
  },

  // sprig: dates (epoch only; Go layout strings are not supported).
  now: (a) => (arity("now", a, 0), new Date()),
  unixEpoch: (a) => {
    arity("unixEpoch", a, 1);
    const d = a[0];
    if (!(d instanceof Date)) throw new TemplateError("error calling unixEpoch: expected a time");
    return String(Math.floor(d.getTime() / 1000));
  },
};
