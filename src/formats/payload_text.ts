/**
 * A payload's text, decoded once per read chunk.
 *
 * An MQTT socket read carries hundreds of small PUBLISH packets; decoding each payload costs a
 * call into the runtime and a copy (about 0.15 us of a 70-byte JSON message). For a payload
 * inside a read chunk (`RawMessage.chunk`), the whole chunk is decoded on its first payload
 * and the others are cut from that text. Offsets in bytes are offsets in characters only for
 * ASCII, so a chunk holding any other byte falls back to decoding each payload alone.
 *
 * The last chunk and its text are kept (one read, at most the reader's chunk), keyed by the
 * chunk object: a chunk is never written once read (its payloads lie in it), so the text
 * stays its text.
 *
 * @module
 */
const decoder = new TextDecoder();

let lastChunk: Uint8Array | undefined;
/** The last chunk's text; undefined when it is not all ASCII. */
let lastText: string | undefined;

/** The whole chunk's text, when every byte is ASCII (offsets in bytes are then offsets in
 * characters); undefined otherwise. */
export function chunkText(chunk: Uint8Array): string | undefined {
  if (chunk !== lastChunk) {
    lastChunk = chunk;
    const text = decoder.decode(chunk);
    // Each byte >= 0x80 either shortens the text (a multi-byte sequence) or becomes U+FFFD.
    lastText = text.length === chunk.length && !text.includes("\uFFFD") ? text : undefined;
  }
  return lastText;
}

/** The payload as UTF-8 text (a leading byte-order mark dropped, invalid bytes as U+FFFD). */
export function payloadText(payload: Uint8Array): string {
  return decoder.decode(payload);
}
