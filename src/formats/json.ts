/**
 * JSON, eKuiper's default format. Schemaless streams keep every field as parsed (numbers stay
 * JavaScript numbers, which is eKuiper's float64 decoding); typed streams keep only the
 * declared columns, converted to their declared types. Encoding writes bytea values
 * (Uint8Array, e.g. from binary or protobuf streams) as base64 strings, as eKuiper does.
 */
import type { Row } from "../runtime/tuple.ts";
import type { DecodeOptions, Format } from "./types.ts";
import { applySchema } from "./schema.ts";
import { bytesToBase64 } from "../expr/values.ts";
import { utf8 } from "./utf8.ts";
import { chunkText, payloadText } from "./payload_text.ts";
import { FlatJsonParser } from "./json_flat.ts";

function isObject(v: unknown): v is Row {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// A replacer takes JSON.stringify off its fast path, so it is used only for rows that carry
// bytes; bytea is a column value (SELECT self, a protobuf bytes field), so a shallow scan finds it.
function rowHasBytes(v: unknown): boolean {
  if (!isObject(v)) return false;
  for (const k in v) if (v[k] instanceof Uint8Array) return true;
  return false;
}

function hasTopLevelBytes(data: unknown): boolean {
  if (data instanceof Uint8Array) return true;
  return Array.isArray(data) ? data.some(rowHasBytes) : rowHasBytes(data);
}

function bytesAsBase64(_key: string, v: unknown): unknown {
  return v instanceof Uint8Array ? bytesToBase64(v) : v;
}

function decodeText(text: string, opts: DecodeOptions): Row | Row[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
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
}

function encode(data: unknown): Uint8Array {
  const text = hasTopLevelBytes(data) ? JSON.stringify(data, bytesAsBase64) : JSON.stringify(data);
  return utf8(text);
}

/** The json format with its own {@link FlatJsonParser}: each stream learns its own shapes. */
export function createJsonFormat(): Format {
  const flat = new FlatJsonParser();
  const decodeSpan = (text: string, start: number, end: number, opts: DecodeOptions) => {
    const row = flat.parse(text, start, end);
    if (row !== undefined) return opts.schema ? applySchema(row, opts.schema) : row;
    return decodeText(text.substring(start, end), opts);
  };
  const decode = (payload: Uint8Array, opts: DecodeOptions) => {
    const text = payloadText(payload);
    return decodeSpan(text, 0, text.length, opts);
  };
  return {
    name: "json",
    decode,
    decodeIn(chunk: Uint8Array, start: number, end: number, opts: DecodeOptions): Row | Row[] {
      const text = end > start ? chunkText(chunk) : undefined;
      if (text !== undefined) return decodeSpan(text, start, end, opts);
      return decode(chunk.subarray(start, end), opts);
    },
    encode,
  };
}

export const jsonFormat: Format = createJsonFormat();
