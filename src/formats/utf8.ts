/**
 * UTF-8 encoding of encoded results, without a new typed array each.
 *
 * Allocating a typed array is expensive in V8 (~0.4 µs for 50 bytes, measured under Deno
 * 2.9: `src/formats/utf8_bench.ts`), more than the JSON.stringify it follows. Results are
 * therefore written one after another into a shared block and handed out as views (~30 ns);
 * a full block is replaced, never reused, so a view stays valid as long as it is held.
 * ASCII text, nearly every JSON result, is copied in a plain loop; other text goes through
 * `TextEncoder.encodeInto`.
 *
 * @module
 */

const BLOCK = 64 * 1024;
/** Longer text gets an array of its own (and does not waste a block). */
const MAX_SHARED = 4 * 1024;

const encoder = new TextEncoder();
let block = new Uint8Array(BLOCK);
let pos = 0;

/** The UTF-8 bytes of `text`; do not write to them. */
export function utf8(text: string): Uint8Array {
  const n = text.length;
  if (n > MAX_SHARED) return encoder.encode(text);
  // At most 3 bytes per UTF-16 unit.
  if (pos + 3 * n > BLOCK) {
    block = new Uint8Array(BLOCK);
    pos = 0;
  }
  const b = block, start = pos;
  let i = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) break;
    b[start + i] = c;
  }
  if (i < n) {
    pos = start + encoder.encodeInto(text, b.subarray(start)).written;
  } else {
    pos = start + n;
  }
  return b.subarray(start, pos);
}
