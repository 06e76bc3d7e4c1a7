/**
 * The payload formats Weir knows, by lower-case name: json, binary, delimited, protobuf, custom,
 * urlencoded.
 *
 * `getFormat(name)` keeps its first meaning (the format, or undefined for an unknown name) and
 * takes the settings a format is bound to as a second argument: a sink encodes with
 * `getFormat(props.format ?? "json", sinkFormatConfig(props))` (its `schemaId`, `delimiter`,
 * `hasHeader`). Bad settings (an unregistered schema, a missing delimiter) throw a
 * {@link FormatError} (HTTP 400) with a message for the user.
 */
import type { StreamField } from "../sql/ast.ts";
import { WeirError } from "../errors.ts";
import type { SchemaRegistry } from "../schemas/mod.ts";
import type { Format, FormatConfig, FormatSpec } from "./types.ts";
import { createJsonFormat } from "./json.ts";
import { binarySpec } from "./binary.ts";
import { delimitedSpec } from "./delimited.ts";
import { protobufSpec } from "./protobuf.ts";
import { customSpec } from "./custom.ts";
import { urlencodedSpec } from "./urlencoded.ts";

export type { DecodeOptions, Format, FormatConfig, FormatSpec } from "./types.ts";

/** A format's settings are wrong: unknown schema, missing schemaId or delimiter. */
export class FormatError extends WeirError {
  constructor(message: string) {
    super(message);
    this.name = "FormatError";
  }
}

const specs: Record<string, FormatSpec> = {
  json: { name: "json", schemaId: "none", create: createJsonFormat },
  binary: binarySpec,
  delimited: delimitedSpec,
  protobuf: protobufSpec,
  custom: customSpec,
  urlencoded: urlencodedSpec,
};

export function getFormatSpec(name: string): FormatSpec | undefined {
  return specs[name.toLowerCase()];
}

/** The format `name` bound to `config`; undefined for an unknown name. Without a config,
 * formats that need one (protobuf, custom, delimited) throw a FormatError. */
export function getFormat(name: string, config: FormatConfig = {}): Format | undefined {
  const spec = specs[name.toLowerCase()];
  if (!spec) return undefined;
  try {
    return spec.create(config);
  } catch (e) {
    throw new FormatError((e as Error).message);
  }
}

/** A sink's format settings from its properties (`schemaId`, `delimiter`, `hasHeader`). */
export function sinkFormatConfig(props: Record<string, unknown>): FormatConfig {
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  return {
    schemaId: str(props.schemaId),
    delimiter: str(props.delimiter),
    hasHeader: props.hasHeader === true || props.hasHeader === "true",
  };
}

export function formatNames(): string[] {
  return Object.keys(specs);
}

/** The columns a stream gets from its format's schema (SCHEMAID set and no columns declared);
 * undefined when the schema describes none. Throws a FormatError for an unknown schema. */
export function schemaFields(
  name: string,
  schemaId: string,
  registry?: SchemaRegistry,
): StreamField[] | undefined {
  const spec = specs[name.toLowerCase()];
  if (!spec?.fieldsOf) return undefined;
  try {
    return spec.fieldsOf(schemaId, registry);
  } catch (e) {
    throw new FormatError((e as Error).message);
  }
}
