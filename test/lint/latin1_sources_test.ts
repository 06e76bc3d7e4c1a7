/**
 * V8 keeps every loaded module's source in memory, one byte per character when the whole text
 * is Latin-1 and two bytes when a single character is not (an arrow or a dash in a comment).
 * Runtime modules stay Latin-1: write `->`, `<=`, `...`, and `"\u2026"` in string literals.
 */
import { expect } from "expect";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);

function runtimeModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return runtimeModules(path);
    return e.name.endsWith(".ts") && !/(_test|_bench|_corpus)\.ts$/.test(e.name) ? [path] : [];
  });
}

Deno.test("runtime modules are Latin-1, so V8 holds their source at one byte per character", () => {
  const offenders: string[] = [];
  for (
    const path of [
      join(ROOT, "main.ts"),
      ...runtimeModules(join(ROOT, "src")),
      ...runtimeModules(join(ROOT, "grammar")),
    ]
  ) {
    readFileSync(path, "utf8").split("\n").forEach((line, i) => {
      const m = /[\u0100-\uffff]/.exec(line);
      if (m) offenders.push(`${relative(ROOT, path)}:${i + 1}: ${JSON.stringify(m[0])}`);
    });
  }
  expect(offenders).toEqual([]);
});
