/**
 * A rule's input from one stream: the stream's bounded buffer and its `source_<stream>` metrics.
 * Sources append through `emit` from their I/O callbacks; the rule task drains in batches.
 * When the buffer is full the overflow policy decides: "reject" refuses the message (an HTTP
 * push endpoint answers 503), "dropOldest" drops the oldest one; either way it is counted.
 *
 * With downsampling (`interval` on a push source) a ratelimit step (`op_2_ratelimit`) sits
 * between the source and the buffer: messages are kept, not buffered, and one message per
 * interval tick enters the buffer. Each rule has its own step, so SHARED streams downsample the
 * same way for every rule reading them.
 */
import type { RawMessage } from "../io/types.ts";
import { BoundedQueue } from "./bounded_queue.ts";
import { NodeMetrics } from "./metrics.ts";
import { RateLimitOp } from "./operators/ratelimit.ts";
import type { Downsample } from "./source_props.ts";
import type { InputGate } from "./shared_fanout.ts";
import { type RoutedSlot, SLOT_BUFFERED } from "./routed_family.ts";

/** How long a paused source waits for this buffer to make room before it is called stalled
 * (its rule is not draining) and left to drop its oldest messages instead. */
export const STALL_MS = 1000;

export class SourceInput {
  readonly buffer: BoundedQueue<RawMessage>;
  readonly metrics: NodeMetrics;
  /** The downsampling step, when the stream asks for one. */
  readonly rateLimit: RateLimitOp | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  /** Paused sources waiting for room, and the timer that gives up on this buffer. */
  private roomWaiters: (() => void)[] = [];
  private stallTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set when its rule did not drain the full buffer in time: a source is not paused for it
   * again until the rule takes messages. */
  stalled = false;
  /** Set on a SHARED stream when its rule's WHERE lets the fan-out skip messages. */
  gate: InputGate | undefined;
  /** The routed-family slot told whether messages wait here. */
  routedSlot: RoutedSlot | undefined;
  #groupSeen: (() => number) | undefined;
  #seenBase = 0;
  #inBase = 0;
  #skippedBefore = 0;

  constructor(
    readonly streamName: string,
    capacity: number,
    private readonly overflow: "reject" | "dropOldest",
    private readonly onData: () => void,
    downsample?: Downsample,
  ) {
    this.buffer = new BoundedQueue(capacity);
    this.metrics = new NodeMetrics(`source_${streamName}`, () => this.buffer.length);
    this.rateLimit = downsample ? new RateLimitOp("op_2_ratelimit", downsample) : undefined;
  }

  /** The source-side nodes in topological order: the source, then the ratelimit step. */
  nodeMetrics(): NodeMetrics[] {
    return this.rateLimit ? [this.metrics, this.rateLimit.metrics] : [this.metrics];
  }

  emit(msg: RawMessage): boolean {
    const rl = this.rateLimit;
    if (rl) {
      const m = this.metrics;
      m.recordsIn++;
      m.recordsOut++;
      m.processed++;
      m.lastInvocation = msg.timestamp;
      if (this.closed) return true;
      // The ticker starts with the first message, so an idle stream costs no timer.
      this.ticker ??= setInterval(() => this.tick(), rl.intervalMs);
      rl.ingest(msg);
      return true;
    }
    this.metrics.recordsIn++;
    this.metrics.lastInvocation = msg.timestamp;
    return this.enqueue(msg, this.metrics);
  }

  /** Messages received: counted in this node, or with its neighbours (`metrics.pass`). */
  #received(): number {
    return this.metrics.recordsIn + (this.metrics.pass?.n ?? 0);
  }

  /** Messages the fan-out skipped for this rule (counted, never buffered). */
  skipped(): number {
    const seen = this.#groupSeen;
    if (!seen) return this.#skippedBefore;
    return this.#skippedBefore + seen() - this.#seenBase - (this.#received() - this.#inBase);
  }

  /** The fan-out's gate group counts the messages it routes from now on (undefined: no more):
   * what this input did not receive of them was skipped. */
  countSkipsFrom(seen: (() => number) | undefined): void {
    this.#skippedBefore = this.skipped();
    this.#groupSeen = seen;
    this.#seenBase = seen ? seen() : 0;
    this.#inBase = this.#received();
  }

  /** Moves up to `max` buffered messages into `out`. */
  take(out: RawMessage[], max: number): number {
    const n = this.buffer.drainInto(out, max);
    if (this.buffer.length === 0) this.routedSlot?.set(SLOT_BUFFERED, false);
    if (!this.rateLimit) {
      this.metrics.recordsOut += n;
      this.metrics.processed += n;
    }
    if (n > 0) {
      this.stalled = false;
      // Resume at half: a source let go at the first free slot would pause again at once.
      if (this.roomWaiters.length > 0 && this.buffer.length <= this.buffer.capacity / 2) {
        this.releaseWaiters();
      }
    }
    return n;
  }

  /** Calls `fn` once this buffer is half empty, or after {@link STALL_MS} (then it is
   * stalled), or when the rule stops. */
  whenRoom(fn: () => void): void {
    this.roomWaiters.push(fn);
    this.stallTimer ??= setTimeout(() => {
      this.stallTimer = undefined;
      this.stalled = true;
      this.releaseWaiters();
    }, STALL_MS);
  }

  private releaseWaiters(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    for (const fn of this.roomWaiters.splice(0)) fn();
  }

  /** Ends the interval: the ratelimit step's output enters the buffer. */
  tick(): void {
    const out = this.rateLimit?.flush();
    if (out) this.enqueue(out, this.rateLimit!.metrics);
  }

  /** Stops the interval ticker (the rule stopped). */
  close(): void {
    this.closed = true;
    this.releaseWaiters();
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private enqueue(msg: RawMessage, m: NodeMetrics): boolean {
    if (this.buffer.isFull()) {
      if (this.overflow === "reject") {
        m.error("buffer full, message refused");
        return false;
      }
      this.buffer.shift();
      m.error("buffer full, drop oldest message");
    }
    this.buffer.push(msg);
    if (this.buffer.length === 1) {
      this.routedSlot?.set(SLOT_BUFFERED, true);
      this.onData();
    }
    return true;
  }
}
