/**
 * The contract of payload formats: decode bytes into rows (optionally against the stream's
 * declared schema) and encode results into bytes. Formats are listed in `formats/mod.ts`.
 */
import type { StreamField } from "../sql/ast.ts";
import type { Row } from "../runtime/tuple.ts";

export interface DecodeOptions {
  /** Declared columns of a typed stream; undefined for a schemaless stream. */
  schema?: StreamField[];
}

export interface Format {
  name: string;
  /** Returns one row, or several when the payload holds an array of objects. Throws an Error
   * with a user-facing message on malformed input. */
  decode(payload: Uint8Array, opts: DecodeOptions): Row | Row[];
  encode(data: unknown): Uint8Array;
}
