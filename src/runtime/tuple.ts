/**
 * The unit of data flowing between operators.
 *
 * A Tuple is one decoded message of one stream: its fields (`message`), the source's metadata
 * (`meta`: MQTT topic, qos, messageId, …) and its timestamp (processing time, or event time when
 * the rule uses it). Operators work on arrays of tuples (batches) and never await.
 *
 * @module
 */

/** A decoded row: field name → value. Values are JSON values plus Uint8Array for bytea. */
export type Row = Record<string, unknown>;

export interface Tuple {
  /** Name of the stream (or alias) the tuple came from. */
  emitter: string;
  message: Row;
  meta: Row | undefined;
  /** Epoch milliseconds. */
  timestamp: number;
}

export function newTuple(
  emitter: string,
  message: Row,
  meta: Row | undefined,
  timestamp: number,
): Tuple {
  return { emitter, message, meta, timestamp };
}
