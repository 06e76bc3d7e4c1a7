/** Process exit and shutdown signals. */
import process from "node:process";

export function exitProcess(code: number): never {
  process.exit(code);
}

/** Calls `handler` once on SIGTERM or SIGINT. */
export function onShutdownSignal(handler: (signal: string) => void): void {
  let fired = false;
  const fire = (sig: string) => {
    if (fired) return;
    fired = true;
    handler(sig);
  };
  process.on("SIGTERM", () => fire("SIGTERM"));
  process.on("SIGINT", () => fire("SIGINT"));
}
