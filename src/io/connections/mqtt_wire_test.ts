import { expect } from "expect";
import { Buffer } from "node:buffer";
import mqttPacket from "mqtt-packet";
import type { Packet } from "mqtt-packet";
import {
  FrameReader,
  type InboundPublish,
  MAX_PACKET_BYTES,
  MqttProtocolError,
  PacketTooLargeError,
  PacketWriter,
  PUBACK,
  PublishDecoder,
  PUBREL,
} from "./mqtt_wire.ts";
import { encodeProperties } from "../mqtt_codec/mod.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Decodes every PUBLISH in `chunks` with a fresh reader. */
function readAll(chunks: Uint8Array[], version = 4): InboundPublish[] {
  const reader = new FrameReader();
  const decoder = new PublishDecoder(version);
  const out: InboundPublish[] = [];
  for (const c of chunks) {
    reader.push(c, (buf, frame, body, end) => {
      out.push(decoder.decode(buf[frame], buf, body, end));
      return true;
    });
  }
  return out;
}

/** Splits `bytes` at random points (seeded). */
function split(bytes: Uint8Array, seed: number): Uint8Array[] {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const parts: Uint8Array[] = [];
  let i = 0;
  while (i < bytes.length) {
    const n = 1 + Math.floor(rand() * 300);
    parts.push(bytes.slice(i, i + n));
    i += n;
  }
  return parts;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

Deno.test("mqtt wire: PUBLISH packets written by PacketWriter read back across any chunking", () => {
  const w = new PacketWriter();
  const taken: Uint8Array[] = [];
  const sent: { topic: string; payload: string; qos: 0 | 1 | 2; id: number }[] = [];
  for (let i = 0; i < 3000; i++) {
    const topic = i % 7 === 0 ? `t/${i % 3}/é` : "bench/in";
    // Sizes around the 1-, 2- and 3-byte remaining-length boundaries, and one big payload.
    const size = i === 1500 ? 200_000 : (i * 37) % 20_000;
    const payload = `${i}:`.padEnd(size, "x");
    const qos = (i % 3) as 0 | 1 | 2;
    const id = qos ? 1 + (i % 65535) : 0;
    sent.push({ topic, payload, qos, id });
    w.publish(enc.encode(topic), enc.encode(payload), qos, i % 5 === 0, id, undefined);
    if (i % 100 === 99) taken.push(w.take()); // several flushes share one block
  }
  taken.push(w.take());
  const bytes = concat(taken);
  for (const seed of [1, 2, 3]) {
    const got = readAll(split(bytes, seed));
    expect(got.length).toBe(sent.length);
    got.forEach((m, i) => {
      expect(m.topic).toBe(sent[i].topic);
      expect(dec.decode(m.payload)).toBe(sent[i].payload);
      expect(m.qos).toBe(sent[i].qos);
      expect(m.messageId).toBe(sent[i].id);
      expect(m.retain).toBe(i % 5 === 0);
    });
  }
  // mqtt-packet agrees on the encoding.
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  let n = 0;
  parser.on("packet", (p: Packet) => {
    if (p.cmd === "publish" && p.topic === sent[n].topic) n++;
  });
  parser.parse(Buffer.from(bytes));
  expect(n).toBe(sent.length);
});

Deno.test("mqtt wire: MQTT 5 properties: subscription ids and repeated user properties", () => {
  const bytes = mqttPacket.generate({
    cmd: "publish",
    topic: "a/b",
    payload: "hi",
    qos: 1,
    messageId: 7,
    retain: false,
    dup: false,
    properties: {
      payloadFormatIndicator: true,
      messageExpiryInterval: 60,
      contentType: "application/json",
      responseTopic: "r/t",
      correlationData: Buffer.from([1, 2, 3]),
      userProperties: { k: ["v1", "v2"], z: "1" },
      subscriptionIdentifier: [3, 300],
    },
  }, { protocolVersion: 5 });
  const [m] = readAll(split(new Uint8Array(bytes), 9), 5);
  expect(m.topic).toBe("a/b");
  expect(dec.decode(m.payload)).toBe("hi");
  expect(m.messageId).toBe(7);
  expect(m.subscriptionIds).toEqual([3, 300]);
  expect(m.userProperties).toEqual({ k: ["v1", "v2"], z: "1" });

  // What Weir writes with user properties, mqtt-packet reads.
  const w = new PacketWriter();
  const props = encodeProperties({ userProperties: { site: "s1", tag: ["a", "b"] } });
  w.publish(enc.encode("x/y"), enc.encode("{}"), 0, false, 0, props);
  const parser = mqttPacket.parser({ protocolVersion: 5 });
  const got: Packet[] = [];
  parser.on("packet", (p: Packet) => got.push(p));
  parser.parse(Buffer.from(w.take()));
  expect(got.length).toBe(1);
  const p = got[0] as { topic: string; properties: { userProperties: unknown } };
  expect(p.topic).toBe("x/y");
  expect(p.properties.userProperties).toEqual({ site: "s1", tag: ["a", "b"] });
});

Deno.test("mqtt wire: a topic repeated with other bytes of the same length is decoded anew", () => {
  const w = new PacketWriter();
  for (const t of ["a/1", "a/1", "a/2", "b/2", "b/2"]) {
    w.publish(enc.encode(t), enc.encode("p"), 0, false, 0, undefined);
  }
  expect(readAll([w.take()]).map((m) => m.topic)).toEqual(["a/1", "a/1", "a/2", "b/2", "b/2"]);
});

Deno.test("mqtt wire: a message's meta; consecutive qos 0 messages on a topic share one", () => {
  const w = new PacketWriter();
  const props = encodeProperties({ userProperties: { site: "s1" } });
  w.publish(enc.encode("a/1"), enc.encode("p"), 0, false, 0, undefined);
  w.publish(enc.encode("a/1"), enc.encode("p"), 0, false, 0, undefined);
  w.publish(enc.encode("a/1"), enc.encode("p"), 1, false, 9, undefined);
  w.publish(enc.encode("a/1"), enc.encode("p"), 0, false, 0, undefined);
  w.publish(enc.encode("a/2"), enc.encode("p"), 0, false, 0, undefined);
  const m = readAll([w.take()]);
  expect(m.map((x) => x.meta)).toEqual([
    { topic: "a/1", qos: 0, messageId: 0 },
    { topic: "a/1", qos: 0, messageId: 0 },
    { topic: "a/1", qos: 1, messageId: 9 },
    { topic: "a/1", qos: 0, messageId: 0 },
    { topic: "a/2", qos: 0, messageId: 0 },
  ]);
  expect(m[1].meta).toBe(m[0].meta);
  expect(m[3].meta).not.toBe(m[0].meta); // a qos 1 message came between
  // The message is a raw message as the decoder reads it: offsets, arrival time.
  expect([m[0].start, m[0].end - m[0].start, m[0].timestamp]).toEqual([
    m[0].payloadStart,
    1,
    m[0].receivedAt,
  ]);

  const v5 = new PacketWriter();
  v5.publish(enc.encode("a/1"), enc.encode("p"), 0, false, 0, props);
  v5.publish(enc.encode("a/1"), enc.encode("p"), 0, false, 0, props);
  const [p1, p2] = readAll([v5.take()], 5);
  expect(p1.meta).toEqual({ topic: "a/1", qos: 0, messageId: 0, properties: { site: "s1" } });
  expect(p2.meta).not.toBe(p1.meta); // user properties may differ: each has its own
});

Deno.test("mqtt wire: a handler returning false leaves the packet for the next push", () => {
  const w = new PacketWriter();
  for (let i = 0; i < 5; i++) {
    w.publish(enc.encode("t"), enc.encode(`${i}`), 0, false, 0, undefined);
  }
  const reader = new FrameReader();
  const decoder = new PublishDecoder(4);
  const got: string[] = [];
  let budget = 2;
  const onFrame = (buf: Uint8Array, frame: number, body: number, end: number) => {
    if (budget === 0) return false;
    budget--;
    got.push(dec.decode(decoder.decode(buf[frame], buf, body, end).payload));
    return true;
  };
  reader.push(w.take(), onFrame);
  expect(got).toEqual(["0", "1"]);
  budget = 10;
  reader.push(new Uint8Array(0), onFrame);
  expect(got).toEqual(["0", "1", "2", "3", "4"]);
});

Deno.test("mqtt wire: a pause on a packet completed by the next chunk keeps what follows", () => {
  const w = new PacketWriter();
  for (let i = 0; i < 6; i++) {
    w.publish(enc.encode("t"), enc.encode(`payload ${i}`), 0, false, 0, undefined);
  }
  const bytes = w.take();
  const reader = new FrameReader();
  const decoder = new PublishDecoder(4);
  const got: string[] = [];
  let budget = 1;
  const onFrame = (buf: Uint8Array, frame: number, body: number, end: number) => {
    if (budget === 0) return false;
    budget--;
    got.push(dec.decode(decoder.decode(buf[frame], buf, body, end).payload));
    return true;
  };
  const packet = bytes.length / 6;
  // Packet 0 whole and half of packet 1; then the rest of 1 and all the others.
  reader.push(bytes.slice(0, packet * 1.5), onFrame);
  expect(got).toEqual(["payload 0"]);
  reader.push(bytes.slice(packet * 1.5), onFrame); // completes packet 1, but the reader is paused
  expect(got).toEqual(["payload 0"]);
  budget = 2;
  reader.push(new Uint8Array(0), onFrame);
  expect(got).toEqual(["payload 0", "payload 1", "payload 2"]);
  budget = 10;
  reader.push(new Uint8Array(0), onFrame);
  expect(got.length).toBe(6);
  expect(got[5]).toBe("payload 5");
});

Deno.test("mqtt wire: acks are 4 bytes; PUBREL carries its reserved flags", () => {
  const w = new PacketWriter();
  w.ack(PUBACK, 0x1234);
  w.ack(PUBREL, 5);
  expect([...w.take()]).toEqual([0x40, 2, 0x12, 0x34, 0x62, 2, 0, 5]);
});

Deno.test("mqtt wire: malformed input is a protocol error, not a crash", () => {
  const read = (bytes: number[]) => () => readAll([new Uint8Array(bytes)]);
  // Remaining length longer than 4 bytes.
  expect(read([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])).toThrow(MqttProtocolError);
  // Declared larger than the limit.
  const big = MAX_PACKET_BYTES + 1;
  const len = [];
  for (let v = big; v > 0; v = Math.floor(v / 128)) len.push((v % 128) | (v >= 128 ? 0x80 : 0));
  expect(read([0x30, ...len])).toThrow(/exceeds/);
  // Topic length beyond the packet, qos 3, invalid UTF-8 topic.
  expect(read([0x30, 3, 0, 9, 0x61])).toThrow(/topic beyond/);
  expect(read([0x36, 4, 0, 1, 0x61, 0])).toThrow(/qos 3/);
  expect(read([0x30, 4, 0, 2, 0xc3, 0x28])).toThrow(/UTF-8/);
  // A qos 1 PUBLISH without its packet id.
  expect(read([0x32, 3, 0, 1, 0x61])).toThrow(/packet id/);
});

Deno.test("mqtt wire: the size limit counts the whole packet, fixed header included", () => {
  const packet = (total: number) => {
    const w = new PacketWriter();
    // 1 header byte + 1 length byte + 2 + 1 topic bytes, then the payload.
    w.publish(enc.encode("t"), new Uint8Array(total - 5), 0, false, 0, undefined);
    return w.take();
  };
  const reader = new FrameReader(100);
  let n = 0;
  reader.push(packet(100), () => (n++, true));
  expect(n).toBe(1);
  expect(() => reader.push(packet(101), () => true)).toThrow(PacketTooLargeError);
  expect(() => new FrameReader(100).push(packet(101), () => true)).toThrow(
    "packet of 101 bytes exceeds 100",
  );
});

Deno.test("mqtt wire: a topic keeps its leading BOM", () => {
  const w = new PacketWriter();
  w.publish(enc.encode("\uFEFFt"), enc.encode("p"), 0, false, 0, undefined);
  expect(readAll([w.take()])[0].topic).toBe("\uFEFFt");
});
