/**
 * Sink helpers shared by the built-in sinks.
 *
 * @module
 */
import type { SinkItem } from "../types.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The item's encoded payload; JSON of the data when the pipeline did not encode it. */
export function payloadBytes(item: SinkItem): Uint8Array {
  return item.payload ?? encoder.encode(JSON.stringify(item.data));
}

/** The item's payload as text (lossy for binary payloads, fine for logs and messages). */
export function payloadText(item: SinkItem): string {
  return item.payload ? decoder.decode(item.payload) : JSON.stringify(item.data);
}
