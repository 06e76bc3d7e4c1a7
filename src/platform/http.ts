/** HTTP serving over Deno.serve or Bun.serve, both of which take a web-standard fetch handler. */
import { runtimeName } from "./runtime.ts";
import {
  BUN_UPGRADED,
  bunSocketHandlers,
  bunUpgrade,
  denoUpgrade,
  type Upgrade,
} from "./websocket.ts";

export interface ServeOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  /** The handler; a route that serves WebSockets answers with `upgrade(req, handlers)`. */
  fetch: (req: Request, upgrade: Upgrade) => Response | Promise<Response>;
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
      // deno-lint-ignore no-explicit-any
      fetch: async (req: Request, srv: any) => {
        const res = await opts.fetch(req, bunUpgrade(srv));
        return res === BUN_UPGRADED ? undefined : res;
      },
      websocket: bunSocketHandlers,
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
    handler: (req: Request) => opts.fetch(req, denoUpgrade),
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
