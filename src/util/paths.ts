/** Path helpers over node:path and node:url, the same under Deno and Bun. */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

export { dirname };

export function fromFileUrl(url: string): string {
  return fileURLToPath(url);
}
