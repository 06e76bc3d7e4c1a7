/**
 * The websocket connectors' server mode: Weir serves `ws://<push server address><path>`.
 * Every source and sink on one path share one endpoint (eKuiper's connection per endpoint):
 * messages any client sends go to every source on the path; a sink's results go to every
 * connected client. The endpoint is registered while at least one source or sink uses it, and
 * its clients are disconnected when the last one leaves.
 *
 * @module
 */
import type { PeerSocket } from "../../platform/mod.ts";
import { registerUpgradeEndpoint } from "../sources/httppush/server.ts";

export type WsData = string | Uint8Array;

interface Endpoint {
  clients: Set<PeerSocket>;
  receivers: Set<(data: WsData) => void>;
  users: number;
  /** Resolves to the unregister function once the route is served. */
  registered: Promise<() => Promise<void>>;
}

export interface WebSocketEndpointHandle {
  /** Calls `fn` with every message a client sends; returns the unsubscribe function. */
  onMessage(fn: (data: WsData) => void): () => void;
  /** Sends to every connected client; returns how many there were. */
  broadcast(data: WsData): number;
  readonly clientCount: number;
  release(): Promise<void>;
}

const endpoints = new Map<string, Endpoint>();

function newEndpoint(path: string): Endpoint {
  const ep: Endpoint = {
    clients: new Set(),
    receivers: new Set(),
    users: 0,
    registered: undefined as unknown as Promise<() => Promise<void>>,
  };
  ep.registered = registerUpgradeEndpoint({
    path,
    accept: (req, upgrade) =>
      upgrade(req, {
        open: (peer) => ep.clients.add(peer),
        message: (_, data) => {
          for (const r of ep.receivers) r(data);
        },
        close: (peer) => ep.clients.delete(peer),
      }),
  });
  return ep;
}

/** Joins (or opens) the endpoint on `path`. Rejects when the push server cannot listen. */
export async function acquireWebSocketEndpoint(path: string): Promise<WebSocketEndpointHandle> {
  let ep = endpoints.get(path);
  if (!ep) endpoints.set(path, ep = newEndpoint(path));
  ep.users++;
  const it = ep;
  try {
    await it.registered;
  } catch (e) {
    it.users--;
    if (endpoints.get(path) === it) endpoints.delete(path);
    throw e;
  }
  let released = false;
  return {
    onMessage(fn) {
      it.receivers.add(fn);
      return () => it.receivers.delete(fn);
    },
    broadcast(data) {
      for (const c of it.clients) c.send(data);
      return it.clients.size;
    },
    get clientCount() {
      return it.clients.size;
    },
    async release() {
      if (released) return;
      released = true;
      if (--it.users > 0) return;
      if (endpoints.get(path) === it) endpoints.delete(path);
      for (const c of it.clients) c.close(1001, "endpoint closed");
      it.clients.clear();
      const unregister = await it.registered;
      await unregister();
    },
  };
}
