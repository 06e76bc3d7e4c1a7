/**
 * Handing the start-up's memory back to the OS. Starting Weir leaves garbage behind (etc/ read
 * and written, YAML parsed, the grammar built, stored rules planned) and a young generation grown
 * for it; the engines keep those pages until their own idle heuristics run, V8's memory reducer
 * some 30 s later and only in part. `releaseMemory()` runs the engine's most thorough collection
 * once: under V8 the "last resort" GC (what `Isolate::LowMemoryNotification` runs: full GCs that
 * also shrink the new space and unmap pooled pages), under JavaScriptCore a full GC and
 * `Bun.shrink()`. About 10 ms for an idle Weir; 3-4 MiB less RSS (bench/RESULTS.md).
 *
 * @module
 */
import { runtimeName } from "./runtime.ts";

type GcOptions = { type: "major"; execution: "sync"; flavor: "last-resort" };
type V8Gc = (options: GcOptions) => void;

let v8Gc: V8Gc | undefined | null;

/**
 * V8's `gc()` without `--expose-gc` on every command line that starts Weir (README's start, the
 * service unit, the compiled binary, tests): the flag is turned on just long enough for a fresh
 * context to be given the function, then off again, so no other context sees `gc`.
 */
async function v8GcFunction(): Promise<V8Gc | null> {
  if (v8Gc !== undefined) return v8Gc;
  try {
    const [{ default: v8 }, { default: vm }] = await Promise.all([
      import("node:v8"),
      import("node:vm"),
    ]);
    v8.setFlagsFromString("--expose-gc");
    try {
      const gc = vm.runInNewContext("typeof gc === 'function' ? gc : null");
      v8Gc = typeof gc === "function" ? gc as V8Gc : null;
    } finally {
      v8.setFlagsFromString("--no-expose-gc");
    }
  } catch {
    v8Gc = null;
  }
  return v8Gc;
}

/** Runs the thorough collection; false when this runtime offers none (nothing was done). */
export async function releaseMemory(): Promise<boolean> {
  // deno-lint-ignore no-explicit-any
  const bun = (globalThis as any).Bun;
  if (runtimeName === "bun") {
    bun.gc(true);
    bun.shrink?.();
    return true;
  }
  const gc = await v8GcFunction();
  if (!gc) return false;
  gc({ type: "major", execution: "sync", flavor: "last-resort" });
  return true;
}
