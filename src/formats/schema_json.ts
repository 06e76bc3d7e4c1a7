/**
 * The JSON-schema-like description a custom format module may give of its rows (eKuiper's
 * `GetSchemaJson`, and the shape of `GET /streams/{name}/schema`):
 * `{"id": {"type": "bigint"}, "tags": {"type": "array", "items": {"type": "string"}},
 *   "loc": {"type": "struct", "properties": {"lat": {"type": "float"}}}}`;
 * a bare type name (`{"id": "bigint"}`) is accepted too.
 */
import type { FieldType, SimpleType, StreamField } from "../sql/ast.ts";

const SIMPLE = new Set<string>(["bigint", "float", "string", "datetime", "boolean", "bytea"]);

function typeOf(v: unknown, path: string): FieldType {
  const d = (typeof v === "string" ? { type: v } : v) as {
    type?: unknown;
    items?: unknown;
    properties?: unknown;
  } | null;
  const t = typeof d?.type === "string" ? d.type.toLowerCase() : undefined;
  if (t && SIMPLE.has(t)) return { type: t as SimpleType };
  if (t === "array") {
    return { type: "array", elementType: d?.items ? typeOf(d.items, `${path}[]`) : stringType };
  }
  if (t === "struct" || t === "object") {
    return { type: "struct", fields: d?.properties ? fieldsOfSchemaJson(d.properties, path) : [] };
  }
  throw new Error(`schema field ${path}: unknown type ${JSON.stringify(d?.type)}`);
}

const stringType: FieldType = { type: "string" };

export function fieldsOfSchemaJson(schema: unknown, path = ""): StreamField[] {
  const obj = typeof schema === "string" ? JSON.parse(schema) : schema;
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
    throw new Error("a format schema must be an object of field name -> type");
  }
  return Object.entries(obj as Record<string, unknown>).map(([name, v]) => ({
    name,
    type: typeOf(v, path ? `${path}.${name}` : name),
  }));
}
