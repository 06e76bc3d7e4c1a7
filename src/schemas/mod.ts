/**
 * The process's schema registry. `startWeir` installs the one backed by `data/schemas`; formats
 * resolve schemaIds against it when a rule binds them.
 */
import { SchemaRegistry } from "./registry.ts";

export { isSchemaType, SchemaRegistry } from "./registry.ts";
export type { SchemaInfo, SchemaRequest, SchemaType } from "./registry.ts";

let current = new SchemaRegistry();

export function schemaRegistry(): SchemaRegistry {
  return current;
}

export function setSchemaRegistry(r: SchemaRegistry): void {
  current = r;
}
