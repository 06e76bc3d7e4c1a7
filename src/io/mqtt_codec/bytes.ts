/**
 * MQTT's data representations (two- and four-byte integers, variable byte integers, UTF-8
 * strings and binary data behind a two-byte length) read from one packet and written into a
 * growing buffer.
 *
 * Reads never go past the packet's end: a field cut short fails with a MqttProtocolError
 * that names the packet and the field ("SUBSCRIBE: truncated in topic filter").
 *
 * @module
 */
import { MqttProtocolError, readVarInt, writeVarInt } from "../connections/mqtt_wire.ts";

/** Largest variable byte integer, and so largest remaining length (256 MiB - 1). */
export const MAX_VAR_INT = 268_435_455;

// ignoreBOM: a leading U+FEFF belongs to the string [MQTT-1.5.4-3].
const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** A cursor over one packet's body, `buf[pos, end)`. */
export class ByteReader {
  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    readonly end: number,
    /** The packet's name in errors: "CONNECT". */
    readonly packet: string,
  ) {}

  get left(): number {
    return this.end - this.pos;
  }

  /** An error about this packet. */
  error(message: string): MqttProtocolError {
    return new MqttProtocolError(`${this.packet}: ${message}`);
  }

  u8(what: string): number {
    this.#need(1, what);
    return this.buf[this.pos++];
  }

  u16(what: string): number {
    this.#need(2, what);
    const b = this.buf;
    const v = (b[this.pos] << 8) | b[this.pos + 1];
    this.pos += 2;
    return v;
  }

  u32(what: string): number {
    this.#need(4, what);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return b[p] * 0x1000000 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
  }

  varInt(what: string): number {
    try {
      const [v, p] = readVarInt(this.buf, this.pos, this.end);
      this.pos = p;
      return v;
    } catch (e) {
      throw this.error(`${(e as Error).message} in ${what}`);
    }
  }

  /** A length-prefixed UTF-8 string; U+0000 is refused [MQTT-1.5.4-2]. */
  utf8(what: string): string {
    const bytes = this.#prefixed(what);
    let s: string;
    try {
      s = utf8Decoder.decode(bytes);
    } catch {
      throw this.error(`${what} is not valid UTF-8`);
    }
    if (s.includes("\0")) throw this.error(`${what} contains U+0000`);
    return s;
  }

  /** Length-prefixed binary data, copied: what it is kept for (a will, a correlation id)
   * outlives the socket chunk it came in. */
  binary(what: string): Uint8Array {
    return this.#prefixed(what).slice();
  }

  /** Everything up to the end, as a view. */
  rest(): Uint8Array {
    const out = this.buf.subarray(this.pos, this.end);
    this.pos = this.end;
    return out;
  }

  /** Fails when bytes are left over after the last field. */
  done(): void {
    if (this.pos < this.end) {
      throw this.error(`${this.left} unexpected byte(s) after the last field`);
    }
  }

  #prefixed(what: string): Uint8Array {
    const n = this.u16(`length of ${what}`);
    this.#need(n, what);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  #need(n: number, what: string): void {
    if (this.pos + n > this.end) throw this.error(`truncated in ${what}`);
  }
}

/** Appends MQTT fields to a buffer that grows as needed. */
export class ByteWriter {
  #buf = new Uint8Array(64);
  #len = 0;

  get length(): number {
    return this.#len;
  }

  /** The bytes written, as a view. */
  bytes(): Uint8Array {
    return this.#buf.subarray(0, this.#len);
  }

  u8(v: number): void {
    this.#room(1);
    this.#buf[this.#len++] = v;
  }

  u16(v: number): void {
    this.#room(2);
    this.#buf[this.#len++] = v >> 8;
    this.#buf[this.#len++] = v & 0xff;
  }

  u32(v: number): void {
    this.#room(4);
    new DataView(this.#buf.buffer).setUint32(this.#len, v);
    this.#len += 4;
  }

  varInt(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > MAX_VAR_INT) {
      throw new RangeError(`${v} does not fit a variable byte integer (0 to ${MAX_VAR_INT})`);
    }
    this.#room(4);
    this.#len = writeVarInt(this.#buf, this.#len, v);
  }

  raw(bytes: Uint8Array): void {
    this.#room(bytes.length);
    this.#buf.set(bytes, this.#len);
    this.#len += bytes.length;
  }

  /** A length-prefixed UTF-8 string. */
  utf8(s: string, what: string): void {
    this.binary(utf8Encoder.encode(s), what);
  }

  /** Length-prefixed binary data; a string is written as its UTF-8 bytes. */
  binary(data: Uint8Array | string, what: string): void {
    const bytes = typeof data === "string" ? utf8Encoder.encode(data) : data;
    if (bytes.length > 0xffff) {
      throw new RangeError(`${what} is ${bytes.length} bytes, more than 65535`);
    }
    this.u16(bytes.length);
    this.raw(bytes);
  }

  #room(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    const grown = new Uint8Array(Math.max(2 * this.#buf.length, this.#len + n));
    grown.set(this.#buf.subarray(0, this.#len));
    this.#buf = grown;
  }
}
