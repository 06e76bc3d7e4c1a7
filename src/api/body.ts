/** Request bodies, read with a size bound: a huge body is refused, never buffered whole. */
import { BadRequestError } from "../errors.ts";

export class BodyTooLargeError extends BadRequestError {
  constructor(limit: number) {
    super(`request body exceeds the limit of ${limit} bytes`);
  }
}

export async function readBodyText(req: Request, limit: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (declared > limit) throw new BodyTooLargeError(limit);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

export async function readJsonBody(req: Request, limit: number): Promise<unknown> {
  const text = await readBodyText(req, limit);
  if (text.trim() === "") throw new BadRequestError("invalid json: the request body is empty");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BadRequestError(`invalid json: ${(e as Error).message}`);
  }
}
