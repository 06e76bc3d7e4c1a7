/**
 * A message being routed, and its PUBLISH encodings.
 *
 * Fan-out to many subscribers reuses one encoding per (protocol, qos, retain) variant: QoS 0
 * subscribers share the very same bytes, QoS 1/2 subscribers get a copy with their own packet
 * id patched in, which is far cheaper than generating the packet again.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { encodePacket, type PublishProperties, type QoS } from "../mqtt_codec/mod.ts";

export interface Message {
  readonly topic: string;
  /** Often a view into the socket read chunk it arrived in; see {@link compact}. */
  payload: Buffer;
  /** QoS it was published with. */
  readonly qos: QoS;
  /** Retain flag it was published with. */
  readonly retain: boolean;
  /** MQTT 5 properties forwarded to v5 subscribers (already stripped of per-hop ones). */
  readonly properties?: PublishProperties;
  /** Epoch ms after which it must not be delivered (MQTT 5 message expiry); 0 = never. */
  readonly expiresAt: number;
  /** Encodings by variant index; see {@link encodePublish}. */
  readonly encoded: (Buffer | undefined)[];
}

export function makeMessage(
  topic: string,
  payload: Buffer,
  qos: QoS,
  retain: boolean,
  properties?: PublishProperties,
  now = 0,
): Message {
  let expiresAt = 0;
  let props: PublishProperties | undefined;
  if (properties) {
    // Topic aliases and subscription identifiers belong to one hop, never forwarded.
    const { topicAlias: _a, subscriptionIdentifier: _s, ...rest } = properties;
    if (Object.keys(rest).length > 0) props = rest;
    if (rest.messageExpiryInterval !== undefined) {
      expiresAt = (now || Date.now()) + rest.messageExpiryInterval * 1000;
    }
  }
  return { topic, payload, qos, retain, properties: props, expiresAt, encoded: [] };
}

/**
 * Copies the payload out of the socket read chunk it is a view of (up to 64 KiB), so that a
 * message kept for later (queued, in flight, retained) does not pin the whole chunk. Once per
 * message, however many sessions keep it.
 */
export function compact(msg: Message): void {
  const p = msg.payload;
  if (p.buffer.byteLength > 2 * p.length + 8192) msg.payload = Buffer.from(p);
}

/** The same message with the expiry interval counted down to now (MQTT 5 requires it). */
export function withRemainingExpiry(msg: Message, now: number): Message {
  if (!msg.expiresAt || !msg.properties) return msg;
  const left = Math.max(0, Math.ceil((msg.expiresAt - now) / 1000));
  return { ...msg, properties: { ...msg.properties, messageExpiryInterval: left }, encoded: [] };
}

/**
 * The PUBLISH bytes of `msg` for a subscriber speaking `v5` at `qos` with `retain`. QoS > 0
 * encodings carry packet id 1 as a placeholder: pass them through {@link withPacketId}.
 */
export function encodePublish(msg: Message, v5: boolean, qos: QoS, retain: boolean): Buffer {
  const idx = (v5 ? 6 : 0) + qos * 2 + (retain ? 1 : 0);
  let buf = msg.encoded[idx];
  if (!buf) {
    buf = v5 && msg.properties
      ? generateWithProperties(msg, qos, retain)
      : encodeBare(msg, v5, qos, retain);
    msg.encoded[idx] = buf;
  }
  return buf;
}

/**
 * PUBLISH without properties, written directly into one allocation: this is the hot path of
 * every relay, where a general encoder assembling the packet field by field costs too much
 * (mqtt.js's generator took ~1 us). Tests check it byte for byte against that generator.
 */
function encodeBare(msg: Message, v5: boolean, qos: QoS, retain: boolean): Buffer {
  const topicLen = Buffer.byteLength(msg.topic);
  const remaining = 2 + topicLen + (qos > 0 ? 2 : 0) + (v5 ? 1 : 0) + msg.payload.length;
  const lenBytes = remaining < 0x80 ? 1 : remaining < 0x4000 ? 2 : remaining < 0x200000 ? 3 : 4;
  const buf = Buffer.allocUnsafe(1 + lenBytes + remaining);
  buf[0] = 0x30 | (qos << 1) | (retain ? 1 : 0);
  let p = 1;
  let n = remaining;
  do {
    const b = n & 0x7f;
    n >>>= 7;
    buf[p++] = n > 0 ? b | 0x80 : b;
  } while (n > 0);
  buf.writeUInt16BE(topicLen, p);
  p += 2 + buf.write(msg.topic, p + 2, "utf8");
  if (qos > 0) {
    buf.writeUInt16BE(1, p);
    p += 2;
  }
  if (v5) buf[p++] = 0; // empty property list
  msg.payload.copy(buf, p);
  return buf;
}

function generateWithProperties(msg: Message, qos: QoS, retain: boolean): Buffer {
  const bytes = encodePacket({
    cmd: "publish",
    topic: msg.topic,
    payload: msg.payload,
    qos,
    retain,
    dup: false,
    messageId: qos > 0 ? 1 : undefined,
    properties: msg.properties,
  }, 5);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A copy of a QoS > 0 PUBLISH encoding with packet id `id` (and DUP when resending). */
export function withPacketId(encoded: Buffer, id: number, dup: boolean): Buffer {
  const out = Buffer.from(encoded);
  // Fixed header: 1 byte, then the remaining length as a 1-4 byte varint.
  let p = 1;
  while (out[p] & 0x80) p++;
  p++;
  p += 2 + out.readUInt16BE(p); // topic length + topic
  out.writeUInt16BE(id, p);
  if (dup) out[0] |= 0x08;
  return out;
}
