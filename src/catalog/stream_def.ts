/**
 * A stream or table definition as the catalog keeps it: the original statement (what eKuiper
 * stores) plus its parsed form.
 */
import type { CreateStreamStatement, FieldType, StreamField, StreamKind } from "../sql/ast.ts";
import { type FormatConfig, getFormatSpec, schemaFields } from "../formats/mod.ts";

export interface StreamDef {
  name: string;
  kind: StreamKind;
  /** The original CREATE statement. */
  sql: string;
  fields: StreamField[];
  /** Option keys upper-cased, as parsed. */
  options: Record<string, string | boolean>;
}

export function streamDefOf(stmt: CreateStreamStatement, sql: string): StreamDef {
  return {
    name: stmt.name,
    kind: stmt.streamKind,
    sql,
    fields: stmt.fields,
    options: stmt.options,
  };
}

export function optionString(def: StreamDef, key: string): string | undefined {
  const v = def.options[key];
  return v === undefined ? undefined : String(v);
}

export function optionBool(def: StreamDef, key: string): boolean {
  const v = def.options[key];
  return v === true || (typeof v === "string" && v.toLowerCase() === "true");
}

/** Source connector type: TYPE option, default mqtt for streams and file for tables. */
export function sourceType(def: StreamDef): string {
  return (optionString(def, "TYPE") ?? (def.kind === "stream" ? "mqtt" : "file")).toLowerCase();
}

export function formatName(def: StreamDef): string {
  return (optionString(def, "FORMAT") ?? "json").toLowerCase();
}

/** The settings a stream binds its format to: SCHEMAID, DELIMITER and the declared columns. */
export function formatConfig(def: StreamDef): FormatConfig {
  return {
    schemaId: optionString(def, "SCHEMAID"),
    delimiter: optionString(def, "DELIMITER"),
    fields: def.fields,
  };
}

/** Checks FORMAT, SCHEMAID and DELIMITER together; throws an Error with the user's message. */
export function checkStreamFormat(def: StreamDef): void {
  const format = formatName(def);
  const spec = getFormatSpec(format);
  if (!spec) throw new Error(`option 'format=${format}' is invalid`);
  const schemaId = optionString(def, "SCHEMAID");
  if (spec.schemaId === "required" && !schemaId) {
    throw new Error(`format ${format} requires the SCHEMAID option (schemaName.MessageName)`);
  }
  if (spec.schemaId === "none" && schemaId) {
    throw new Error(`format ${format} takes no SCHEMAID`);
  }
  if (format === "binary" && def.kind === "table") {
    throw new Error("binary format is not supported for tables");
  }
  getFormatSpec(format)!.create(formatConfig(def));
}

/** The stream with the columns its format's schema gives (SCHEMAID set, `()` declared), as
 * DESCRIBE and the planner see it; unchanged when the schema is missing or describes none. */
export function withSchemaFields(def: StreamDef): StreamDef {
  const schemaId = optionString(def, "SCHEMAID");
  if (def.fields.length > 0 || !schemaId) return def;
  try {
    const fields = schemaFields(formatName(def), schemaId);
    return fields && fields.length > 0 ? { ...def, fields } : def;
  } catch {
    return def;
  }
}

// eKuiper's JSON key for each WITH option in GET /streams/{name} (omitempty).
const OPTION_JSON_KEYS: [string, string][] = [
  ["DATASOURCE", "datasource"],
  ["KEY", "key"],
  ["FORMAT", "format"],
  ["CONF_KEY", "confKey"],
  ["TYPE", "type"],
  ["STRICT_VALIDATION", "strictValidation"],
  ["TIMESTAMP", "timestamp"],
  ["TIMESTAMP_FORMAT", "timestampFormat"],
  ["SHARED", "shared"],
  ["SCHEMAID", "schemaid"],
  ["VERSION", "version"],
  ["EXTRA", "extra"],
  ["TEMP", "temp"],
  ["RETAIN_SIZE", "retainSize"],
  ["KIND", "kind"],
  ["DELIMITER", "delimiter"],
];

const BOOL_OPTIONS = new Set(["STRICT_VALIDATION", "SHARED", "TEMP"]);

function fieldTypeJson(t: FieldType): unknown {
  switch (t.type) {
    case "array":
      return { Type: "array", ElementType: fieldTypeJson(t.elementType) };
    case "struct":
      return { Type: "struct", Fields: t.fields.map(fieldJson) };
    default:
      return t.type;
  }
}

function fieldJson(f: StreamField): Record<string, unknown> {
  const out: Record<string, unknown> = { FieldType: fieldTypeJson(f.type), Name: f.name };
  if (f.default !== undefined) out.DefaultClause = f.default;
  return out;
}

/** The JSON eKuiper returns from `GET /streams/{name}`. */
export function describeJson(def: StreamDef): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, json] of OPTION_JSON_KEYS) {
    const v = def.options[key];
    if (v === undefined || v === "" || v === false) continue;
    if (BOOL_OPTIONS.has(key)) options[json] = v === true || String(v).toLowerCase() === "true";
    else if (key === "RETAIN_SIZE") options[json] = Number(v);
    else options[json] = v;
  }
  return {
    Name: def.name,
    StreamFields: def.fields.length > 0 ? def.fields.map(fieldJson) : null,
    Options: options,
    StreamType: def.kind === "stream" ? 0 : 1,
    Statement: null,
  };
}
