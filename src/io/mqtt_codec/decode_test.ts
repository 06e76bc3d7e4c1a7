// Malformed input: a clear MqttProtocolError naming packet and field, never a crash.
import { expect } from "expect";
import { MqttProtocolError } from "../connections/mqtt_wire.ts";
import { decodePacket, encodePacket, type Packet, type ProtocolVersion } from "./mod.ts";

const enc = new TextEncoder();

/** A packet from its first byte and body (strings are UTF-8 with their length prefix). */
function pkt(first: number, ...body: (number | string | number[])[]): Uint8Array {
  const bytes: number[] = [];
  for (const part of body) {
    if (typeof part === "number") bytes.push(part);
    else if (Array.isArray(part)) bytes.push(...part);
    else {
      const s = enc.encode(part);
      bytes.push(s.length >> 8, s.length & 0xff, ...s);
    }
  }
  const len: number[] = [];
  let n = bytes.length;
  do {
    len.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>= 7;
  } while (n > 0);
  return new Uint8Array([first, ...len, ...bytes]);
}

const decode = (bytes: Uint8Array, protocolVersion: ProtocolVersion = 4) => () =>
  decodePacket(bytes, { protocolVersion });

/** A CONNECT body after the protocol name and version: flags, keep-alive, then `rest`. */
const connect = (flags: number, ...rest: (number | string | number[])[]) =>
  pkt(0x10, "MQTT", 4, flags, 0, 60, ...rest);

const MALFORMED: [name: string, bytes: Uint8Array, version: ProtocolVersion, error: RegExp][] = [
  // Framing
  ["too short for a fixed header", new Uint8Array([0xc0]), 4, /truncated fixed header/],
  [
    "remaining length of 5 bytes",
    new Uint8Array([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]),
    4,
    /malformed variable byte integer as remaining length/,
  ],
  [
    "the largest remaining length, nothing after it",
    new Uint8Array([0x30, 0xff, 0xff, 0xff, 0x7f]),
    4,
    /truncated packet: 0 of 268435455 bytes/,
  ],
  ["remaining length past the bytes", new Uint8Array([0xc0, 2, 0]), 4, /truncated packet: 1 of 2/],
  ["bytes after the packet", new Uint8Array([0xc0, 0, 0]), 4, /1 byte\(s\) after the packet/],
  ["packet type 0", new Uint8Array([0x00, 0]), 4, /packet type 0 is reserved/],
  ["reserved flags on SUBSCRIBE", pkt(0x80, 0, 1, "a", 0), 4, /SUBSCRIBE: fixed header flags/],
  ["reserved flags on PUBACK", pkt(0x41, 0, 1), 4, /PUBACK: fixed header flags are 0x1, not 0x0/],
  ["PUBREL without its flags", pkt(0x60, 0, 1), 4, /PUBREL: fixed header flags are 0x0, not 0x2/],
  ["PINGREQ with a body", pkt(0xc0, 0), 4, /PINGREQ: 1 unexpected byte/],

  // CONNECT
  ["bad protocol name", pkt(0x10, "MQTX", 4, 2, 0, 0, "c"), 4, /unknown protocol name "MQTX"/],
  ["protocol version 6", pkt(0x10, "MQTT", 6, 2, 0, 0, "c"), 4, /unsupported protocol version 6/],
  ["reserved connect flag", connect(0x03, "c"), 4, /CONNECT: reserved connect flag/],
  ["will qos without a will", connect(0x0a, "c"), 4, /will QoS or will retain set without/],
  ["will retain without a will", connect(0x22, "c"), 4, /will QoS or will retain set without/],
  ["will qos 3", connect(0x1e, "c", "w", "p"), 4, /will QoS 3/],
  ["truncated in client id", connect(0x02, [0, 5, 0x61]), 4, /CONNECT: truncated in client id/],
  ["no client id", connect(0x02), 4, /CONNECT: truncated in length of client id/],
  ["will without its payload", connect(0x06, "c", "w"), 4, /truncated in length of will payload/],
  ["username flag without one", connect(0x82, "c"), 4, /truncated in length of username/],
  ["client id not UTF-8", connect(0x02, [0, 2, 0xc3, 0x28]), 4, /client id is not valid UTF-8/],
  ["client id with U+0000", connect(0x02, [0, 2, 0x61, 0]), 4, /client id contains U\+0000/],
  ["bytes after the password", connect(0xc2, "c", "u", "p", 9), 4, /1 unexpected byte/],

  // CONNACK
  ["CONNACK flags", pkt(0x20, 2, 0), 4, /reserved acknowledge flags/],
  ["CONNACK 3.1.1 without return code", pkt(0x20, 0), 4, /CONNACK: truncated in return code/],
  ["CONNACK 3.1.1 with 3 bytes", pkt(0x20, 0, 0, 0), 4, /CONNACK: 1 unexpected byte/],
  ["CONNACK 5 without properties", pkt(0x20, 0, 0), 5, /truncated variable byte integer/],

  // PUBLISH
  ["PUBLISH qos 3", pkt(0x36, "t", 0, 1), 4, /PUBLISH: qos 3/],
  ["PUBLISH topic past the end", pkt(0x30, [0, 9, 0x61]), 4, /PUBLISH: truncated in topic/],
  ["PUBLISH qos 1 without id", pkt(0x32, "t"), 4, /PUBLISH: truncated in packet id/],
  ["PUBLISH topic not UTF-8", pkt(0x30, [0, 2, 0xc3, 0x28]), 4, /topic is not valid UTF-8/],
  ["PUBLISH topic with U+0000", pkt(0x30, [0, 1, 0]), 4, /topic contains U\+0000/],
  [
    "PUBLISH 5, properties longer than the packet",
    pkt(0x30, "t", 9, 1, 1),
    5,
    /properties run past the end of the packet/,
  ],
  ["PUBLISH 5, unknown property", pkt(0x30, "t", 2, 0x7f, 0), 5, /unknown property 0x7f/],
  ["PUBLISH 5, property id 0", pkt(0x30, "t", 2, 0x00, 0), 5, /unknown property 0x00/],
  [
    "PUBLISH 5, property given twice",
    pkt(0x30, "t", 8, 0x03, "a", 0x03, "b"),
    5,
    /property contentType appears twice/,
  ],
  [
    "PUBLISH 5, boolean property of 2",
    pkt(0x30, "t", 2, 0x01, 2),
    5,
    /payloadFormatIndicator is 2, not 0 or 1/,
  ],
  [
    "PUBLISH 5, property running past its block",
    pkt(0x30, "t", 3, 0x02, 0, 0, 0, 0, 0),
    5,
    /messageExpiryInterval runs past the end of properties/,
  ],
  [
    "PUBLISH 5, user property value not UTF-8",
    pkt(0x30, "t", 8, 0x26, "k", [0, 2, 0xff, 0xfe]),
    5,
    /user property value is not valid UTF-8/,
  ],
  [
    "PUBLISH 5, 5-byte subscription identifier",
    pkt(0x30, "t", 6, 0x0b, 0xff, 0xff, 0xff, 0xff, 0x01),
    5,
    /malformed variable byte integer in subscriptionIdentifier/,
  ],

  // Acknowledgements
  ["PUBACK without packet id", pkt(0x40, 1), 4, /PUBACK: truncated in packet id/],
  ["PUBACK 3.1.1 with a reason code", pkt(0x40, 0, 1, 0), 4, /PUBACK: 1 unexpected byte/],
  ["PUBACK 5, invalid reason code", pkt(0x40, 0, 1, 0x92), 5, /PUBACK: invalid reason code 0x92/],
  ["PUBCOMP 5, invalid reason code", pkt(0x70, 0, 1, 0x10), 5, /invalid reason code 0x10/],

  // SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK
  ["SUBSCRIBE without filters", pkt(0x82, 0, 1), 4, /SUBSCRIBE: no subscriptions/],
  ["SUBSCRIBE 5 without filters", pkt(0x82, 0, 1, 0), 5, /SUBSCRIBE: no subscriptions/],
  ["SUBSCRIBE without options", pkt(0x82, 0, 1, "a"), 4, /truncated in subscription options/],
  ["SUBSCRIBE 3.1.1 options bits", pkt(0x82, 0, 1, "a", 0x04), 4, /option bits \(7-2\)/],
  ["SUBSCRIBE 5 options bits", pkt(0x82, 0, 1, 0, "a", 0x40), 5, /option bits \(7-6\)/],
  ["SUBSCRIBE qos 3", pkt(0x82, 0, 1, "a", 3), 4, /qos 3 for "a"/],
  ["SUBSCRIBE 5 retain handling 3", pkt(0x82, 0, 1, 0, "a", 0x30), 5, /retain handling 3/],
  ["SUBACK without codes", pkt(0x90, 0, 1), 4, /SUBACK: no reason codes/],
  ["SUBACK 3.1.1 code 3", pkt(0x90, 0, 1, 3), 4, /SUBACK: invalid reason code 0x3/],
  ["SUBACK 5 code 0x11", pkt(0x90, 0, 1, 0, 0x11), 5, /SUBACK: invalid reason code 0x11/],
  ["UNSUBSCRIBE without filters", pkt(0xa2, 0, 1), 4, /UNSUBSCRIBE: no topic filters/],
  ["UNSUBACK 3.1.1 with codes", pkt(0xb0, 0, 1, 0), 4, /UNSUBACK: 1 unexpected byte/],
  ["UNSUBACK 5 without codes", pkt(0xb0, 0, 1, 0), 5, /UNSUBACK: no reason codes/],
  ["UNSUBACK 5 code 0x01", pkt(0xb0, 0, 1, 0, 1), 5, /UNSUBACK: invalid reason code 0x1/],

  // DISCONNECT, AUTH
  ["DISCONNECT 3.1.1 with a body", pkt(0xe0, 0), 4, /DISCONNECT: 1 unexpected byte/],
  ["DISCONNECT 5 reason code 0x01", pkt(0xe0, 1), 5, /DISCONNECT: invalid reason code 0x1/],
  ["AUTH in 3.1.1", pkt(0xf0), 4, /AUTH: AUTH exists in MQTT 5 only/],
  ["AUTH 5 reason code 0x01", pkt(0xf0, 1, 0), 5, /AUTH: invalid reason code 0x1/],
];

for (const [name, bytes, version, error] of MALFORMED) {
  Deno.test(`mqtt decode: ${name} is refused`, () => {
    expect(decode(bytes, version)).toThrow(MqttProtocolError);
    expect(decode(bytes, version)).toThrow(error);
  });
}

Deno.test("mqtt decode: what MQTT lets out is filled in", () => {
  // MQTT 5 acks and DISCONNECT without reason code mean success; AUTH too.
  expect(decodePacket(pkt(0x40, 0, 7), { protocolVersion: 5 }))
    .toEqual({ cmd: "puback", messageId: 7, reasonCode: 0 });
  expect(decodePacket(pkt(0x50, 0, 7, 0x10), { protocolVersion: 5 }))
    .toEqual({ cmd: "pubrec", messageId: 7, reasonCode: 0x10 });
  expect(decodePacket(pkt(0xe0), { protocolVersion: 5 }))
    .toEqual({ cmd: "disconnect", reasonCode: 0 });
  expect(decodePacket(pkt(0xf0), { protocolVersion: 5 })).toEqual({ cmd: "auth", reasonCode: 0 });
  // A user property may be called __proto__.
  const p = decodePacket(pkt(0x30, "t", 15, 0x26, "__proto__", "v"), { protocolVersion: 5 });
  expect(
    Object.entries((p as { properties: { userProperties: object } }).properties.userProperties),
  )
    .toEqual([["__proto__", "v"]]);
});

/** Every packet of the codec's own table, a few per type and version. */
const SAMPLES: [Packet, ProtocolVersion][] = [
  [{
    cmd: "connect",
    protocolVersion: 5,
    clientId: "c",
    username: "u",
    password: "p",
    properties: { sessionExpiryInterval: 9, userProperties: { a: "b" } },
    will: { topic: "w", payload: "x", qos: 1, properties: { contentType: "t" } },
  }, 5],
  [{ cmd: "connect", protocolVersion: 4, clientId: "c", will: { topic: "w", payload: "x" } }, 4],
  [{ cmd: "connack", sessionPresent: true, reasonCode: 0, properties: { receiveMaximum: 5 } }, 5],
  [{
    cmd: "publish",
    topic: "a/b",
    payload: "xyz",
    qos: 2,
    messageId: 3,
    retain: false,
    dup: false,
    properties: { correlationData: new Uint8Array([1]), subscriptionIdentifier: 7 },
  }, 5],
  [{ cmd: "pubrec", messageId: 3, reasonCode: 0x80, properties: { reasonString: "r" } }, 5],
  [{ cmd: "subscribe", messageId: 3, subscriptions: [{ topic: "a", qos: 1, rh: 2 }] }, 5],
  [{ cmd: "suback", messageId: 3, granted: [1, 0x80], properties: { reasonString: "r" } }, 5],
  [{ cmd: "unsubscribe", messageId: 3, unsubscriptions: ["a", "b"] }, 5],
  [{ cmd: "unsuback", messageId: 3, granted: [0, 0x11] }, 5],
  [{ cmd: "disconnect", reasonCode: 0x8e, properties: { serverReference: "s" } }, 5],
  [{ cmd: "auth", reasonCode: 0x19, properties: { authenticationMethod: "m" } }, 5],
  [{ cmd: "subscribe", messageId: 3, subscriptions: [{ topic: "a", qos: 1 }] }, 4],
];

/** Either a packet or a MqttProtocolError: anything else is a crash. */
function decodesOrRefuses(bytes: Uint8Array, version: ProtocolVersion): void {
  try {
    decodePacket(bytes, { protocolVersion: version });
  } catch (e) {
    if (!(e instanceof MqttProtocolError)) {
      throw new Error(`crash on ${[...bytes]}: ${(e as Error).stack}`);
    }
  }
}

Deno.test("mqtt decode: every truncation of a valid packet is refused, or is valid itself", () => {
  for (const [packet, version] of SAMPLES) {
    const full = encodePacket(packet, version);
    const bodyStart = 2; // all samples are shorter than 128 bytes
    for (let cut = bodyStart; cut < full.length; cut++) {
      const body = full.subarray(bodyStart, cut);
      decodesOrRefuses(new Uint8Array([full[0], body.length, ...body]), version);
    }
  }
});

Deno.test("mqtt decode: random corruption never crashes", () => {
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (const [packet, version] of SAMPLES) {
    const full = encodePacket(packet, version);
    for (let i = 0; i < 2000; i++) {
      const b = full.slice();
      for (let k = 1 + rand(3); k > 0; k--) b[2 + rand(b.length - 2)] = rand(256);
      decodesOrRefuses(b, version);
    }
  }
});
