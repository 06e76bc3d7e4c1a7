/**
 * The `httppull` source: requests `url` + DATASOURCE every `interval` (first at open) and emits
 * the response body, decoded by the stream FORMAT (a JSON array gives one row per element).
 *
 * Props (eKuiper's): `url`, `method` (GET default; POST, PUT, DELETE), `headers`, `body`,
 * `bodyType` (none, json, text, html, xml, javascript, form), `interval` (poll period, default
 * 10 s), `timeout` (default 5 s, 0 = none), `incremental` (emit only a body that differs from
 * the previous one), `responseType` (`code`: a non-2xx status is an error; `body`: the JSON
 * body's `code` field must be 2xx as well), `oAuth` (`access` {url, body, expire},
 * `refresh` {url, headers, body}). `url`, `body` and `headers` may use `{{.PullTime}}` and
 * `{{.LastPullTime}}` (epoch ms), headers also the OAuth token fields (`{{.token}}`).
 *
 * A failed poll (unreachable, timeout, bad status) is counted in the source's exceptions and
 * sets its connection status; polling goes on. Polls never overlap. Meta: `status`, `url`.
 *
 * Differences: TLS options (`insecureSkipVerify`, certificates) are not supported; a GET sends
 * no body.
 *
 * @module
 */
import type { Source, SourceContext, SourceSpec } from "../../types.ts";
import { errorMessage } from "../../../errors.ts";
import { BODY_CONTENT_TYPES, type HttpPullSettings, httpPullSettings } from "./settings.ts";
import { renderTemplate } from "./template.ts";
import { OAuthTokens } from "./oauth.ts";

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** responseType body: the JSON body's `code` field must say success. */
function checkBodyCode(body: Uint8Array): void {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new Error("responseType body needs a JSON response body");
  }
  const code = (v as Record<string, unknown> | null)?.code;
  if (code === undefined) throw new Error("responseType body: the response has no code field");
  const n = Number(code);
  if (!(n >= 200 && n <= 299)) throw new Error(`response body code ${JSON.stringify(code)}`);
}

class HttpPullSource implements Source {
  #s: HttpPullSettings;
  #tokens: OAuthTokens | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closing = new AbortController();
  #polling: Promise<void> | undefined;
  #last: Uint8Array | undefined;
  #lastPullTime = 0;
  #failing = false;

  constructor(s: HttpPullSettings) {
    this.#s = s;
    if (s.oAuth) this.#tokens = new OAuthTokens(s.oAuth, s.timeout);
  }

  open(ctx: SourceContext): Promise<void> {
    ctx.setConnectionStatus("connecting");
    this.#schedule(ctx, 0);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.#closing.abort();
    clearTimeout(this.#timer);
    await this.#polling;
  }

  #schedule(ctx: SourceContext, delay: number): void {
    if (this.#closing.signal.aborted) return;
    this.#timer = setTimeout(() => {
      const started = Date.now();
      this.#polling = this.#poll(ctx).finally(() => {
        this.#polling = undefined;
        this.#schedule(ctx, Math.max(0, this.#s.interval - (Date.now() - started)));
      });
    }, delay);
  }

  async #poll(ctx: SourceContext): Promise<void> {
    const s = this.#s;
    const pullTime = Date.now();
    // The first poll covers the interval before it, as eKuiper's.
    if (this.#lastPullTime === 0) this.#lastPullTime = pullTime - s.interval;
    let url = s.url;
    try {
      const vars: Record<string, unknown> = {
        PullTime: pullTime,
        LastPullTime: this.#lastPullTime,
      };
      const tokens = this.#tokens ? await this.#tokens.current() : undefined;
      url = renderTemplate(s.url, vars);
      const headers = new Headers();
      const contentType = BODY_CONTENT_TYPES[s.bodyType];
      if (contentType) headers.set("content-type", contentType);
      const headerVars = tokens ? { ...tokens, ...vars } : vars;
      for (const [k, v] of Object.entries(s.headers)) headers.set(k, renderTemplate(v, headerVars));
      const body = s.bodyType === "none" ? undefined : renderTemplate(s.body, vars);
      const signals = [this.#closing.signal];
      if (s.timeout > 0) signals.push(AbortSignal.timeout(s.timeout));
      let res: Response;
      try {
        res = await fetch(url, {
          method: s.method,
          headers,
          body,
          signal: AbortSignal.any(signals),
        });
      } catch (e) {
        if (this.#closing.signal.aborted) return;
        if ((e as Error).name === "TimeoutError") {
          throw new Error(`request timed out after ${s.timeout} ms`);
        }
        throw e;
      }
      const payload = new Uint8Array(await res.arrayBuffer());
      if (res.status < 200 || res.status > 299) {
        const excerpt = new TextDecoder().decode(payload.subarray(0, 200));
        throw new Error(`got status ${res.status}: ${excerpt}`);
      }
      if (s.responseType === "body") checkBodyCode(payload);
      ctx.setConnectionStatus("connected");
      if (this.#failing) ctx.logger.info(`httppull ${url} answers again`);
      this.#failing = false;
      this.#lastPullTime = pullTime;
      if (s.incremental) {
        if (sameBytes(this.#last, payload)) return;
        this.#last = payload;
      }
      ctx.emit({ payload, meta: { url, status: res.status }, timestamp: pullTime });
    } catch (e) {
      if (this.#closing.signal.aborted) return;
      const msg = `httppull ${s.method} ${url}: ${errorMessage(e)}`;
      ctx.setConnectionStatus("disconnected", msg);
      ctx.reportError(msg);
      // Logged when polls start failing, not on every failed poll: the metrics count them all.
      if (!this.#failing) ctx.logger.warn(msg);
      this.#failing = true;
    }
  }
}

export const httpPullSource: SourceSpec = {
  type: "httppull",
  payload: "bytes",
  pull: true,
  validate(props) {
    httpPullSettings(props);
  },
  create(props) {
    return new HttpPullSource(httpPullSettings(props));
  },
};
