/**
 * Before a rule starts, the libraries its functions need are loaded (see `FunctionDef.load`):
 * a rule that calls `resize` waits for the image codecs once, and every other rule, like an idle
 * Weir, never loads them.
 *
 * @module
 */
import type { FunctionRegistry } from "./types.ts";

/** Awaits `load()` of every function called anywhere in `ast` (a parsed statement). */
export async function preloadCalledFunctions(
  ast: unknown,
  registry: FunctionRegistry,
): Promise<void> {
  const loads = new Set<() => Promise<void>>();
  const seen = new Set<object>();
  const walk = (node: unknown): void => {
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    const call = node as { kind?: unknown; name?: unknown };
    if (call.kind === "Call" && typeof call.name === "string") {
      const load = registry.get(call.name)?.load;
      if (load) loads.add(load);
    }
    for (const child of Object.values(node)) walk(child);
  };
  walk(ast);
  if (loads.size > 0) await Promise.all([...loads].map((load) => load()));
}
