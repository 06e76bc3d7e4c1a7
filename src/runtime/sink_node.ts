/**
 * One rule action, eKuiper's sink sub-pipeline: `[batch] -> transform -> [encode] -> [cache] ->
 * sink`, with operators named `op_<type>_<i>_<k>_batch|transform|encode|cache` and the connector
 * `sink_<type>_<i>`.
 *
 * - batch (`batchSize`, `lingerInterval`): rows of several emissions become one emission.
 * - transform: `sendSingle` splitting, `dataTemplate`, `dataField`, `fields`, dynamic props.
 * - encode: the action's `format`, byte sinks only.
 * - queue: bounded (`bufferLength`); when full the rule stops being pulled until it drains
 *   (backpressure, not unbounded buffering).
 * - cache (`enableCache`): a result whose delivery fails with a recoverable error is kept, and
 *   so is every later result, so that order holds; the oldest is retried until the peer is back
 *   (on the sink's "connected" status, or every second), then all are resent in order,
 *   `resendInterval` ms apart. Cached results spill to SQLite and survive a rule restart.
 *
 * Transform and encode run synchronously in the scheduler's turn; sending is asynchronous and
 * sequential, so results leave in order.
 *
 * @module
 */
import type { Sink, SinkItem, SinkSpec } from "../io/types.ts";
import type { Format } from "../formats/mod.ts";
import type { SqliteDatabase } from "../platform/mod.ts";
import { isRecoverable } from "../io/sinks/io_error.ts";
import { errorMessage } from "../errors.ts";
import type { Logger } from "../log.ts";
import { NodeMetrics, PassCount } from "./metrics.ts";
import type { Row } from "./tuple.ts";
import { parseSinkProps, type SinkCommonProps } from "./sink_props.ts";
import { buildSinkTransform, type SinkTransform } from "./sink_transform.ts";
import { SinkBatcher } from "./sink_batcher.ts";
import { SinkCache } from "./sink_cache.ts";
import { LATENCY_SAMPLE_MS, stepEnd, stepStart } from "./timed_step.ts";
import { sinkCacheDb } from "./sink_cache_store.ts";
import type { RoutedSlot } from "./routed_family.ts";

/** How often a failed result is retried while the sink reports no reconnection. */
const RETRY_MS = 1000;
/** How long close() waits for an in-flight delivery before persisting the cache. */
const CLOSE_WAIT_MS = 5000;

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
  /** The cache database; default the shared `data/cache.db`. */
  cacheDb?: () => Promise<SqliteDatabase>;
}

/** A sink's synchronous way for one result: transform, encode, and the connector's `trySend`. */
export interface DirectSend {
  transform: SinkTransform;
  sendSingle: boolean;
  /** Byte sinks' format; undefined for row sinks. */
  format: Format | undefined;
  send: (item: SinkItem) => boolean;
}

/** Sends `row` the direct way: true when the connector took it, counted in `pass`; false when
 * it did not or a step failed (the counted way then does it again and reports the failure). */
export function sendDirect(d: DirectSend, row: Row, pass: PassCount, now: number): boolean {
  try {
    const item = d.transform(d.sendSingle ? row : [row]);
    if (d.format !== undefined) item.payload ??= d.format.encode(item.data);
    if (!d.send(item)) return false;
  } catch {
    return false;
  }
  pass.n++;
  pass.at = now;
  return true;
}

/** A stable text of props: equal for equal props whatever their keys' order. */
function propsKey(v: unknown): string {
  return JSON.stringify(
    v,
    (_k, x) =>
      x && typeof x === "object" && !Array.isArray(x)
        ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : x,
  );
}

export class SinkNode {
  readonly batchMetrics: NodeMetrics | undefined;
  readonly transformMetrics: NodeMetrics;
  readonly encodeMetrics: NodeMetrics | undefined;
  readonly cacheMetrics: NodeMetrics | undefined;
  readonly metrics: NodeMetrics;
  private readonly sink: Sink;
  private readonly p: SinkCommonProps;
  private readonly transform: SinkTransform;
  private readonly batcher: SinkBatcher | undefined;
  private readonly queue: SinkItem[] = [];
  private head = 0;
  private pumping: Promise<void> | undefined;
  private connected: Promise<void> | undefined;
  private closed = false;
  private readonly capacity: number;
  private cache: SinkCache | undefined;
  private cacheReady: Promise<void> | undefined;
  /** Set after a recoverable failure until a delivery succeeds: results go to the cache. */
  private blocked = false;
  /** Ends the delivery loop's current pause. */
  private wake: (() => void) | undefined;
  private retrying = false;
  /** Set once connected (or failed to) and the cache, if any, is open. */
  private ready = false;
  /** Results may leave at once, without the queue: no batching, no cache, a `trySend`. */
  readonly direct: DirectSend | undefined;
  /** The routed-family slot whose bit says whether this sink can take a result at once. */
  #slot: RoutedSlot | undefined;
  #slotBit = 0;

  constructor(private readonly o: SinkNodeOptions) {
    const base = `${o.type}_${o.index}`;
    this.p = parseSinkProps(o.props);
    let k = 0;
    const batching = this.p.batchSize > 0 || this.p.lingerInterval > 0;
    this.batchMetrics = batching ? new NodeMetrics(`op_${base}_${k++}_batch`) : undefined;
    this.transformMetrics = new NodeMetrics(`op_${base}_${k++}_transform`);
    const bytes = o.spec.payload === "bytes";
    this.encodeMetrics = bytes ? new NodeMetrics(`op_${base}_${k++}_encode`) : undefined;
    this.cacheMetrics = this.p.cache
      ? new NodeMetrics(`op_${base}_${k++}_cache`, () => this.cache?.length ?? 0)
      : undefined;
    this.metrics = new NodeMetrics(`sink_${base}`, () => this.length);
    this.transformMetrics.pass = this.pass;
    if (this.encodeMetrics) this.encodeMetrics.pass = this.pass;
    this.metrics.pass = this.pass;
    this.sink = o.spec.create(o.props);
    this.transform = buildSinkTransform(this.p, o.format, bytes);
    this.batcher = batching
      ? new SinkBatcher(this.p.batchSize, this.p.lingerInterval, (rows) => {
        const m = this.batchMetrics!;
        m.recordsOut++;
        m.processed++;
        const now = Date.now();
        m.lastInvocation = now;
        this.emit(rows, now);
        this.pump(now);
      })
      : undefined;
    this.capacity = this.p.bufferLength ?? o.bufferLength;
    const trySend = this.sink.trySend;
    this.direct = trySend && !batching && !this.p.cache
      ? {
        transform: this.transform,
        sendSingle: this.p.sendSingle,
        format: bytes ? o.format : undefined,
        send: trySend.bind(this.sink),
      }
      : undefined;
  }

  /** Equal for sinks that send alike (`SinkSpec.sharedSend`: the same type and props); undefined
   * when this one sends only its own way. */
  sharedKey(): string | undefined {
    return this.direct && this.o.spec.sharedSend
      ? `${this.o.type}\0${propsKey(this.o.props)}`
      : undefined;
  }

  /** Whether a result may leave at once: connected, open, and nothing waiting before it. */
  #idle(): boolean {
    return this.ready && !this.closed && this.pumping === undefined &&
      this.queue.length === this.head;
  }

  /** Keeps `bit` of `slot` set while this sink cannot take a result at once. */
  watchIdle(slot: RoutedSlot, bit: number): void {
    this.#slot = slot;
    this.#slotBit = bit;
    this.#syncIdle();
  }

  #syncIdle(): void {
    this.#slot?.set(this.#slotBit, !this.#idle());
  }

  get name(): string {
    return this.metrics.name;
  }

  /** The sub-pipeline operators before the sink, in order. */
  get operators(): NodeMetrics[] {
    const ops: NodeMetrics[] = [];
    if (this.batchMetrics) ops.push(this.batchMetrics);
    ops.push(this.transformMetrics);
    if (this.encodeMetrics) ops.push(this.encodeMetrics);
    if (this.cacheMetrics) ops.push(this.cacheMetrics);
    return ops;
  }

  /** Results waiting: queued, cached and batched. */
  get length(): number {
    return this.queue.length - this.head + (this.cache?.length ?? 0) + (this.batcher?.length ?? 0);
  }

  isFull(): boolean {
    return this.queue.length - this.head >= this.capacity;
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
        if (s === "connected" && this.retrying) this.wake?.();
      },
    }).catch((e) => {
      m.error(`connect failed: ${errorMessage(e)}`);
      this.o.logger.error(`sink ${this.name} failed to connect: ${errorMessage(e)}`);
    });
    const cacheProps = this.p.cache;
    if (cacheProps) {
      const key = `${this.o.ruleId}/${this.o.type}_${this.o.index}`;
      this.cacheReady = (this.o.cacheDb ?? sinkCacheDb)().then((db) => {
        const cache = new SinkCache(db, key, cacheProps);
        this.cache = cache;
        if (cache.length > 0) {
          this.o.logger.info(`sink ${this.name}: resending ${cache.length} cached results`);
          // Results queued while the database opened are newer than the cached ones.
          this.moveQueueToCache();
        }
      }).catch((e) => {
        this.o.logger.error(`sink ${this.name}: cache unavailable: ${errorMessage(e)}`);
      });
    }
    this.pump();
  }

  /** Takes the rows of one emission through batch, transform and encode into the queue. */
  collect(rows: Row[], now: number): void {
    if (rows.length === 0 && this.p.omitIfEmpty) return;
    if (this.batcher) {
      const m = this.batchMetrics!;
      m.recordsIn++;
      m.lastInvocation = now;
      this.batcher.add(rows);
      return;
    }
    this.emit(rows, now);
    this.pump(now);
  }

  /** Rows that are each their own emission (a rule without a window emits per row), with one
   * clock reading for all of them. */
  collectEach(rows: Row[], now: number): void {
    if (this.batcher || rows.length === 0) {
      for (const r of rows) this.collect([r], now);
      return;
    }
    const t = this.transformMetrics;
    const start = stepStart(t, now);
    // One row (a routed rule's run of one message): its array is the emission already.
    if (rows.length === 1) this.transformRows(rows, now);
    else for (const r of rows) this.transformRows([r], now);
    stepEnd(t, start, rows.length);
    this.pump(now);
  }

  /** Results sent at once (`collectRow`, a routed family): transform, encode and sink count
   * them together. */
  readonly pass = new PassCount();
  /** Until when (epoch ms) `collectRow` may leave the nodes' own bookkeeping out: past it, one
   * result goes the counted, timed way, so latency stays sampled. */
  private untimedUntil = 0;

  /**
   * The one result of a routed rule's run at once (`RuleRuntime.runRouted`). When nothing waits
   * before it and the connector's fast path takes it, it is counted once for transform, encode
   * and sink together (`pass`); otherwise it goes the way of any emission.
   */
  collectRow(row: Row, now: number): void {
    const direct = this.direct;
    const timed = !(now < this.untimedUntil);
    if (timed) this.untimedUntil = now + LATENCY_SAMPLE_MS;
    if (timed || direct === undefined || !this.#idle()) {
      this.collectEach([row], now);
      return;
    }
    // Not taken, or a step failed: again the counted way, which queues it or reports the
    // error where it happened (transform and encode are pure).
    if (!sendDirect(direct, row, this.pass, now)) this.collectEach([row], now);
  }

  /** Enqueues an error emission (`sendError`): `{"error": message}`. */
  collectError(message: string, now: number): void {
    this.emit([{ error: message }], now);
    this.pump(now);
  }

  private emit(rows: Row[], now: number): void {
    const t = this.transformMetrics;
    const start = stepStart(t, now);
    this.transformRows(rows, now);
    stepEnd(t, start);
  }

  /** One emission through transform and encode (latency is the caller's to record). */
  private transformRows(rows: Row[], now: number): void {
    const t = this.transformMetrics;
    t.recordsIn++;
    t.processed++;
    t.lastInvocation = now;
    if (this.p.sendSingle) {
      for (const r of rows) this.transformOne(r, now);
    } else {
      this.transformOne(rows, now);
    }
  }

  private transformOne(data: Row | Row[], now: number): void {
    const t = this.transformMetrics;
    let item: SinkItem;
    try {
      item = this.transform(data);
      t.recordsOut++;
    } catch (err) {
      t.error(errorMessage(err), now);
      return;
    }
    const e = this.encodeMetrics;
    if (e) {
      e.recordsIn++;
      e.processed++;
      e.lastInvocation = now;
      try {
        item.payload ??= this.o.format.encode(item.data);
        e.recordsOut++;
      } catch (err) {
        e.error(errorMessage(err), now);
        return;
      }
    }
    this.enqueue(item, now);
  }

  private enqueue(item: SinkItem, now: number): void {
    this.metrics.recordsIn++;
    const cache = this.cache;
    if (cache && (this.blocked || cache.length > 0)) {
      this.toCache(item);
      return;
    }
    // Nothing waits before it: the sink's fast path may take it at once, without the queue.
    if (this.ready && this.queue.length === this.head && !this.pumping && this.sendOne(item, now)) {
      return;
    }
    this.queue.push(item);
  }

  /** Delivers one result through the sink's fast path, if it takes it now (true). */
  private sendOne(item: SinkItem, now: number): boolean {
    const trySend = this.sink.trySend;
    if (trySend === undefined || this.closed) return false;
    const m = this.metrics;
    const start = stepStart(m, now);
    try {
      if (!trySend.call(this.sink, item)) return false;
    } catch {
      return false; // queued: collect() reports it, through the usual failure path
    }
    m.processed++;
    m.recordsOut++;
    m.lastInvocation = now;
    stepEnd(m, start);
    this.blocked = false;
    return true;
  }

  private toCache(item: SinkItem): void {
    const cache = this.cache!;
    const before = cache.dropped;
    cache.push(item);
    const c = this.cacheMetrics!;
    c.recordsIn++;
    if (cache.dropped > before) {
      c.error(`cache full: dropped ${cache.dropped - before} oldest results`);
    }
  }

  private moveQueueToCache(): void {
    while (this.queue.length > this.head) {
      const item = this.queue[this.head];
      this.queue[this.head++] = undefined as unknown as SinkItem;
      this.toCache(item);
    }
    this.queue.length = 0;
    this.head = 0;
  }

  /** Delivers what it can now (`now`: the caller's clock reading), else starts the loop. */
  private pump(now = Date.now()): void {
    this.#pump(now);
    this.#syncIdle();
  }

  #pump(now: number): void {
    if (this.pumping || this.closed) return;
    // The common case without a promise: connected, no cache, the sink's fast path takes all.
    if (this.ready && !this.cache) {
      this.sendNow(now);
      if (this.queue.length === this.head) return;
    }
    this.pumping = this.run().finally(() => {
      this.pumping = undefined;
      // Results that arrived while the loop was finishing.
      if (!this.closed && this.length - (this.batcher?.length ?? 0) > 0) this.pump();
      else this.#syncIdle();
    });
  }

  /** The delivery loop: the cache first (it holds the oldest results), then the queue. */
  private async run(): Promise<void> {
    await this.connected;
    await this.cacheReady;
    this.ready = true;
    const m = this.metrics;
    while (!this.closed) {
      const cache = this.cache;
      const fromCache = cache !== undefined && cache.length > 0;
      const item = fromCache
        ? cache.peek()
        : this.queue.length > this.head
        ? this.queue[this.head]
        : undefined;
      if (item === undefined) break;
      if (!fromCache && this.sendNow(Date.now())) continue;
      const start = performance.now();
      let failure: unknown;
      try {
        await this.sink.collect(item);
      } catch (err) {
        failure = err;
      }
      m.processed++;
      m.lastInvocation = Date.now();
      m.latencyUs = Math.round((performance.now() - start) * 1000);
      if (failure === undefined) {
        m.recordsOut++;
        this.blocked = false;
        this.remove(fromCache);
        if (fromCache) {
          const c = this.cacheMetrics!;
          c.recordsOut++;
          c.processed++;
          const pause = this.p.cache!.resendInterval;
          if (pause > 0 && cache!.length > 0) await this.sleep(pause);
        }
        continue;
      }
      m.error(errorMessage(failure));
      if (cache && isRecoverable(failure)) {
        if (!this.blocked) {
          this.o.logger.warn(
            `sink ${this.name}: ${errorMessage(failure)}; caching results until it recovers`,
          );
        }
        this.blocked = true;
        if (!fromCache) this.moveQueueToCache();
        this.o.onDrain();
        await this.sleep(RETRY_MS, true);
        continue;
      }
      this.o.logger.warn(`sink ${this.name}: ${errorMessage(failure)}`);
      this.remove(fromCache);
    }
  }

  /**
   * Delivers queued results synchronously while the sink's fast path takes them (an MQTT qos 0
   * publish written with the turn's other packets): no promise and no clock read per result.
   * True when it delivered any; the loop then goes on with what is left.
   */
  private sendNow(now: number): boolean {
    let sent = false;
    while (this.queue.length > this.head && this.sendOne(this.queue[this.head], now)) {
      this.remove(false);
      sent = true;
    }
    return sent;
  }

  private remove(fromCache: boolean): void {
    if (fromCache) {
      this.cache!.shift();
      return;
    }
    this.queue[this.head++] = undefined as unknown as SinkItem;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    } else if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    if (this.queue.length - this.head === this.capacity - 1) this.o.onDrain();
    if (this.queue.length === 0) this.o.onDrain();
  }

  /** Waits `ms`; ends early on close, and a retry wait also when the sink reports "connected". */
  private sleep(ms: number, retry = false): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.retrying = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
      this.retrying = retry;
    });
  }

  /** Waits until nothing is left to send or `ms` have passed; flushes a pending batch first. */
  async drain(ms: number): Promise<void> {
    this.batcher?.emit();
    this.pump();
    const deadline = Date.now() + ms;
    while (this.length > 0 && Date.now() < deadline && !this.blocked) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.#syncIdle();
    this.wake?.();
    const cacheProps = this.p.cache;
    if (cacheProps) {
      this.batcher?.emit();
      this.batcher?.stop();
      // Let an in-flight delivery settle: if it fails it must be cached, not lost.
      const inflight = this.pumping;
      if (inflight) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          inflight.catch(() => {}),
          new Promise((r) => (timer = setTimeout(r, CLOSE_WAIT_MS))),
        ]);
        clearTimeout(timer);
      }
      await this.cacheReady;
      const cache = this.cache;
      if (cache) {
        try {
          if (cacheProps.cleanCacheAtStop) {
            cache.clear();
            this.queue.length = 0;
            this.head = 0;
          } else {
            this.moveQueueToCache();
            cache.persist();
          }
        } catch (e) {
          this.o.logger.error(`sink ${this.name}: cannot persist its cache: ${errorMessage(e)}`);
        }
      }
    } else {
      this.batcher?.stop();
    }
    this.queue.length = 0;
    this.head = 0;
    try {
      await this.sink.close();
    } catch (e) {
      this.o.logger.warn(`sink ${this.name} close: ${errorMessage(e)}`);
    }
  }
}
