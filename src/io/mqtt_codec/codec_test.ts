// Weir's codec against mqtt-packet, the reference: for each packet type and protocol version,
// the same bytes out of the same object, and the same object out of the same bytes.
import { Buffer } from "node:buffer";
import { expect } from "expect";
import mqttPacket from "mqtt-packet";
import { decodePacket, encodePacket, type Packet, type ProtocolVersion } from "./mod.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

const users = { region: "eu", tag: ["a", "b", "c"], "ü n i": "ç☃" };

interface Case {
  name: string;
  packet: Packet;
  versions: ProtocolVersion[];
}

const CASES: Case[] = [
  // ---- CONNECT
  {
    name: "CONNECT, minimal",
    packet: { cmd: "connect", protocolId: "MQTT", protocolVersion: 4, clientId: "c1" },
    versions: [4],
  },
  {
    name: "CONNECT 3.1 with username and password",
    packet: {
      cmd: "connect",
      protocolId: "MQIsdp",
      protocolVersion: 3,
      clientId: "weir-1",
      clean: true,
      keepalive: 30,
      username: "user",
      password: Buffer.from("sécret"),
    },
    versions: [3],
  },
  {
    name: "CONNECT 3.1.1, empty client id, keep-alive 65535",
    packet: {
      cmd: "connect",
      protocolId: "MQTT",
      protocolVersion: 4,
      clientId: "",
      clean: true,
      keepalive: 65535,
    },
    versions: [4],
  },
  {
    name: "CONNECT 3.1.1 with a will, persistent session",
    packet: {
      cmd: "connect",
      protocolId: "MQTT",
      protocolVersion: 4,
      clientId: "ünïcødé/温度",
      clean: false,
      keepalive: 60,
      will: { topic: "status/c1", payload: Buffer.from("gone"), qos: 1, retain: true },
      username: "u",
    },
    versions: [4],
  },
  {
    name: "CONNECT 3.1.1 with a qos 2 will and an empty payload",
    packet: {
      cmd: "connect",
      protocolId: "MQTT",
      protocolVersion: 4,
      clientId: "c",
      will: { topic: "w", payload: Buffer.alloc(0), qos: 2, retain: false },
    },
    versions: [4],
  },
  {
    name: "CONNECT 3.1.1 as a bridge",
    packet: {
      cmd: "connect",
      protocolId: "MQTT",
      protocolVersion: 4,
      bridgeMode: true,
      clientId: "bridge",
      clean: false,
    },
    versions: [4],
  },
  {
    name: "CONNECT 5 with every property, a will with every property, credentials",
    packet: {
      cmd: "connect",
      protocolId: "MQTT",
      protocolVersion: 5,
      clientId: "v5",
      clean: true,
      keepalive: 10,
      username: "user",
      password: Buffer.from([0, 1, 2, 255]),
      properties: {
        sessionExpiryInterval: 0xffffffff,
        receiveMaximum: 100,
        maximumPacketSize: 1 << 20,
        topicAliasMaximum: 10,
        requestResponseInformation: true,
        requestProblemInformation: false,
        userProperties: users,
        authenticationMethod: "SCRAM-SHA-1",
        authenticationData: Buffer.from([1, 2, 3]),
      },
      will: {
        topic: "status/v5",
        payload: Buffer.from("{}"),
        qos: 2,
        retain: false,
        properties: {
          willDelayInterval: 5,
          payloadFormatIndicator: true,
          messageExpiryInterval: 3600,
          contentType: "application/json",
          responseTopic: "reply/v5",
          correlationData: Buffer.from("corr"),
          userProperties: { k: "v" },
        },
      },
    },
    versions: [5],
  },
  {
    name: "CONNECT 5, empty client id, no properties",
    packet: { cmd: "connect", protocolId: "MQTT", protocolVersion: 5, clientId: "", clean: true },
    versions: [5],
  },

  // ---- CONNACK
  {
    name: "CONNACK accepted, session present",
    packet: { cmd: "connack", returnCode: 0, reasonCode: 0, sessionPresent: true },
    versions: [3, 4, 5],
  },
  {
    name: "CONNACK refused",
    packet: { cmd: "connack", returnCode: 5, reasonCode: 0x87, sessionPresent: false },
    versions: [4, 5],
  },
  {
    name: "CONNACK 5 with every property",
    packet: {
      cmd: "connack",
      reasonCode: 0,
      sessionPresent: false,
      properties: {
        sessionExpiryInterval: 60,
        receiveMaximum: 20,
        maximumQoS: 1,
        retainAvailable: true,
        maximumPacketSize: 16 * 1024 * 1024,
        assignedClientIdentifier: "weir-1234",
        topicAliasMaximum: 0,
        reasonString: "welcome",
        userProperties: users,
        wildcardSubscriptionAvailable: true,
        subscriptionIdentifiersAvailable: false,
        sharedSubscriptionAvailable: false,
        serverKeepAlive: 120,
        responseInformation: "resp/",
        serverReference: "other:1883",
        authenticationMethod: "m",
        authenticationData: Buffer.from("d"),
      },
    },
    versions: [5],
  },

  // ---- PUBLISH
  {
    name: "PUBLISH qos 0, empty payload",
    packet: {
      cmd: "publish",
      topic: "a/b",
      payload: Buffer.alloc(0),
      qos: 0,
      retain: false,
      dup: false,
    },
    versions: [3, 4, 5],
  },
  {
    name: "PUBLISH qos 1, dup, retained, unicode topic",
    packet: {
      cmd: "publish",
      topic: "ünïcødé/温度",
      payload: Buffer.from("x"),
      qos: 1,
      retain: true,
      dup: true,
      messageId: 42,
    },
    versions: [4, 5],
  },
  {
    name: "PUBLISH qos 2, packet id 65535",
    packet: {
      cmd: "publish",
      topic: "t",
      payload: Buffer.from("hello"),
      qos: 2,
      retain: false,
      dup: false,
      messageId: 65535,
    },
    versions: [4, 5],
  },
  {
    name: "PUBLISH 5 with every property, two subscription ids",
    packet: {
      cmd: "publish",
      topic: "v5/t",
      payload: Buffer.from('{"n":1}'),
      qos: 1,
      retain: false,
      dup: false,
      messageId: 7,
      properties: {
        payloadFormatIndicator: true,
        messageExpiryInterval: 60,
        topicAlias: 3,
        responseTopic: "v5/reply",
        correlationData: Buffer.from([9, 8, 7]),
        userProperties: users,
        subscriptionIdentifier: [1, 268435455],
        contentType: "application/json",
      },
    },
    versions: [5],
  },
  {
    name: "PUBLISH of 2 MiB (4-byte remaining length)",
    packet: {
      cmd: "publish",
      topic: "big",
      payload: Buffer.alloc(2 * 1024 * 1024, 0x5a),
      qos: 0,
      retain: false,
      dup: false,
    },
    versions: [4, 5],
  },

  // ---- PUBACK, PUBREC, PUBREL, PUBCOMP
  ...(["puback", "pubrec", "pubrel", "pubcomp"] as const).flatMap((cmd): Case[] => [
    {
      name: `${cmd.toUpperCase()}, success`,
      packet: { cmd, messageId: 1, reasonCode: 0 },
      versions: [3, 4, 5],
    },
    {
      name: `${cmd.toUpperCase()}, no reason code given`,
      packet: { cmd, messageId: 0x1234 },
      versions: [4, 5],
    },
    {
      name: `${cmd.toUpperCase()} 5, a failure with properties`,
      packet: {
        cmd,
        messageId: 9,
        reasonCode: cmd === "puback" || cmd === "pubrec" ? 0x97 : 0x92,
        properties: { reasonString: "no", userProperties: users },
      },
      versions: [5],
    },
    {
      name: `${cmd.toUpperCase()} 5, success with empty properties`,
      packet: { cmd, messageId: 9, reasonCode: 0, properties: {} },
      versions: [5],
    },
  ]),
  {
    name: "PUBACK 5, no matching subscribers",
    packet: { cmd: "puback", messageId: 3, reasonCode: 0x10 },
    versions: [5],
  },

  // ---- SUBSCRIBE, SUBACK
  {
    name: "SUBSCRIBE, several filters",
    packet: {
      cmd: "subscribe",
      messageId: 1,
      subscriptions: [
        { topic: "a/+/c", qos: 0 },
        { topic: "d/#", qos: 1 },
        { topic: "温度", qos: 2 },
      ],
    },
    versions: [3, 4, 5],
  },
  {
    name: "SUBSCRIBE 5 with options and a subscription identifier",
    packet: {
      cmd: "subscribe",
      messageId: 2,
      subscriptions: [
        { topic: "x/#", qos: 1, nl: true, rap: true, rh: 1 },
        { topic: "y", qos: 2, nl: false, rap: false, rh: 2 },
        { topic: "z", qos: 0, nl: false, rap: true, rh: 0 },
      ],
      properties: { subscriptionIdentifier: 300, userProperties: users },
    },
    versions: [5],
  },
  {
    name: "SUBACK, granted and refused",
    packet: { cmd: "suback", messageId: 1, granted: [0, 1, 2, 0x80] },
    versions: [3, 4, 5],
  },
  {
    name: "SUBACK 5 with reason codes and properties",
    packet: {
      cmd: "suback",
      messageId: 2,
      granted: [1, 0x8f, 0x9e, 0xa1],
      properties: { reasonString: "partly", userProperties: users },
    },
    versions: [5],
  },

  // ---- UNSUBSCRIBE, UNSUBACK
  {
    name: "UNSUBSCRIBE, several filters",
    packet: { cmd: "unsubscribe", messageId: 3, unsubscriptions: ["a/+/c", "d/#"] },
    versions: [3, 4, 5],
  },
  {
    name: "UNSUBSCRIBE 5 with user properties",
    packet: {
      cmd: "unsubscribe",
      messageId: 4,
      unsubscriptions: ["x"],
      properties: { userProperties: users },
    },
    versions: [5],
  },
  {
    name: "UNSUBACK",
    packet: { cmd: "unsuback", messageId: 3, granted: [0, 0x11] },
    versions: [3, 4, 5],
  },
  {
    name: "UNSUBACK 5 with properties",
    packet: {
      cmd: "unsuback",
      messageId: 5,
      granted: [0x87],
      properties: { reasonString: "not yours", userProperties: users },
    },
    versions: [5],
  },

  // ---- PINGREQ, PINGRESP, DISCONNECT, AUTH
  { name: "PINGREQ", packet: { cmd: "pingreq" }, versions: [3, 4, 5] },
  { name: "PINGRESP", packet: { cmd: "pingresp" }, versions: [3, 4, 5] },
  { name: "DISCONNECT", packet: { cmd: "disconnect" }, versions: [3, 4, 5] },
  {
    name: "DISCONNECT 5 with a reason and every property",
    packet: {
      cmd: "disconnect",
      reasonCode: 0x8b,
      properties: {
        sessionExpiryInterval: 0,
        reasonString: "shutting down",
        userProperties: users,
        serverReference: "b:1883",
      },
    },
    versions: [5],
  },
  {
    name: "AUTH 5 with every property",
    packet: {
      cmd: "auth",
      reasonCode: 0x18,
      properties: {
        authenticationMethod: "SCRAM-SHA-1",
        authenticationData: Buffer.from([0, 255]),
        reasonString: "go on",
        userProperties: users,
      },
    },
    versions: [5],
  },
];

/** What mqtt-packet's parser makes of `buf`, read as `protocolVersion`. */
function referenceDecode(buf: Uint8Array, protocolVersion: number): unknown {
  const parser = mqttPacket.parser({ protocolVersion });
  const out: unknown[] = [];
  parser.on("packet", (p: unknown) => out.push(p));
  parser.on("error", (e: Error) => {
    throw e;
  });
  parser.parse(Buffer.from(buf));
  expect(out.length).toBe(1);
  return out[0];
}

/**
 * A comparable form: binaries as plain byte arrays, no prototypes, and none of the fields
 * mqtt-packet's parser puts on every packet (`length`; `topic`, `payload`, `qos`, `retain`,
 * `dup` outside PUBLISH).
 */
function plain(v: unknown, top = true): unknown {
  if (v instanceof Uint8Array) return { bytes: [...v] };
  if (Array.isArray(v)) return v.map((x) => plain(x, false));
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  const isPublish = (v as { cmd?: string }).cmd === "publish";
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    if (top && k === "length") continue;
    if (top && !isPublish && ["topic", "payload", "qos", "retain", "dup"].includes(k)) continue;
    out[k] = plain(x, false);
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");

for (const c of CASES) {
  for (const v of c.versions) {
    Deno.test(`mqtt codec: ${c.name} (v${v}), as mqtt-packet encodes and decodes it`, () => {
      const want = new Uint8Array(mqttPacket.generate(c.packet as never, { protocolVersion: v }));
      expect(want.length).toBeGreaterThan(0); // mqtt-packet refused it: a bad case
      const got = encodePacket(c.packet, v);
      if (want.length < 4096) expect(hex(got)).toBe(hex(want));
      else expect(sameBytes(got, want)).toBe(true);

      const decoded = decodePacket(want, { protocolVersion: v });
      expect(plain(decoded)).toEqual(plain(referenceDecode(want, v)));
    });
  }
}

Deno.test("mqtt codec: a bridge's 3.1.1 subscriptions get No Local and Retain As Published", () => {
  const connect = mqttPacket.generate({
    cmd: "connect",
    protocolVersion: 4,
    bridgeMode: true,
    clientId: "b",
  } as never);
  const subscribe = mqttPacket.generate({
    cmd: "subscribe",
    messageId: 1,
    subscriptions: [{ topic: "a/#", qos: 1 }],
  });
  // mqtt-packet's parser takes bridge mode from the CONNECT it read.
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  const seen: unknown[] = [];
  parser.on("packet", (p: unknown) => seen.push(p));
  parser.parse(Buffer.concat([connect, subscribe]));

  const c = decodePacket(new Uint8Array(connect), { protocolVersion: 4 });
  expect(c).toMatchObject({ cmd: "connect", protocolVersion: 4, bridgeMode: true });
  const s = decodePacket(new Uint8Array(subscribe), { protocolVersion: 4, bridgeMode: true });
  expect(plain(s)).toEqual(plain(seen[1]));
  expect(s).toMatchObject({
    subscriptions: [{ topic: "a/#", qos: 1, nl: true, rap: true, rh: 0 }],
  });
});

Deno.test("mqtt codec: a decoded packet encodes back to the same packet", () => {
  for (const c of CASES) {
    for (const v of c.versions) {
      const decoded = decodePacket(encodePacket(c.packet, v), { protocolVersion: v });
      const again = decodePacket(encodePacket(decoded, v), { protocolVersion: v });
      expect([c.name, v, plain(again)]).toEqual([c.name, v, plain(decoded)]);
    }
  }
});

Deno.test("mqtt codec: strings keep a leading BOM and payload strings are UTF-8", () => {
  const p = encodePacket({
    cmd: "publish",
    topic: "\uFEFFt",
    payload: "é",
    qos: 0,
    retain: false,
    dup: false,
  });
  const d = decodePacket(p, { protocolVersion: 4 });
  expect(d).toMatchObject({ topic: "\uFEFFt", payload: bytes("é") });
});
