import { expect } from "expect";
import net from "node:net";
import { MqttClient, type MqttClientEvents, type MqttClientOptions } from "./mqtt_client.ts";
import type { InboundPublish } from "./mqtt_wire.ts";
import { noTestBroker, startTestBroker, uniqueTopic, waitFor } from "./mqtt_test_broker.ts";

const dec = new TextDecoder();
const enc = new TextEncoder();

function options(server: string, over: Partial<MqttClientOptions> = {}): MqttClientOptions {
  return {
    server,
    clientId: `weir_ct_${crypto.randomUUID().slice(0, 8)}`,
    protocolVersion: 4,
    tls: { rejectUnauthorized: true },
    keepaliveS: 60,
    reconnectPeriodMs: 100,
    connectTimeoutMs: 2000,
    ...over,
  };
}

/** A message as recorded: its fields, the payload copied (getters are not copied). */
type Recorded = Omit<InboundPublish, "start" | "end" | "timestamp">;

/** A client whose events are recorded. */
function recorded(o: MqttClientOptions) {
  const log = { connects: 0, closes: 0, errors: [] as string[], messages: [] as Recorded[] };
  const events: MqttClientEvents = {
    connect: () => log.connects++,
    reconnect: () => {},
    close: () => log.closes++,
    error: (e) => log.errors.push(e.message),
    message: (m) => log.messages.push({ ...m, payload: m.payload.slice() }),
  };
  return { client: new MqttClient(o, events), log };
}

function subscribed(c: MqttClient, filter: string, qos: 0 | 1 | 2): Promise<number[]> {
  return new Promise((resolve, reject) =>
    c.subscribe(filter, qos, undefined, (e, codes) => e ? reject(e) : resolve(codes!))
  );
}

function published(c: MqttClient, topic: string, body: string, qos: 0 | 1 | 2): Promise<void> {
  return new Promise((resolve, reject) =>
    c.publish(topic, enc.encode(body), qos, false, undefined, (e) => e ? reject(e) : resolve())
  );
}

for (const protocolVersion of [3, 4, 5] as const) {
  Deno.test(
    `mqtt client: qos 0, 1 and 2 in both directions, in order (v${protocolVersion})`,
    { ignore: noTestBroker },
    async () => {
      const broker = await startTestBroker();
      const sub = recorded(options(broker.url, { protocolVersion }));
      const pub = recorded(options(broker.url, { protocolVersion }));
      try {
        await waitFor(() => sub.client.connected && pub.client.connected, 3000, "connected");
        const topic = uniqueTopic("client");
        expect(await subscribed(sub.client, `${topic}/#`, 2)).toEqual([2]);
        const sent: string[] = [];
        for (let i = 0; i < 300; i++) {
          const qos = (i % 3) as 0 | 1 | 2;
          sent.push(`${qos}:${i}`);
          const done = published(pub.client, `${topic}/q${qos}`, `${qos}:${i}`, qos);
          if (i % 50 === 0) await done; // mostly pipelined
        }
        await waitFor(() => sub.log.messages.length >= 300, 5000, "300 messages");
        // Per qos, in publish order (the broker may interleave the qos levels).
        for (const q of [0, 1, 2]) {
          const got = sub.log.messages.filter((m) => m.qos === q).map((m) => dec.decode(m.payload));
          expect(got).toEqual(sent.filter((s) => s.startsWith(`${q}:`)));
        }
        expect(sub.log.errors).toEqual([]);
      } finally {
        await Promise.all([sub.client.end(), pub.client.end()]);
        await broker.close();
      }
    },
  );
}

Deno.test("mqtt client: pause holds messages, resume delivers them all", {
  ignore: noTestBroker,
}, async () => {
  const broker = await startTestBroker();
  const sub = recorded(options(broker.url));
  const pub = recorded(options(broker.url));
  try {
    await waitFor(() => sub.client.connected && pub.client.connected, 3000, "connected");
    const topic = uniqueTopic("pause");
    await subscribed(sub.client, topic, 1);
    sub.client.pause();
    for (let i = 0; i < 2000; i++) {
      pub.client.publish(topic, enc.encode(`${i}`), 0, false, undefined);
    }
    await published(pub.client, topic, "last", 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(sub.log.messages.length).toBe(0);
    sub.client.resume();
    await waitFor(() => sub.log.messages.length === 2001, 5000, "all messages after resume");
    expect(sub.log.messages.map((m) => dec.decode(m.payload)).slice(0, 3)).toEqual(["0", "1", "2"]);
  } finally {
    await Promise.all([sub.client.end(), pub.client.end()]);
    await broker.close();
  }
});

/** A fake broker: accepts CONNECT with a CONNACK, then does what `then` says. */
async function fakeBroker(then: (s: net.Socket, n: number) => void) {
  let n = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.once("data", () => {
      s.write(new Uint8Array([0x20, 2, 0, 0])); // CONNACK, accepted
      then(s, ++n);
    });
    s.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `tcp://127.0.0.1:${port}`,
    connections: () => n,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

Deno.test("mqtt client: a malformed packet drops the connection, which comes back", async () => {
  const fake = await fakeBroker((s, n) => {
    // First connection: a PUBLISH claiming qos 3. Later ones: a good message.
    if (n === 1) s.write(new Uint8Array([0x36, 4, 0, 1, 0x61, 0]));
    else s.write(new Uint8Array([0x30, 4, 0, 1, 0x61, 0x7a]));
  });
  const c = recorded(options(fake.url));
  try {
    await waitFor(() => c.log.messages.length === 1, 3000, "a message after reconnecting");
    expect(c.log.errors).toContain("mqtt protocol error: PUBLISH with qos 3");
    expect(c.log.closes).toBeGreaterThanOrEqual(1);
    expect(fake.connections()).toBe(2);
    expect(dec.decode(c.log.messages[0].payload)).toBe("z");
  } finally {
    await c.client.end();
    await fake.close();
  }
});

Deno.test("mqtt client: a malformed SUBACK is a protocol error that names it", async () => {
  const fake = await fakeBroker((s) => {
    // SUBACK for packet id 1 granting qos 3: not a valid 3.1.1 return code.
    s.on("data", () => s.write(new Uint8Array([0x90, 3, 0, 1, 3])));
  });
  const c = recorded(options(fake.url));
  try {
    await waitFor(() => c.client.connected, 3000, "connected");
    const failed = expect(subscribed(c.client, "t", 1)).rejects.toThrow("Connection closed");
    await failed;
    expect(c.log.errors).toContain("mqtt protocol error: SUBACK: invalid reason code 0x3");
  } finally {
    await c.client.end();
    await fake.close();
  }
});

Deno.test("mqtt client: a broker that stops answering pings is left", async () => {
  const fake = await fakeBroker(() => {}); // never answers PINGREQ
  const c = recorded(options(fake.url, { keepaliveS: 1 }));
  try {
    await waitFor(() => c.log.errors.some((e) => /no PINGRESP/.test(e)), 3000, "ping timeout");
    await waitFor(() => fake.connections() >= 2, 3000, "a new connection");
  } finally {
    await c.client.end();
    await fake.close();
  }
});

Deno.test("mqtt client: in-flight publishes fail when the connection drops", async () => {
  const fake = await fakeBroker(() => {}); // never acks
  const c = recorded(options(fake.url));
  try {
    await waitFor(() => c.client.connected, 3000, "connected");
    const failed = expect(published(c.client, "t", "x", 1)).rejects.toThrow("Connection closed");
    await fake.close();
    await failed;
  } finally {
    await c.client.end();
  }
});
