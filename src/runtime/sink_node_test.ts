import { expect } from "expect";
import { SinkNode, type SinkNodeOptions } from "./sink_node.ts";
import type { Sink, SinkContext, SinkItem, SinkSpec } from "../io/types.ts";
import { SinkIoError } from "../io/sinks/io_error.ts";
import { getFormat } from "../formats/mod.ts";
import { recordingLogger } from "../io/sources/test_context.ts";
import { openSinkCacheDb } from "./sink_cache_store.ts";
import type { SqliteDatabase } from "../platform/mod.ts";
import { parseSinkProps } from "./sink_props.ts";

const decoder = new TextDecoder();

/** A sink whose peer can be taken down and brought back, recording what it delivered. */
class FlakyPeer {
  up = true;
  /** Non-recoverable rejection for payloads containing this text. */
  poison: string | undefined;
  delivered: SinkItem[] = [];
  attempts = 0;
  ctx: SinkContext | undefined;

  spec(payload: "bytes" | "rows" = "bytes"): SinkSpec {
    return {
      type: "flaky",
      payload,
      create: () => this.sink(),
    };
  }

  private sink(): Sink {
    return {
      connect: (ctx) => {
        this.ctx = ctx;
        ctx.setConnectionStatus("connected");
        return Promise.resolve();
      },
      collect: (item) => {
        this.attempts++;
        if (!this.up) return Promise.reject(new SinkIoError("peer is down"));
        if (this.poison && item.payload && decoder.decode(item.payload).includes(this.poison)) {
          return Promise.reject(new Error("peer refused the payload"));
        }
        this.delivered.push(item);
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    };
  }

  setUp(up: boolean): void {
    this.up = up;
    this.ctx?.setConnectionStatus(up ? "connected" : "disconnected");
  }

  texts(): string[] {
    return this.delivered.map((i) => decoder.decode(i.payload!));
  }
}

function node(
  peer: FlakyPeer,
  props: Record<string, unknown>,
  extra: Partial<SinkNodeOptions> = {},
): SinkNode {
  return new SinkNode({
    ruleId: "r1",
    type: "flaky",
    index: 0,
    spec: peer.spec(),
    props,
    format: getFormat("json")!,
    bufferLength: 4,
    logger: recordingLogger([]),
    onDrain: () => {},
    ...extra,
  });
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

function metricsOf(n: SinkNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of [...n.operators, n.metrics]) m.snapshot(out);
  return out;
}

Deno.test("sink node: dataTemplate renders each row with sendSingle, the array without", async () => {
  const peer = new FlakyPeer();
  const single = node(peer, { sendSingle: true, dataTemplate: '{"v":{{.a}}}' });
  single.open();
  single.collect([{ a: 1 }, { a: 2 }], 0);
  await until(() => peer.delivered.length === 2);
  expect(peer.texts()).toEqual(['{"v":1}', '{"v":2}']);
  await single.close();

  const peer2 = new FlakyPeer();
  const whole = node(peer2, { dataTemplate: "{{len .}} rows, first {{(index . 0).a}}" });
  whole.open();
  whole.collect([{ a: 1 }, { a: 2 }], 0);
  await until(() => peer2.delivered.length === 1);
  // JSON format sends the template's text as is, even when it is not JSON.
  expect(peer2.texts()).toEqual(["2 rows, first 1"]);
  await whole.close();
});

Deno.test("sink node: dataField and fields apply after the template; dynamic props per result", async () => {
  const peer = new FlakyPeer();
  const n = node(peer, {
    sendSingle: true,
    dataTemplate: '{"tele":{"h":{{.h}},"t":{{.t}},"id":{{.id}}},"id":{{.id}}}',
    dataField: "tele",
    fields: ["h", "t"],
    topic: "devices/{{.id}}",
  });
  n.open();
  n.collect([{ id: 7, h: 80.2, t: 31.2 }], 0);
  await until(() => peer.delivered.length === 1);
  expect(JSON.parse(peer.texts()[0])).toEqual({ h: 80.2, t: 31.2 });
  expect(peer.delivered[0].props).toEqual({ topic: "devices/7" });
  await n.close();
});

Deno.test("sink node: template errors count in the transform and drop only that result", async () => {
  const peer = new FlakyPeer();
  const n = node(peer, { sendSingle: true, dataTemplate: "{{index .a 3}}" });
  n.open();
  n.collect([{ a: [1] }, { a: [1, 2, 3, 4] }], 0);
  await until(() => peer.delivered.length === 1);
  expect(peer.texts()).toEqual(["4"]);
  const m = metricsOf(n);
  expect(m.op_flaky_0_0_transform_0_exceptions_total).toBe(1);
  expect(String(m.op_flaky_0_0_transform_0_last_exception)).toMatch(/index out of range: 3/);
  await n.close();
});

Deno.test("sink node: batchSize groups rows of several emissions; lingerInterval flushes the rest", async () => {
  const peer = new FlakyPeer();
  const n = node(peer, { batchSize: 3, lingerInterval: 80 });
  expect(n.operators.map((o) => o.name)).toEqual([
    "op_flaky_0_0_batch",
    "op_flaky_0_1_transform",
    "op_flaky_0_2_encode",
  ]);
  n.open();
  for (let i = 1; i <= 4; i++) n.collect([{ i }], 0);
  await until(() => peer.delivered.length === 1);
  expect(peer.texts()).toEqual(['[{"i":1},{"i":2},{"i":3}]']);
  const start = Date.now();
  await until(() => peer.delivered.length === 2);
  // The fourth row waited for the linger timer.
  expect(Date.now() - start).toBeGreaterThanOrEqual(40);
  expect(peer.texts()[1]).toBe('[{"i":4}]');
  await n.close();
});

Deno.test("sink node: lingerInterval alone sends what arrived within the interval as one message", async () => {
  const peer = new FlakyPeer();
  const n = node(peer, { lingerInterval: 60, sendSingle: true });
  n.open();
  n.collect([{ i: 1 }], 0);
  n.collect([{ i: 2 }, { i: 3 }], 0);
  await new Promise((r) => setTimeout(r, 20));
  expect(peer.delivered.length).toBe(0);
  await until(() => peer.delivered.length === 3);
  // sendSingle still splits the batch into one message per row.
  expect(peer.texts()).toEqual(['{"i":1}', '{"i":2}', '{"i":3}']);
  n.collect([{ i: 4 }], 0);
  await n.drain(1000); // stop flushes a pending batch
  expect(peer.texts().at(-1)).toBe('{"i":4}');
  await n.close();
});

Deno.test("sink node: without enableCache a failed result is counted and dropped", async () => {
  const peer = new FlakyPeer();
  const n = node(peer, { sendSingle: true });
  n.open();
  peer.setUp(false);
  n.collect([{ i: 1 }], 0);
  await until(() => peer.attempts === 1);
  peer.setUp(true);
  n.collect([{ i: 2 }], 0);
  await until(() => peer.delivered.length === 1);
  expect(peer.texts()).toEqual(['{"i":2}']);
  expect(metricsOf(n).sink_flaky_0_0_exceptions_total).toBe(1);
  await n.close();
});

async function memoryDb(): Promise<SqliteDatabase> {
  return await openSinkCacheDb(":memory:");
}

Deno.test("sink node: enableCache keeps results while the peer is down and resends them in order", async () => {
  const db = await memoryDb();
  const peer = new FlakyPeer();
  let drained = 0;
  const n = node(peer, {
    sendSingle: true,
    enableCache: true,
    memoryCacheThreshold: 3,
    bufferPageSize: 2,
  }, { cacheDb: () => Promise.resolve(db), onDrain: () => drained++ });
  n.open();
  n.collect([{ i: 0 }], 0);
  await until(() => peer.delivered.length === 1);
  peer.setUp(false);
  for (let i = 1; i <= 20; i++) {
    // As the scheduler does: no pull while the queue is full. The queue (bufferLength 4) fills
    // only until the first failure; from then on the cache takes the results and the rule runs on.
    await until(() => !n.isFull(), 500);
    n.collect([{ i }], 0);
  }
  await until(() => n.length === 20);
  const onDisk = Number(db.prepare("SELECT COUNT(*) AS n FROM sink_cache").get()!.n);
  expect(onDisk).toBe(17); // 3 in memory, the rest spilled
  expect(drained).toBeGreaterThan(0);
  peer.setUp(true); // "connected" wakes the retry at once
  await until(() => peer.delivered.length === 21);
  expect(peer.texts()).toEqual(Array.from({ length: 21 }, (_, i) => `{"i":${i}}`));
  const m = metricsOf(n);
  expect(m.sink_flaky_0_0_records_out_total).toBe(21);
  expect(m.op_flaky_0_2_cache_0_records_out_total).toBe(20);
  expect(m.sink_flaky_0_0_buffer_length).toBe(0);
  await n.close();
  expect(Number(db.prepare("SELECT COUNT(*) AS n FROM sink_cache").get()!.n)).toBe(0);
  db.close();
});

Deno.test("sink node: resendInterval spaces resent results", async () => {
  const db = await memoryDb();
  const peer = new FlakyPeer();
  const n = node(peer, { sendSingle: true, enableCache: true, resendInterval: 40 }, {
    cacheDb: () => Promise.resolve(db),
  });
  n.open();
  peer.setUp(false);
  for (let i = 0; i < 4; i++) n.collect([{ i }], 0);
  await until(() => n.length === 4 && peer.attempts >= 1);
  const start = Date.now();
  peer.setUp(true);
  await until(() => peer.delivered.length === 4);
  expect(Date.now() - start).toBeGreaterThanOrEqual(3 * 40 - 5);
  await n.close();
  db.close();
});

Deno.test("sink node: a non-recoverable failure is dropped even with enableCache", async () => {
  const db = await memoryDb();
  const peer = new FlakyPeer();
  peer.poison = "bad";
  const n = node(peer, { sendSingle: true, enableCache: true }, {
    cacheDb: () => Promise.resolve(db),
  });
  n.open();
  n.collect([{ v: "ok1" }, { v: "bad" }, { v: "ok2" }], 0);
  await until(() => peer.delivered.length === 2);
  expect(peer.texts()).toEqual(['{"v":"ok1"}', '{"v":"ok2"}']);
  expect(metricsOf(n).sink_flaky_0_0_exceptions_total).toBe(1);
  await n.close();
  db.close();
});

Deno.test("sink node: cached results survive a rule restart and go before new ones", async () => {
  const db = await memoryDb();
  const peer = new FlakyPeer();
  const props = { sendSingle: true, enableCache: true, memoryCacheThreshold: 2 };
  const first = node(peer, props, { cacheDb: () => Promise.resolve(db) });
  first.open();
  peer.setUp(false);
  for (let i = 0; i < 5; i++) first.collect([{ i }], 0);
  await until(() => peer.attempts >= 1 && first.length === 5);
  await first.close(); // memory part persisted
  expect(Number(db.prepare("SELECT COUNT(*) AS n FROM sink_cache").get()!.n)).toBe(5);

  const peer2 = new FlakyPeer();
  const second = node(peer2, props, { cacheDb: () => Promise.resolve(db), spec: peer2.spec() });
  second.collect([{ i: 5 }], 0); // arrives before the cache is loaded
  second.open();
  second.collect([{ i: 6 }], 0);
  await until(() => peer2.delivered.length === 7);
  expect(peer2.texts()).toEqual(Array.from({ length: 7 }, (_, i) => `{"i":${i}}`));
  await second.close();
  db.close();
});

Deno.test("sink node: cleanCacheAtStop forgets cached results", async () => {
  const db = await memoryDb();
  const peer = new FlakyPeer();
  const n = node(peer, { sendSingle: true, enableCache: true, cleanCacheAtStop: true }, {
    cacheDb: () => Promise.resolve(db),
  });
  n.open();
  peer.setUp(false);
  for (let i = 0; i < 3; i++) n.collect([{ i }], 0);
  await until(() => peer.attempts >= 1);
  await n.close();
  expect(Number(db.prepare("SELECT COUNT(*) AS n FROM sink_cache").get()!.n)).toBe(0);
  db.close();
});

Deno.test("sink props: invalid values are clear errors at rule creation", () => {
  expect(() => parseSinkProps({ dataTemplate: "{{.a" })).toThrow(
    /invalid dataTemplate template: line 1: unclosed action/,
  );
  expect(() => parseSinkProps({ topic: "a/{{nofunc}}" })).toThrow(
    /invalid topic template: .*"nofunc" not defined/,
  );
  expect(() => parseSinkProps({ headers: { a: "{{if}}" } })).toThrow(/invalid headers.a template/);
  expect(() => parseSinkProps({ batchSize: -1 })).toThrow(/invalid batchSize/);
  expect(() => parseSinkProps({ lingerInterval: "soon" })).toThrow(/invalid lingerInterval/);
  expect(() => parseSinkProps({ fields: "a" })).toThrow(/invalid fields/);
  expect(() => parseSinkProps({ enableCache: "yes" })).toThrow(/invalid enableCache/);
  expect(() => parseSinkProps({ enableCache: true, memoryCacheThreshold: -5 })).toThrow(
    /memoryCacheThreshold/,
  );
  expect(parseSinkProps({ lingerInterval: "2s", resendInterval: 10 }).lingerInterval).toBe(2000);
  expect(parseSinkProps({ enableCache: true, resendInterval: "1s" }).cache?.resendInterval).toBe(
    1000,
  );
});

Deno.test("sink node: the sink's synchronous fast path and collect share one ordered stream", async () => {
  // trySend takes results while its "socket" has room (2 at a time), then collect is awaited.
  const delivered: string[] = [];
  let room = 2;
  let slow = 0;
  const spec: SinkSpec = {
    type: "fast",
    payload: "bytes",
    create: () => ({
      connect: () => Promise.resolve(),
      trySend: (item) => {
        if (room === 0) return false;
        room--;
        delivered.push(decoder.decode(item.payload!));
        return true;
      },
      collect: async (item) => {
        slow++;
        await new Promise((r) => setTimeout(r, 1));
        delivered.push(decoder.decode(item.payload!));
        room = 2;
      },
      close: () => Promise.resolve(),
    }),
  };
  const n = new SinkNode({
    ruleId: "r1",
    type: "fast",
    index: 0,
    spec,
    props: {},
    format: getFormat("json")!,
    bufferLength: 100,
    logger: recordingLogger([]),
    onDrain: () => {},
  });
  n.open();
  try {
    for (let i = 0; i < 9; i++) n.collect([{ i }], Date.now());
    await until(() => delivered.length === 9);
    expect(delivered).toEqual(Array.from({ length: 9 }, (_, i) => `[{"i":${i}}]`));
    expect(slow).toBe(3); // results 2, 5 and 8 waited for collect
    const stats: Record<string, unknown> = {};
    n.metrics.snapshot(stats);
    expect(stats.sink_fast_0_0_records_out_total).toBe(9);
    expect(stats.sink_fast_0_0_messages_processed_total).toBe(9);
    // Running now: a result nothing waits before leaves at once, without the queue; one behind
    // a result that waits for collect goes after it.
    n.collect([{ i: 9 }], Date.now());
    expect(delivered.length).toBe(10);
    room = 0;
    n.collect([{ i: 10 }], Date.now());
    room = 2;
    n.collect([{ i: 11 }], Date.now());
    await until(() => delivered.length === 12);
    expect(delivered.slice(9)).toEqual(['[{"i":9}]', '[{"i":10}]', '[{"i":11}]']);
  } finally {
    await n.close();
  }
});
