/**
 * The `websocket` sink: sends each encoded result as one WebSocket message (a text frame for
 * UTF-8 payloads such as JSON, a binary frame otherwise).
 *
 * Client mode (`addr` set): Weir connects to `ws://addr` + `path` and reconnects when it
 * drops; a result sent while disconnected fails (counted; the sink cache, when enabled, keeps
 * it). Server mode (`addr` empty): Weir serves `path` on its push server address and sends each
 * result to every connected client (none connected: the result goes nowhere, as in eKuiper). A
 * websocket source on the same path shares the endpoint.
 *
 * Props: `addr`, `path` (required, starts with `/`), `scheme` (ws | wss), `requestHeader`.
 * Differences: TLS client certificates are not supported.
 *
 * @module
 */
import type { Sink, SinkContext, SinkItem, SinkSpec } from "../../types.ts";
import { type WebSocketMode, webSocketMode } from "../../connections/websocket_config.ts";
import {
  acquireWebSocketEndpoint,
  type WebSocketEndpointHandle,
  type WsData,
} from "../../connections/websocket_endpoints.ts";
import { WebSocketClient } from "../../connections/websocket_client.ts";
import { payloadBytes } from "../payload.ts";

/** How long `connect` waits for the peer before letting the rule start anyway. */
const CONNECT_WAIT_MS = 3000;

const utf8 = new TextDecoder("utf-8", { fatal: true });

function frame(bytes: Uint8Array): WsData {
  try {
    return utf8.decode(bytes);
  } catch {
    return bytes;
  }
}

class WebSocketSink implements Sink {
  #m: WebSocketMode;
  #client: WebSocketClient | undefined;
  #endpoint: WebSocketEndpointHandle | undefined;

  constructor(m: WebSocketMode) {
    this.#m = m;
  }

  async connect(ctx: SinkContext): Promise<void> {
    const m = this.#m;
    if (m.mode === "server") {
      this.#endpoint = await acquireWebSocketEndpoint(m.path);
      ctx.setConnectionStatus("connected");
      return;
    }
    const client = new WebSocketClient({
      url: m.url,
      headers: m.headers,
      logger: ctx.logger,
      onStatus: (s, msg) => ctx.setConnectionStatus(s, msg),
    });
    this.#client = client;
    client.start();
    if (!await client.ready(CONNECT_WAIT_MS)) {
      ctx.logger.warn(`websocket sink cannot reach ${m.url} yet; retrying in background`);
    }
  }

  collect(item: SinkItem): Promise<void> {
    try {
      const data = frame(payloadBytes(item));
      if (this.#endpoint) this.#endpoint.broadcast(data);
      else if (this.#client) this.#client.send(data);
      else throw new Error("websocket sink is not connected");
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async close(): Promise<void> {
    const e = this.#endpoint;
    this.#endpoint = undefined;
    await e?.release();
    const c = this.#client;
    this.#client = undefined;
    await c?.stop();
  }
}

export const webSocketSink: SinkSpec = {
  type: "websocket",
  payload: "bytes",
  validate(props) {
    webSocketMode(props, "sink");
  },
  create: (props) => new WebSocketSink(webSocketMode(props, "sink")),
};
