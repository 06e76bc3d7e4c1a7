/**
 * Delimited text (eKuiper's `delimited`): one row per non-empty line, values split on the
 * required `delimiter`. Column names come from the stream's declared columns (values converted
 * to their types), else from a header line (`hasHeader`), else `col0`, `col1`... (values stay
 * strings). Encoding writes one line per row, values in the row's field order (the declared
 * order when configured with columns), with a header line first when `hasHeader` is set.
 */
import type { Row } from "../runtime/tuple.ts";
import type { StreamField } from "../sql/ast.ts";
import type { Format, FormatConfig, FormatSpec } from "./types.ts";
import { applySchema } from "./schema.ts";

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const LINE = /\r?\n/;

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "object" && !(v instanceof Uint8Array)) return JSON.stringify(v);
  return String(v);
}

export function delimitedFormat(
  delimiter: string,
  hasHeader = false,
  fields?: StreamField[],
): Format {
  const declared = fields && fields.length > 0 ? fields : undefined;
  const declaredNames = declared?.map((f) => f.name);
  const toRow = (names: string[] | undefined, line: string): Row => {
    const values = line.split(delimiter);
    const row: Row = {};
    for (let i = 0; i < values.length; i++) {
      if (names) {
        if (i < names.length) row[names[i]] = values[i];
      } else row[`col${i}`] = values[i];
    }
    return row;
  };
  return {
    name: "delimited",
    decode(payload: Uint8Array): Row | Row[] {
      const lines = decoder.decode(payload).split(LINE).filter((l) => l !== "");
      let names = declaredNames;
      if (hasHeader) {
        const header = lines.shift();
        if (header === undefined) throw new Error("delimited payload has no header line");
        names ??= header.split(delimiter).map((h) => h.trim());
      }
      if (lines.length === 0) throw new Error("delimited payload has no data line");
      const rows = lines.map((l) => {
        const row = toRow(names, l);
        return declared ? applySchema(row, declared) : row;
      });
      return rows.length === 1 ? rows[0] : rows;
    },
    encode(data: unknown): Uint8Array {
      const rows = (Array.isArray(data) ? data : [data]) as unknown[];
      const lines: string[] = [];
      let names = declaredNames;
      for (const r of rows) {
        if (typeof r !== "object" || r === null || Array.isArray(r)) {
          throw new Error(`delimited format encodes rows (objects), got ${JSON.stringify(r)}`);
        }
        const row = r as Row;
        names ??= Object.keys(row);
        if (hasHeader && lines.length === 0) lines.push(names.join(delimiter));
        lines.push(names.map((n) => cell(row[n])).join(delimiter));
      }
      return encoder.encode(lines.join("\n"));
    },
  };
}

export const delimitedSpec: FormatSpec = {
  name: "delimited",
  schemaId: "none",
  create(config: FormatConfig) {
    if (typeof config.delimiter !== "string" || config.delimiter === "") {
      throw new Error('format delimited requires a delimiter (e.g. DELIMITER=",")');
    }
    return delimitedFormat(config.delimiter, config.hasHeader === true, config.fields);
  },
};
