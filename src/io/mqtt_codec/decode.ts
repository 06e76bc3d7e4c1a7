/**
 * Bytes to packet objects, for MQTT 3.1, 3.1.1 and 5: everything Weir's broker reads from
 * clients and its client reads from brokers, except the client's PUBLISH path
 * (`connections/mqtt_wire.ts`).
 *
 * It takes one complete packet, as `FrameReader` splits a byte stream into them, so there is
 * no buffering here. What it accepts is what mqtt.js's parser accepts (reserved header
 * flags, protocol name and version, subscription options, the reason codes of each packet ...)
 * minus what MQTT calls malformed and that parser lets through: a field running past the
 * packet, bytes left after the last field, strings that are not UTF-8 or contain U+0000, a
 * will QoS of 3, a property given twice that may appear once, a SUBSCRIBE, SUBACK,
 * UNSUBSCRIBE or MQTT 5 UNSUBACK without entries. Each fails with a MqttProtocolError saying
 * which packet and field.
 *
 * @module
 */
import { MqttProtocolError, readVarInt } from "../connections/mqtt_wire.ts";
import { ByteReader } from "./bytes.ts";
import {
  type AuthPacket,
  type ConnackPacket,
  type ConnectPacket,
  type DisconnectPacket,
  type Packet,
  PACKET_TYPES,
  type ProtocolVersion,
  type PubackPacket,
  type PublishPacket,
  type QoS,
  type SubackPacket,
  type SubscribePacket,
  type Subscription,
  type UnsubackPacket,
  type UnsubscribePacket,
  type Will,
} from "./packets.ts";
import { readProperties } from "./properties.ts";

/** Packet names for errors, by type. */
const NAMES = PACKET_TYPES.map((t) => t?.toUpperCase() ?? "");

export interface DecodeOptions {
  /** The connection's version (CONNECT carries its own). */
  protocolVersion: ProtocolVersion;
  /** The client connected as a bridge (`ConnectPacket.bridgeMode`): its 3.1/3.1.1
   * subscriptions get No Local and Retain As Published, as mosquitto bridges expect. */
  bridgeMode?: boolean;
}

/**
 * Decodes the packet `buf[frame, end)` whose body starts at `body` (the arguments of a
 * `FrameReader` handler). PUBLISH payloads are views into `buf`.
 */
export function decodeFrame(
  buf: Uint8Array,
  frame: number,
  body: number,
  end: number,
  opts: DecodeOptions,
): Packet {
  const first = buf[frame];
  const cmd = PACKET_TYPES[first >> 4];
  if (!cmd) throw new MqttProtocolError("packet type 0 is reserved");
  const r = new ByteReader(buf, body, end, NAMES[first >> 4]);
  if (cmd !== "publish") {
    // PUBREL, SUBSCRIBE and UNSUBSCRIBE carry 0b0010, all others 0 [MQTT-2.2.2-1].
    const want = cmd === "pubrel" || cmd === "subscribe" || cmd === "unsubscribe" ? 2 : 0;
    if ((first & 0x0f) !== want) {
      throw r.error(`fixed header flags are 0x${(first & 0x0f).toString(16)}, not 0x${want}`);
    }
  }
  const v5 = opts.protocolVersion === 5;
  let p: Packet;
  switch (cmd) {
    case "connect":
      p = connect(r);
      break;
    case "connack":
      p = connack(r, v5);
      break;
    case "publish":
      p = publish(r, first, v5);
      break;
    case "puback":
    case "pubrec":
    case "pubrel":
    case "pubcomp":
      p = ack(r, cmd, v5);
      break;
    case "subscribe":
      p = subscribe(r, opts);
      break;
    case "suback":
      p = suback(r, v5);
      break;
    case "unsubscribe":
      p = unsubscribe(r, v5);
      break;
    case "unsuback":
      p = unsuback(r, v5);
      break;
    case "pingreq":
    case "pingresp":
      p = { cmd };
      break;
    case "disconnect":
      p = disconnect(r, v5);
      break;
    case "auth":
      p = auth(r, v5);
      break;
  }
  r.done();
  return p;
}

/** Decodes `bytes`, which must hold exactly one packet. */
export function decodePacket(bytes: Uint8Array, opts: DecodeOptions): Packet {
  if (bytes.length < 2) throw new MqttProtocolError("truncated fixed header");
  let len: number;
  let body: number;
  try {
    [len, body] = readVarInt(bytes, 1, bytes.length);
  } catch (e) {
    throw new MqttProtocolError(`${(e as Error).message} as remaining length`);
  }
  const got = bytes.length - body;
  if (got < len) throw new MqttProtocolError(`truncated packet: ${got} of ${len} bytes`);
  if (got > len) throw new MqttProtocolError(`${got - len} byte(s) after the packet`);
  return decodeFrame(bytes, 0, body, bytes.length, opts);
}

function connect(r: ByteReader): ConnectPacket {
  const protocolId = r.utf8("protocol name");
  if (protocolId !== "MQTT" && protocolId !== "MQIsdp") {
    throw r.error(`unknown protocol name ${JSON.stringify(protocolId)}`);
  }
  let version = r.u8("protocol version");
  // Bridges (mosquitto's try_private) set bit 7.
  const bridgeMode = version >= 0x80;
  if (bridgeMode) version -= 0x80;
  if (version !== 3 && version !== 4 && version !== 5) {
    throw r.error(`unsupported protocol version ${version}`);
  }
  const flags = r.u8("connect flags");
  if (flags & 0x01) throw r.error("reserved connect flag (bit 0) is set");
  const hasWill = (flags & 0x04) !== 0;
  const willQos = (flags >> 3) & 3;
  const willRetain = (flags & 0x20) !== 0;
  if (!hasWill && (willQos !== 0 || willRetain)) {
    throw r.error("will QoS or will retain set without a will");
  }
  if (willQos === 3) throw r.error("will QoS 3");
  const p: ConnectPacket = {
    cmd: "connect",
    protocolId,
    protocolVersion: version,
    clean: (flags & 0x02) !== 0,
    keepalive: r.u16("keep alive"),
    clientId: "",
  };
  if (bridgeMode) p.bridgeMode = true;
  if (version === 5) setProperties(p, r);
  p.clientId = r.utf8("client id");
  if (hasWill) {
    const will: Will = { qos: willQos as QoS, retain: willRetain, topic: "", payload: "" };
    if (version === 5) setProperties(will, r, "will properties");
    will.topic = r.utf8("will topic");
    will.payload = r.binary("will payload");
    p.will = will;
  }
  if (flags & 0x80) p.username = r.utf8("username");
  if (flags & 0x40) p.password = r.binary("password");
  return p;
}

function connack(r: ByteReader, v5: boolean): ConnackPacket {
  const flags = r.u8("acknowledge flags");
  if (flags > 1) throw r.error("reserved acknowledge flags (bits 7-1) are set");
  const p: ConnackPacket = { cmd: "connack", sessionPresent: flags === 1 };
  if (v5) {
    p.reasonCode = r.u8("reason code");
    setProperties(p, r);
  } else {
    p.returnCode = r.u8("return code");
  }
  return p;
}

function publish(r: ByteReader, first: number, v5: boolean): PublishPacket {
  const qos = (first >> 1) & 3;
  if (qos === 3) throw r.error("qos 3");
  const p: PublishPacket = {
    cmd: "publish",
    topic: r.utf8("topic"),
    payload: "",
    qos: qos as QoS,
    retain: (first & 0x01) !== 0,
    dup: (first & 0x08) !== 0,
  };
  if (qos > 0) p.messageId = r.u16("packet id");
  if (v5) setProperties(p, r);
  p.payload = r.rest();
  return p;
}

function ack(r: ByteReader, cmd: PubackPacket["cmd"], v5: boolean): PubackPacket {
  const p: PubackPacket = { cmd, messageId: r.u16("packet id") };
  if (v5) {
    // Reason code and properties may be left out: success, none.
    p.reasonCode = r.left > 0 ? r.u8("reason code") : 0;
    const valid = cmd === "puback" || cmd === "pubrec" ? PUBACK_CODES : PUBREL_CODES;
    checkCode(r, valid, p.reasonCode);
    if (r.left > 0) setProperties(p, r);
  }
  return p;
}

function subscribe(r: ByteReader, opts: DecodeOptions): SubscribePacket {
  const v5 = opts.protocolVersion === 5;
  const p: SubscribePacket = { cmd: "subscribe", messageId: r.u16("packet id"), subscriptions: [] };
  if (v5) setProperties(p, r);
  if (r.left === 0) throw r.error("no subscriptions");
  while (r.left > 0) {
    const topic = r.utf8("topic filter");
    const options = r.u8("subscription options");
    if (options & (v5 ? 0xc0 : 0xfc)) {
      throw r.error(`reserved subscription option bits (7-${v5 ? 6 : 2}) are set`);
    }
    const qos = options & 3;
    if (qos === 3) throw r.error(`qos 3 for ${JSON.stringify(topic)}`);
    const s: Subscription = { topic, qos: qos as QoS };
    if (v5) {
      s.nl = (options & 0x04) !== 0;
      s.rap = (options & 0x08) !== 0;
      s.rh = (options >> 4) & 3;
      if (s.rh === 3) throw r.error(`retain handling 3 for ${JSON.stringify(topic)}`);
    } else if (opts.bridgeMode) {
      // A bridge must not get its own messages back, and needs the retain flag as published.
      s.rh = 0;
      s.rap = true;
      s.nl = true;
    }
    p.subscriptions.push(s);
  }
  return p;
}

function suback(r: ByteReader, v5: boolean): SubackPacket {
  const p: SubackPacket = { cmd: "suback", messageId: r.u16("packet id"), granted: [] };
  if (v5) setProperties(p, r);
  if (r.left === 0) throw r.error("no reason codes");
  while (r.left > 0) {
    p.granted.push(checkCode(r, v5 ? SUBACK_CODES : SUBACK_CODES_V4, r.u8("reason code")));
  }
  return p;
}

function unsubscribe(r: ByteReader, v5: boolean): UnsubscribePacket {
  const p: UnsubscribePacket = {
    cmd: "unsubscribe",
    messageId: r.u16("packet id"),
    unsubscriptions: [],
  };
  if (v5) setProperties(p, r);
  if (r.left === 0) throw r.error("no topic filters");
  while (r.left > 0) p.unsubscriptions.push(r.utf8("topic filter"));
  return p;
}

function unsuback(r: ByteReader, v5: boolean): UnsubackPacket {
  const p: UnsubackPacket = { cmd: "unsuback", messageId: r.u16("packet id") };
  // 3.1.1's UNSUBACK is the packet id alone.
  if (v5) {
    setProperties(p, r);
    if (r.left === 0) throw r.error("no reason codes");
    const granted: number[] = [];
    while (r.left > 0) granted.push(checkCode(r, UNSUBACK_CODES, r.u8("reason code")));
    p.granted = granted;
  }
  return p;
}

function disconnect(r: ByteReader, v5: boolean): DisconnectPacket {
  const p: DisconnectPacket = { cmd: "disconnect" };
  if (v5) {
    p.reasonCode = r.left > 0 ? checkCode(r, DISCONNECT_CODES, r.u8("reason code")) : 0;
    if (r.left > 0) setProperties(p, r);
  }
  return p;
}

function auth(r: ByteReader, v5: boolean): AuthPacket {
  if (!v5) throw r.error("AUTH exists in MQTT 5 only");
  const p: AuthPacket = { cmd: "auth" };
  p.reasonCode = r.left > 0 ? checkCode(r, AUTH_CODES, r.u8("reason code")) : 0;
  if (r.left > 0) setProperties(p, r);
  return p;
}

/** Reads a property block into `target.properties`, left out when empty (as mqtt.js does). */
function setProperties(target: { properties?: object }, r: ByteReader, what?: string): void {
  const props = readProperties(r, what);
  if (props) target.properties = props;
}

function checkCode(r: ByteReader, valid: ReadonlySet<number>, code: number): number {
  if (!valid.has(code)) throw r.error(`invalid reason code 0x${code.toString(16)}`);
  return code;
}

// The reason codes MQTT 5 defines for each packet (3.1.1's SUBACK: granted qos or failure).
const PUBACK_CODES = new Set([0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99]);
const PUBREL_CODES = new Set([0x00, 0x92]);
const SUBACK_CODES_V4 = new Set([0, 1, 2, 0x80]);
const SUBACK_CODES = new Set([
  0x00,
  0x01,
  0x02,
  0x80,
  0x83,
  0x87,
  0x8f,
  0x91,
  0x97,
  0x9e,
  0xa1,
  0xa2,
]);
const UNSUBACK_CODES = new Set([0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91]);
const DISCONNECT_CODES = new Set([
  0x00,
  0x04,
  0x80,
  0x81,
  0x82,
  0x83,
  0x87,
  0x89,
  0x8b,
  0x8d,
  0x8e,
  0x8f,
  0x90,
  0x93,
  0x94,
  0x95,
  0x96,
  0x97,
  0x98,
  0x99,
  0x9a,
  0x9b,
  0x9c,
  0x9d,
  0x9e,
  0x9f,
  0xa0,
  0xa1,
  0xa2,
]);
const AUTH_CODES = new Set([0x00, 0x18, 0x19]);
