import { expect } from "expect";
import { webSocketSource } from "./mod.ts";
import { recordingSourceContext } from "../test_context.ts";
import { configurePushServer, pushServerAddress } from "../httppush/server.ts";
import { webSocketSink } from "../../sinks/websocket/mod.ts";
import { recordingSinkContext } from "../../sinks/test_context.ts";
import { until } from "../../../../test/helpers/until.ts";
import {
  webSocketClientPeer,
  webSocketServerPeer,
} from "../../../../test/helpers/websocket_peers.ts";

configurePushServer({ hostname: "127.0.0.1", port: 0 });

const text = (b?: Uint8Array) => new TextDecoder().decode(b);

Deno.test({
  name: "websocket client mode: source receives, sink sends, both reconnect",
  async fn() {
    let p = webSocketServerPeer();
    const port = p.port;
    const src = webSocketSource.create({
      datasource: "/in",
      format: "json",
      addr: `127.0.0.1:${port}`,
    });
    const sink = webSocketSink.create({ addr: `ws://127.0.0.1:${port}`, path: "/out" });
    const sctx = recordingSourceContext();
    const kctx = recordingSinkContext();
    try {
      await src.open(sctx);
      await sink.connect(kctx);
      expect(sctx.statuses).toEqual(["connecting", "connected"]);
      expect(p.sockets.size).toBe(2);
      p.send(`{"a":1}`);
      await until(() => sctx.messages.length === 1); // the sink's socket ignores what it gets
      expect(text(sctx.messages[0].payload)).toBe(`{"a":1}`);
      await sink.collect({ data: { b: 2 }, payload: new TextEncoder().encode(`{"b":2}`) });
      await until(() => p.received.length === 1);
      expect(p.received).toEqual([`{"b":2}`]);

      // The peer goes away: the sink refuses results, then both reconnect to the new peer.
      await p.stop();
      await until(() => kctx.statuses.includes("disconnected"));
      await expect(sink.collect({ data: {}, payload: new Uint8Array([123, 125]) })).rejects
        .toThrow(/is not connected/);
      p = webSocketServerPeer(port);
      await until(() => p.sockets.size === 2, 5000);
      await sink.collect({ data: {}, payload: new TextEncoder().encode("again") });
      await until(() => p.received.length === 1);
      expect(p.received).toEqual(["again"]);
    } finally {
      await src.close();
      await sink.close();
      await p.stop();
    }
  },
});

Deno.test({
  name: "websocket server mode: served on the push server; source and sink share a path",
  async fn() {
    const src = webSocketSource.create({ datasource: "/ws", format: "json", addr: "" });
    const sink = webSocketSink.create({ path: "/ws" });
    const sctx = recordingSourceContext();
    await src.open(sctx);
    await sink.connect(recordingSinkContext());
    const a = pushServerAddress()!;
    const c1 = webSocketClientPeer(`ws://127.0.0.1:${a.port}/ws`);
    const c2 = webSocketClientPeer(`ws://127.0.0.1:${a.port}/ws`);
    try {
      await c1.opened;
      await c2.opened;
      c1.ws.send(`{"from":1}`);
      c2.ws.send(new TextEncoder().encode(`{"from":2}`));
      await until(() => sctx.messages.length === 2);
      expect(sctx.messages.map((m) => text(m.payload)).sort()).toEqual([
        `{"from":1}`,
        `{"from":2}`,
      ]);
      await sink.collect({ data: {}, payload: new TextEncoder().encode(`{"out":1}`) });
      await until(() => c1.got.length === 1 && c2.got.length === 1);
      expect(c2.got).toEqual([`{"out":1}`]);
      // A plain POST to the path is not a websocket: 404 from the push server.
      const r = await fetch(`http://127.0.0.1:${a.port}/ws`, { method: "POST", body: "x" });
      await r.body?.cancel();
      expect(r.status).toBe(404);
    } finally {
      await src.close();
      expect(pushServerAddress()).toBeDefined(); // the sink still uses the endpoint
      await sink.close();
      await c1.closed;
      await c2.closed;
    }
    expect(pushServerAddress()).toBeUndefined();
  },
});

Deno.test("websocket: validate", () => {
  const vs = (p: Record<string, unknown>) => () =>
    webSocketSource.validate!({ datasource: "", format: "json", ...p });
  expect(vs({ datasource: "/a" })).not.toThrow();
  expect(vs({ path: "/a", addr: "h:1" })).not.toThrow();
  expect(vs({ datasource: "a" })).toThrow(/must start with \//);
  expect(vs({ datasource: "/a", addr: "h:1", scheme: "http" })).toThrow(/invalid scheme/);
  expect(vs({ datasource: "/a", addr: "h:1", requestHeader: "x" })).toThrow(/requestHeader/);
  expect(() => webSocketSink.validate!({})).toThrow(/websocket sink: the endpoint path "" must/);
});
