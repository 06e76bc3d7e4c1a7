/**
 * Packet objects to bytes, for MQTT 3.1, 3.1.1 and 5: what Weir's client and broker send
 * besides the PUBLISH hot paths (which write their bytes by hand). The output is byte for byte
 * what mqtt.js's packet generator writes (the tests check it), including its choices where
 * MQTT leaves one: MQTT 5 acknowledgements drop reason code and properties only when the code
 * is 0 and no properties are given, and every other MQTT 5 packet carries a property length,
 * 0 if need be.
 *
 * A packet object that cannot be encoded (a qos 1 PUBLISH without packet id, a keep-alive
 * out of range, an unknown property ...) throws a TypeError or RangeError.
 *
 * @module
 */
import { writeVarInt } from "../connections/mqtt_wire.ts";
import { ByteWriter, MAX_VAR_INT } from "./bytes.ts";
import type {
  AuthPacket,
  ConnackPacket,
  ConnectPacket,
  DisconnectPacket,
  Packet,
  ProtocolVersion,
  PubackPacket,
  PublishPacket,
  SubackPacket,
  SubscribePacket,
  UnsubackPacket,
  UnsubscribePacket,
} from "./packets.ts";
import { writeProperties } from "./properties.ts";

const utf8 = new TextEncoder();

/**
 * Encodes one packet for a connection speaking `protocolVersion`. CONNECT carries its own
 * version (`packet.protocolVersion`, else this one).
 */
export function encodePacket(packet: Packet, protocolVersion: ProtocolVersion = 4): Uint8Array {
  const v5 = protocolVersion === 5;
  if (
    packet.cmd === "puback" || packet.cmd === "pubrec" || packet.cmd === "pubrel" ||
    packet.cmd === "pubcomp"
  ) {
    // The broker sends one per QoS 1/2 message: the common 4 bytes are written directly.
    if (!v5 || (packet.reasonCode === 0 && packet.properties === undefined)) {
      return shortAck(packet);
    }
  }
  const w = new ByteWriter();
  let first: number;
  switch (packet.cmd) {
    case "connect":
      first = connect(w, packet, packet.protocolVersion ?? protocolVersion);
      break;
    case "connack":
      first = connack(w, packet, v5);
      break;
    case "publish":
      // The payload goes straight into the packet (one copy), not through `w`.
      first = publish(w, packet, v5);
      return frame(first, w.bytes(), payloadOf(packet));
    case "puback":
    case "pubrec":
    case "pubrel":
    case "pubcomp":
      first = ack(w, packet, v5);
      break;
    case "subscribe":
      first = subscribe(w, packet, v5);
      break;
    case "suback":
      first = suback(w, packet, v5);
      break;
    case "unsubscribe":
      first = unsubscribe(w, packet, v5);
      break;
    case "unsuback":
      first = unsuback(w, packet, v5);
      break;
    case "pingreq":
      first = 0xc0;
      break;
    case "pingresp":
      first = 0xd0;
      break;
    case "disconnect":
      first = disconnect(w, packet, v5);
      break;
    case "auth":
      first = auth(w, packet, v5);
      break;
    default:
      throw new TypeError(`unknown MQTT packet type "${(packet as { cmd: unknown }).cmd}"`);
  }
  return frame(first, w.bytes());
}

/** Fixed header (type and flags, remaining length), then the body, in an array of its size. */
function frame(first: number, body: Uint8Array, tail?: Uint8Array): Uint8Array {
  const len = body.length + (tail?.length ?? 0);
  if (len > MAX_VAR_INT) {
    throw new RangeError(`packet body of ${len} bytes exceeds MQTT's ${MAX_VAR_INT}`);
  }
  const head = len < 0x80 ? 2 : len < 0x4000 ? 3 : len < 0x200000 ? 4 : 5;
  const out = new Uint8Array(head + len);
  out[0] = first;
  writeVarInt(out, 1, len);
  out.set(body, head);
  if (tail) out.set(tail, head + body.length);
  return out;
}

function connect(w: ByteWriter, p: ConnectPacket, version: ProtocolVersion): number {
  if (version !== 3 && version !== 4 && version !== 5) {
    throw new TypeError(`invalid MQTT protocol version ${version}`);
  }
  const clean = p.clean ?? true;
  const clientId = p.clientId ?? "";
  // 3.1 needs a client id; 3.1.1 lets the server assign one to a clean session only.
  if (clientId === "" && (version === 3 || (version === 4 && !clean))) {
    throw new TypeError(
      `MQTT ${version === 3 ? "3.1" : "3.1.1"} CONNECT needs a client id` +
        (version === 4 ? " unless the session is clean" : ""),
    );
  }
  const keepalive = p.keepalive ?? 0;
  if (!isInt(keepalive, 0xffff)) throw new RangeError(`invalid keepalive ${keepalive}`);
  const will = p.will;
  if (will) {
    if (typeof will.topic !== "string" || will.topic === "") {
      throw new TypeError("a will needs a topic");
    }
    qosOf(will.qos ?? 0, "will");
  }
  if (p.password != null && p.username == null && version !== 5) {
    throw new TypeError("a password needs a username before MQTT 5");
  }

  w.utf8(p.protocolId ?? (version === 3 ? "MQIsdp" : "MQTT"), "protocol name");
  w.u8(p.bridgeMode ? version | 0x80 : version);
  let flags = clean ? 0x02 : 0;
  if (will) flags |= 0x04 | ((will.qos ?? 0) << 3) | (will.retain ? 0x20 : 0);
  if (p.password != null) flags |= 0x40;
  if (p.username != null) flags |= 0x80;
  w.u8(flags);
  w.u16(keepalive);
  if (version === 5) writeProperties(w, p.properties);
  w.utf8(clientId, "client id");
  if (will) {
    if (version === 5) writeProperties(w, will.properties);
    w.utf8(will.topic, "will topic");
    w.binary(will.payload ?? new Uint8Array(0), "will payload");
  }
  if (p.username != null) w.utf8(p.username, "username");
  if (p.password != null) w.binary(p.password, "password");
  return 0x10;
}

function connack(w: ByteWriter, p: ConnackPacket, v5: boolean): number {
  const code = v5 ? p.reasonCode : p.returnCode;
  if (!isInt(code, 0xff)) {
    throw new TypeError(`CONNACK needs a ${v5 ? "reasonCode" : "returnCode"}, got ${code}`);
  }
  w.u8(p.sessionPresent ? 1 : 0);
  w.u8(code);
  if (v5) writeProperties(w, p.properties);
  return 0x20;
}

function publish(w: ByteWriter, p: PublishPacket, v5: boolean): number {
  const qos = qosOf(p.qos ?? 0, "PUBLISH");
  if (typeof p.topic !== "string") throw new TypeError("PUBLISH needs a topic");
  w.utf8(p.topic, "topic");
  if (qos > 0) w.u16(messageIdOf(p.messageId, "PUBLISH"));
  if (v5) writeProperties(w, p.properties);
  return 0x30 | (p.dup ? 0x08 : 0) | (qos << 1) | (p.retain ? 1 : 0);
}

function payloadOf(p: PublishPacket): Uint8Array {
  const payload = p.payload ?? new Uint8Array(0);
  return typeof payload === "string" ? utf8.encode(payload) : payload;
}

const ACK_TYPES = { puback: 4, pubrec: 5, pubrel: 6, pubcomp: 7 } as const;

/** An acknowledgement with a reason code or properties (MQTT 5). */
function ack(w: ByteWriter, p: PubackPacket, v5: boolean): number {
  w.u16(messageIdOf(p.messageId, p.cmd.toUpperCase()));
  if (v5) {
    w.u8(reasonCodeOf(p.reasonCode));
    writeProperties(w, p.properties);
  }
  return ackHeader(p);
}

/** An acknowledgement that is the packet id alone: 3.1.1's, and MQTT 5's success without
 * properties (which may leave out reason code and properties). */
function shortAck(p: PubackPacket): Uint8Array {
  const id = messageIdOf(p.messageId, p.cmd.toUpperCase());
  return new Uint8Array([ackHeader(p), 2, id >> 8, id & 0xff]);
}

function ackHeader(p: PubackPacket): number {
  const type = ACK_TYPES[p.cmd];
  return (type << 4) | (type === 6 ? 0x02 : 0);
}

function subscribe(w: ByteWriter, p: SubscribePacket, v5: boolean): number {
  w.u16(messageIdOf(p.messageId, "SUBSCRIBE"));
  if (v5) writeProperties(w, p.properties);
  if (!Array.isArray(p.subscriptions) || p.subscriptions.length === 0) {
    throw new TypeError("SUBSCRIBE needs at least one subscription");
  }
  for (const s of p.subscriptions) {
    if (typeof s.topic !== "string") throw new TypeError("a subscription needs a topic filter");
    let options = qosOf(s.qos, "subscription");
    if (v5) {
      const rh = s.rh ?? 0;
      if (!isInt(rh, 2)) throw new RangeError(`invalid retain handling ${rh}`);
      options |= (s.nl ? 0x04 : 0) | (s.rap ? 0x08 : 0) | (rh << 4);
    }
    w.utf8(s.topic, "topic filter");
    w.u8(options);
  }
  return 0x82;
}

function suback(w: ByteWriter, p: SubackPacket, v5: boolean): number {
  w.u16(messageIdOf(p.messageId, "SUBACK"));
  if (v5) writeProperties(w, p.properties);
  codes(w, p.granted, "SUBACK");
  return 0x90;
}

function unsubscribe(w: ByteWriter, p: UnsubscribePacket, v5: boolean): number {
  w.u16(messageIdOf(p.messageId, "UNSUBSCRIBE"));
  if (v5) writeProperties(w, p.properties);
  const filters = p.unsubscriptions;
  if (!Array.isArray(filters) || filters.length === 0) {
    throw new TypeError("UNSUBSCRIBE needs at least one topic filter");
  }
  for (const f of filters) {
    if (typeof f !== "string") throw new TypeError(`invalid topic filter ${f}`);
    w.utf8(f, "topic filter");
  }
  return 0xa2;
}

function unsuback(w: ByteWriter, p: UnsubackPacket, v5: boolean): number {
  w.u16(messageIdOf(p.messageId, "UNSUBACK"));
  // 3.1.1's UNSUBACK is the packet id alone.
  if (v5) {
    writeProperties(w, p.properties);
    codes(w, p.granted, "UNSUBACK");
  }
  return 0xb0;
}

function disconnect(w: ByteWriter, p: DisconnectPacket, v5: boolean): number {
  if (v5) {
    w.u8(reasonCodeOf(p.reasonCode));
    writeProperties(w, p.properties);
  }
  return 0xe0;
}

function auth(w: ByteWriter, p: AuthPacket, v5: boolean): number {
  if (!v5) throw new TypeError("AUTH exists in MQTT 5 only");
  w.u8(reasonCodeOf(p.reasonCode));
  writeProperties(w, p.properties);
  return 0xf0;
}

/** SUBACK's and UNSUBACK's reason codes, one per filter. */
function codes(w: ByteWriter, granted: number[] | undefined, packet: string): void {
  if (!Array.isArray(granted) || granted.length === 0) {
    throw new TypeError(`${packet} needs at least one reason code`);
  }
  for (const c of granted) w.u8(reasonCodeOf(c));
}

function isInt(v: unknown, max: number): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max;
}

function qosOf(qos: unknown, what: string): number {
  if (qos !== 0 && qos !== 1 && qos !== 2) throw new RangeError(`invalid ${what} qos ${qos}`);
  return qos;
}

function messageIdOf(id: unknown, packet: string): number {
  if (!isInt(id, 0xffff)) throw new TypeError(`${packet} needs a packet id, got ${id}`);
  return id;
}

/** An absent reason code is 0 (success). */
function reasonCodeOf(code: unknown): number {
  const c = code ?? 0;
  if (!isInt(c, 0xff)) throw new RangeError(`invalid reason code ${code}`);
  return c;
}
