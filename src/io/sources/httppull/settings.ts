/**
 * The httppull source's properties (eKuiper's `etc/sources/httppull.yaml`), checked once with
 * user-facing errors.
 *
 * @module
 */
import { parseDuration } from "../../../util/duration.ts";
import type { SourceProps } from "../../types.ts";
import { boolProp } from "../../sinks/props.ts";

const METHODS = new Set(["GET", "POST", "PUT", "DELETE"]);
export const BODY_CONTENT_TYPES: Record<string, string | undefined> = {
  none: undefined,
  json: "application/json",
  text: "text/plain",
  html: "text/html",
  xml: "application/xml",
  javascript: "application/javascript",
  form: "application/x-www-form-urlencoded",
};

export interface OAuthSettings {
  access: { url: string; body: string; expire: string };
  refresh?: { url: string; headers: Record<string, string>; body: string };
}

export interface HttpPullSettings {
  /** `url` + the stream's DATASOURCE; may hold `{{.PullTime}}`/`{{.LastPullTime}}`. */
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  bodyType: string;
  /** Poll period, ms. */
  interval: number;
  /** Request timeout, ms; 0 = none. */
  timeout: number;
  incremental: boolean;
  responseType: "code" | "body";
  oAuth: OAuthSettings | undefined;
}

function fail(msg: string): never {
  throw new Error(`httppull source: ${msg}`);
}

function duration(v: unknown, name: string, def: number): number {
  if (v === undefined || v === null || v === "") return def;
  try {
    return parseDuration(v, name);
  } catch (e) {
    return fail((e as Error).message);
  }
}

function stringMap(v: unknown, name: string): Record<string, string> {
  if (v === undefined || v === null || v === "") return {};
  if (typeof v !== "object" || Array.isArray(v)) {
    return fail(`invalid ${name}: expected an object of name: value`);
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
}

function text(v: unknown): string {
  if (v === undefined || v === null) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

function checkUrl(url: string, what: string): void {
  let parsed: URL;
  try {
    // Templates are resolved per request; check the rest of the URL now.
    parsed = new URL(url.replace(/\{\{[^}]*\}\}/g, "0"));
  } catch {
    return fail(`invalid ${what} "${url}"`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    fail(`invalid ${what} "${url}": expected http:// or https://`);
  }
}

function oAuthOf(v: unknown): OAuthSettings | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "object" || Array.isArray(v)) return fail("invalid oAuth: expected an object");
  const o = v as Record<string, unknown>;
  const access = o.access as Record<string, unknown> | undefined;
  if (!access || typeof access !== "object" || typeof access.url !== "string") {
    return fail("oAuth.access.url is required");
  }
  checkUrl(access.url, "oAuth.access.url");
  const out: OAuthSettings = {
    access: { url: access.url, body: text(access.body), expire: text(access.expire ?? "") },
  };
  const refresh = o.refresh as Record<string, unknown> | undefined;
  if (refresh && typeof refresh === "object" && refresh.url) {
    checkUrl(String(refresh.url), "oAuth.refresh.url");
    out.refresh = {
      url: String(refresh.url),
      headers: stringMap(refresh.headers, "oAuth.refresh.headers"),
      body: text(refresh.body),
    };
  }
  return out;
}

export function httpPullSettings(props: SourceProps): HttpPullSettings {
  const base = typeof props.url === "string" && props.url !== "" ? props.url : "http://localhost";
  const url = base + (props.datasource ?? "");
  checkUrl(url, "url");
  const method = String(props.method || "GET").toUpperCase();
  if (!METHODS.has(method)) {
    fail(`invalid method "${props.method}": expected GET, POST, PUT or DELETE`);
  }
  const bodyType = String(props.bodyType || (method === "GET" ? "none" : "json")).toLowerCase();
  if (!(bodyType in BODY_CONTENT_TYPES)) {
    fail(
      `invalid bodyType "${props.bodyType}": expected ${
        Object.keys(BODY_CONTENT_TYPES).join(", ")
      }`,
    );
  }
  // fetch cannot send a body with GET (Go's client can): a GET sends none, whatever `body` says
  // (the shipped confKey default has one).
  const body = text(props.body);
  const responseType = String(props.responseType || "code").toLowerCase();
  if (responseType !== "code" && responseType !== "body") {
    fail(`invalid responseType "${props.responseType}": expected code or body`);
  }
  const interval = duration(props.interval, "interval", 10_000);
  if (interval <= 0) fail("interval must be greater than 0");
  let incremental: boolean;
  try {
    incremental = boolProp(props, "incremental", false);
  } catch (e) {
    return fail((e as Error).message);
  }
  return {
    url,
    method,
    headers: stringMap(props.headers, "headers"),
    body: method === "GET" ? "" : body,
    bodyType: method === "GET" ? "none" : bodyType,
    interval,
    timeout: duration(props.timeout, "timeout", 5000),
    incremental,
    responseType: responseType as "code" | "body",
    oAuth: oAuthOf(props.oAuth ?? props.oauth),
  };
}
