/**
 * A delivery failure that may succeed later (peer down, connection lost, timeout): the sink
 * cache (`enableCache`) keeps such results and resends them, as eKuiper does for its IO errors.
 * Any other rejection (bad payload, HTTP 4xx) drops the result and counts an exception.
 *
 * @module
 */
export class SinkIoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SinkIoError";
  }
}

/** True for errors a sink marked as recoverable (by class or by name, for sinks in other
 * modules that cannot import this one). */
export function isRecoverable(e: unknown): boolean {
  return e instanceof SinkIoError || (e instanceof Error && e.name === "SinkIoError");
}
