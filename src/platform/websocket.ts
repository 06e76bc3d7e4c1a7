/**
 * Server-side WebSocket upgrades on Deno and Bun behind one shape. Deno upgrades a request
 * into a standard WebSocket (`Deno.upgradeWebSocket`); Bun upgrades through its server
 * (`server.upgrade`) and calls handlers given to `Bun.serve`. Either way a route hands over
 * {@link SocketHandlers} and gets events for a {@link PeerSocket}.
 *
 * @module
 */

/** One connected client. */
export interface PeerSocket {
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  /** Bytes queued for sending (a slow client keeps it high). */
  readonly bufferedAmount: number;
}

export interface SocketHandlers {
  open?(peer: PeerSocket): void;
  message?(peer: PeerSocket, data: string | Uint8Array): void;
  close?(peer: PeerSocket): void;
}

/** Upgrades `req` to a WebSocket served by `handlers`; returns the response to answer with. */
export type Upgrade = (req: Request, handlers: SocketHandlers) => Response;

export function isWebSocketUpgrade(req: Request): boolean {
  return req.headers.get("upgrade")?.toLowerCase() === "websocket";
}

// deno-lint-ignore no-explicit-any
const g = globalThis as any;

export const denoUpgrade: Upgrade = (req, handlers) => {
  const { socket, response } = g.Deno.upgradeWebSocket(req) as {
    socket: WebSocket;
    response: Response;
  };
  socket.binaryType = "arraybuffer";
  const peer: PeerSocket = {
    send: (d) => socket.send(d as string | Uint8Array<ArrayBuffer>),
    close: (code, reason) => socket.close(code, reason),
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
  };
  socket.onopen = () => handlers.open?.(peer);
  socket.onmessage = (e) =>
    handlers.message?.(peer, typeof e.data === "string" ? e.data : new Uint8Array(e.data));
  socket.onclose = () => handlers.close?.(peer);
  socket.onerror = () => {}; // a close event follows
  return response;
};

/** Marks a request Bun upgraded: the fetch handler must then answer nothing. */
export const BUN_UPGRADED = new Response(null, { status: 101 });

interface BunSocketData {
  handlers: SocketHandlers;
  peer?: PeerSocket;
}

// deno-lint-ignore no-explicit-any
type BunSocket = any;

/** An Upgrade bound to one Bun server. */
export function bunUpgrade(server: BunSocket): Upgrade {
  return (req, handlers) => {
    const data: BunSocketData = { handlers };
    return server.upgrade(req, { data })
      ? BUN_UPGRADED
      : new Response("websocket upgrade failed", { status: 400 });
  };
}

/** The `websocket` option of `Bun.serve`. */
export const bunSocketHandlers = {
  open(ws: BunSocket) {
    const d = ws.data as BunSocketData;
    d.peer = {
      send: (x) => ws.send(x),
      close: (code, reason) => ws.close(code, reason),
      get bufferedAmount() {
        return ws.getBufferedAmount?.() ?? 0;
      },
    };
    d.handlers.open?.(d.peer);
  },
  message(ws: BunSocket, msg: string | Uint8Array) {
    const d = ws.data as BunSocketData;
    d.handlers.message?.(d.peer!, typeof msg === "string" ? msg : new Uint8Array(msg));
  },
  close(ws: BunSocket) {
    const d = ws.data as BunSocketData;
    if (d.peer) d.handlers.close?.(d.peer);
  },
};
