/**
 * The benchmark's own MQTT client: the load generator and the result counter. MQTT 3.1.1 over
 * a raw TCP socket, QoS 0 only, clean session, no keepalive, no reconnect. It is built from
 * Weir's wire pieces, tested against mqtt-packet (as bench/engine_cost.ts's broker is):
 * `PacketWriter` gathers PUBLISH packets into large writes, `FrameReader` splits what is read
 * into packets, `PublishDecoder` reads each PUBLISH (topic decoded once while it repeats), and
 * the codec encodes and decodes the few other packets.
 *
 * Why not mqtt.js: on the 2-core machine of bench/RESULTS.md the publisher and the subscriber
 * over mqtt.js took 55-60 % of a core during a flood, beside mosquitto at ~90 % of the other
 * and the engine measured: the measuring device competed with what it measured, and one
 * phase's throughput moved with how the three shared two cores. This client writes a flood's
 * packets in large writes and counts results without a per-packet event.
 *
 * The API is the subset of mqtt.js's the benchmarks use (`publish`, `on`/`off("message")`,
 * `subscribeAsync`, `endAsync`), so a benchmark reads the same either way.
 *
 * @module
 */
import {
  CONNACK,
  FrameReader,
  PacketWriter,
  PUBLISH,
  PublishDecoder,
} from "../../src/io/connections/mqtt_wire.ts";
import { decodeFrame, encodePacket } from "../../src/io/mqtt_codec/mod.ts";

/** `(topic, payload, at)` for each PUBLISH received; `payload` is a view of the bytes read (not
 * copied); `at` is `performance.now()` when its read returned. */
export type MessageListener = (topic: string, payload: Uint8Array, at: number) => void;

const SUBACK = 9;
const DISCONNECT = encodePacket({ cmd: "disconnect" });

/** Bytes gathered before a write goes out by itself (`publish` between `drain`s). */
const WRITE_AT = 64 * 1024;
const READ_BYTES = 64 * 1024;

const encoder = new TextEncoder();

export class LeanClient {
  readonly #conn: Deno.TcpConn;
  readonly #out = new PacketWriter();
  /** The write in progress, if any. */
  #writing: Promise<void> | undefined;
  #flushQueued = false;
  #listeners: MessageListener[] = [];
  /** Encoded topic name per topic published to. */
  #topics = new Map<string, Uint8Array>();
  readonly #publishes = new PublishDecoder(4);
  #nextId = 1;
  #subacks = new Map<number, (code: number) => void>();
  #connack: ((code: number) => void) | undefined;
  #closed = false;
  /** Why a write failed: every later `drain` throws it. */
  #failed: Error | undefined;
  /** When the current read returned (one clock reading per read, not per message). */
  #readAt = 0;
  readonly #reading: Promise<void>;

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
    conn.setNoDelay(true);
    this.#reading = this.#readLoop();
  }

  /** Connects to `mqtt://host:port` as `clientId` (clean session); rejects on a refusal. */
  static async connect(url: string, clientId: string, timeoutMs = 5000): Promise<LeanClient> {
    const u = new URL(url);
    const conn = await Deno.connect({ hostname: u.hostname, port: Number(u.port || 1883) });
    const client = new LeanClient(conn);
    const acked = new Promise<number>((resolve) => client.#connack = resolve);
    client.#raw(encodePacket({ cmd: "connect", clientId, clean: true, keepalive: 0 }));
    let code: number;
    try {
      code = await client.#within(acked, timeoutMs, "CONNACK");
    } catch (e) {
      await client.endAsync(true);
      throw e;
    }
    if (code !== 0) {
      await client.endAsync();
      throw new Error(`mqtt broker refused the connection: return code ${code}`);
    }
    return client;
  }

  on(event: "message", fn: MessageListener): this {
    if (event === "message") this.#listeners = [...this.#listeners, fn];
    return this;
  }

  off(event: "message", fn: MessageListener): this {
    if (event === "message") this.#listeners = this.#listeners.filter((l) => l !== fn);
    return this;
  }

  /** Subscribes to `topic` at QoS 0; resolves on the SUBACK (rejects on a refusal). */
  async subscribeAsync(topic: string, _opts?: { qos: 0 }): Promise<void> {
    const messageId = this.#nextId++;
    const acked = new Promise<number>((resolve) => this.#subacks.set(messageId, resolve));
    this.#raw(encodePacket({ cmd: "subscribe", messageId, subscriptions: [{ topic, qos: 0 }] }));
    const code = await this.#within(acked, 5000, "SUBACK");
    if (code >= 0x80) throw new Error(`mqtt broker refused the subscription to ${topic}`);
  }

  /**
   * Queues a QoS 0 PUBLISH. It goes out with the others of this task, or at once past
   * {@link WRITE_AT} bytes; `drain()` waits until everything queued was written.
   */
  publish(topic: string, payload: string, _opts?: { qos: 0 }): void {
    let t = this.#topics.get(topic);
    if (!t) this.#topics.set(topic, t = encoder.encode(topic));
    this.#out.publish(t, encoder.encode(payload), 0, false, 0, undefined);
    this.#queueFlush();
  }

  /** Resolves once every queued packet was handed to the kernel. */
  async drain(): Promise<void> {
    while (this.#out.pending > 0 || this.#writing) {
      if (this.#failed) break;
      if (this.#writing) await this.#writing;
      else this.#flush();
    }
    if (this.#failed) throw new Error(`bench mqtt client: write failed: ${this.#failed.message}`);
  }

  /** Sends DISCONNECT (unless `force`) and closes the socket. */
  async endAsync(force = false): Promise<void> {
    if (this.#closed) return;
    try {
      if (!force) {
        this.#raw(DISCONNECT);
        await this.drain();
      }
    } catch { /* the socket is gone already */ }
    this.#closed = true;
    try {
      this.#conn.close();
    } catch { /* closed */ }
    await this.#reading;
  }

  #raw(bytes: Uint8Array): void {
    this.#out.raw(bytes);
    this.#queueFlush();
  }

  #queueFlush(): void {
    if (this.#out.pending >= WRITE_AT && !this.#writing) return this.#flush();
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => {
      this.#flushQueued = false;
      if (!this.#writing) this.#flush();
    });
  }

  /** Writes what is queued; the packets queued meanwhile go in the next write. */
  #flush(): void {
    if (this.#out.pending === 0 || this.#closed || this.#failed) return;
    const bytes = this.#out.take();
    this.#writing = (async () => {
      try {
        for (let off = 0; off < bytes.length;) off += await this.#conn.write(bytes.subarray(off));
      } catch (e) {
        // Reported by the next `drain` (a write started by a microtask has no one to throw to).
        this.#failed ??= e as Error;
        this.#out.clear();
      } finally {
        this.#writing = undefined;
      }
      if (this.#out.pending > 0) this.#flush();
    })();
  }

  async #readLoop(): Promise<void> {
    const buf = new Uint8Array(READ_BYTES);
    const frames = new FrameReader();
    const onFrame = (b: Uint8Array, frame: number, body: number, end: number) => {
      this.#packet(b, frame, body, end);
      return true;
    };
    try {
      for (;;) {
        const n = await this.#conn.read(buf);
        if (n === null) return;
        this.#readAt = performance.now();
        // A copy: the reader keeps a partial packet's bytes for the next read.
        frames.push(buf.slice(0, n), onFrame);
      }
    } catch (e) {
      if (!this.#closed) console.error(`bench mqtt client: ${(e as Error).message}`);
    }
  }

  #packet(b: Uint8Array, frame: number, body: number, end: number): void {
    const type = b[frame] >> 4;
    if (type === PUBLISH) {
      const listeners = this.#listeners;
      if (listeners.length === 0) return;
      const m = this.#publishes.decode(b[frame], b, body, end, this.#readAt);
      const payload = m.payload;
      for (const l of listeners) l(m.topic, payload, this.#readAt);
    } else if (type === CONNACK || type === SUBACK) {
      const p = decodeFrame(b, frame, body, end, { protocolVersion: 4 });
      if (p.cmd === "connack") {
        this.#connack?.(p.returnCode ?? 0);
        this.#connack = undefined;
      } else if (p.cmd === "suback") {
        this.#subacks.get(p.messageId)?.(p.granted[0]);
        this.#subacks.delete(p.messageId);
      }
    }
  }

  async #within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        p,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no ${what} in ${ms} ms`)), ms);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
