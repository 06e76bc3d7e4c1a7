/**
 * The `websocket` source: each WebSocket message is one payload, decoded by the stream FORMAT.
 *
 * Client mode (`addr` set, e.g. `127.0.0.1:8080`): Weir connects to `ws://addr` + DATASOURCE
 * and reconnects when the connection drops. Server mode (`addr` empty, eKuiper's default):
 * Weir serves DATASOURCE (e.g. `/api/data`) on its push server address (`source.httpServerIp`
 * and `httpServerPort`, default 127.0.0.1:10081) and takes messages from every client.
 *
 * Props: `addr`, `path` (when DATASOURCE is empty), `scheme` (ws | wss), `requestHeader`
 * (client). Differences: TLS client certificates are not supported.
 *
 * @module
 */
import type { Source, SourceContext, SourceSpec } from "../../types.ts";
import { type WebSocketMode, webSocketMode } from "../../connections/websocket_config.ts";
import {
  acquireWebSocketEndpoint,
  type WebSocketEndpointHandle,
  type WsData,
} from "../../connections/websocket_endpoints.ts";
import { WebSocketClient } from "../../connections/websocket_client.ts";

/** How long `open` waits for a client connection before letting the rule start anyway. */
const OPEN_WAIT_MS = 3000;

const encoder = new TextEncoder();

class WebSocketSource implements Source {
  #m: WebSocketMode;
  #client: WebSocketClient | undefined;
  #endpoint: WebSocketEndpointHandle | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(m: WebSocketMode) {
    this.#m = m;
  }

  async open(ctx: SourceContext): Promise<void> {
    const receive = (data: WsData) => {
      ctx.emit({
        payload: typeof data === "string" ? encoder.encode(data) : data,
        timestamp: Date.now(),
      });
    };
    const m = this.#m;
    if (m.mode === "server") {
      this.#endpoint = await acquireWebSocketEndpoint(m.path);
      this.#unsubscribe = this.#endpoint.onMessage(receive);
      ctx.setConnectionStatus("connected");
      return;
    }
    const client = new WebSocketClient({
      url: m.url,
      headers: m.headers,
      logger: ctx.logger,
      onMessage: receive,
      onStatus: (s, msg) => ctx.setConnectionStatus(s, msg),
    });
    this.#client = client;
    client.start();
    if (!await client.ready(OPEN_WAIT_MS)) {
      ctx.logger.warn(`websocket source cannot reach ${m.url} yet; retrying in background`);
    }
  }

  async close(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    const e = this.#endpoint;
    this.#endpoint = undefined;
    await e?.release();
    const c = this.#client;
    this.#client = undefined;
    await c?.stop();
  }
}

export const webSocketSource: SourceSpec = {
  type: "websocket",
  payload: "bytes",
  validate(props) {
    webSocketMode(props, "source");
  },
  create(props) {
    return new WebSocketSource(webSocketMode(props, "source"));
  },
};
