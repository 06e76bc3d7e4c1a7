/**
 * A raw message that lies in a socket read chunk with others (MQTT): it keeps the chunk and
 * the payload's offsets, and makes the payload's view only when something asks for `payload`.
 * The JSON decoder never does (it reads the chunk's text), which saves a typed array per
 * message, the costliest object on the receive path (bench/RESULTS.md).
 *
 * @module
 */
import type { Row } from "../runtime/tuple.ts";
import type { RawMessage } from "./types.ts";

export class ChunkMessage implements RawMessage {
  row?: Row;
  decoded?: RawMessage["decoded"];

  constructor(
    readonly chunk: Uint8Array,
    readonly start: number,
    readonly end: number,
    readonly meta: Row,
    readonly timestamp: number,
  ) {}

  get payload(): Uint8Array {
    return this.chunk.subarray(this.start, this.end);
  }
}
