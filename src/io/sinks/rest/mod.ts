/**
 * The `rest` sink: sends each result to an HTTP endpoint with `fetch`.
 *
 * Props, faithful to eKuiper's code: `url` (required); `method` GET | POST | PUT | DELETE,
 * default POST (eKuiper's code: GET; the docs' patch/head are not accepted by eKuiper either); `bodyType` none | json
 * | text | html | xml | javascript | binary | form, default `none` for GET and `json`
 * otherwise; `headers` (object; override the bodyType's content type); `timeout` ms, default
 * 5000, 0 = none; `debugResp` logs each response body. A default sink POSTs the result as
 * JSON.
 *
 * `url` and header values may be templates (`"http://h/{{.id}}"`): the sink node renders them
 * per result into `item.props` (`url`, `headers.<name>`). `retries` (default 0) re-sends a
 * request that failed on the network, timed out or got a 5xx/429, `retryInterval` ms apart
 * (default 1000).
 *
 * Differences: GET with a body is refused at validation (fetch cannot send one; Go's client
 * can); `form` needs one row per message (`sendSingle: true`); `formdata`, OAuth and
 * `insecureSkipVerify` (not portable across runtimes) are not supported.
 *
 * Non-2xx answers reject with `rest sink got status <code>: <body excerpt>`. Network failures
 * and timeouts reject with a {@link SinkIoError}, which `enableCache` keeps for resending (as
 * eKuiper's IO errors); status errors are not cached.
 *
 * @module
 */
import type { Row } from "../../../runtime/tuple.ts";
import type { Sink, SinkContext, SinkItem, SinkSpec } from "../../types.ts";
import { boolProp, intProp, requiredString } from "../props.ts";
import { payloadBytes } from "../payload.ts";
import { SinkIoError } from "../io_error.ts";
import { isTemplated } from "../../template/mod.ts";

const METHODS = new Set(["GET", "POST", "PUT", "DELETE"]);
const CONTENT_TYPES: Record<string, string | undefined> = {
  none: undefined,
  json: "application/json",
  text: "text/plain",
  html: "text/html",
  xml: "application/xml",
  javascript: "application/javascript",
  binary: "application/octet-stream",
  form: "application/x-www-form-urlencoded;param=value",
};
/** How much of a response body is read for error messages and `debugResp`. */
const EXCERPT_BYTES = 512;

interface RestSettings {
  url: string;
  method: string;
  bodyType: string;
  headers: Record<string, string>;
  timeout: number;
  debugResp: boolean;
  retries: number;
  retryInterval: number;
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`invalid rest sink url "${url}"`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new Error(`invalid rest sink url "${url}": expected http:// or https://`);
  }
}

function settings(props: Record<string, unknown>): RestSettings {
  const url = requiredString(props, "url", "rest");
  // A templated url is checked per result, once rendered.
  if (!isTemplated(url)) checkUrl(url);
  // eKuiper's code defaults to GET, which sends no data at all; Weir defaults to POST so that a
  // sink with only a `url` delivers its results (README: deliberate differences).
  const method = props.method === undefined || props.method === ""
    ? "POST"
    : String(props.method).toUpperCase();
  if (!METHODS.has(method)) {
    throw new Error(
      `invalid rest sink method "${props.method}": expected GET, POST, PUT or DELETE`,
    );
  }
  const bodyType = props.bodyType === undefined || props.bodyType === ""
    ? (method === "GET" ? "none" : "json")
    : String(props.bodyType).toLowerCase();
  if (!(bodyType in CONTENT_TYPES)) {
    throw new Error(
      `invalid or unsupported rest sink bodyType "${props.bodyType}": expected ${
        Object.keys(CONTENT_TYPES).join(", ")
      }`,
    );
  }
  if (method === "GET" && bodyType !== "none") {
    throw new Error(`rest sink method GET cannot send a body: use bodyType none or another method`);
  }
  const headers: Record<string, string> = {};
  if (props.headers !== undefined && props.headers !== null && props.headers !== "") {
    if (typeof props.headers !== "object" || Array.isArray(props.headers)) {
      throw new Error("invalid rest sink headers: expected an object of header: value");
    }
    for (const [k, v] of Object.entries(props.headers)) headers[k] = String(v);
  }
  return {
    url,
    method,
    bodyType,
    headers,
    timeout: intProp(props, "timeout", 5000),
    debugResp: boolProp(props, "debugResp", false),
    retries: intProp(props, "retries", 0),
    retryInterval: intProp(props, "retryInterval", 1000),
  };
}

function formBody(data: Row | Row[]): string {
  if (Array.isArray(data)) {
    throw new Error("rest sink bodyType form needs one row per message (sendSingle: true)");
  }
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(data)) {
    form.append(k, typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));
  }
  return form.toString();
}

/** Reads at most EXCERPT_BYTES of the body, then drops the rest. */
async function excerpt(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  const text = new TextDecoder().decode(all.subarray(0, EXCERPT_BYTES));
  return size > EXCERPT_BYTES ? text + "\u2026" : text;
}

/** A 5xx/429 answer: retried (`retries`), but not cached, as eKuiper. */
class RetryableStatus extends Error {}

class RestSink implements Sink {
  #s: RestSettings;
  #ctx: SinkContext | undefined;
  /** Aborted on close, so that no request outlives the rule. */
  #closing = new AbortController();

  constructor(s: RestSettings) {
    this.#s = s;
  }

  connect(ctx: SinkContext): Promise<void> {
    this.#ctx = ctx;
    // HTTP is connectionless here: there is nothing to check until the first request.
    ctx.setConnectionStatus("connected");
    return Promise.resolve();
  }

  async collect(item: SinkItem): Promise<void> {
    const { retries, retryInterval } = this.#s;
    for (let attempt = 0;; attempt++) {
      try {
        return await this.#send(item);
      } catch (e) {
        if (attempt >= retries || !(e instanceof SinkIoError || e instanceof RetryableStatus)) {
          throw e;
        }
        this.#ctx?.logger.debug(
          `rest sink retry ${attempt + 1}/${retries}: ${(e as Error).message}`,
        );
        await new Promise((r) => setTimeout(r, retryInterval));
        if (this.#closing.signal.aborted) throw e;
      }
    }
  }

  async #send(item: SinkItem): Promise<void> {
    const { method, bodyType, timeout } = this.#s;
    const dyn = item.props;
    const url = dyn?.url ?? this.#s.url;
    if (dyn?.url !== undefined) checkUrl(url);
    const headers = new Headers();
    const contentType = CONTENT_TYPES[bodyType];
    if (contentType) headers.set("content-type", contentType);
    for (const [k, v] of Object.entries(this.#s.headers)) {
      headers.set(k, dyn?.[`headers.${k}`] ?? v);
    }
    const body = bodyType === "none"
      ? undefined
      : bodyType === "form"
      ? formBody(item.data)
      : payloadBytes(item) as Uint8Array<ArrayBuffer>; // never a SharedArrayBuffer view

    // Our own timer rather than AbortSignal.timeout: it is cleared when the request ends, so
    // no timer outlives a request (and close() can abort in-flight requests too).
    const ac = new AbortController();
    const onClose = () => ac.abort(new Error("rest sink closed"));
    this.#closing.signal.addEventListener("abort", onClose);
    let timedOut = false;
    const timer = timeout > 0
      ? setTimeout(() => {
        timedOut = true;
        ac.abort();
      }, timeout)
      : undefined;
    try {
      let res: Response;
      try {
        res = await fetch(url, { method, headers, body, signal: ac.signal });
      } catch (e) {
        if (timedOut) {
          throw new SinkIoError(`rest sink request to ${url} timed out after ${timeout} ms`);
        }
        if (this.#closing.signal.aborted) throw new SinkIoError("rest sink closed");
        throw new SinkIoError(`rest sink cannot send to ${url}: ${(e as Error).message}`);
      }
      if (res.status < 200 || res.status > 299) {
        const text = await excerpt(res).catch(() => "");
        const message = `rest sink got status ${res.status}: ${text}`;
        throw res.status >= 500 || res.status === 429
          ? new RetryableStatus(message)
          : new Error(message);
      }
      if (this.#s.debugResp) {
        const text = await excerpt(res).catch((e) => `(unreadable: ${(e as Error).message})`);
        this.#ctx?.logger.info(`rest sink response ${res.status}: ${text}`);
      } else {
        await res.body?.cancel();
      }
    } finally {
      clearTimeout(timer);
      this.#closing.signal.removeEventListener("abort", onClose);
    }
  }

  close(): Promise<void> {
    this.#closing.abort();
    return Promise.resolve();
  }
}

export const restSink: SinkSpec = {
  type: "rest",
  payload: "bytes",
  validate(props) {
    settings(props);
  },
  create: (props) => new RestSink(settings(props)),
};
