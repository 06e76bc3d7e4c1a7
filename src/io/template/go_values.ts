/**
 * Go's view of Weir values inside templates: bigint is int64, number is float64, objects are
 * `map[string]interface{}`, arrays are slices, null is nil and undefined is a missing map key.
 * Printing follows `fmt`'s `%v` (floats in shortest `%g`, maps as `map[k:v]` with sorted keys),
 * JSON follows `encoding/json` (sorted keys, HTML-safe escaping), truth follows text/template.
 *
 * @module
 */

/** `fmt.Sprint` of a float64: shortest digits, `%g` exponent rules (exp < -4 || exp >= 6, as
 * strconv does for the shortest precision: Go prints 1e6 as `1e+06`). */
export function goFloat(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (f === Infinity) return "+Inf";
  if (f === -Infinity) return "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const [mant, expText] = f.toExponential().split("e");
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${mant}e${exp < 0 ? "-" : "+"}${e < 10 ? "0" + e : e}`;
  }
  return String(f);
}

/** `fmt.Sprint(v)` as text/template prints an action's value. */
export function goPrint(v: unknown): string {
  switch (typeof v) {
    case "string":
      return v;
    case "number":
      return goFloat(v);
    case "bigint":
      return v.toString();
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
      return "<no value>";
  }
  if (v === null) return "<nil>";
  if (v instanceof Uint8Array) return `[${Array.from(v).join(" ")}]`;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return `[${v.map(goPrintNested).join(" ")}]`;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).sort();
    return `map[${keys.map((k) => `${k}:${goPrintNested(o[k])}`).join(" ")}]`;
  }
  return String(v);
}

/** Inside slices and maps a nil element prints `<nil>`, never `<no value>`. */
function goPrintNested(v: unknown): string {
  return v === undefined ? "<nil>" : goPrint(v);
}

/** text/template truth: false, 0, nil, and empty strings, slices and maps are false. */
export function truthy(v: unknown): boolean {
  switch (typeof v) {
    case "boolean":
      return v;
    case "number":
      return v !== 0;
    case "bigint":
      return v !== 0n;
    case "string":
      return v.length > 0;
    case "undefined":
      return false;
  }
  if (v === null) return false;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length > 0;
  if (v instanceof Date) return true;
  if (typeof v === "object") {
    for (const _ in v as object) return true;
    return false;
  }
  return true;
}

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;
const base64Chunk = 0x8000;

/** `encoding/json` Marshal: sorted map keys, int64 exact, []byte as base64, HTML-escaped
 * strings unless `raw` (sprig `toRawJson`). `indent` gives `toPrettyJson`'s layout. */
export function goJson(v: unknown, raw = false, indent = ""): string {
  const out = encode(v, raw, indent, "");
  return out;
}

function encodeString(s: string, raw: boolean): string {
  const j = JSON.stringify(s);
  return raw
    ? j
    : j.replace(HTML_UNSAFE, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

function encode(v: unknown, raw: boolean, indent: string, prefix: string): string {
  switch (typeof v) {
    case "string":
      return encodeString(v, raw);
    case "number":
      if (!Number.isFinite(v)) throw new Error(`json: unsupported value: ${goFloat(v)}`);
      return JSON.stringify(v);
    case "bigint":
      return v.toString();
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
      return "null";
  }
  if (v === null) return "null";
  if (v instanceof Uint8Array) return `"${bytesToBase64(v)}"`;
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  const inner = prefix + indent;
  const nl = indent ? "\n" : "";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    const items = v.map((x) => (indent ? inner : "") + encode(x, raw, indent, inner));
    return `[${nl}${items.join("," + nl)}${nl}${indent ? prefix : ""}]`;
  }
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).sort();
    if (keys.length === 0) return "{}";
    const sep = indent ? ": " : ":";
    const items = keys.map((k) =>
      (indent ? inner : "") + encodeString(k, raw) + sep + encode(o[k], raw, indent, inner)
    );
    return `{${nl}${items.join("," + nl)}${nl}${indent ? prefix : ""}}`;
  }
  return JSON.stringify(String(v));
}

export function bytesToBase64(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += base64Chunk) {
    s += String.fromCharCode(...b.subarray(i, i + base64Chunk));
  }
  return btoa(s);
}

/** UTF-8 byte length, which is what Go's `len` returns for a string. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** The Go type name of a value, for error messages. */
export function goTypeName(v: unknown): string {
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
      return "float64";
    case "bigint":
      return "int64";
    case "boolean":
      return "bool";
    case "undefined":
      return "<nil>";
  }
  if (v === null) return "<nil>";
  if (v instanceof Uint8Array) return "[]uint8";
  if (Array.isArray(v)) return "[]interface {}";
  return "map[string]interface {}";
}
