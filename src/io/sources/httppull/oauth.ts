/**
 * eKuiper's OAuth-style token flow for httppull: POST `access.body` to `access.url` once, keep
 * the JSON answer as the tokens (header templates such as `{{.token}}` read them), and after
 * `access.expire` seconds POST to `refresh.url` (headers and body templated from the tokens)
 * and merge its answer over the tokens.
 *
 * @module
 */
import type { OAuthSettings } from "./settings.ts";
import { renderTemplate } from "./template.ts";

export type Tokens = Record<string, unknown>;

async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeout: number,
): Promise<Tokens> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: body === "" ? undefined : body,
    signal: timeout > 0 ? AbortSignal.timeout(timeout) : undefined,
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`token request to ${url} got status ${res.status}: ${text.slice(0, 200)}`);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error(`token response of ${url} is not JSON`);
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw new Error(`token response of ${url} is not a JSON object`);
  }
  return v as Tokens;
}

export class OAuthTokens {
  #tokens: Tokens | undefined;
  #fetchedAt = 0;

  constructor(private readonly o: OAuthSettings, private readonly timeout: number) {}

  /** The current tokens: fetched on first use, refreshed once expired. */
  async current(): Promise<Tokens> {
    if (!this.#tokens) {
      this.#tokens = await postJson(this.o.access.url, this.o.access.body, {}, this.timeout);
      this.#fetchedAt = Date.now();
      return this.#tokens;
    }
    const expire = Number(renderTemplate(this.o.access.expire, this.#tokens) || 0);
    if (expire > 0 && Date.now() - this.#fetchedAt >= expire * 1000) {
      const r = this.o.refresh;
      if (r) {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(r.headers)) {
          headers[k] = renderTemplate(v, this.#tokens);
        }
        const fresh = await postJson(
          renderTemplate(r.url, this.#tokens),
          renderTemplate(r.body, this.#tokens),
          headers,
          this.timeout,
        );
        this.#tokens = { ...this.#tokens, ...fresh };
      } else {
        this.#tokens = await postJson(this.o.access.url, this.o.access.body, {}, this.timeout);
      }
      this.#fetchedAt = Date.now();
    }
    return this.#tokens;
  }
}
