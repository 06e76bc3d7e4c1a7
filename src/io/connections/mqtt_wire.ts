/**
 * The MQTT wire format on the hot path, by hand: framing of the byte stream into packets, and
 * PUBLISH and its acknowledgements in both directions (MQTT 3.1, 3.1.1 and 5). Everything else
 * (CONNECT, SUBSCRIBE, CONNACK ..., a few per connection) goes through the general codec
 * (`../mqtt_codec/`), which builds on the primitives here.
 *
 * Why by hand: a message costs Weir a few microseconds in all, and a general parser that
 * builds a packet object, a Buffer list and events per packet costs about as much again
 * (bench/RESULTS.md). Here a socket chunk of ~50 messages is split in one synchronous loop,
 * payloads are views into the chunk (no copy), and a repeated topic is not decoded again.
 *
 * @module
 */
import type { Qos } from "./mqtt_config.ts";
import type { RawMessage } from "../types.ts";
import type { Row } from "../../runtime/tuple.ts";
import { concat } from "../../util/bytes.ts";

export const CONNACK = 2;
export const PUBLISH = 3;
export const PUBACK = 4;
export const PUBREC = 5;
export const PUBREL = 6;
export const PUBCOMP = 7;

/** Largest packet accepted from the broker (MQTT's own limit is 256 MiB). */
export const MAX_PACKET_BYTES = 64 * 1024 * 1024;

export class MqttProtocolError extends Error {}

/** A packet larger than the reader accepts: well-formed, but refused (MQTT 5 answers it with
 * its own reason code, 0x95, not "malformed"). */
export class PacketTooLargeError extends MqttProtocolError {}

/**
 * One PUBLISH from the broker, and the raw message an MQTT source hands to its rules as it is
 * (one object per message from the socket to the decoder). Its payload is
 * `chunk[payloadStart, payloadEnd)`; `payload` makes a view of it when asked for (the JSON path
 * reads the chunk's text instead).
 */
export class InboundPublish implements RawMessage {
  /** MQTT 5: the identifiers of the subscriptions that matched. */
  subscriptionIds?: number[];
  /** MQTT 5 user properties. */
  userProperties?: Record<string, string | string[]>;
  /** What `meta()` reads in a rule (eKuiper's mqtt source: `topic`, `qos`, `messageId`, MQTT 5
   * user `properties`); set by {@link PublishDecoder}, shared by consecutive qos 0 messages on
   * one topic. Never written to downstream. */
  meta: Row = NO_META;
  /** RawMessage: a SHARED stream's decoded result, left here by its first rule. */
  decoded?: RawMessage["decoded"];

  constructor(
    readonly topic: string,
    /** The bytes read from the socket that hold it (never written afterwards). */
    readonly chunk: Uint8Array,
    readonly payloadStart: number,
    readonly payloadEnd: number,
    readonly qos: Qos,
    readonly retain: boolean,
    readonly messageId: number,
    /** When the socket chunk holding it was read, epoch ms (one clock reading per chunk). */
    readonly receivedAt: number,
  ) {}

  get payload(): Uint8Array {
    return this.chunk.subarray(this.payloadStart, this.payloadEnd);
  }

  get start(): number {
    return this.payloadStart;
  }

  get end(): number {
    return this.payloadEnd;
  }

  get timestamp(): number {
    return this.receivedAt;
  }
}

const NO_META: Row = Object.freeze({});

/** The meta of a message (see {@link InboundPublish.meta}). */
function metaOf(m: InboundPublish): Row {
  const meta: Row = { topic: m.topic, qos: m.qos, messageId: m.messageId };
  if (m.userProperties) meta.properties = m.userProperties;
  return meta;
}

/** Called per complete packet: it is `buf[frame, end)`, its body `buf[body, end)`. Returning
 * false leaves the packet unread and stops (the reader is paused); it comes again on the next
 * `push`. */
export type FrameHandler = (buf: Uint8Array, frame: number, body: number, end: number) => boolean;

/**
 * Splits a byte stream into packets. A packet split across chunks waits for the rest; the
 * pieces are joined once, when the whole packet is there (no quadratic re-copying).
 */
export class FrameReader {
  #parts: Uint8Array[] = [];
  #have = 0;
  /** Bytes the first pending packet needs in all; 0 while its header is incomplete. */
  #need = 0;
  readonly #max: number;

  /** `maxBytes` bounds a whole packet, fixed header included (MQTT 5's Maximum Packet Size). */
  constructor(maxBytes = MAX_PACKET_BYTES) {
    this.#max = maxBytes;
  }

  /** Feeds a chunk (empty to go on after a pause); calls `onFrame` for each packet completed.
   * Throws MqttProtocolError (PacketTooLargeError past the limit). */
  push(chunk: Uint8Array, onFrame: FrameHandler): void {
    let buf = chunk;
    if (this.#parts.length > 0) {
      const missing = this.#need - this.#have;
      if (this.#need > 0 && missing > 0 && chunk.length >= missing) {
        // Only the pending packet is joined: the rest of the chunk is read where it is.
        this.#parts.push(chunk.subarray(0, missing));
        const head = concat(this.#parts, this.#need);
        this.#parts = [];
        this.#have = 0;
        this.#need = 0;
        this.#frames(head, onFrame);
        if (this.#parts.length > 0) {
          // Paused before that packet was taken: the rest waits behind it.
          this.append(chunk.subarray(missing));
          return;
        }
        buf = chunk.subarray(missing);
      } else {
        this.#parts.push(chunk);
        this.#have += chunk.length;
        if (this.#need > this.#have) return;
        buf = concat(this.#parts, this.#have);
        this.#parts = [];
        this.#have = 0;
        this.#need = 0;
      }
    }
    this.#frames(buf, onFrame);
  }

  /** Reads the packets of `buf`; keeps what is left (a partial packet, or all that follows a
   * pause) in `#parts`. */
  #frames(buf: Uint8Array, onFrame: FrameHandler): void {
    let pos = 0;
    const n = buf.length;
    while (n - pos >= 2) {
      // Remaining length: 1-4 bytes, 7 bits each, least significant first.
      let len = 0;
      let mul = 1;
      let i = pos + 1;
      let complete = false;
      while (i < n) {
        const b = buf[i++];
        len += (b & 0x7f) * mul;
        if (b < 0x80) {
          complete = true;
          break;
        }
        mul *= 128;
        if (i - pos > 4) throw new MqttProtocolError("malformed remaining length");
      }
      if (!complete) break;
      const end = i + len;
      if (end - pos > this.#max) {
        throw new PacketTooLargeError(`packet of ${end - pos} bytes exceeds ${this.#max}`);
      }
      if (end > n) {
        this.#need = end - pos;
        break;
      }
      if (!onFrame(buf, pos, i, end)) break;
      pos = end;
    }
    if (pos < n) {
      const rest = buf.subarray(pos);
      this.#parts.push(rest);
      this.#have = rest.length;
    }
  }

  /** Keeps a chunk for later without reading it (the reader is paused): chunks arriving
   * during a pause are joined once, on the next `push`. */
  append(chunk: Uint8Array): void {
    this.#parts.push(chunk);
    this.#have += chunk.length;
  }

  /** Drops a partial packet (the connection closed). */
  reset(): void {
    this.#parts = [];
    this.#have = 0;
    this.#need = 0;
  }
}

// ignoreBOM: a leading U+FEFF is part of an MQTT string and must not be stripped [MQTT-1.5.4-3].
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Decodes PUBLISH bodies. Keeps the last topic: a stream's messages nearly always repeat it,
 * and comparing a few bytes is cheaper than decoding them.
 */
export class PublishDecoder {
  #topicBytes = new Uint8Array(0);
  #topic = "";

  constructor(readonly protocolVersion: number) {}

  /** The PUBLISH in `buf[start, end)`, read from the socket at `receivedAt`. */
  decode(
    first: number,
    buf: Uint8Array,
    start: number,
    end: number,
    receivedAt = 0,
  ): InboundPublish {
    const bits = (first >> 1) & 3;
    if (bits === 3) throw new MqttProtocolError("PUBLISH with qos 3");
    const qos = bits as Qos;
    if (end - start < 2) throw new MqttProtocolError("PUBLISH too short");
    const tlen = (buf[start] << 8) | buf[start + 1];
    let p = start + 2 + tlen;
    if (p > end) throw new MqttProtocolError("PUBLISH topic beyond packet end");
    const topic = this.#topicOf(buf, start + 2, p);
    let messageId = 0;
    if (qos > 0) {
      if (p + 2 > end) throw new MqttProtocolError("PUBLISH without packet id");
      messageId = (buf[p] << 8) | buf[p + 1];
      p += 2;
    }
    let propsStart = p;
    if (this.protocolVersion === 5) {
      const [plen, q] = readVarInt(buf, p, end);
      propsStart = q;
      p = q + plen;
      if (p > end) throw new MqttProtocolError("PUBLISH properties beyond packet end");
    }
    const msg = new InboundPublish(
      topic,
      buf,
      p,
      end,
      qos,
      (first & 1) === 1,
      messageId,
      receivedAt,
    );
    if (p > propsStart) readPublishProperties(buf, propsStart, p, msg);
    // Nothing tells consecutive qos 0 messages on one topic apart in their meta.
    const last = this.#meta;
    if (qos === 0 && !msg.userProperties && last?.topic === topic && last.qos === 0) {
      msg.meta = last;
    } else {
      msg.meta = metaOf(msg);
      this.#meta = qos === 0 && !msg.userProperties ? msg.meta : undefined;
    }
    return msg;
  }

  #meta: Row | undefined;

  #topicOf(buf: Uint8Array, from: number, to: number): string {
    const last = this.#topicBytes;
    const len = to - from;
    if (len === last.length) {
      let same = true;
      for (let i = 0; i < len; i++) {
        if (buf[from + i] !== last[i]) {
          same = false;
          break;
        }
      }
      if (same) return this.#topic;
    }
    const bytes = buf.slice(from, to);
    let topic: string;
    try {
      topic = utf8.decode(bytes);
    } catch {
      throw new MqttProtocolError("PUBLISH topic is not valid UTF-8");
    }
    this.#topicBytes = bytes;
    this.#topic = topic;
    return topic;
  }
}

/** A variable byte integer at `p`: [value, position after it]. */
export function readVarInt(buf: Uint8Array, p: number, end: number): [number, number] {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 4; i++) {
    if (p >= end) throw new MqttProtocolError("truncated variable byte integer");
    const b = buf[p++];
    v += (b & 0x7f) * mul;
    if (b < 0x80) return [v, p];
    mul *= 128;
  }
  throw new MqttProtocolError("malformed variable byte integer");
}

/** The fixed-size MQTT 5 property values, by identifier (strings, binaries, pairs and
 * variable integers are sized as they are read). */
const FIXED_PROPERTY_BYTES: Record<number, number> = {
  0x01: 1, // payload format indicator
  0x02: 4, // message expiry interval
  0x23: 2, // topic alias
};

/** Reads what subscribers see of a PUBLISH's properties; skips the rest. */
function readPublishProperties(
  buf: Uint8Array,
  p: number,
  end: number,
  msg: InboundPublish,
): void {
  const str = (at: number): [string, number] => {
    if (at + 2 > end) throw new MqttProtocolError("truncated property");
    const n = (buf[at] << 8) | buf[at + 1];
    if (at + 2 + n > end) throw new MqttProtocolError("truncated property");
    return [utf8.decode(buf.subarray(at + 2, at + 2 + n)), at + 2 + n];
  };
  while (p < end) {
    const id = buf[p++];
    const fixed = FIXED_PROPERTY_BYTES[id];
    if (fixed !== undefined) {
      p += fixed;
    } else if (id === 0x0b) { // subscription identifier
      const [v, q] = readVarInt(buf, p, end);
      (msg.subscriptionIds ??= []).push(v);
      p = q;
    } else if (id === 0x26) { // user property
      const [k, q] = str(p);
      const [v, r] = str(q);
      const props = msg.userProperties ??= {};
      const prev = props[k];
      props[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      p = r;
    } else if (id === 0x03 || id === 0x08 || id === 0x09) {
      // content type, response topic (strings), correlation data (binary): same layout.
      p = str(p)[1];
    } else {
      throw new MqttProtocolError(`unexpected PUBLISH property 0x${id.toString(16)}`);
    }
  }
  if (p > end) throw new MqttProtocolError("truncated PUBLISH properties");
}

/**
 * Appends packets to write to one growing region of a shared block: each flush hands the
 * bytes written since the last one to the socket as a view, and later packets go after them,
 * so nothing is copied and one block serves many flushes.
 */
export class PacketWriter {
  #block = new Uint8Array(64 * 1024);
  #start = 0;
  #pos = 0;

  get pending(): number {
    return this.#pos - this.#start;
  }

  /** The bytes written since the last take, as a view the caller may hand to a socket. */
  take(): Uint8Array {
    const out = this.#block.subarray(this.#start, this.#pos);
    this.#start = this.#pos;
    return out;
  }

  /** PUBLISH with a pre-encoded topic; `props` is MQTT 5's encoded property block (with its
   * length), undefined for 3.1/3.1.1. */
  publish(
    topic: Uint8Array,
    payload: Uint8Array,
    qos: Qos,
    retain: boolean,
    messageId: number,
    props: Uint8Array | undefined,
  ): void {
    const body = 2 + topic.length + (qos > 0 ? 2 : 0) + (props ? props.length : 0) +
      payload.length;
    const b = this.#reserve(5 + body);
    let p = this.#pos;
    b[p++] = (PUBLISH << 4) | (qos << 1) | (retain ? 1 : 0);
    p = writeVarInt(b, p, body);
    b[p++] = topic.length >> 8;
    b[p++] = topic.length & 0xff;
    b.set(topic, p);
    p += topic.length;
    if (qos > 0) {
      b[p++] = messageId >> 8;
      b[p++] = messageId & 0xff;
    }
    if (props) {
      b.set(props, p);
      p += props.length;
    }
    b.set(payload, p);
    this.#pos = p + payload.length;
  }

  /** PUBACK, PUBREC, PUBREL or PUBCOMP with reason "success" (2 bytes + id). */
  ack(type: number, messageId: number): void {
    const b = this.#reserve(4);
    const p = this.#pos;
    b[p] = (type << 4) | (type === PUBREL ? 2 : 0);
    b[p + 1] = 2;
    b[p + 2] = messageId >> 8;
    b[p + 3] = messageId & 0xff;
    this.#pos = p + 4;
  }

  /** Any other packet, already encoded. */
  raw(bytes: Uint8Array): void {
    const b = this.#reserve(bytes.length);
    b.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }

  /** Drops what was not taken yet (the connection closed). */
  clear(): void {
    this.#start = this.#pos;
  }

  #reserve(n: number): Uint8Array {
    if (this.#pos + n <= this.#block.length) return this.#block;
    // A new block; the bytes not yet taken move with it. The old one stays with the views
    // already handed out.
    const pending = this.#block.subarray(this.#start, this.#pos);
    // Doubling: a turn that writes a lot (many results before one flush) copies each byte
    // O(1) times.
    const block = new Uint8Array(Math.max(64 * 1024, 2 * (pending.length + n)));
    block.set(pending);
    this.#block = block;
    this.#start = 0;
    this.#pos = pending.length;
    return block;
  }
}

/** Writes `v` as a variable byte integer at `p`; returns the position after it. */
export function writeVarInt(b: Uint8Array, p: number, v: number): number {
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) byte |= 0x80;
    b[p++] = byte;
  } while (v > 0);
  return p;
}
