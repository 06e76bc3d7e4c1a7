/**
 * The `httppush` source: an endpoint (DATASOURCE, a path such as `/api/data`) on the shared push
 * server; each request body is one message, decoded by the stream FORMAT.
 *
 * Props: `method` (POST default, or PUT), `maxBodySize` (bytes, default 10 MiB; Weir's, as
 * eKuiper has no limit). Meta: `method`, `path`.
 *
 * @module
 */
import type { Source, SourceContext, SourceProps, SourceSpec } from "../../types.ts";
import { registerPushEndpoint } from "./server.ts";

export { configurePushServer, pushServerAddress } from "./server.ts";

const DEFAULT_MAX_BODY = 10 * 1024 * 1024;
const METHODS = new Set(["POST", "PUT"]);

interface PushSettings {
  path: string;
  method: string;
  maxBodySize: number;
}

function settings(props: SourceProps): PushSettings {
  const path = props.datasource;
  if (typeof path !== "string" || !path.startsWith("/")) {
    throw new Error(`invalid httppush datasource "${path}": the endpoint path must start with /`);
  }
  const method = props.method === undefined || props.method === ""
    ? "POST"
    : String(props.method).toUpperCase();
  if (!METHODS.has(method)) {
    throw new Error(`invalid httppush method "${props.method}": expected POST or PUT`);
  }
  let maxBodySize = DEFAULT_MAX_BODY;
  if (props.maxBodySize !== undefined && props.maxBodySize !== "") {
    maxBodySize = Number(props.maxBodySize);
    if (!Number.isInteger(maxBodySize) || maxBodySize <= 0) {
      throw new Error(`invalid httppush maxBodySize "${props.maxBodySize}": expected bytes > 0`);
    }
  }
  return { path, method, maxBodySize };
}

class HttpPushSource implements Source {
  #s: PushSettings;
  #unregister: (() => Promise<void>) | undefined;

  constructor(s: PushSettings) {
    this.#s = s;
  }

  async open(ctx: SourceContext): Promise<void> {
    const { path, method, maxBodySize } = this.#s;
    this.#unregister = await registerPushEndpoint({
      path,
      method,
      maxBodySize,
      receive: (req) =>
        ctx.emit({
          payload: req.body,
          meta: { method: req.method, path: req.path },
          timestamp: Date.now(),
        }),
    });
    ctx.setConnectionStatus("connected");
  }

  async close(): Promise<void> {
    const u = this.#unregister;
    this.#unregister = undefined;
    await u?.();
  }
}

export const httpPushSource: SourceSpec = {
  type: "httppush",
  payload: "bytes",
  validate(props) {
    settings(props);
  },
  create(props) {
    return new HttpPushSource(settings(props));
  },
};
