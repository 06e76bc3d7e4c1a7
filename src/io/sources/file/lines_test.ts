import { expect } from "expect";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { LineFilter, readLineBatches } from "./lines.ts";

async function all(file: string, gzip = false): Promise<{ lines: string[]; batches: number }> {
  const lines: string[] = [];
  let batches = 0;
  for await (const b of readLineBatches(file, gzip)) {
    batches++;
    lines.push(...b);
  }
  return { lines, batches };
}

Deno.test("readLineBatches: streams a large file in several batches, lines intact", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-lines-"));
  try {
    const want = Array.from({ length: 50_000 }, (_, i) => `{"i":${i},"s":"é${"x".repeat(i % 7)}"}`);
    writeFileSync(join(dir, "big.txt"), want.join("\n"));
    const got = await all(join(dir, "big.txt"));
    expect(got.batches).toBeGreaterThan(10);
    expect(got.lines).toEqual(want);

    writeFileSync(join(dir, "big.gz"), gzipSync(want.join("\n") + "\n"));
    expect((await all(join(dir, "big.gz"), true)).lines).toEqual(want);

    writeFileSync(join(dir, "bad.gz"), "not gzip at all");
    await expect(all(join(dir, "bad.gz"), true)).rejects.toThrow();
    await expect(all(join(dir, "missing"))).rejects.toThrow(/ENOENT|no such file/i);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

Deno.test("LineFilter: start and end lines across batches, blank lines not counted", () => {
  const f = new LineFilter(2, 2);
  const out: string[] = [];
  f.push(["h1", "", "h2\r", "a"], out);
  f.push(["b", "  ", "c", "f1"], out);
  f.push(["f2", ""], out);
  expect(out).toEqual(["a", "b", "c"]);

  const pass: string[] = [];
  new LineFilter(0, 0).push(["x", "", "y\r"], pass);
  expect(pass).toEqual(["x", "", "y\r"]);
});
