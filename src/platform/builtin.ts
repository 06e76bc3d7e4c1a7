/**
 * A `node:` built-in that only some features use (hashing, compression, MQTT sockets, spawning),
 * loaded the first time one of them runs instead of at start. In a Bun binary each such module
 * is JavaScript that the runtime compiles and native code it pages in, ~0.5 MiB of an idle
 * Weir's RSS apiece (bench/RESULTS.md). `process.getBuiltinModule` is synchronous, so the hot
 * path needs no preloading step; after the first call it is a field read.
 *
 * @module
 */
import process from "node:process";

/** A getter for the built-in `name`, loading it on first use. */
export function lazyBuiltin<T>(name: `node:${string}`): () => T {
  let mod: T | undefined;
  return () => (mod ??= process.getBuiltinModule(name) as T);
}
