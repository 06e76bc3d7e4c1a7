/**
 * Building a {@link FunctionRegistry} from family tables.
 *
 * @module
 */
import type { FunctionDef, FunctionRegistry, FunctionTable } from "./types.ts";

/** Merges tables into a registry; a name defined twice is a programming error. */
export function createRegistry(tables: readonly FunctionTable[]): FunctionRegistry {
  const byName = new Map<string, FunctionDef>();
  for (const table of tables) {
    for (const [name, def] of Object.entries(table)) {
      if (byName.has(name)) throw new Error(`Function "${name}" is defined twice`);
      byName.set(name, def);
    }
  }
  const names = [...byName.keys()].sort();
  return {
    get: (name) => byName.get(name),
    names: () => names.slice(),
  };
}
