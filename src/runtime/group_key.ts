/**
 * The key of a group: its GROUP BY values as one string, so that groups live in a Map.
 * Numbers and their string forms differ (`1` and `"1"` are two groups), bytea values compare
 * by content. One value, the common case, costs a template string; several cost one
 * JSON.stringify (with a replacer only when a value is bytes, since a replacer takes
 * JSON.stringify off its fast path).
 *
 * @module
 */

function one(v: unknown): string {
  switch (typeof v) {
    case "number":
      return `n${v}`;
    case "string":
      return `s${v}`;
    case "boolean":
      return v ? "t" : "f";
    default:
      return v === null || v === undefined ? "z" : `j${many([v])}`;
  }
}

function bytesAsArray(_k: string, v: unknown): unknown {
  return v instanceof Uint8Array ? Array.from(v) : v;
}

function many(values: readonly unknown[]): string {
  for (const v of values) {
    if (typeof v === "object" && v !== null) return JSON.stringify(values, bytesAsArray);
  }
  return JSON.stringify(values);
}

export function groupKey(values: readonly unknown[]): string {
  if (values.length === 0) return "";
  return values.length === 1 ? one(values[0]) : many(values);
}
