/**
 * Reads a request body with a size bound: never buffers more than `limit` bytes, whatever the
 * client sends or claims.
 *
 * @module
 */

import { concat } from "../../../util/bytes.ts";

/** The body, or null when it is larger than `limit` bytes (the rest is not read). */
export async function readBoundedBody(req: Request, limit: number): Promise<Uint8Array | null> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    await req.body?.cancel().catch(() => {});
    return null;
  }
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return chunks.length === 1 ? chunks[0] : concat(chunks, size);
}
