/**
 * `application/x-www-form-urlencoded` (eKuiper's `urlencoded`): `a=1&b=x` decodes to string
 * values, a repeated key to an array of strings. Encoding writes each top-level field (arrays
 * as repeated keys, objects as JSON).
 */
import type { Row } from "../runtime/tuple.ts";
import type { Format, FormatSpec } from "./types.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

function text(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object" && !(v instanceof Uint8Array)) return JSON.stringify(v);
  return String(v);
}

export const urlencodedFormat: Format = {
  name: "urlencoded",
  decode(payload: Uint8Array): Row {
    let s: string;
    try {
      s = decoder.decode(payload);
    } catch {
      throw new Error("invalid urlencoded payload: not UTF-8 text");
    }
    const row: Row = {};
    for (const [k, v] of new URLSearchParams(s)) {
      const prev = row[k];
      if (prev === undefined) row[k] = v;
      else if (Array.isArray(prev)) prev.push(v);
      else row[k] = [prev, v];
    }
    return row;
  },
  encode(data: unknown): Uint8Array {
    const row = Array.isArray(data) && data.length === 1 ? data[0] : data;
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new Error(
        "urlencoded format encodes one row (an object): set the sink's sendSingle to true",
      );
    }
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(row as Row)) {
      if (Array.isArray(v)) { for (const x of v) params.append(k, text(x)); }
      else params.append(k, text(v));
    }
    return encoder.encode(params.toString());
  },
};

export const urlencodedSpec: FormatSpec = {
  name: "urlencoded",
  schemaId: "none",
  create: () => urlencodedFormat,
};
