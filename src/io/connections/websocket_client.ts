/**
 * The websocket connectors' client mode: one WebSocket to `ws(s)://addr/path`, opened again
 * after it drops (1 s, doubling to 30 s between attempts) until stopped. Uses the runtime's
 * built-in WebSocket (Deno and Bun have one).
 *
 * @module
 */
import type { ConnectionStatus } from "../types.ts";
import type { Logger } from "../../log.ts";
import type { WsData } from "./websocket_endpoints.ts";

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

export interface WebSocketClientOptions {
  url: string;
  headers?: Record<string, string>;
  logger: Logger;
  onMessage?(data: WsData): void;
  onStatus(status: ConnectionStatus, message?: string): void;
}

export class WebSocketClient {
  #ws: WebSocket | undefined;
  #stopped = false;
  #retryMs = FIRST_RETRY_MS;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #waiters: ((open: boolean) => void)[] = [];
  #wasOpen = false;

  constructor(private readonly o: WebSocketClientOptions) {}

  get isOpen(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.#connect();
  }

  /** Resolves true once open, false after `ms` (or when stopped). */
  ready(ms: number): Promise<boolean> {
    if (this.isOpen) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => done(false), ms);
      const done = (open: boolean) => {
        clearTimeout(t);
        this.#waiters = this.#waiters.filter((w) => w !== done);
        resolve(open);
      };
      this.#waiters.push(done);
    });
  }

  /** Sends one message; throws while disconnected. */
  send(data: WsData): void {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      throw new Error(`websocket ${this.o.url} is not connected`);
    }
    ws.send(data as string | Uint8Array<ArrayBuffer>);
  }

  /** Stops reconnecting and closes the socket; resolves once it is closed. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    for (const w of [...this.#waiters]) w(false);
    const ws = this.#ws;
    this.#ws = undefined;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const closed = new Promise<void>((resolve) => {
      ws.addEventListener("close", () => resolve());
      timer = setTimeout(resolve, 1000); // a peer that never answers the close handshake
    });
    ws.close(1000, "closed");
    await closed;
    clearTimeout(timer);
  }

  #connect(): void {
    if (this.#stopped) return;
    this.o.onStatus("connecting");
    let ws: WebSocket;
    try {
      // Deno and Bun accept headers in a second argument object; browsers would not.
      ws = this.o.headers && Object.keys(this.o.headers).length > 0
        ? new (WebSocket as unknown as new (u: string, o: unknown) => WebSocket)(this.o.url, {
          headers: this.o.headers,
        })
        : new WebSocket(this.o.url);
    } catch (e) {
      this.#retry(`cannot open ${this.o.url}: ${(e as Error).message}`);
      return;
    }
    ws.binaryType = "arraybuffer";
    this.#ws = ws;
    ws.onopen = () => {
      this.#retryMs = FIRST_RETRY_MS;
      this.#wasOpen = true;
      this.o.onStatus("connected");
      this.o.logger.info(`websocket connected to ${this.o.url}`);
      for (const w of [...this.#waiters]) w(true);
    };
    ws.onmessage = (e) => {
      this.o.onMessage?.(typeof e.data === "string" ? e.data : new Uint8Array(e.data));
    };
    ws.onerror = () => {}; // a close event follows
    ws.onclose = (e) => {
      if (this.#ws !== ws) return;
      this.#ws = undefined;
      this.#retry(
        this.#wasOpen
          ? `websocket ${this.o.url} closed (${e.code})`
          : `cannot connect to ${this.o.url}`,
      );
    };
  }

  #retry(message: string): void {
    if (this.#stopped) return;
    this.o.onStatus("disconnected", message);
    this.o.logger.warn(`${message}; retrying in ${this.#retryMs} ms`);
    this.#timer = setTimeout(() => this.#connect(), this.#retryMs);
    this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
    this.#wasOpen = false;
  }
}
