/**
 * The benchmark's own MQTT client: the load generator and the result counter. MQTT 3.1.1 over
 * a raw TCP socket, QoS 0 only, clean session, no keepalive, no reconnect; packets encoded and
 * read by hand, the few there are (CONNECT, SUBSCRIBE, PUBLISH, DISCONNECT; CONNACK, SUBACK,
 * PUBLISH in).
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

/** `(topic, payload, at)` for each PUBLISH received; `payload` is a view of the read buffer,
 * valid during the call only; `at` is `performance.now()` when its read returned. */
export type MessageListener = (topic: string, payload: Uint8Array, at: number) => void;

const CONNECT = 0x10;
const CONNACK = 0x20;
const PUBLISH = 0x30;
const SUBSCRIBE = 0x82;
const SUBACK = 0x90;
const DISCONNECT = new Uint8Array([0xe0, 0x00]);

/** Bytes gathered before a write goes out by itself (`publish` between `drain`s). */
const WRITE_AT = 64 * 1024;
const READ_BYTES = 64 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

function utf8String(s: string): number[] {
  const b = encoder.encode(s);
  return [b.length >> 8, b.length & 0xff, ...b];
}

function packet(first: number, body: number[]): Uint8Array {
  return new Uint8Array([first, ...varint(body.length), ...body]);
}

export class LeanClient {
  readonly #conn: Deno.TcpConn;
  /** Outgoing bytes not written yet: `#out[0, #outLen)`. */
  #out = new Uint8Array(2 * WRITE_AT);
  #outLen = 0;
  /** The write in progress, if any. */
  #writing: Promise<void> | undefined;
  #flushQueued = false;
  #listeners: MessageListener[] = [];
  /** Encoded topic name (length prefix included) per topic published to. */
  #topics = new Map<string, Uint8Array>();
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
    // Protocol "MQTT" level 4, clean session, keepalive 0 (none).
    client.#raw(packet(CONNECT, [
      ...utf8String("MQTT"),
      4,
      0x02,
      0,
      0,
      ...utf8String(clientId),
    ]));
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
    const id = this.#nextId++;
    const acked = new Promise<number>((resolve) => this.#subacks.set(id, resolve));
    this.#raw(packet(SUBSCRIBE, [id >> 8, id & 0xff, ...utf8String(topic), 0]));
    const code = await this.#within(acked, 5000, "SUBACK");
    if (code >= 0x80) throw new Error(`mqtt broker refused the subscription to ${topic}`);
  }

  /**
   * Queues a QoS 0 PUBLISH. It goes out with the others of this task, or at once past
   * {@link WRITE_AT} bytes; `drain()` waits until everything queued was written.
   */
  publish(topic: string, payload: string, _opts?: { qos: 0 }): void {
    let t = this.#topics.get(topic);
    if (!t) this.#topics.set(topic, t = new Uint8Array(utf8String(topic)));
    // At most 3 bytes per UTF-16 unit; the header's length takes at most 4 bytes.
    this.#reserve(5 + t.length + payload.length * 3);
    const out = this.#out;
    // The payload is written where a 4-byte length would leave it, then moved up if shorter.
    const at = this.#outLen;
    const bodyAt = at + 5 + t.length;
    const written = encoder.encodeInto(payload, out.subarray(bodyAt)).written;
    const remaining = t.length + written;
    const len = varint(remaining);
    out[at] = PUBLISH;
    for (let i = 0; i < len.length; i++) out[at + 1 + i] = len[i];
    const topicAt = at + 1 + len.length;
    out.set(t, topicAt);
    const payloadAt = topicAt + t.length;
    if (payloadAt !== bodyAt) out.copyWithin(payloadAt, bodyAt, bodyAt + written);
    this.#outLen = payloadAt + written;
    this.#queueFlush();
  }

  /** Resolves once every queued packet was handed to the kernel. */
  async drain(): Promise<void> {
    while (this.#outLen > 0 || this.#writing) {
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
    this.#reserve(bytes.length);
    this.#out.set(bytes, this.#outLen);
    this.#outLen += bytes.length;
    this.#queueFlush();
  }

  /** Room for `n` more bytes in `#out`. */
  #reserve(n: number): void {
    if (this.#outLen + n <= this.#out.length) return;
    const grown = new Uint8Array(Math.max(this.#out.length * 2, this.#outLen + n));
    grown.set(this.#out.subarray(0, this.#outLen));
    this.#out = grown;
  }

  #queueFlush(): void {
    if (this.#outLen >= WRITE_AT && !this.#writing) return this.#flush();
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => {
      this.#flushQueued = false;
      if (!this.#writing) this.#flush();
    });
  }

  /** Writes what is queued; the packets queued meanwhile go in the next write. */
  #flush(): void {
    if (this.#outLen === 0 || this.#closed || this.#failed) return;
    const bytes = this.#out.slice(0, this.#outLen);
    this.#outLen = 0;
    this.#writing = (async () => {
      try {
        for (let off = 0; off < bytes.length;) off += await this.#conn.write(bytes.subarray(off));
      } catch (e) {
        // Reported by the next `drain` (a write started by a microtask has no one to throw to).
        this.#failed ??= e as Error;
        this.#outLen = 0;
      } finally {
        this.#writing = undefined;
      }
      if (this.#outLen > 0) this.#flush();
    })();
  }

  async #readLoop(): Promise<void> {
    const buf = new Uint8Array(READ_BYTES);
    /** The start of a packet that continues in the next read. */
    let rest = new Uint8Array(0);
    try {
      for (;;) {
        const n = await this.#conn.read(buf);
        if (n === null) return;
        this.#readAt = performance.now();
        let data = buf.subarray(0, n);
        if (rest.length > 0) {
          const joined = new Uint8Array(rest.length + n);
          joined.set(rest);
          joined.set(data, rest.length);
          data = joined;
        }
        const used = this.#packets(data);
        rest = data.slice(used);
      }
    } catch (e) {
      if (!this.#closed) console.error(`bench mqtt client: ${(e as Error).message}`);
    }
  }

  /** Reads the complete packets of `b`; returns how many bytes they took. */
  #packets(b: Uint8Array): number {
    let pos = 0;
    while (pos + 2 <= b.length) {
      let len = 0;
      let mult = 1;
      let i = pos + 1;
      for (;;) {
        if (i >= b.length) return pos;
        const d = b[i++];
        len += (d & 0x7f) * mult;
        if ((d & 0x80) === 0) break;
        mult *= 128;
      }
      const end = i + len;
      if (end > b.length) return pos;
      this.#packet(b[pos], b, i, end);
      pos = end;
    }
    return pos;
  }

  #packet(first: number, b: Uint8Array, at: number, end: number): void {
    switch (first & 0xf0) {
      case PUBLISH: {
        const topicLen = (b[at] << 8) | b[at + 1];
        const topicEnd = at + 2 + topicLen;
        const qos = (first >> 1) & 3;
        const payloadAt = topicEnd + (qos > 0 ? 2 : 0);
        const listeners = this.#listeners;
        if (listeners.length === 0) return;
        const topic = this.#topicOf(b, at + 2, topicEnd);
        const payload = b.subarray(payloadAt, end);
        for (const l of listeners) l(topic, payload, this.#readAt);
        return;
      }
      case CONNACK:
        this.#connack?.(b[at + 1]);
        this.#connack = undefined;
        return;
      case SUBACK: {
        const id = (b[at] << 8) | b[at + 1];
        this.#subacks.get(id)?.(b[at + 2]);
        this.#subacks.delete(id);
        return;
      }
    }
  }

  /** The last topic received, as bytes and as a string: results come on one topic, and
   * decoding it per message was a tenth of the counter's CPU. */
  #lastTopic = new Uint8Array(0);
  #lastTopicString = "";

  #topicOf(b: Uint8Array, from: number, to: number): string {
    const last = this.#lastTopic;
    if (to - from === last.length) {
      let same = true;
      for (let i = 0; i < last.length; i++) {
        if (b[from + i] !== last[i]) {
          same = false;
          break;
        }
      }
      if (same) return this.#lastTopicString;
    }
    this.#lastTopic = b.slice(from, to);
    return this.#lastTopicString = decoder.decode(this.#lastTopic);
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
