/**
 * The contract of payload formats: decode bytes into rows (optionally against the stream's
 * declared schema) and encode results into bytes. Formats are listed in `formats/mod.ts`; a
 * format that needs settings (a schemaId, a delimiter) is bound to them once, when a rule's
 * decoder or encoder is built, so that per-message work never looks anything up.
 */
import type { StreamField } from "../sql/ast.ts";
import type { Row } from "../runtime/tuple.ts";
import type { SchemaRegistry } from "../schemas/mod.ts";

export interface DecodeOptions {
  /** Declared columns of a typed stream; undefined for a schemaless stream. */
  schema?: StreamField[];
}

export interface Format {
  name: string;
  /** Returns one row, or several when the payload holds an array of objects. Throws an Error
   * with a user-facing message on malformed input. */
  decode(payload: Uint8Array, opts: DecodeOptions): Row | Row[];
  /** `decode` of the payload `chunk[start, end)`, a message inside a read chunk that holds
   * others (MQTT), without making a view of it: text formats read the chunk's text, decoded
   * once for all its messages (`payload_text.ts`). Optional: the others get the view. */
  decodeIn?(chunk: Uint8Array, start: number, end: number, opts: DecodeOptions): Row | Row[];
  /** Encodes one row or the array of rows of one emission. Throws an Error with a user-facing
   * message when the data cannot be represented in the format. */
  encode(data: unknown): Uint8Array;
  /** True when decode already yields the values the schema describes (protobuf, custom): the
   * decoder then applies no stream schema on top (no second validation pass). */
  readonly schemaful?: boolean;
}

/** Settings a format is bound to: stream options (SCHEMAID, DELIMITER and the declared columns)
 * or sink properties (`schemaId`, `delimiter`, `hasHeader`). */
export interface FormatConfig {
  /** `schemaName.MessageName` (protobuf), `schemaName[.Export]` (custom). */
  schemaId?: string;
  /** The field separator of `delimited`. */
  delimiter?: string;
  /** `delimited`: the first line of a payload names the columns (decode) / write one (encode). */
  hasHeader?: boolean;
  /** The stream's declared columns, when the format uses them for names (delimited). */
  fields?: StreamField[];
  /** Where schemaIds resolve; the process's registry when absent. */
  registry?: SchemaRegistry;
}

/** A format by name: whether it needs a schema, and how to bind it to its settings. */
export interface FormatSpec {
  name: string;
  /** Whether `schemaId` is required, optional or meaningless for this format. */
  schemaId: "required" | "optional" | "none";
  /** Returns the bound format; throws an Error with a user-facing message on bad settings
   * (unknown schema, missing delimiter). */
  create(config: FormatConfig): Format;
  /** The columns the schema gives a stream (SCHEMAID set, no columns declared). */
  fieldsOf?(schemaId: string, registry?: SchemaRegistry): StreamField[] | undefined;
}
