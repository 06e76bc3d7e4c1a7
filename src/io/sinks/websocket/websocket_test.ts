import { expect } from "expect";
import { webSocketSink } from "./mod.ts";
import { recordingSinkContext } from "../test_context.ts";
import { configurePushServer, pushServerAddress } from "../../sources/httppush/server.ts";

configurePushServer({ hostname: "127.0.0.1", port: 0 });

const enc = new TextEncoder();

async function until(fn: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

Deno.test("websocket sink, server mode: results go to every client, text or binary frames", async () => {
  const sink = webSocketSink.create({ path: "/results" });
  await sink.connect(recordingSinkContext());
  // Nobody connected yet: the result goes nowhere, without an error (as eKuiper).
  await sink.collect({ data: {}, payload: enc.encode("lost") });
  const port = pushServerAddress()!.port;
  const got: [string, unknown][] = [];
  const clients = [1, 2].map((i) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/results`);
    ws.binaryType = "arraybuffer";
    ws.onmessage = (e) =>
      got.push([`c${i}`, typeof e.data === "string" ? e.data : [...new Uint8Array(e.data)]]);
    return ws;
  });
  const closed = clients.map((ws) => new Promise((r) => ws.addEventListener("close", r)));
  await Promise.all(clients.map((ws) => new Promise((r) => ws.addEventListener("open", r))));
  await sink.collect({ data: { a: 1 }, payload: enc.encode(`{"a":1}`) });
  await sink.collect({ data: {}, payload: new Uint8Array([0xff, 0x00]) }); // not UTF-8
  await until(() => got.length === 4);
  expect(got.filter(([c]) => c === "c1").map(([, d]) => d)).toEqual([`{"a":1}`, [255, 0]]);
  expect(got.filter(([c]) => c === "c2").length).toBe(2);
  await sink.close(); // disconnects the clients and stops the push server
  await Promise.all(closed);
  expect(pushServerAddress()).toBeUndefined();
});

Deno.test("websocket sink, client mode: results fail while the peer is unreachable", async () => {
  const sink = webSocketSink.create({ addr: "127.0.0.1:9", path: "/x" });
  const ctx = recordingSinkContext();
  // connect gives up waiting after a while and lets the rule run; retries go on in background.
  const connecting = sink.connect(ctx);
  await until(() => ctx.statuses.includes("disconnected"));
  await expect(sink.collect({ data: {}, payload: enc.encode("x") })).rejects.toThrow(
    /ws:\/\/127\.0\.0\.1:9\/x is not connected/,
  );
  await sink.close();
  await connecting;
});
