import { Buffer } from "node:buffer";
import net from "node:net";
import { expect } from "expect";
import mqtt from "mqtt";
import type { IClientOptions, MqttClient } from "mqtt";
import mqttPacket from "mqtt-packet";
import type { IConnackPacket, IPublishPacket, Packet, QoS } from "mqtt-packet";
import { setLogLevel } from "../../log.ts";
import { type Broker, type BrokerOptions, startBroker } from "./mod.ts";

// The broker logs every client it drops at warn; the tests drop many on purpose.
setLogLevel("error");

// ---- harness ------------------------------------------------------------------------------

interface Received {
  topic: string;
  payload: string;
  qos: QoS;
  retain: boolean;
  properties?: IPublishPacket["properties"];
}

/** A broker on an ephemeral port plus every client a test opens, all closed by `close()`. */
class Harness {
  readonly clients: MqttClient[] = [];
  readonly raws: Raw[] = [];
  constructor(readonly broker: Broker) {}

  static async start(opts: Partial<BrokerOptions> = {}): Promise<Harness> {
    return new Harness(await startBroker({ host: "127.0.0.1", port: 0, ...opts }));
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.broker.port}`;
  }

  async client(opts: IClientOptions = {}): Promise<MqttClient> {
    const c = await mqtt.connectAsync(this.url, { reconnectPeriod: 0, ...opts });
    this.clients.push(c);
    return c;
  }

  /** A client plus the list its messages land in. */
  async subscriber(
    filters: Record<string, { qos: QoS }>,
    opts: IClientOptions = {},
  ): Promise<[MqttClient, Received[]]> {
    const c = await this.client(opts);
    const got = inbox(c);
    await c.subscribeAsync(filters);
    return [c, got];
  }

  async raw(connect: Partial<mqttPacket.IConnectPacket> = {}): Promise<Raw> {
    const r = await Raw.open(this.broker.port);
    this.raws.push(r);
    r.send({ cmd: "connect", clientId: `raw-${this.raws.length}`, clean: true, ...connect });
    const ack = await r.next("connack") as IConnackPacket;
    expect(ack.returnCode ?? ack.reasonCode).toBe(0);
    return r;
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.endAsync(true)));
    for (const r of this.raws) r.socket.destroy();
    await this.broker.close();
  }
}

function inbox(c: MqttClient): Received[] {
  const got: Received[] = [];
  c.on("message", (topic, payload, p) => {
    got.push({
      topic,
      payload: payload.toString(),
      qos: p.qos,
      retain: p.retain,
      properties: p.properties,
    });
  });
  return got;
}

/** Polls until `cond()` holds; fails after `ms`. */
async function until(cond: () => boolean, ms = 3000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Publishes a marker on `topic` and waits for it: everything sent before has been routed. */
async function barrier(pub: MqttClient, got: Received[], topic: string): Promise<void> {
  const mark = `barrier-${Math.random()}`;
  await pub.publishAsync(topic, mark, { qos: 1 });
  await until(() => got.some((m) => m.payload === mark), 3000, "barrier");
}

/** A bare socket speaking MQTT through mqtt-packet, for what mqtt.js refuses to send. */
class Raw {
  readonly packets: Packet[] = [];
  closed = false;
  #parser = mqttPacket.parser({ protocolVersion: 4 });
  #version: 4 | 5 = 4;

  private constructor(readonly socket: net.Socket) {
    this.#parser.on("packet", (p) => this.packets.push(p));
    socket.on("data", (b: Buffer) => this.#parser.parse(b));
    socket.on("close", () => this.closed = true);
    socket.on("error", () => {});
  }

  static open(port: number): Promise<Raw> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1", () => resolve(new Raw(s)));
      s.once("error", reject);
    });
  }

  send(p: Packet): void {
    if (p.cmd === "connect") {
      this.#version = p.protocolVersion === 5 ? 5 : 4;
      // The parser reads CONNACK by the version it was told.
      this.#parser = mqttPacket.parser({ protocolVersion: this.#version });
      this.#parser.on("packet", (x) => this.packets.push(x));
    }
    this.socket.write(mqttPacket.generate(p, { protocolVersion: this.#version }));
  }

  /** Waits for (and removes) the first received packet of type `cmd`. */
  async next(cmd: Packet["cmd"], ms = 3000): Promise<Packet> {
    let i = -1;
    await until(() => (i = this.packets.findIndex((p) => p.cmd === cmd)) >= 0, ms, cmd);
    return this.packets.splice(i, 1)[0];
  }
}

function test(name: string, fn: (h: Harness) => Promise<void>, opts?: Partial<BrokerOptions>) {
  Deno.test(name, async () => {
    const h = await Harness.start(opts);
    try {
      await fn(h);
    } finally {
      await h.close();
    }
  });
}

// ---- tests --------------------------------------------------------------------------------

test("pub/sub at QoS 0, 1, 2, delivered at min(publish qos, subscription qos)", async (h) => {
  const [, got] = await h.subscriber({ "q/0": { qos: 0 }, "q/1": { qos: 1 }, "q/2": { qos: 2 } });
  const pub = await h.client();
  for (const sub of [0, 1, 2]) {
    for (const qos of [0, 1, 2] as QoS[]) {
      await pub.publishAsync(`q/${sub}`, `${sub}${qos}`, { qos });
    }
  }
  await until(() => got.length === 9, 3000, "9 messages");
  const seen = got.map((m) => [m.topic, m.payload, m.qos]).sort();
  expect(seen).toEqual([
    ["q/0", "00", 0],
    ["q/0", "01", 0],
    ["q/0", "02", 0],
    ["q/1", "10", 0],
    ["q/1", "11", 1],
    ["q/1", "12", 1],
    ["q/2", "20", 0],
    ["q/2", "21", 1],
    ["q/2", "22", 2],
  ]);
  const st = h.broker.stats();
  expect(st).toMatchObject({ clients: 2, subscriptions: 3, messagesIn: 9, messagesOut: 9 });
});

test("wildcard subscriptions; $-topics are not matched by leading wildcards", async (h) => {
  const [, temps] = await h.subscriber({ "sensors/+/temp": { qos: 1 } });
  const [, alerts] = await h.subscriber({ "alerts/#": { qos: 1 } });
  const [, all] = await h.subscriber({ "#": { qos: 1 } });
  const [, sys] = await h.subscriber({ "$SYS/#": { qos: 1 } });
  const pub = await h.client();
  for (const t of ["sensors/a/temp", "sensors/a/hum", "sensors/b/temp", "alerts", "alerts/x/y"]) {
    await pub.publishAsync(t, t, { qos: 1 });
  }
  await pub.publishAsync("$SYS/x", "sys", { qos: 1 });
  await until(() => all.length === 5 && sys.length === 1);
  await sleep(50);
  expect(temps.map((m) => m.topic)).toEqual(["sensors/a/temp", "sensors/b/temp"]);
  expect(alerts.map((m) => m.topic)).toEqual(["alerts", "alerts/x/y"]);
  expect(all.map((m) => m.topic)).not.toContain("$SYS/x");
  expect(sys.map((m) => m.topic)).toEqual(["$SYS/x"]);
});

test("overlapping subscriptions deliver once, at the highest qos", async (h) => {
  const [, got] = await h.subscriber({ "o/+": { qos: 0 }, "o/#": { qos: 2 }, "o/x": { qos: 1 } });
  expect(h.broker.stats().subscriptions).toBe(3);
  const pub = await h.client();
  await pub.publishAsync("o/x", "once", { qos: 2 });
  await barrier(pub, got, "o/y");
  expect(got.filter((m) => m.payload === "once")).toEqual([
    { topic: "o/x", payload: "once", qos: 2, retain: false, properties: undefined },
  ]);
});

test("retained: stored, delivered on subscribe with the flag, cleared by empty payload", async (h) => {
  const pub = await h.client();
  await pub.publishAsync("r/1", "one", { qos: 1, retain: true });
  await pub.publishAsync("r/2", "two", { qos: 0, retain: true });
  await pub.publishAsync("r/2", "two!", { qos: 1, retain: true }); // replaces
  await until(() => h.broker.stats().retained === 2);

  const [, got] = await h.subscriber({ "r/#": { qos: 1 } });
  await until(() => got.length === 2);
  expect(got.map((m) => [m.topic, m.payload, m.qos, m.retain]).sort()).toEqual([
    ["r/1", "one", 1, true],
    ["r/2", "two!", 1, true],
  ]);
  // Live delivery to an existing subscription carries retain = 0 (MQTT 3.1.1).
  await pub.publishAsync("r/1", "live", { qos: 1, retain: true });
  await until(() => got.length === 3);
  expect(got[2]).toMatchObject({ payload: "live", retain: false });

  await pub.publishAsync("r/1", "", { qos: 1, retain: true });
  await until(() => h.broker.stats().retained === 1);
  const [, later] = await h.subscriber({ "r/+": { qos: 0 } });
  await barrier(pub, later, "r/barrier");
  expect(later.filter((m) => m.retain).map((m) => [m.topic, m.payload])).toEqual([["r/2", "two!"]]);
});

test("unsubscribe stops delivery", async (h) => {
  const [sub, got] = await h.subscriber({ "u/a": { qos: 1 }, "u/b": { qos: 1 } });
  const pub = await h.client();
  await pub.publishAsync("u/a", "before", { qos: 1 });
  await until(() => got.length === 1);
  await sub.unsubscribeAsync("u/a");
  expect(h.broker.stats().subscriptions).toBe(1);
  await pub.publishAsync("u/a", "after", { qos: 1 });
  await barrier(pub, got, "u/b");
  expect(got.map((m) => m.payload).filter((p) => !p.startsWith("barrier"))).toEqual(["before"]);
});

test("client id takeover: the second connection disconnects the first", async (h) => {
  const first = await h.client({ clientId: "same" });
  const firstClosed = new Promise<void>((r) => first.once("close", () => r()));
  const second = await h.client({ clientId: "same" });
  await firstClosed;
  expect(h.broker.stats().clients).toBe(1);
  const got = inbox(second);
  await second.subscribeAsync("t/x", { qos: 1 });
  await second.publishAsync("t/x", "still works", { qos: 1 });
  await until(() => got.length === 1);
});

test("last will: published on abnormal disconnect, not on DISCONNECT", async (h) => {
  const [, got] = await h.subscriber({ "will/#": { qos: 1 } });
  const graceful = await h.client({
    will: { topic: "will/graceful", payload: "x", qos: 1, retain: false },
  });
  await graceful.endAsync();
  const crash = await h.client({
    will: { topic: "will/crash", payload: "gone", qos: 1, retain: true },
  });
  crash.stream.destroy(); // no DISCONNECT
  await until(() => got.length === 1);
  expect(got[0]).toMatchObject({ topic: "will/crash", payload: "gone", qos: 1 });
  // Its retain flag was honoured.
  await until(() => h.broker.stats().retained === 1);
  await sleep(50);
  expect(got.length).toBe(1);
});

test("keep-alive: a silent client is dropped after 1.5 × keepalive; a pinging one stays", async (h) => {
  const silent = await h.raw({ keepalive: 1, clientId: "silent" });
  const pinging = await h.client({ keepalive: 1 });
  const t0 = Date.now();
  await until(() => silent.closed, 4000, "silent client dropped");
  const waited = Date.now() - t0;
  expect(waited).toBeGreaterThanOrEqual(1300);
  expect(waited).toBeLessThan(3000);
  await sleep(1000);
  expect(pinging.connected).toBe(true);
  const r = await h.raw();
  r.send({ cmd: "pingreq" });
  await r.next("pingresp");
});

test("1,000 messages are relayed in order (QoS 0 and QoS 1)", async (h) => {
  for (const qos of [0, 1] as QoS[]) {
    const [, got] = await h.subscriber({ [`seq/${qos}`]: { qos } });
    const pub = await h.client();
    for (let i = 0; i < 1000; i++) pub.publish(`seq/${qos}`, String(i), { qos });
    await until(() => got.length === 1000, 10_000, "1000 messages");
    expect(got.map((m) => Number(m.payload))).toEqual([...Array(1000).keys()]);
  }
});

test("MQTT 5: CONNACK, assigned client id, properties forwarded, v4 subscribers get none", async (h) => {
  const v5 = mqtt.connect(h.url, { protocolVersion: 5, clientId: "", reconnectPeriod: 0 });
  h.clients.push(v5);
  const connack = await new Promise<IConnackPacket>((r) => v5.once("connect", r));
  expect(connack.reasonCode).toBe(0);
  expect(connack.properties?.assignedClientIdentifier).toMatch(/^weir-/);
  expect(connack.properties?.sharedSubscriptionAvailable).toBe(false);

  const got5 = inbox(v5);
  const granted = await v5.subscribeAsync({ "v5/#": { qos: 2 } });
  expect(granted[0].qos).toBe(2);
  const [, got4] = await h.subscriber({ "v5/#": { qos: 1 } });

  const pub = await h.client({ protocolVersion: 5 });
  const properties = {
    userProperties: { a: "1", b: ["x", "y"] },
    contentType: "application/json",
    responseTopic: "v5/reply",
    correlationData: Buffer.from("corr"),
    payloadFormatIndicator: true,
  };
  await pub.publishAsync("v5/t", '{"n":1}', { qos: 2, properties });
  await until(() => got5.length === 1 && got4.length === 1);
  expect(got5[0]).toMatchObject({ topic: "v5/t", payload: '{"n":1}', qos: 2 });
  expect(got5[0].properties).toEqual(properties);
  expect(got4[0]).toMatchObject({ topic: "v5/t", qos: 1, properties: undefined });
  await v5.unsubscribeAsync("v5/#");
  expect(h.broker.stats().subscriptions).toBe(1);
});

test("MQTT 5: SUBACK reason codes, No Local, Retain As Published", async (h) => {
  const r = await h.raw({ protocolVersion: 5, clientId: "r5" });
  r.send({
    cmd: "subscribe",
    messageId: 7,
    subscriptions: [
      { topic: "ok/#", qos: 1, nl: true, rap: true, rh: 0 },
      { topic: "bad/#/x", qos: 1 },
      { topic: "$share/g/t", qos: 0 },
    ],
  });
  const suback = await r.next("suback");
  expect(suback).toMatchObject({ messageId: 7, granted: [1, 0x8f, 0x9e] });
  // No Local: its own message does not come back.
  r.send({
    cmd: "publish",
    topic: "ok/self",
    payload: Buffer.from("me"),
    qos: 0,
    retain: false,
    dup: false,
  });
  const pub = await h.client();
  await pub.publishAsync("ok/other", "them", { qos: 1, retain: true });
  const p = await r.next("publish") as IPublishPacket;
  expect([p.topic, p.payload.toString(), p.retain]).toEqual(["ok/other", "them", true]); // RAP
  r.send({ cmd: "puback", messageId: p.messageId, reasonCode: 0 });
  await sleep(50);
  expect(r.packets.filter((x) => x.cmd === "publish")).toEqual([]);
});

test("empty client id: assigned for a clean session, refused (0x02) otherwise", async (h) => {
  await h.raw({ clientId: "", clean: true });
  expect(h.broker.stats().clients).toBe(1);
  const r = await Raw.open(h.broker.port);
  h.raws.push(r);
  // mqtt-packet refuses to encode this one: clean session 0, keepalive 60, client id "".
  r.socket.write(Buffer.from([0x10, 12, 0, 4, 77, 81, 84, 84, 4, 0x00, 0, 60, 0, 0]));
  expect(await r.next("connack")).toMatchObject({ returnCode: 2, sessionPresent: false });
  await until(() => r.closed);
});

test("invalid filters get SUBACK 0x80, valid ones in the same SUBSCRIBE still work", async (h) => {
  const r = await h.raw();
  r.send({
    cmd: "subscribe",
    messageId: 1,
    subscriptions: [
      { topic: "a/#/b", qos: 0 },
      { topic: "good", qos: 2 },
      { topic: "a+", qos: 1 },
      { topic: "", qos: 1 },
    ],
  });
  expect(await r.next("suback")).toMatchObject({ granted: [0x80, 2, 0x80, 0x80] });
  expect(h.broker.stats().subscriptions).toBe(1);
});

test("malformed packets close that client only", async (h) => {
  const [, got] = await h.subscriber({ "ok": { qos: 0 } });
  const bad = await h.raw();
  bad.socket.write(Buffer.from([0x30, 0x03, 0x00, 0x09, 0x61])); // topic length past the packet
  await until(() => bad.closed, 3000, "malformed client closed");
  const worse = await Raw.open(h.broker.port);
  h.raws.push(worse);
  worse.socket.write(Buffer.from([0xf0, 0x00])); // reserved packet type before CONNECT
  await until(() => worse.closed, 3000, "garbage client closed");
  const early = await Raw.open(h.broker.port);
  h.raws.push(early);
  early.send({ cmd: "pingreq" }); // anything but CONNECT first
  await until(() => early.closed, 3000, "early client closed");
  const pub = await h.client();
  await pub.publishAsync("ok", "alive", { qos: 0 });
  await until(() => got.length === 1);
});

test("MQTT 5: a malformed packet gets DISCONNECT 0x81, a too large one 0x95", async (h) => {
  const bad = await h.raw({ protocolVersion: 5, clientId: "bad5" });
  // SUBSCRIBE whose options byte sets reserved bit 6.
  bad.socket.write(Buffer.from([0x82, 7, 0, 1, 0, 0, 1, 0x61, 0x40]));
  expect(await bad.next("disconnect")).toMatchObject({ reasonCode: 0x81 });
  await until(() => bad.closed, 3000, "malformed client closed");

  const big = await h.raw({ protocolVersion: 5, clientId: "big5" });
  big.send({
    cmd: "publish",
    topic: "t",
    payload: Buffer.alloc(2000),
    qos: 0,
    retain: false,
    dup: false,
  });
  expect(await big.next("disconnect")).toMatchObject({ reasonCode: 0x95 });
  await until(() => big.closed, 3000, "oversized client closed");

  // Refused on the announced length, before the bytes arrive.
  const early = await h.raw({ protocolVersion: 5, clientId: "early5" });
  early.socket.write(Buffer.from([0x30, 0xff, 0xff, 0x7f]));
  expect(await early.next("disconnect")).toMatchObject({ reasonCode: 0x95 });
  expect(h.broker.stats().clients).toBe(0);
}, { maxPacketSize: 1024 });

test("MQTT 3.1 (MQIsdp) clients connect, subscribe and publish", async (h) => {
  const opts = { protocolId: "MQIsdp", protocolVersion: 3 } as const;
  const [, got] = await h.subscriber({ "v3/#": { qos: 1 } }, opts);
  const pub = await h.client(opts);
  await pub.publishAsync("v3/a", "old", { qos: 1 });
  await until(() => got.length === 1);
  expect(got[0]).toMatchObject({ topic: "v3/a", payload: "old", qos: 1 });
});

test("a bridge (version byte with bit 7) gets No Local and Retain As Published", async (h) => {
  const bridge = await h.raw({ clientId: "bridge", bridgeMode: true } as never);
  bridge.send({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "b/#", qos: 1 }] });
  await bridge.next("suback");
  const other = await h.client();
  await other.publishAsync("b/other", "x", { qos: 1, retain: true });
  bridge.send({
    cmd: "publish",
    topic: "b/own",
    payload: Buffer.from("me"),
    qos: 1,
    messageId: 2,
    retain: false,
    dup: false,
  });
  await bridge.next("puback");
  const p = await bridge.next("publish") as IPublishPacket;
  expect([p.topic, p.retain]).toEqual(["b/other", true]);
  await sleep(50);
  expect(bridge.packets.filter((x) => x.cmd === "publish")).toEqual([]);
});

test("inbound QoS 2 re-sent before PUBREL is routed once; PUBREL gets PUBCOMP", async (h) => {
  const [, got] = await h.subscriber({ "q2": { qos: 2 } });
  const r = await h.raw();
  const publish = {
    cmd: "publish" as const,
    topic: "q2",
    payload: Buffer.from("x"),
    qos: 2 as QoS,
    retain: false,
    dup: false,
    messageId: 5,
  };
  r.send(publish);
  await r.next("pubrec");
  r.send({ ...publish, dup: true });
  await r.next("pubrec");
  r.send({ cmd: "pubrel", messageId: 5 });
  expect(await r.next("pubcomp")).toMatchObject({ messageId: 5 });
  await until(() => got.length === 1);
  await sleep(50);
  expect(got.length).toBe(1);
});

test("persistent session: subscriptions and QoS 1 messages kept while offline", async (h) => {
  const opts = { clientId: "keeper", clean: false };
  const first = await h.client(opts);
  await first.subscribeAsync("p/t", { qos: 1 });
  await first.endAsync();
  expect(h.broker.stats()).toMatchObject({ clients: 0, subscriptions: 1 });
  const pub = await h.client();
  for (const n of ["1", "2", "3"]) await pub.publishAsync("p/t", n, { qos: 1 });
  await pub.publishAsync("p/t", "lost", { qos: 0 }); // QoS 0 is not queued offline

  const again = mqtt.connect(h.url, { ...opts, reconnectPeriod: 0 });
  h.clients.push(again);
  const got = inbox(again);
  const connack = await new Promise<IConnackPacket>((r) => again.once("connect", r));
  expect(connack.sessionPresent).toBe(true);
  await until(() => got.length === 3);
  expect(got.map((m) => m.payload)).toEqual(["1", "2", "3"]);

  // A clean session discards it.
  await again.endAsync();
  const clean = await h.client({ clientId: "keeper", clean: true });
  expect(clean.connected).toBe(true);
  expect(h.broker.stats().subscriptions).toBe(0);
});

test("slow subscriber: QoS 0 dropped past the write-buffer bound, others unaffected", async (h) => {
  const slow = await h.raw();
  slow.send({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "flood", qos: 0 }] });
  await slow.next("suback");
  slow.socket.pause(); // stops reading: the broker's write buffer for it fills up
  const [, fast] = await h.subscriber({ "flood": { qos: 0 } });
  const pub = await h.client();
  const payload = Buffer.alloc(32 * 1024, 1);
  // 32 MB in bursts the fast subscriber keeps up with (4 × 32 KiB < the 256 KiB bound).
  for (let i = 0; i < 1000; i += 4) {
    for (let j = 0; j < 4; j++) pub.publish("flood", payload, { qos: 0 });
    await until(() => fast.length === i + 4, 5000, "fast subscriber keeps up");
  }
  const st = h.broker.stats();
  expect(fast.length).toBe(1000);
  expect(st.dropped).toBeGreaterThan(500); // the kernel's socket buffers hold a few MB at most
  expect(st.messagesOut + st.dropped).toBe(2000);
}, { maxWriteBuffer: 256 * 1024 });

test("QoS 1 in-flight window and queue are capped per client", async (h) => {
  const r = await h.raw();
  r.send({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "cap", qos: 1 }] });
  await r.next("suback");
  const pub = await h.client();
  for (let i = 0; i < 100; i++) await pub.publishAsync("cap", String(i), { qos: 1 });
  await sleep(50);
  const first = r.packets.filter((p) => p.cmd === "publish") as IPublishPacket[];
  expect(first.map((p) => p.payload.toString())).toEqual([...Array(10).keys()].map(String));
  expect(h.broker.stats().dropped).toBe(100 - 10 - 20);
  // Acknowledging one frees a slot for the oldest queued message.
  r.packets.length = 0;
  r.send({ cmd: "puback", messageId: first[0].messageId });
  const next = await r.next("publish") as IPublishPacket;
  expect(next.payload.toString()).toBe("10");
}, { maxInflight: 10, maxQueued: 20 });

test("startBroker rejects with EADDRINUSE when the port is taken", async (h) => {
  const err = await startBroker({ host: "127.0.0.1", port: h.broker.port }).catch((e) => e);
  expect(err).toBeInstanceOf(Error);
  expect(err.code).toBe("EADDRINUSE");
  expect(err.message).toContain(`127.0.0.1:${h.broker.port}`);
  expect(err.message).toContain("already in use");
});

test("close() ends connected clients and resolves", async (h) => {
  const c = await h.client();
  const r = await h.raw();
  const closed = new Promise<void>((res) => c.once("close", () => res()));
  await h.broker.close();
  await closed;
  await until(() => r.closed);
  await h.broker.close(); // idempotent
});
