import { expect } from "expect";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SinkCache } from "./sink_cache.ts";
import { openSinkCacheDb } from "./sink_cache_store.ts";
import type { CacheProps } from "./sink_props.ts";
import type { SinkItem } from "../io/types.ts";

const props = (p: Partial<CacheProps> = {}): CacheProps => ({
  memoryCacheThreshold: 2,
  maxDiskCache: 100,
  bufferPageSize: 3,
  resendInterval: 0,
  cleanCacheAtStop: false,
  ...p,
});

const item = (i: number): SinkItem => ({
  data: { i: BigInt(i), f: i + 0.5, b: new Uint8Array([i]) },
  payload: new TextEncoder().encode(`p${i}`),
  props: { topic: `t/${i}` },
});

function drainAll(c: SinkCache): SinkItem[] {
  const out: SinkItem[] = [];
  for (let it = c.peek(); it; it = c.peek()) {
    out.push(it);
    c.shift();
  }
  return out;
}

Deno.test("sink cache: FIFO across memory and disk pages, values round-trip", async () => {
  const db = await openSinkCacheDb(":memory:");
  const c = new SinkCache(db, "r/s_0", props());
  for (let i = 0; i < 10; i++) c.push(item(i));
  expect(c.length).toBe(10);
  expect(c.onDisk).toBe(8);
  // Pushes while the first page is being consumed still land behind it.
  expect((c.peek()!.data as { i: bigint }).i).toBe(0n);
  c.shift();
  c.shift();
  c.peek(); // loads a page from disk
  c.push(item(10));
  const rest = drainAll(c);
  expect(rest.map((x) => (x.data as { i: bigint }).i)).toEqual([
    2n,
    3n,
    4n,
    5n,
    6n,
    7n,
    8n,
    9n,
    10n,
  ]);
  const last = rest.at(-1)!;
  expect(last.data).toEqual({ i: 10n, f: 10.5, b: new Uint8Array([10]) });
  expect(new TextDecoder().decode(last.payload)).toBe("p10");
  expect(last.props).toEqual({ topic: "t/10" });
  expect(c.length).toBe(0);
  db.close();
});

Deno.test("sink cache: persist() survives closing and reopening the database file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-cache-"));
  try {
    const path = join(dir, "cache.db");
    let db = await openSinkCacheDb(path);
    let c = new SinkCache(db, "r/s_0", props());
    for (let i = 0; i < 6; i++) c.push(item(i));
    c.shift(); // 0 delivered
    c.persist();
    db.close();

    db = await openSinkCacheDb(path);
    c = new SinkCache(db, "r/s_0", props());
    expect(c.length).toBe(5);
    c.push(item(6));
    expect(drainAll(c).map((x) => new TextDecoder().decode(x.payload))).toEqual([
      "p1",
      "p2",
      "p3",
      "p4",
      "p5",
      "p6",
    ]);
    // Another sink's cache in the same file is separate.
    expect(new SinkCache(db, "r/s_1", props()).length).toBe(0);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("sink cache: a full disk drops the oldest (memory) part, as eKuiper", async () => {
  const db = await openSinkCacheDb(":memory:");
  const c = new SinkCache(
    db,
    "k",
    props({ memoryCacheThreshold: 2, maxDiskCache: 4, bufferPageSize: 2 }),
  );
  for (let i = 0; i < 7; i++) c.push(item(i));
  expect(c.dropped).toBe(2);
  expect(drainAll(c).map((x) => (x.data as { i: bigint }).i)).toEqual([2n, 3n, 4n, 5n, 6n]);
  db.close();
});

Deno.test("sink cache: maxDiskCache 0 keeps only the newest memoryCacheThreshold results", async () => {
  const db = await openSinkCacheDb(":memory:");
  const c = new SinkCache(db, "k", props({ memoryCacheThreshold: 2, maxDiskCache: 0 }));
  for (let i = 0; i < 5; i++) c.push(item(i));
  expect(c.dropped).toBe(3);
  expect(drainAll(c).map((x) => (x.data as { i: bigint }).i)).toEqual([3n, 4n]);
  db.close();
});
