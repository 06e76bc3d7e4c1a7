/**
 * The HTTP side of the CLI: one request to Weir's REST API, with eKuiper's error envelope
 * (`{"error": code, "message": "..."}`) turned into a {@link RestError} carrying the message.
 *
 * @module
 */

/** A non-2xx answer (or no answer at all) from the REST API. */
export class RestError extends Error {
  override name = "RestError";
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** A successful answer: its status and body text. */
export interface RestReply {
  status: number;
  text: string;
}

/** A client of one Weir server. */
export class RestClient {
  constructor(readonly baseUrl: string) {}

  get(path: string): Promise<RestReply> {
    return this.request("GET", path);
  }

  post(path: string, body?: unknown): Promise<RestReply> {
    return this.request("POST", path, body);
  }

  delete(path: string): Promise<RestReply> {
    return this.request("DELETE", path);
  }

  /** Sends one request; throws {@link RestError} on a connection failure or a non-2xx reply. */
  async request(method: string, path: string, body?: unknown): Promise<RestReply> {
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: body === undefined ? undefined : { "content-type": "application/json" },
        signal: AbortSignal.timeout(60_000),
      });
    } catch (e) {
      const cause = (e as Error).message;
      throw new RestError(`cannot reach Weir at ${this.baseUrl}: ${cause}`, 0);
    }
    const text = await response.text();
    if (response.ok) return { status: response.status, text };
    throw new RestError(errorMessage(text, response.status), response.status);
  }
}

/** The `message` of eKuiper's error envelope, or the raw body when it is not one. */
function errorMessage(body: string, status: number): string {
  try {
    const parsed = JSON.parse(body);
    if (typeof parsed?.message === "string") return parsed.message;
  } catch { /* a plain-text error */ }
  return body.trim() || `HTTP ${status}`;
}

/** Encodes a stream, table or rule name as one URL path segment. */
export function segment(name: string): string {
  return encodeURIComponent(name);
}
