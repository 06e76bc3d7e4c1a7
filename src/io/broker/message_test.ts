import { Buffer } from "node:buffer";
import { expect } from "expect";
import mqttPacket from "mqtt-packet";
import type { IPublishPacket, Packet, QoS } from "mqtt-packet";
import {
  compact,
  encodePublish,
  makeMessage,
  withPacketId,
  withRemainingExpiry,
} from "./message.ts";

function parse(buf: Buffer, protocolVersion: 4 | 5): IPublishPacket {
  const parser = mqttPacket.parser({ protocolVersion });
  const out: Packet[] = [];
  parser.on("packet", (p) => out.push(p));
  parser.on("error", (e) => {
    throw e;
  });
  parser.parse(buf);
  expect(out.length).toBe(1);
  return out[0] as IPublishPacket;
}

Deno.test("encodePublish: byte for byte what mqttPacket.generate produces", () => {
  const topics = ["t", "sensors/a/temp", "ünïcødé/温度", "x".repeat(300)];
  const sizes = [0, 1, 100, 200, 20_000, 3_000_000]; // 1- to 4-byte remaining lengths
  for (const topic of topics) {
    for (const size of sizes) {
      const payload = Buffer.alloc(size, 7);
      for (const v5 of [false, true]) {
        for (const qos of [0, 1, 2] as QoS[]) {
          for (const retain of [false, true]) {
            const got = encodePublish(makeMessage(topic, payload, 2, false), v5, qos, retain);
            const want = mqttPacket.generate({
              cmd: "publish",
              topic,
              payload,
              qos,
              retain,
              dup: false,
              messageId: qos ? 1 : undefined,
            }, { protocolVersion: v5 ? 5 : 4 });
            expect([topic.length, size, v5, qos, retain, got.equals(want)])
              .toEqual([topic.length, size, v5, qos, retain, true]);
          }
        }
      }
    }
  }
});

Deno.test("encodePublish: caches one encoding per variant", () => {
  const msg = makeMessage("a/b", Buffer.from("x"), 1, false);
  expect(encodePublish(msg, false, 0, false)).toBe(encodePublish(msg, false, 0, false));
  expect(encodePublish(msg, false, 0, false)).not.toBe(encodePublish(msg, true, 0, false));
  expect(encodePublish(msg, false, 1, false)).not.toBe(encodePublish(msg, false, 1, true));
});

Deno.test("withPacketId: patches the id (and DUP) into a copy", () => {
  const msg = makeMessage("ü/topic", Buffer.alloc(300, 1), 2, false, {
    userProperties: { k: "v" },
    contentType: "text/plain",
  });
  for (const v5 of [false, true]) {
    const enc = encodePublish(msg, v5, 2, true);
    const p = parse(withPacketId(enc, 0xbeef, true), v5 ? 5 : 4);
    expect([p.messageId, p.dup, p.qos, p.retain, p.topic]).toEqual([
      0xbeef,
      true,
      2,
      true,
      "ü/topic",
    ]);
    expect(parse(enc, v5 ? 5 : 4).messageId).toBe(1); // the cached encoding is untouched
    if (v5) expect(p.properties).toEqual({ userProperties: { k: "v" }, contentType: "text/plain" });
  }
});

Deno.test("makeMessage: drops per-hop properties; expiry counts down", () => {
  const m = makeMessage("t", Buffer.alloc(0), 0, false, {
    topicAlias: 3,
    subscriptionIdentifier: 9,
    messageExpiryInterval: 10,
  }, 1_000_000);
  expect(m.properties).toEqual({ messageExpiryInterval: 10 });
  expect(m.expiresAt).toBe(1_010_000);
  expect(withRemainingExpiry(m, 1_004_500).properties).toEqual({ messageExpiryInterval: 6 });
  expect(makeMessage("t", Buffer.alloc(0), 0, false, { topicAlias: 1 }).properties).toBeUndefined();
});

Deno.test("compact: a payload viewing a large read chunk is copied out, once", () => {
  const chunk = Buffer.alloc(64 * 1024, 3);
  const msg = makeMessage("t", chunk.subarray(100, 164), 1, false);
  compact(msg);
  expect(msg.payload.buffer).not.toBe(chunk.buffer);
  expect(msg.payload.equals(chunk.subarray(100, 164))).toBe(true);
  const kept = msg.payload;
  compact(msg);
  expect(msg.payload).toBe(kept);
  const whole = makeMessage("t", chunk, 1, false);
  compact(whole);
  expect(whole.payload).toBe(chunk); // nothing to gain
});
