/**
 * Conversion of a decoded object to a typed stream's declared columns. Undeclared fields are
 * dropped; a missing field stays missing (reads as null); a value of the wrong type that cannot
 * be converted losslessly is an error for the whole message.
 */
import type { FieldType, StreamField } from "../sql/ast.ts";
import type { Row } from "../runtime/tuple.ts";

export function applySchema(value: Row, schema: StreamField[]): Row {
  const out: Row = {};
  for (const f of schema) {
    const v = value[f.name];
    if (v === undefined) continue;
    out[f.name] = convert(v, f.type, f.name);
  }
  return out;
}

function fail(name: string, v: unknown, type: string): never {
  throw new Error(`field ${name} type mismatch: cannot convert ${JSON.stringify(v)} to ${type}`);
}

function convert(v: unknown, t: FieldType, name: string): unknown {
  if (v === null) return null;
  switch (t.type) {
    case "bigint":
      if (typeof v === "number" && Number.isInteger(v)) return v;
      if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v);
      return fail(name, v, "bigint");
    case "float":
      if (typeof v === "number") return v;
      if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
      return fail(name, v, "float");
    case "string":
      if (typeof v === "string") return v;
      return fail(name, v, "string");
    case "boolean":
      if (typeof v === "boolean") return v;
      if (v === "true" || v === "false") return v === "true";
      return fail(name, v, "boolean");
    case "datetime":
      if (typeof v === "number" || typeof v === "string") return v;
      return fail(name, v, "datetime");
    case "bytea":
      if (typeof v === "string") return v;
      return fail(name, v, "bytea");
    case "array":
      if (!Array.isArray(v)) return fail(name, v, "array");
      return v.map((e, i) => convert(e, t.elementType, `${name}[${i}]`));
    case "struct":
      if (typeof v !== "object" || Array.isArray(v)) return fail(name, v, "struct");
      return applySchema(v as Row, t.fields);
  }
}
