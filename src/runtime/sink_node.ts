/**
 * One rule action: `op_<type>_<i>_0_transform` (sendSingle splitting, fields, dataField),
 * `op_<type>_<i>_1_encode` (format; byte sinks only) and `sink_<type>_<i>`, the connector with
 * its bounded queue. Transform and encode run synchronously in the scheduler's turn; sending is
 * asynchronous and sequential, so results leave in order. When the queue reaches its bound the
 * rule stops being pulled until the queue drains: backpressure, not unbounded buffering.
 */
import type { Sink, SinkItem, SinkSpec } from "../io/types.ts";
import type { Format } from "../formats/mod.ts";
import { errorMessage } from "../errors.ts";
import type { Logger } from "../log.ts";
import { NodeMetrics } from "./metrics.ts";
import type { Row } from "./tuple.ts";

export interface SinkNodeOptions {
  ruleId: string;
  type: string;
  index: number;
  spec: SinkSpec;
  props: Record<string, unknown>;
  format: Format;
  bufferLength: number;
  logger: Logger;
  /** Called when the queue drops below its bound, so the rule can be pulled again. */
  onDrain: () => void;
}

export class SinkNode {
  readonly transformMetrics: NodeMetrics;
  readonly encodeMetrics: NodeMetrics | undefined;
  readonly metrics: NodeMetrics;
  private readonly sink: Sink;
  private readonly queue: SinkItem[] = [];
  private head = 0;
  private sending = false;
  private connected: Promise<void> | undefined;
  private closed = false;
  private readonly sendSingle: boolean;
  private readonly fields: string[] | undefined;
  private readonly dataField: string | undefined;
  private readonly omitIfEmpty: boolean;
  private readonly capacity: number;

  constructor(private readonly o: SinkNodeOptions) {
    const base = `${o.type}_${o.index}`;
    this.transformMetrics = new NodeMetrics(`op_${base}_0_transform`);
    this.encodeMetrics = o.spec.payload === "bytes"
      ? new NodeMetrics(`op_${base}_1_encode`)
      : undefined;
    this.metrics = new NodeMetrics(`sink_${base}`, () => this.length);
    this.sink = o.spec.create(o.props);
    this.sendSingle = o.props.sendSingle === true;
    this.fields = Array.isArray(o.props.fields) ? o.props.fields as string[] : undefined;
    this.dataField = typeof o.props.dataField === "string" ? o.props.dataField : undefined;
    this.omitIfEmpty = o.props.omitIfEmpty === true;
    this.capacity = typeof o.props.bufferLength === "number"
      ? o.props.bufferLength
      : o.bufferLength;
  }

  get name(): string {
    return this.metrics.name;
  }

  get length(): number {
    return this.queue.length - this.head;
  }

  isFull(): boolean {
    return this.length >= this.capacity;
  }

  open(): void {
    const m = this.metrics;
    this.connected = this.sink.connect({
      ruleId: this.o.ruleId,
      name: `${this.o.type}_${this.o.index}`,
      logger: this.o.logger,
      setConnectionStatus: (s, msg) => {
        m.connectionStatus = s === "connected" ? 1 : s === "connecting" ? 0 : -1;
        if (msg) m.connectionMessage = msg;
      },
    }).catch((e) => {
      m.error(`connect failed: ${errorMessage(e)}`);
      this.o.logger.error(`sink ${this.name} failed to connect: ${errorMessage(e)}`);
    });
  }

  /** Takes the rows of one emission through transform and encode into the queue. */
  collect(rows: Row[], now: number): void {
    const t = this.transformMetrics;
    t.recordsIn++;
    t.processed++;
    t.lastInvocation = now;
    if (rows.length === 0 && this.omitIfEmpty) return;
    const items: (Row | Row[])[] = this.sendSingle ? rows.map((r) => this.shape(r)) : [
      rows.map((r) => this.shape(r)),
    ];
    t.recordsOut += items.length;
    for (const data of items) this.enqueue(data, now);
    this.pump();
  }

  /** Enqueues an error emission (`sendError`): `{"error": message}`. */
  collectError(message: string, now: number): void {
    this.enqueue(this.sendSingle ? { error: message } : [{ error: message }], now);
    this.pump();
  }

  private shape(row: Row): Row {
    let r = row;
    if (this.dataField !== undefined) {
      const v = r[this.dataField];
      r = v !== null && typeof v === "object" && !Array.isArray(v) ? v as Row : {};
    }
    if (this.fields) {
      const picked: Row = {};
      for (const f of this.fields) if (f in r) picked[f] = r[f];
      r = picked;
    }
    return r;
  }

  private enqueue(data: Row | Row[], now: number): void {
    const item: SinkItem = { data };
    const e = this.encodeMetrics;
    if (e) {
      e.recordsIn++;
      e.processed++;
      e.lastInvocation = now;
      try {
        item.payload = this.o.format.encode(data);
        e.recordsOut++;
      } catch (err) {
        e.error(errorMessage(err), now);
        return;
      }
    }
    this.queue.push(item);
    this.metrics.recordsIn++;
  }

  private async pump(): Promise<void> {
    if (this.sending || this.closed) return;
    this.sending = true;
    try {
      await this.connected;
      while (this.length > 0 && !this.closed) {
        const item = this.queue[this.head];
        this.queue[this.head++] = undefined as unknown as SinkItem;
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue.splice(0, this.head);
          this.head = 0;
        }
        const m = this.metrics;
        const start = performance.now();
        try {
          await this.sink.collect(item);
          m.recordsOut++;
        } catch (err) {
          m.error(errorMessage(err));
          this.o.logger.warn(`sink ${this.name}: ${errorMessage(err)}`);
        }
        m.processed++;
        m.lastInvocation = Date.now();
        m.latencyUs = Math.round((performance.now() - start) * 1000);
        if (this.length === this.capacity - 1) this.o.onDrain();
      }
    } finally {
      this.sending = false;
    }
    this.o.onDrain();
  }

  /** Waits until the queue is empty or `ms` have passed. */
  async drain(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    this.head = 0;
    try {
      await this.sink.close();
    } catch (e) {
      this.o.logger.warn(`sink ${this.name} close: ${errorMessage(e)}`);
    }
  }
}
