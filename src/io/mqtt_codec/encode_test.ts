// Packet objects that cannot be encoded, and the remaining-length boundaries.
import { expect } from "expect";
import { ByteWriter, MAX_VAR_INT } from "./bytes.ts";
import { decodePacket, encodePacket, type Packet, type ProtocolVersion } from "./mod.ts";

const INVALID: [name: string, packet: unknown, version: ProtocolVersion, error: RegExp][] = [
  ["unknown cmd", { cmd: "hello" }, 4, /unknown MQTT packet type "hello"/],
  ["protocol version 6", { cmd: "connect", clientId: "c", protocolVersion: 6 }, 4, /version 6/],
  ["3.1 without client id", { cmd: "connect", clientId: "", protocolVersion: 3 }, 3, /3\.1 /],
  [
    "3.1.1 persistent session without client id",
    { cmd: "connect", clientId: "", clean: false },
    4,
    /needs a client id unless the session is clean/,
  ],
  ["keep-alive 65536", { cmd: "connect", clientId: "c", keepalive: 65536 }, 4, /keepalive/],
  ["will without topic", { cmd: "connect", clientId: "c", will: { payload: "" } }, 4, /topic/],
  [
    "will qos 3",
    { cmd: "connect", clientId: "c", will: { topic: "w", payload: "", qos: 3 } },
    4,
    /invalid will qos 3/,
  ],
  [
    "3.1.1 password without username",
    { cmd: "connect", clientId: "c", password: "p" },
    4,
    /password needs a username/,
  ],
  ["CONNACK 3.1.1 without return code", { cmd: "connack", reasonCode: 0 }, 4, /returnCode/],
  ["CONNACK 5 without reason code", { cmd: "connack", returnCode: 0 }, 5, /reasonCode/],
  ["PUBLISH qos 1 without id", { cmd: "publish", topic: "t", qos: 1 }, 4, /PUBLISH needs a packet/],
  ["PUBLISH qos 3", { cmd: "publish", topic: "t", qos: 3, messageId: 1 }, 4, /qos 3/],
  ["PUBLISH without topic", { cmd: "publish", qos: 0 }, 4, /PUBLISH needs a topic/],
  ["PUBACK id 65536", { cmd: "puback", messageId: 65536 }, 4, /PUBACK needs a packet id/],
  ["PUBACK 5 reason code 256", { cmd: "puback", messageId: 1, reasonCode: 256 }, 5, /256/],
  ["SUBSCRIBE without filters", { cmd: "subscribe", messageId: 1, subscriptions: [] }, 4, /one/],
  [
    "SUBSCRIBE retain handling 3",
    { cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "a", qos: 0, rh: 3 }] },
    5,
    /retain handling 3/,
  ],
  ["SUBACK without codes", { cmd: "suback", messageId: 1, granted: [] }, 4, /reason code/],
  ["UNSUBSCRIBE without filters", { cmd: "unsubscribe", messageId: 1 }, 4, /one topic filter/],
  ["UNSUBACK 5 without codes", { cmd: "unsuback", messageId: 1 }, 5, /reason code/],
  ["AUTH in 3.1.1", { cmd: "auth", reasonCode: 0 }, 4, /MQTT 5 only/],
  [
    "unknown property",
    { cmd: "disconnect", properties: { shoeSize: 42 } },
    5,
    /unknown MQTT 5 property "shoeSize"/,
  ],
  [
    "property of the wrong type",
    { cmd: "disconnect", properties: { sessionExpiryInterval: "soon" } },
    5,
    /invalid MQTT 5 property sessionExpiryInterval: soon/,
  ],
  [
    "boolean property given as a number",
    { cmd: "connack", reasonCode: 0, sessionPresent: false, properties: { retainAvailable: 1 } },
    5,
    /invalid MQTT 5 property retainAvailable/,
  ],
  [
    "topic longer than 65535 bytes",
    { cmd: "publish", topic: "x".repeat(65536), qos: 0 },
    4,
    /topic is 65536 bytes, more than 65535/,
  ],
];

for (const [name, packet, version, error] of INVALID) {
  Deno.test(`mqtt encode: ${name} is refused`, () => {
    expect(() => encodePacket(packet as Packet, version)).toThrow(error);
  });
}

Deno.test("mqtt encode: remaining lengths at the 1- to 4-byte boundaries", () => {
  const varInt = (v: number) => {
    const w = new ByteWriter();
    w.varInt(v);
    return [...w.bytes()];
  };
  expect(varInt(0)).toEqual([0]);
  expect(varInt(127)).toEqual([0x7f]);
  expect(varInt(128)).toEqual([0x80, 0x01]);
  expect(varInt(16_383)).toEqual([0xff, 0x7f]);
  expect(varInt(16_384)).toEqual([0x80, 0x80, 0x01]);
  expect(varInt(2_097_151)).toEqual([0xff, 0xff, 0x7f]);
  expect(varInt(2_097_152)).toEqual([0x80, 0x80, 0x80, 0x01]);
  expect(varInt(MAX_VAR_INT)).toEqual([0xff, 0xff, 0xff, 0x7f]);
  expect(() => varInt(MAX_VAR_INT + 1)).toThrow(RangeError);

  // Packets whose remaining length sits on each side of a boundary read back whole.
  for (const body of [127, 128, 16_383, 16_384, 2_097_151, 2_097_152]) {
    const payload = new Uint8Array(body - 3); // topic "t" takes 3 bytes
    const bytes = encodePacket({
      cmd: "publish",
      topic: "t",
      payload,
      qos: 0,
      retain: false,
      dup: false,
    });
    const lenBytes = body < 128 ? 1 : body < 16_384 ? 2 : body < 2_097_152 ? 3 : 4;
    expect(bytes.length).toBe(1 + lenBytes + body);
    const p = decodePacket(bytes, { protocolVersion: 4 });
    expect((p as { payload: Uint8Array }).payload.length).toBe(payload.length);
  }
});
