import { expect } from "expect";
import { openDenoTcp } from "./deno_tcp_transport.ts";
import type { TransportEvents } from "./mqtt_transport.ts";
import { until } from "../../../test/helpers/until.ts";

/** A transport to a local listener, with what it reported. */
function open(port: number) {
  const got = {
    opened: 0,
    closed: [] as (Error | undefined)[],
    data: [] as Uint8Array[],
    drains: 0,
  };
  const ev: TransportEvents = {
    open: () => got.opened++,
    data: (chunk) => got.data.push(chunk),
    close: (e) => got.closed.push(e),
    drain: () => got.drains++,
  };
  return { t: openDenoTcp("127.0.0.1", port, ev), got };
}

async function readAll(conn: Deno.Conn): Promise<Uint8Array> {
  const parts: number[] = [];
  const buf = new Uint8Array(1024);
  for (;;) {
    const n = await conn.read(buf);
    if (n === null) return Uint8Array.from(parts);
    parts.push(...buf.subarray(0, n));
  }
}

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (chunks: Uint8Array[]) => chunks.map((c) => new TextDecoder().decode(c)).join("");

Deno.test("deno tcp: writes before and after connect arrive in order; end half-closes", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { t, got } = open(listener.addr.port);
  t.write(bytes("a")); // queued until connected
  const server = await listener.accept();
  await until(() => got.opened === 1);
  t.write(bytes("b"));
  t.write(bytes("c"));
  t.end();
  expect(new TextDecoder().decode(await readAll(server))).toBe("abc");
  await server.write(bytes("bye"));
  server.close();
  await until(() => got.closed.length === 1);
  expect(got.closed).toEqual([undefined]);
  expect(text(got.data)).toBe("bye");
  listener.close();
});

Deno.test("deno tcp: paused, at most the read in flight arrives; resume reads what waited", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { t, got } = open(listener.addr.port);
  const server = await listener.accept();
  await until(() => got.opened === 1);
  await server.write(bytes("one"));
  await until(() => got.data.length === 1);
  t.pause();
  await server.write(bytes("two")); // the read already asked for takes it
  await until(() => text(got.data) === "onetwo");
  await server.write(bytes("three"));
  await new Promise((r) => setTimeout(r, 50));
  expect(text(got.data)).toBe("onetwo");
  t.resume();
  await until(() => text(got.data) === "onetwothree");
  t.destroy();
  server.close();
  listener.close();
});

Deno.test("deno tcp: chunks stay as read while later reads arrive", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { t, got } = open(listener.addr.port);
  const server = await listener.accept();
  await until(() => got.opened === 1);
  for (let i = 0; i < 50; i++) {
    await server.write(new Uint8Array(3000).fill(i));
    await new Promise((r) => setTimeout(r, 1));
  }
  await until(() => got.data.reduce((n, c) => n + c.length, 0) === 150_000);
  // Each chunk still holds its own bytes: no later read wrote over it.
  const all = new Uint8Array(150_000);
  let o = 0;
  for (const c of got.data) {
    all.set(c, o);
    o += c.length;
  }
  for (let i = 0; i < 50; i++) expect(all[i * 3000 + 2999]).toBe(i);
  t.destroy();
  server.close();
  listener.close();
});

Deno.test("deno tcp: a refused connection closes with its error, without opening", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const { got } = open(port);
  await until(() => got.closed.length === 1);
  expect(got.opened).toBe(0);
  expect(got.closed[0]).toBeInstanceOf(Error);
});

Deno.test("deno tcp: destroy closes once and refuses further writes", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { t, got } = open(listener.addr.port);
  const server = await listener.accept();
  await until(() => got.opened === 1);
  t.destroy();
  t.destroy();
  expect(t.write(bytes("x"))).toBe(false);
  await until(() => got.closed.length === 1);
  expect(await readAll(server)).toEqual(new Uint8Array());
  server.close();
  listener.close();
});
