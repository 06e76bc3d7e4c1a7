/** HTTP serving over Deno.serve or Bun.serve, both of which take a web-standard fetch handler. */
import { runtimeName } from "./runtime.ts";

export interface ServeOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  fetch: (req: Request) => Response | Promise<Response>;
  /** Largest accepted request body in bytes (Bun enforces it natively; Deno via handlers). */
  maxRequestBodySize?: number;
}

export interface HttpServer {
  readonly hostname: string;
  readonly port: number;
  close(): Promise<void>;
}

// deno-lint-ignore no-explicit-any
const g = globalThis as any;

export function serveHttp(opts: ServeOptions): HttpServer {
  if (runtimeName === "bun") {
    const server = g.Bun.serve({
      hostname: opts.hostname,
      port: opts.port,
      fetch: opts.fetch,
      maxRequestBodySize: opts.maxRequestBodySize,
    });
    return {
      hostname: opts.hostname,
      port: server.port,
      close: async () => {
        await server.stop(true);
      },
    };
  }
  const ac = new AbortController();
  const server = g.Deno.serve({
    hostname: opts.hostname,
    port: opts.port,
    signal: ac.signal,
    onListen: () => {},
    handler: opts.fetch,
  });
  return {
    hostname: opts.hostname,
    port: server.addr.port,
    close: async () => {
      ac.abort();
      await server.finished;
    },
  };
}
