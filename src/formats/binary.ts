/**
 * Binary: the whole payload is one bytea value, in column `self` (eKuiper's name), or in the
 * stream's single declared BYTEA column. Encoding takes a row with a single bytea (or string)
 * value, e.g. the result of `SELECT self FROM s`.
 */
import type { Row } from "../runtime/tuple.ts";
import type { StreamField } from "../sql/ast.ts";
import type { Format, FormatConfig, FormatSpec } from "./types.ts";

const encoder = new TextEncoder();

/** Checks eKuiper's rule: no columns, or exactly one BYTEA column. */
export function binaryColumn(fields: StreamField[] | undefined): string {
  if (!fields || fields.length === 0) return "self";
  if (fields.length === 1 && fields[0].type.type === "bytea") return fields[0].name;
  throw new Error("binary format streams must be schemaless or have exactly one bytea field");
}

function valueBytes(v: unknown): Uint8Array | undefined {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string") return encoder.encode(v);
  return undefined;
}

export function binaryFormat(column = "self"): Format {
  return {
    name: "binary",
    decode(payload: Uint8Array): Row {
      return { [column]: payload };
    },
    encode(data: unknown): Uint8Array {
      const direct = valueBytes(data);
      if (direct) return direct;
      const row = Array.isArray(data) && data.length === 1 ? data[0] : data;
      if (typeof row === "object" && row !== null && !Array.isArray(row)) {
        const values = Object.values(row as Row);
        const bytes = values.length === 1 ? valueBytes(values[0]) : undefined;
        if (bytes) return bytes;
      }
      throw new Error(
        "binary format encodes a row with a single bytea or string field, e.g. SELECT self FROM s",
      );
    },
  };
}

export const binarySpec: FormatSpec = {
  name: "binary",
  schemaId: "none",
  create: (config: FormatConfig) => binaryFormat(binaryColumn(config.fields)),
};
