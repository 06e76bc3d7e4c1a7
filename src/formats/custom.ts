/**
 * Custom formats: a JS/TS module registered as a `custom` schema (Weir's replacement for
 * eKuiper's Go `.so` plugins), picked by `schemaId` = `schemaName[.ExportName]`. Its `decode`
 * returns an object or an array of objects, its `encode` bytes or a string; both run
 * synchronously in the rule's turn. What a module returns is checked, so a faulty module gives
 * per-record errors, never a crash.
 */
import type { Row } from "../runtime/tuple.ts";
import type { StreamField } from "../sql/ast.ts";
import { type SchemaRegistry, schemaRegistry } from "../schemas/mod.ts";
import { codecOf, type CustomCodec } from "../schemas/custom_schema.ts";
import type { Format, FormatConfig, FormatSpec } from "./types.ts";
import { parseSchemaId } from "./schema_id.ts";
import { fieldsOfSchemaJson } from "./schema_json.ts";

const encoder = new TextEncoder();

function isRow(v: unknown): v is Row {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function isPromise(v: unknown): boolean {
  return typeof (v as { then?: unknown } | null)?.then === "function";
}

export function resolveCodec(schemaId: string | undefined, registry: SchemaRegistry): CustomCodec {
  const id = parseSchemaId(schemaId, "custom");
  const mod = registry.custom(id.schema);
  if (!mod) throw new Error(`custom schema ${id.schema} is not registered`);
  const codec = codecOf(mod, id.message);
  if (!codec) {
    throw new Error(
      `custom schema ${id.schema} has no decode/encode for ${id.message ?? "the module"}`,
    );
  }
  return codec;
}

export function customFormat(codec: CustomCodec, label: string): Format {
  return {
    name: "custom",
    schemaful: true,
    decode(payload: Uint8Array): Row | Row[] {
      const v = codec.decode(payload);
      if (isRow(v) && !isPromise(v)) return v;
      if (Array.isArray(v) && v.every(isRow)) return v;
      throw new Error(
        isPromise(v)
          ? `custom format ${label}: decode must return synchronously`
          : `custom format ${label}: decode must return an object or an array of objects`,
      );
    },
    encode(data: unknown): Uint8Array {
      const v = codec.encode(data);
      if (v instanceof Uint8Array) return v;
      if (typeof v === "string") return encoder.encode(v);
      throw new Error(
        isPromise(v)
          ? `custom format ${label}: encode must return synchronously`
          : `custom format ${label}: encode must return a Uint8Array or a string`,
      );
    },
  };
}

/** The columns a module describes through `schema` or `getSchemaJson()`, if any. */
export function customFields(codec: CustomCodec): StreamField[] | undefined {
  let s: unknown = codec.schema ?? codec.getSchemaJson;
  if (typeof s === "function") s = s.call(codec);
  if (s === undefined || s === null || s === "") return undefined;
  return fieldsOfSchemaJson(s);
}

export const customSpec: FormatSpec = {
  name: "custom",
  schemaId: "required",
  create: (config: FormatConfig) =>
    customFormat(
      resolveCodec(config.schemaId, config.registry ?? schemaRegistry()),
      config.schemaId ?? "",
    ),
  fieldsOf: (schemaId: string, registry?: SchemaRegistry) =>
    customFields(resolveCodec(schemaId, registry ?? schemaRegistry())),
};
