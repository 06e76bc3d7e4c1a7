/**
 * The `node:` built-ins that only some features use (hashing, compression, MQTT sockets,
 * spawning), each loaded the first time one of them runs instead of at start: import the getter
 * from here and call it where the module is used. In a Bun binary each such module
 * is JavaScript that the runtime compiles and native code it pages in, ~0.5 MiB of an idle
 * Weir's RSS apiece (bench/RESULTS.md). `process.getBuiltinModule` is synchronous, so the hot
 * path needs no preloading step; after the first call it is a field read.
 *
 * @module
 */
import process from "node:process";

/** A getter for the built-in `name`, loading it on first use. */
function lazyBuiltin<T>(name: `node:${string}`): () => T {
  let mod: T | undefined;
  return () => (mod ??= process.getBuiltinModule(name) as T);
}

export const nodeChildProcess = lazyBuiltin<typeof import("node:child_process")>(
  "node:child_process",
);
export const nodeCrypto = lazyBuiltin<typeof import("node:crypto")>("node:crypto");
export const nodeNet = lazyBuiltin<typeof import("node:net")>("node:net");
export const nodeStream = lazyBuiltin<typeof import("node:stream")>("node:stream");
export const nodeTls = lazyBuiltin<typeof import("node:tls")>("node:tls");
export const nodeZlib = lazyBuiltin<typeof import("node:zlib")>("node:zlib");
