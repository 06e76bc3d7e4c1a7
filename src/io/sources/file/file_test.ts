import { expect } from "expect";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileSource } from "./mod.ts";
import { recordingSourceContext } from "../test_context.ts";
import type { SourceProps } from "../../types.ts";
import type { StreamField } from "../../../sql/ast.ts";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "weir-file-src-"));
}

function props(dir: string, p: Record<string, unknown>): SourceProps {
  return { datasource: "", format: "json", path: dir, ...p };
}

/** A context that also records `end` and can simulate a full buffer. */
function context() {
  const ctx = recordingSourceContext();
  const extra = { ended: 0, room: true };
  return Object.assign(ctx, {
    canEmit: () => extra.room,
    end: () => extra.ended++,
    extra,
  });
}

async function until(fn: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const text = (b?: Uint8Array) => new TextDecoder().decode(b);

Deno.test("file source: json array, read once, then end; meta file", async () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, "a.json"), `[{"id":1,"name":"x"},{"id":2,"name":"y"}, 7]`);
    const src = fileSource.create(props(dir, { datasource: "a.json" }));
    const ctx = context();
    await src.open(ctx);
    await until(() => ctx.extra.ended === 1);
    await src.close();
    expect(ctx.messages.map((m) => m.row)).toEqual([{ id: 1, name: "x" }, { id: 2, name: "y" }]);
    expect(ctx.messages[0].meta).toEqual({ file: join(dir, "a.json") });
    expect(ctx.errors).toEqual([
      `file source: ${join(dir, "a.json")} record 3: expected a JSON object, got 7`,
    ]);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

Deno.test("file source: lines give payloads for the stream format; ignore start/end lines", async () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, "l.txt"), `# header\n{"a":1}\n\n{"a":2}\r\n{"a":3}\n# footer\n`);
    const src = fileSource.create(
      props(dir, {
        datasource: "l.txt",
        fileType: "lines",
        ignoreStartLines: 1,
        ignoreEndLines: 1,
      }),
    );
    const ctx = context();
    await src.open(ctx);
    await until(() => ctx.extra.ended === 1);
    await src.close();
    expect(ctx.messages.map((m) => text(m.payload))).toEqual([`{"a":1}`, `{"a":2}`, `{"a":3}`]);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

Deno.test("file source: csv with header and delimiter, without header (schema names, cols<i>)", async () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, "h.csv"), `id name age\n1 John 56\n2 "Jane Doe" 34\n`);
    writeFileSync(join(dir, "n.csv"), `1,John,56\n2,Jane,x\n`);
    const withHeader = fileSource.create(
      props(dir, { datasource: "h.csv", fileType: "csv", hasHeader: true, delimiter: " " }),
    );
    const c1 = context();
    await withHeader.open(c1);
    await until(() => c1.extra.ended === 1);
    await withHeader.close();
    expect(c1.messages.map((m) => m.row)).toEqual([
      { id: "1", name: "John", age: "56" },
      { id: "2", name: "Jane Doe", age: "34" },
    ]);

    // Typed stream: its columns name the fields and the values are converted.
    const schema: StreamField[] = [
      { name: "id", type: { type: "bigint" } },
      { name: "name", type: { type: "string" } },
      { name: "age", type: { type: "bigint" } },
    ] as StreamField[];
    const typed = fileSource.create(
      props(dir, { datasource: "n.csv", fileType: "csv", schema }),
    );
    const c2 = context();
    await typed.open(c2);
    await until(() => c2.extra.ended === 1);
    await typed.close();
    expect(c2.messages.map((m) => m.row)).toEqual([{ id: 1, name: "John", age: 56 }]);
    expect(c2.errors.length).toBe(1);
    expect(c2.errors[0]).toMatch(/record 2: field age type mismatch/);

    const plain = fileSource.create(props(dir, { datasource: "n.csv", fileType: "csv" }));
    const c3 = context();
    await plain.open(c3);
    await until(() => c3.extra.ended === 1);
    await plain.close();
    expect(c3.messages[0].row).toEqual({ cols0: "1", cols1: "John", cols2: "56" });
  } finally {
    rmSync(dir, { recursive: true });
  }
});

Deno.test("file source: a folder is read in name order; delete and move after read", async () => {
  const dir = tempDir();
  try {
    mkdirSync(join(dir, "in"));
    mkdirSync(join(dir, "in", "sub"));
    writeFileSync(join(dir, "in", "b.json"), `[{"f":"b"}]`);
    writeFileSync(join(dir, "in", "a.json"), `[{"f":"a"}]`);
    const moved = fileSource.create(
      props(dir, { datasource: "in", actionAfterRead: 2, moveTo: join(dir, "done") }),
    );
    const c1 = context();
    await moved.open(c1);
    await until(() => c1.extra.ended === 1);
    await moved.close();
    expect(c1.messages.map((m) => m.row)).toEqual([{ f: "a" }, { f: "b" }]);
    expect(existsSync(join(dir, "in", "a.json"))).toBe(false);
    expect(existsSync(join(dir, "done", "a.json"))).toBe(true);
    expect(existsSync(join(dir, "done", "b.json"))).toBe(true);

    const deleted = fileSource.create(
      props(dir, { datasource: "done/a.json", actionAfterRead: 1 }),
    );
    const c2 = context();
    await deleted.open(c2);
    await until(() => c2.extra.ended === 1);
    await deleted.close();
    expect(c2.messages.length).toBe(1);
    expect(existsSync(join(dir, "done", "a.json"))).toBe(false);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

Deno.test("file source: interval re-reads; sendInterval paces rows; close stops at once", async () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, "r.json"), `[{"n":1},{"n":2}]`);
    const src = fileSource.create(
      props(dir, { datasource: "r.json", interval: "50ms", sendInterval: 20 }),
    );
    const ctx = context();
    const t0 = Date.now();
    await src.open(ctx);
    await until(() => ctx.messages.length >= 4);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(50 + 3 * 20 - 5);
    await src.close();
    const n = ctx.messages.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(ctx.messages.length).toBe(n);
    expect(ctx.extra.ended).toBe(0);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

Deno.test("file source: waits for room in a full buffer instead of dropping rows", async () => {
  const dir = tempDir();
  try {
    writeFileSync(
      join(dir, "big.json"),
      JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ i }))),
    );
    const src = fileSource.create(props(dir, { datasource: "big.json" }));
    const ctx = context();
    // A buffer of 10 that the test drains slowly.
    ctx.extra.room = true;
    const emit = ctx.emit;
    ctx.emit = (m) => {
      const ok = emit(m);
      if (ctx.messages.length % 10 === 0) ctx.extra.room = false;
      return ok;
    };
    await src.open(ctx);
    for (let k = 1; k <= 5; k++) {
      await until(() => ctx.messages.length === k * 10);
      await new Promise((r) => setTimeout(r, 20));
      expect(ctx.messages.length).toBe(k * 10);
      ctx.extra.room = true;
    }
    await until(() => ctx.extra.ended === 1);
    await src.close();
    expect(ctx.messages.map((m) => m.row!.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

Deno.test("file source: gzip, bad files are counted errors, not crashes", async () => {
  const dir = tempDir();
  try {
    const gz = new Uint8Array(
      await new Response(
        new Blob([`[{"z":1}]`]).stream().pipeThrough(new CompressionStream("gzip")),
      ).arrayBuffer(),
    );
    writeFileSync(join(dir, "a.json.gz"), gz);
    writeFileSync(join(dir, "b.json"), `[{"oops"`);
    const src = fileSource.create(props(dir, { decompression: "gzip" }));
    const ctx = context();
    await src.open(ctx);
    await until(() => ctx.extra.ended === 1);
    await src.close();
    expect(ctx.messages.map((m) => m.row)).toEqual([{ z: 1 }]);
    expect(ctx.errors.length).toBe(1);
    expect(ctx.errors[0]).toMatch(/cannot read .*b\.json/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

Deno.test("file source: validate", () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, "a.json"), "[]");
    const v = (p: Record<string, unknown>) => () => fileSource.validate!(props(dir, p));
    expect(v({ datasource: "a.json" })).not.toThrow();
    expect(v({ datasource: "missing.json" })).toThrow(/missing\.json does not exist/);
    expect(v({ datasource: "a.json", fileType: "xml" })).toThrow(/fileType "xml"/);
    expect(v({ datasource: "a.json", actionAfterRead: 3 })).toThrow(/actionAfterRead 3/);
    expect(v({ datasource: "a.json", actionAfterRead: 2 })).toThrow(/moveTo is required/);
    expect(v({ datasource: "a.json", interval: "soon" })).toThrow(/invalid interval "soon"/);
    expect(v({ datasource: "a.json", delimiter: "ab" })).toThrow(/invalid delimiter/);
    expect(v({ datasource: "a.json", ignoreStartLines: -1 })).toThrow(/ignoreStartLines/);
    expect(v({ datasource: "a.json", decompression: "zstd" })).toThrow(/zstd/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});
