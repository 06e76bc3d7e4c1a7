/**
 * Protobuf, with the message type named by `schemaId` (`schemaName.MessageName`) from a
 * `.proto` in the schema registry. Decoding walks the message's fields with readers built once
 * per type (int64 as numbers, enums as numbers, bytes as Uint8Array, unset fields as their
 * defaults, as eKuiper's dynamic protobuf does); the result already has the schema's types, so
 * no stream schema is applied after it. Encoding checks values against the message (a string
 * for an int32 field is an error, not a silent zero).
 */
import type protobuf from "protobufjs";
import { protobufjs } from "../schemas/protobufjs.ts";
import type { FieldType, StreamField } from "../sql/ast.ts";
import type { Row } from "../runtime/tuple.ts";
import { type SchemaRegistry, schemaRegistry } from "../schemas/mod.ts";
import { messageNames } from "../schemas/protobuf_schema.ts";
import type { Format, FormatConfig, FormatSpec } from "./types.ts";
import { parseSchemaId } from "./schema_id.ts";

const LONGS = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);
const INTS = new Set(["int32", "uint32", "sint32", "fixed32", "sfixed32", ...LONGS]);

export function resolveMessage(schemaId: string | undefined, registry: SchemaRegistry) {
  const id = parseSchemaId(schemaId, "protobuf");
  const root = registry.protobuf(id.schema);
  if (!root) throw new Error(`protobuf schema ${id.schema} is not registered`);
  if (!id.message) {
    throw new Error(`schemaId ${schemaId} must name a message: ${id.schema}.<MessageName>`);
  }
  let type: protobuf.Type | undefined;
  try {
    type = root.lookupType(id.message);
  } catch {
    type = undefined;
  }
  if (!type) {
    throw new Error(
      `message ${id.message} is not defined in protobuf schema ${id.schema} (it defines ${
        messageNames(root).join(", ") || "no messages"
      })`,
    );
  }
  return type;
}

type Read = (v: unknown) => unknown;

const toNumber: Read = (v) =>
  typeof v === "number"
    ? v
    : typeof (v as { toNumber?: unknown })?.toNumber === "function"
    ? (v as { toNumber(): number }).toNumber()
    : Number(v);
// A plain Uint8Array view of protobufjs's Buffer; an unset field's default is an empty array.
const asBytes: Read = (v) =>
  v instanceof Uint8Array
    ? v.constructor === Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
    : new Uint8Array(Array.isArray(v) ? v : []);

function valueReader(f: protobuf.Field, cache: Map<protobuf.Type, (m: unknown) => Row>): Read {
  const rt = f.resolvedType;
  if (rt instanceof protobufjs.get().Type) {
    return (v) => (v === null || v === undefined ? null : messageReader(rt, cache)(v));
  }
  if (rt instanceof protobufjs.get().Enum) return (v) => v;
  if (LONGS.has(f.type)) return toNumber;
  if (f.type === "bytes") return asBytes;
  return (v) => v;
}

function messageReader(
  type: protobuf.Type,
  cache = new Map<protobuf.Type, (m: unknown) => Row>(),
): (m: unknown) => Row {
  const known = cache.get(type);
  if (known) return known;
  const readers: { name: string; read: Read }[] = [];
  // Registered before the fields so that recursive messages find themselves.
  const read = (m: unknown): Row => {
    const msg = m as Record<string, unknown>;
    const row: Row = {};
    for (const r of readers) row[r.name] = r.read(msg[r.name]);
    return row;
  };
  cache.set(type, read);
  for (const f of type.fieldsArray) {
    const one = valueReader(f, cache);
    let rd: Read = one;
    if (f.map) {
      rd = (v) => {
        const out: Row = {};
        for (const [k, x] of Object.entries((v ?? {}) as Row)) out[k] = one(x);
        return out;
      };
    } else if (f.repeated) {
      rd = (v) => (Array.isArray(v) ? v.map(one) : []);
    }
    readers.push({ name: f.name, read: rd });
  }
  return read;
}

function fieldType(f: protobuf.Field, depth: number): FieldType {
  let t: FieldType;
  const rt = f.resolvedType;
  if (rt instanceof protobufjs.get().Type) {
    t = { type: "struct", fields: depth > 8 ? [] : typeFields(rt, depth + 1) };
  } else if (rt instanceof protobufjs.get().Enum || INTS.has(f.type)) t = { type: "bigint" };
  else if (f.type === "double" || f.type === "float") t = { type: "float" };
  else if (f.type === "bool") t = { type: "boolean" };
  else if (f.type === "bytes") t = { type: "bytea" };
  else t = { type: "string" };
  if (f.map) return { type: "struct", fields: [] };
  return f.repeated ? { type: "array", elementType: t } : t;
}

function typeFields(type: protobuf.Type, depth = 0): StreamField[] {
  return type.fieldsArray.map((f) => ({ name: f.name, type: fieldType(f, depth) }));
}

function singleRow(data: unknown): Row {
  if (Array.isArray(data)) {
    if (data.length === 1) return data[0] as Row;
    throw new Error(
      `protobuf encodes one row per message, got ${data.length}: set the sink's sendSingle to true`,
    );
  }
  if (typeof data !== "object" || data === null) {
    throw new Error(`protobuf encodes a row (an object), got ${typeof data}`);
  }
  return data as Row;
}

export function protobufFormat(type: protobuf.Type): Format {
  const read = messageReader(type);
  const name = type.fullName.slice(1);
  return {
    name: "protobuf",
    schemaful: true,
    decode(payload: Uint8Array): Row {
      let msg: protobuf.Message;
      try {
        msg = type.decode(payload);
      } catch (e) {
        throw new Error(`invalid protobuf payload for ${name}: ${(e as Error).message}`);
      }
      return read(msg);
    },
    encode(data: unknown): Uint8Array {
      const row = singleRow(data);
      const problem = type.verify(row);
      if (problem) throw new Error(`cannot encode to protobuf message ${name}: ${problem}`);
      return type.encode(type.fromObject(row)).finish();
    },
  };
}

export const protobufSpec: FormatSpec = {
  name: "protobuf",
  schemaId: "required",
  create: (config: FormatConfig) =>
    protobufFormat(resolveMessage(config.schemaId, config.registry ?? schemaRegistry())),
  fieldsOf: (schemaId: string, registry?: SchemaRegistry) =>
    typeFields(resolveMessage(schemaId, registry ?? schemaRegistry())),
};
