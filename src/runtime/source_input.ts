/**
 * A rule's input from one stream: the stream's bounded buffer and its `source_<stream>` metrics.
 * Sources append through `emit` from their I/O callbacks; the rule task drains in batches.
 * When the buffer is full the overflow policy decides: "reject" refuses the message (an HTTP
 * push endpoint answers 503), "dropOldest" drops the oldest one; either way it is counted.
 */
import type { RawMessage } from "../io/types.ts";
import { BoundedQueue } from "./bounded_queue.ts";
import { NodeMetrics } from "./metrics.ts";

export class SourceInput {
  readonly buffer: BoundedQueue<RawMessage>;
  readonly metrics: NodeMetrics;

  constructor(
    readonly streamName: string,
    capacity: number,
    private readonly overflow: "reject" | "dropOldest",
    private readonly onData: () => void,
  ) {
    this.buffer = new BoundedQueue(capacity);
    this.metrics = new NodeMetrics(`source_${streamName}`, () => this.buffer.length);
  }

  emit(msg: RawMessage): boolean {
    const m = this.metrics;
    m.recordsIn++;
    m.lastInvocation = msg.timestamp;
    if (this.buffer.isFull()) {
      if (this.overflow === "reject") {
        m.error("buffer full, message refused");
        return false;
      }
      this.buffer.shift();
      m.error("buffer full, drop oldest message");
    }
    this.buffer.push(msg);
    if (this.buffer.length === 1) this.onData();
    return true;
  }

  /** Moves up to `max` buffered messages into `out`. */
  take(out: RawMessage[], max: number): number {
    const n = this.buffer.drainInto(out, max);
    this.metrics.recordsOut += n;
    this.metrics.processed += n;
    return n;
  }
}
