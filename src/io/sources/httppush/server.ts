/**
 * The one HTTP server shared by all `httppush` sources (eKuiper's global HTTP data server,
 * `source.httpServerIp/httpServerPort`). It starts with the first registered endpoint and stops
 * when the last one is unregistered.
 *
 * Routing is by (path, method). Streams registering the same path and method share the
 * endpoint: each request is handed to all of them. Answers: 200 accepted; 404 unknown path;
 * 405 known path, other method; 413 body over the endpoint's limit (the smallest `maxBodySize`
 * of its streams); 503 `buffer full` when a stream's buffer refused the message (with a shared
 * endpoint, the streams that accepted keep it: a client retry may duplicate there).
 *
 * It also serves the WebSocket endpoints of the websocket connectors' server mode (upgrade
 * requests on a registered path), as eKuiper serves them on the same address.
 *
 * @module
 */
import { logger } from "../../../log.ts";
import {
  type HttpServer,
  isWebSocketUpgrade,
  serveHttp,
  type Upgrade,
} from "../../../platform/mod.ts";
import { readBoundedBody } from "./body.ts";

export interface PushServerConfig {
  hostname: string;
  /** 0 picks a free port (tests); read it back with {@link pushServerAddress}. */
  port: number;
}

/** What a registered stream receives for each accepted request. */
export interface PushRequest {
  method: string;
  path: string;
  body: Uint8Array;
  headers: Headers;
}

export interface PushEndpoint {
  /** Request path, starting with `/` (query strings are ignored for routing). */
  path: string;
  /** Upper-case HTTP method. */
  method: string;
  /** Largest accepted body, bytes. */
  maxBodySize: number;
  /** Hands the request to the stream; false = refused (buffer full). */
  receive(req: PushRequest): boolean;
}

const log = logger("httppush");
let config: PushServerConfig = { hostname: "127.0.0.1", port: 10081 };
let server: HttpServer | undefined;
let stopping: Promise<void> | undefined;
/** path -> method -> endpoints registered there. */
const routes = new Map<string, Map<string, Set<PushEndpoint>>>();

/** A path where WebSocket clients connect (the websocket connectors' server mode). */
export interface UpgradeEndpoint {
  path: string;
  /** Answers an upgrade request, normally with `upgrade(req, handlers)`. */
  accept(req: Request, upgrade: Upgrade): Response;
}

/** path -> the WebSocket endpoint served there. */
const upgradeRoutes = new Map<string, UpgradeEndpoint>();

/** Sets the listen address (the app sets it from `WEIR_PUSH_ADDR` / weir.yaml). Takes effect
 * the next time the server starts. */
export function configurePushServer(c: Partial<PushServerConfig>): void {
  config = { ...config, ...c };
  if (server) log.warn("httppush server address changed; it applies after the server restarts");
}

/** The bound address while the server runs, else undefined. */
export function pushServerAddress(): { hostname: string; port: number } | undefined {
  return server ? { hostname: server.hostname, port: server.port } : undefined;
}

/** Registers an endpoint, starting the server if needed; resolves to its unregister function.
 * Rejects when the server cannot listen (address in use...). */
export async function registerPushEndpoint(ep: PushEndpoint): Promise<() => Promise<void>> {
  await ensureStarted();
  let methods = routes.get(ep.path);
  if (!methods) routes.set(ep.path, methods = new Map());
  let eps = methods.get(ep.method);
  if (!eps) methods.set(ep.method, eps = new Set());
  eps.add(ep);
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    unroute(ep);
    await stopIfIdle();
  };
}

/** Serves WebSocket upgrades on `ep.path`, starting the server if needed; resolves to its
 * unregister function. One endpoint per path (callers share it above this level). */
export async function registerUpgradeEndpoint(ep: UpgradeEndpoint): Promise<() => Promise<void>> {
  if (upgradeRoutes.has(ep.path)) throw new Error(`websocket endpoint ${ep.path} is taken`);
  await ensureStarted();
  upgradeRoutes.set(ep.path, ep);
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    if (upgradeRoutes.get(ep.path) === ep) upgradeRoutes.delete(ep.path);
    await stopIfIdle();
  };
}

async function stopIfIdle(): Promise<void> {
  if (routes.size === 0 && upgradeRoutes.size === 0) await stop();
}

async function ensureStarted(): Promise<void> {
  if (stopping) await stopping;
  if (!server) {
    try {
      server = serveHttp({ hostname: config.hostname, port: config.port, fetch: handle });
    } catch (e) {
      throw new Error(
        `httppush server cannot listen on ${config.hostname}:${config.port}: ${
          (e as Error).message
        }`,
      );
    }
    log.info(`httppush server listening on ${server.hostname}:${server.port}`);
  }
}

function unroute(ep: PushEndpoint): void {
  const methods = routes.get(ep.path);
  const eps = methods?.get(ep.method);
  if (!methods || !eps?.delete(ep)) return;
  if (eps.size === 0) methods.delete(ep.method);
  if (methods.size === 0) routes.delete(ep.path);
}

async function stop(): Promise<void> {
  const s = server;
  if (!s) return;
  server = undefined;
  const p = s.close().then(() => log.info("httppush server stopped"));
  stopping = p;
  try {
    await p;
  } finally {
    if (stopping === p) stopping = undefined;
  }
}

function text(status: number, body: string, headers?: Record<string, string>): Response {
  return new Response(body, { status, headers: { "content-type": "text/plain", ...headers } });
}

async function handle(req: Request, upgrade: Upgrade): Promise<Response> {
  const path = new URL(req.url).pathname;
  const ws = upgradeRoutes.get(path);
  if (ws && isWebSocketUpgrade(req)) return ws.accept(req, upgrade);
  const methods = routes.get(path);
  if (!methods) return text(404, "not found");
  const eps = methods.get(req.method);
  if (!eps || eps.size === 0) {
    return text(405, "method not allowed", { allow: [...methods.keys()].join(", ") });
  }
  const targets = [...eps];
  const limit = Math.min(...targets.map((e) => e.maxBodySize));
  const body = await readBoundedBody(req, limit);
  if (body === null) return text(413, `request body larger than ${limit} bytes`);
  let refused = false;
  for (const ep of targets) {
    if (!ep.receive({ method: req.method, path, body, headers: req.headers })) refused = true;
  }
  return refused ? text(503, "buffer full") : text(200, "ok");
}
