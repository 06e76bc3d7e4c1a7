import { expect } from "expect";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileSink } from "./mod.ts";
import { recordingSinkContext } from "../test_context.ts";
import type { Row } from "../../../runtime/tuple.ts";

const enc = new TextEncoder();

function item(data: Row | Row[]) {
  return { data, payload: enc.encode(JSON.stringify(data)) };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "weir-file-sink-"));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true });
  }
}

const read = (p: string) => readFileSync(p, "utf8");

Deno.test("file sink: lines (default), one payload per line, flushed on close", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "sub", "out.txt");
    const sink = fileSink.create({ path });
    await sink.connect(recordingSinkContext());
    await sink.collect(item({ a: 1 }));
    await sink.collect(item([{ a: 2 }, { a: 3 }]));
    await sink.close();
    expect(read(path)).toBe(`{"a":1}\n[{"a":2},{"a":3}]`);
  });
});

Deno.test("file sink: json is one array of all rows; the buffer is flushed within 200 ms", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "out.json");
    const sink = fileSink.create({ path, fileType: "json" });
    await sink.connect(recordingSinkContext());
    await sink.collect(item([{ a: 1 }, { a: 2 }]));
    await sink.collect(item({ a: 3 }));
    await sink.collect(item([]));
    await new Promise((r) => setTimeout(r, 400));
    expect(read(path)).toBe(`[{"a":1},{"a":2},{"a":3}`); // open file: no footer yet
    await sink.close();
    expect(JSON.parse(read(path))).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });
});

Deno.test("file sink: csv with header (sorted keys or fields), quoting, delimiter", async () => {
  await withDir(async (dir) => {
    const a = join(dir, "a.csv");
    const s1 = fileSink.create({ path: a, fileType: "csv", hasHeader: true, format: "delimited" });
    await s1.connect(recordingSinkContext());
    await s1.collect(item([{ name: "x, y", id: 1 }, { id: 2, name: 'say "hi"' }]));
    await s1.collect(item({ id: 3, name: null }));
    await s1.close();
    expect(read(a)).toBe(`id,name\n1,"x, y"\n2,"say ""hi"""\n3,`);

    const b = join(dir, "b.csv");
    const s2 = fileSink.create({
      path: b,
      fileType: "csv",
      hasHeader: true,
      delimiter: ";",
      fields: ["name", "id"],
    });
    await s2.connect(recordingSinkContext());
    await s2.collect(item({ id: 1, name: "n" }));
    await s2.close();
    expect(read(b)).toBe(`name;id\nn;1`);
  });
});

Deno.test("file sink: rolling by count with prefix and suffix names", async () => {
  await withDir(async (dir) => {
    const sink = fileSink.create({
      path: join(dir, "out.txt"),
      rollingCount: 2,
      rollingNamePattern: "suffix",
    });
    await sink.connect(recordingSinkContext());
    for (let i = 1; i <= 5; i++) await sink.collect(item({ i }));
    await sink.close();
    const files = readdirSync(dir).sort();
    expect(files.length).toBe(3);
    for (const f of files) expect(f).toMatch(/^out-\d{13}\.txt$/);
    expect(files.map((f) => read(join(dir, f)))).toEqual([
      `{"i":1}\n{"i":2}`,
      `{"i":3}\n{"i":4}`,
      `{"i":5}`,
    ]);

    const d2 = join(dir, "p");
    const p = fileSink.create({
      path: join(d2, "x.json"),
      fileType: "json",
      rollingCount: 1,
      rollingNamePattern: "prefix",
    });
    await p.connect(recordingSinkContext());
    await p.collect(item({ i: 1 }));
    await p.collect(item({ i: 2 }));
    await p.close();
    const pf = readdirSync(d2).sort();
    expect(pf.length).toBe(2);
    expect(pf[0]).toMatch(/^\d{13}-x\.json$/);
    expect(pf.map((f) => JSON.parse(read(join(d2, f))))).toEqual([[{ i: 1 }], [{ i: 2 }]]);
  });
});

Deno.test("file sink: rolling by interval and by size", async () => {
  await withDir(async (dir) => {
    const t = fileSink.create({
      path: join(dir, "t", "o.txt"),
      rollingCount: 0,
      rollingInterval: 100,
      checkInterval: 20,
      rollingNamePattern: "prefix",
    });
    await t.connect(recordingSinkContext());
    await t.collect(item({ n: 1 }));
    await new Promise((r) => setTimeout(r, 250));
    await t.collect(item({ n: 2 }));
    await t.close();
    const tf = readdirSync(join(dir, "t")).sort();
    expect(tf.map((f) => read(join(dir, "t", f)))).toEqual([`{"n":1}`, `{"n":2}`]);

    const s = fileSink.create({
      path: join(dir, "s", "o.txt"),
      rollingCount: 0,
      rollingSize: 10,
      rollingNamePattern: "suffix",
    });
    await s.connect(recordingSinkContext());
    for (let i = 0; i < 4; i++) await s.collect(item({ n: i })); // 7 bytes each
    await s.close();
    const sf = readdirSync(join(dir, "s")).sort();
    expect(sf.map((f) => read(join(dir, "s", f)))).toEqual([
      `{"n":0}\n{"n":1}`,
      `{"n":2}\n{"n":3}`,
    ]);
  });
});

Deno.test("file sink: gzip", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "o.txt.gz");
    const sink = fileSink.create({ path, compression: "gzip" });
    await sink.connect(recordingSinkContext());
    for (let i = 0; i < 1000; i++) await sink.collect(item({ i }));
    await sink.close();
    const gz = readFileSync(path);
    const text = await new Response(
      new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip")),
    ).text();
    const lines = text.split("\n");
    expect(lines.length).toBe(1000);
    expect(lines[999]).toBe(`{"i":999}`);
  });
});

Deno.test("file sink: validate", () => {
  const v = (p: Record<string, unknown>) => () => fileSink.validate!(p);
  expect(v({ path: "x" })).not.toThrow();
  expect(v({})).toThrow(/file sink path is required/);
  expect(v({ path: "x", fileType: "xml" })).toThrow(/fileType "xml"/);
  expect(v({ path: "x", fileType: "csv", format: "json" })).toThrow(/format must be delimited/);
  expect(v({ path: "x", rollingCount: 0 })).toThrow(/one of rollingInterval/);
  expect(v({ path: "x", rollingCount: -1 })).toThrow(/rollingCount/);
  expect(v({ path: "x", rollingNamePattern: "middle" })).toThrow(/rollingNamePattern/);
  expect(v({ path: "x", compression: "zstd" })).toThrow(/zstd/);
  expect(v({ path: "x", delimiter: "::" })).toThrow(/delimiter/);
});

Deno.test("file sink: a templated path (rendered by the sink node) writes one file per value", async () => {
  await withDir(async (dir) => {
    const sink = fileSink.create({ path: join(dir, "{{.device}}.txt"), rollingCount: 2 });
    await sink.connect(recordingSinkContext());
    for (const [device, n] of [["a", 1], ["b", 2], ["a", 3], ["a", 4]] as const) {
      await sink.collect({ ...item({ device, n }), props: { path: join(dir, `${device}.txt`) } });
    }
    await sink.close();
    // a.txt rolled after two rows (pattern none: the third row starts the same file again).
    expect(read(join(dir, "a.txt"))).toBe(`{"device":"a","n":4}`);
    expect(read(join(dir, "b.txt"))).toBe(`{"device":"b","n":2}`);
  });
});
