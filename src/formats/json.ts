/**
 * JSON, eKuiper's default format. Schemaless streams keep every field as parsed (numbers stay
 * JavaScript numbers, which is eKuiper's float64 decoding); typed streams keep only the
 * declared columns, converted to their declared types.
 */
import type { Row } from "../runtime/tuple.ts";
import type { DecodeOptions, Format } from "./types.ts";
import { applySchema } from "./schema.ts";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function isObject(v: unknown): v is Row {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export const jsonFormat: Format = {
  name: "json",
  decode(payload: Uint8Array, opts: DecodeOptions): Row | Row[] {
    let value: unknown;
    try {
      value = JSON.parse(decoder.decode(payload));
    } catch (e) {
      throw new Error(`invalid JSON payload: ${(e as Error).message}`);
    }
    if (isObject(value)) return opts.schema ? applySchema(value, opts.schema) : value;
    if (Array.isArray(value) && value.every(isObject)) {
      return opts.schema ? value.map((r) => applySchema(r, opts.schema!)) : value as Row[];
    }
    throw new Error(
      "only map[string]interface{} and []map[string]interface{} is supported, got " +
        (Array.isArray(value) ? "an array of non-objects" : typeof value),
    );
  },
  encode(data: unknown): Uint8Array {
    return encoder.encode(JSON.stringify(data));
  },
};
