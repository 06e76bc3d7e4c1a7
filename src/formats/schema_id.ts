/** `schemaName.MessageName`, the schemaId of streams and sinks. */
export interface SchemaId {
  schema: string;
  /** Everything after the first dot (a message may be package-qualified); undefined if none. */
  message: string | undefined;
}

export function parseSchemaId(id: string | undefined, format: string): SchemaId {
  const s = (id ?? "").trim();
  if (s === "") throw new Error(`format ${format} requires a schemaId`);
  const dot = s.indexOf(".");
  if (dot < 0) return { schema: s, message: undefined };
  return { schema: s.slice(0, dot), message: s.slice(dot + 1) || undefined };
}
