/**
 * Properties of the websocket source and sink (eKuiper's): an empty `addr` means server mode
 * (Weir serves the endpoint path on its push server address); otherwise client mode connects
 * to `scheme://addr/path` (`scheme` ws or wss, default ws; `addr` may also carry the scheme).
 * The endpoint path is the stream's DATASOURCE or `path`, and must start with `/`.
 *
 * @module
 */

export type WebSocketMode =
  | { mode: "server"; path: string }
  | { mode: "client"; url: string; headers: Record<string, string> };

export function webSocketMode(
  props: Record<string, unknown>,
  what: "source" | "sink",
): WebSocketMode {
  const fail = (m: string): never => {
    throw new Error(`websocket ${what}: ${m}`);
  };
  const ds = typeof props.datasource === "string" ? props.datasource : "";
  const path = ds !== "" ? ds : typeof props.path === "string" ? props.path : "";
  if (!path.startsWith("/")) {
    fail(`the endpoint path ${JSON.stringify(path)} must start with /`);
  }
  const addr = typeof props.addr === "string" ? props.addr.trim() : "";
  if (addr === "") return { mode: "server", path };
  const scheme = String(props.scheme || "ws").toLowerCase();
  if (scheme !== "ws" && scheme !== "wss") {
    fail(`invalid scheme "${props.scheme}": expected ws or wss`);
  }
  const url = /^wss?:\/\//i.test(addr)
    ? addr.replace(/\/+$/, "") + path
    : `${scheme}://${addr}${path}`;
  try {
    new URL(url);
  } catch {
    fail(`invalid addr "${addr}"`);
  }
  const headers: Record<string, string> = {};
  const h = props.requestHeader ?? props.headers;
  if (h !== undefined && h !== null && h !== "") {
    if (typeof h !== "object" || Array.isArray(h)) {
      fail("invalid requestHeader: expected an object");
    }
    for (const [k, v] of Object.entries(h as object)) headers[k] = String(v);
  }
  return { mode: "client", url, headers };
}
