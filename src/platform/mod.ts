/**
 * The few runtime-specific calls (Deno or Bun), behind one small interface. Everything else in
 * Weir uses web standards and `node:` built-ins, so the same code runs under `deno run` and
 * inside a `bun build --compile` binary.
 *
 * @module
 */
export { runtimeName } from "./runtime.ts";
export { serveHttp } from "./http.ts";
export type { HttpServer, ServeOptions } from "./http.ts";
export { isWebSocketUpgrade } from "./websocket.ts";
export type { PeerSocket, SocketHandlers, Upgrade } from "./websocket.ts";
export { openSqlite } from "./sqlite.ts";
export type { SqliteDatabase, SqliteStatement } from "./sqlite.ts";
export { releaseMemory } from "./memory.ts";
export { endStartupJitPolicy } from "./jit.ts";
export { exitProcess, onShutdownSignal } from "./process.ts";
