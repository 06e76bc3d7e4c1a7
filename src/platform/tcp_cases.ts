/**
 * What `tcp.ts` promises, as cases that run under whichever runtime imports them: `tcp_test.ts`
 * runs them under Deno, and under Bun by running this file (`bun run src/platform/tcp_cases.ts`
 * prints one line per case and exits 1 if any failed). Assertions are `node:assert`'s, which both
 * runtimes provide.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  connectTcp,
  listenTcp,
  type TcpEvents,
  type TcpListener,
  type TcpSocket,
  YIELD_AFTER_BYTES,
} from "./tcp.ts";

/** What a socket reported. */
interface Seen {
  opened: number;
  data: Uint8Array[];
  drains: number;
  closed: (Error | undefined)[];
}

function seen(): Seen {
  return { opened: 0, data: [], drains: 0, closed: [] };
}

function recorder(got: Seen): TcpEvents {
  return {
    open: () => got.opened++,
    data: (chunk) => got.data.push(chunk),
    drain: () => got.drains++,
    close: (e) => got.closed.push(e),
  };
}

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (got: Seen) => got.data.map((c) => new TextDecoder().decode(c)).join("");
const received = (got: Seen) => got.data.reduce((n, c) => n + c.length, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** A listener on a free port whose accepted sockets are recorded. */
function server(): { listener: TcpListener; accepted: { socket: TcpSocket; got: Seen }[] } {
  const accepted: { socket: TcpSocket; got: Seen }[] = [];
  const listener = listenTcp({
    host: "127.0.0.1",
    port: 0,
    accept(socket) {
      const got = seen();
      accepted.push({ socket, got });
      return recorder(got);
    },
  });
  return { listener, accepted };
}

/** A connection to a fresh listener, both ends recorded. */
async function pair() {
  const { listener, accepted } = server();
  const client = seen();
  const socket = connectTcp("127.0.0.1", listener.port, recorder(client));
  await until("accept", () => accepted.length === 1 && client.opened === 1);
  return { listener, client, socket, peer: accepted[0] };
}

export const cases: Record<string, () => Promise<void>> = {
  async "writes before and after connecting arrive in order; both ends close after end"() {
    const { listener, accepted } = server();
    const client = seen();
    const socket = connectTcp("127.0.0.1", listener.port, recorder(client));
    socket.write(bytes("a")); // queued until connected
    await until("open", () => client.opened === 1);
    assert.equal(socket.remote, `127.0.0.1:${listener.port}`);
    socket.write(bytes("b"));
    socket.write(bytes("c"));
    await until("accept", () => accepted.length === 1);
    const peer = accepted[0];
    assert.match(peer.socket.remote, /^127\.0\.0\.1:\d+$/);
    await until("abc", () => text(peer.got) === "abc");
    // The peer answers and ends; the client's end after it closes both sides.
    peer.socket.write(bytes("bye"));
    peer.socket.end();
    assert.equal(peer.socket.write(bytes("late")), false);
    await until("bye", () => text(client) === "bye");
    await until("client close", () => client.closed.length === 1);
    await until("peer close", () => peer.got.closed.length === 1);
    assert.deepEqual([client.closed, peer.got.closed], [[undefined], [undefined]]);
    assert.equal(socket.ended, true);
    await listener.close();
  },

  async "a peer's end closes the socket after what was written in the same turn"() {
    const { listener, client, socket, peer } = await pair();
    const reply = new Uint8Array(200_000).fill(7);
    // The peer writes and ends in one turn: all of it arrives before the close.
    peer.socket.write(reply);
    peer.socket.end();
    await until("client close", () => client.closed.length === 1);
    assert.equal(received(client), reply.length);
    assert.equal(socket.ended, true);
    await until("peer close", () => peer.got.closed.length === 1);
    await listener.close();
  },

  async "paused, nothing new is read; resume reads what waited"() {
    const { listener, client, socket, peer } = await pair();
    peer.socket.write(bytes("one"));
    await until("one", () => text(client) === "one");
    socket.pause();
    peer.socket.write(bytes("two")); // a read already in progress may take this one
    await sleep(50);
    peer.socket.write(bytes("three"));
    await sleep(50);
    assert.ok(["one", "onetwo"].includes(text(client)), text(client));
    socket.resume();
    await until("three", () => text(client) === "onetwothree");
    socket.destroy();
    await until("peer close", () => peer.got.closed.length === 1);
    await listener.close();
  },

  async "a large read lets the event loop's immediates run before the next one"() {
    // Where the rule scheduler runs: a flood must not be read ahead of the rules consuming it.
    const { listener, accepted } = server();
    let pendingSince = -1;
    let readAhead = 0;
    let total = 0;
    const socket = connectTcp("127.0.0.1", listener.port, {
      open() {},
      data(chunk) {
        total += chunk.length;
        if (pendingSince >= YIELD_AFTER_BYTES) readAhead++;
        pendingSince = chunk.length;
        setImmediate(() => pendingSince = -1);
      },
      drain() {},
      close() {},
    });
    await until("accept", () => accepted.length === 1);
    const flood = new Uint8Array(4 * 1024 * 1024).fill(1);
    accepted[0].socket.write(flood);
    await until("4 MiB", () => total === flood.length);
    assert.equal(readAhead, 0);
    socket.destroy();
    await listener.close();
  },

  async "chunks keep their bytes while later reads arrive"() {
    const { listener, client, socket, peer } = await pair();
    for (let i = 0; i < 50; i++) {
      peer.socket.write(new Uint8Array(3000).fill(i));
      await sleep(1);
    }
    await until("150,000 bytes", () => received(client) === 150_000);
    const all = new Uint8Array(150_000);
    let o = 0;
    for (const c of client.data) {
      all.set(c, o);
      o += c.length;
    }
    for (let i = 0; i < 50; i++) assert.deepEqual([all[i * 3000], all[i * 3000 + 2999]], [i, i]);
    socket.destroy();
    await listener.close();
  },

  async "a writer past the high water mark is told to wait, then drained; nothing is lost"() {
    const { listener, client, socket, peer } = await pair();
    peer.socket.pause();
    const block = new Uint8Array(256 * 1024);
    let sent = 0;
    let refused = false;
    // Write until congested; the peer reads nothing meanwhile.
    for (let i = 0; i < 64 && !refused; i++) {
      block.fill(i);
      refused = !socket.write(block.slice());
      sent += block.length;
      await sleep(0);
    }
    assert.equal(refused, true);
    assert.ok(socket.unsent > 0);
    peer.socket.resume();
    await until("drain", () => client.drains === 1);
    await until("everything", () => received(peer.got) === sent, 10_000);
    assert.equal(socket.unsent, 0);
    // In order: each block's bytes carry its index.
    let o = 0;
    const blocks = new Set<number>();
    for (const c of peer.got.data) {
      for (let k = 0; k < c.length; k += 4096) blocks.add(Math.floor((o + k) / block.length));
      const first = Math.floor(o / block.length);
      assert.equal(c[0], first);
      o += c.length;
    }
    assert.equal(blocks.size, sent / block.length);
    socket.destroy();
    await listener.close();
  },

  async "a refused connection closes with its error, without opening"() {
    const { listener } = server();
    const port = listener.port;
    await listener.close();
    const client = seen();
    connectTcp("127.0.0.1", port, recorder(client));
    await until("close", () => client.closed.length === 1);
    assert.equal(client.opened, 0);
    assert.ok(client.closed[0] instanceof Error);
  },

  async "destroy closes once, refuses writes, and the peer sees the end"() {
    const { listener, client, socket, peer } = await pair();
    socket.destroy();
    socket.destroy();
    assert.equal(socket.write(bytes("x")), false);
    await until("client close", () => client.closed.length === 1);
    await until("peer close", () => peer.got.closed.length === 1);
    assert.equal(received(peer.got), 0);
    await sleep(20);
    assert.equal(client.closed.length, 1);
    await listener.close();
  },

  async "a taken port is refused with EADDRINUSE; a closed listener accepts no more, and frees its port"() {
    const { listener, client, socket, peer } = await pair();
    let code: unknown;
    try {
      listenTcp({ host: "127.0.0.1", port: listener.port, accept: () => recorder(seen()) });
    } catch (e) {
      code = (e as { code?: string }).code;
    }
    assert.equal(code, "EADDRINUSE");
    await listener.close();
    const late = seen();
    connectTcp("127.0.0.1", listener.port, recorder(late));
    await until("refused", () => late.closed.length === 1);
    assert.equal(late.opened, 0);
    // Its port is free again as soon as close() has resolved.
    const again = listenTcp({
      host: "127.0.0.1",
      port: listener.port,
      accept: () => recorder(seen()),
    });
    await again.close();
    // The socket accepted before still works.
    socket.write(bytes("still"));
    await until("still", () => text(peer.got) === "still");
    socket.destroy();
    await until("client close", () => client.closed.length === 1);
  },
};

cases["a failing handler closes its own socket with the error; the listener goes on"] =
  async () => {
    const errors: string[] = [];
    let n = 0;
    const listener = listenTcp({
      host: "127.0.0.1",
      port: 0,
      accept() {
        if (++n === 1) throw new Error("refused by accept");
        return {
          data() {
            throw new Error("bad data");
          },
          drain() {},
          close: (e) => errors.push(`closed: ${e?.message}`),
        };
      },
      acceptError: (e) => errors.push(`accept: ${e.message}`),
    });
    const first = seen();
    connectTcp("127.0.0.1", listener.port, recorder(first));
    await until("first closed", () => first.closed.length === 1);
    const second = seen();
    const socket = connectTcp("127.0.0.1", listener.port, recorder(second));
    await until("second open", () => second.opened === 1);
    socket.write(bytes("x"));
    await until("second closed", () => second.closed.length === 1);
    assert.deepEqual(errors, ["accept: refused by accept", "closed: bad data"]);
    await listener.close();
  };

/** Runs every case; one line each; true when all passed. */
export async function runCases(): Promise<boolean> {
  let ok = true;
  for (const [name, fn] of Object.entries(cases)) {
    try {
      await fn();
      console.log(`ok   ${name}`);
    } catch (e) {
      ok = false;
      console.log(`FAIL ${name}: ${(e as Error).stack ?? e}`);
    }
  }
  return ok;
}

if (import.meta.main) {
  const ok = await runCases();
  (globalThis as unknown as { process: { exit(code: number): void } }).process.exit(ok ? 0 : 1);
}
